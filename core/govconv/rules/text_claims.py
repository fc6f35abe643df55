"""The one matcher of the narrative's claims about the tables (``text.table_mismatch``).

A template declares what its narrative may state about its tables
(:class:`~govconv.model.template.TextClaim`: the words, the units, the cells,
the cues that make a sentence not a claim); this module finds those statements
in the report's preamble and sections and compares each number with the cells.

It is built for precision: a finding accuses a government body of printing two
different figures, so a statement is read as a claim only when nothing in its
sentence says it is about a part of the agency, another year, another measure,
a stock before the year's additions, a plan or an approximation — and only
numbers in Arabic digits, followed directly by an allowed unit, are read.  A
claim whose cells are null or read in doubt is skipped.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from govconv.model.report import Finding, Number, Report
from govconv.model.template import Template, TextClaim
from govconv.reading.agency import canonical_agency, fold_name, is_agency_name
from govconv.rules.declared import certain_values
from govconv.running.limits import checkpoint
from govconv.reading.patterns import lazy

#: between the words and the number: 数量/总数, then 共/共计/合计/总计/为/达/是/：
#: (each filler word reads one way only, and at most three stand together: no backtracking blow-up)
FILLER = r"(?:数量|总数|总量|件数|数)?(?:共计|总计|合计|一共|共|为|达到|达|是|[:：]){0,3}"
#: a number in Arabic digits: thousands separators only in whole groups of three
NUMBER = r"(?P<n>\d{1,3}(?:,\d{3})+|\d+)(?![.,]\d)"
#: right after the unit: another measure (件次) or an approximation (件左右, 件以上)
_NOT_EXACT_AFTER = lazy(r"^(?:次|左右|以上|以下|上下|之多|多|余|[（(]次[)）])")
_SENTENCE_END = "。！？!?；;"
_CLAUSE = lazy(r"[，,：:（）()]")
_YEAR = lazy(r"(?<!\d)(20\d{2})\s*年")
#: a line that ends without punctuation and is this long is a line wrapped inside a sentence
_WRAPPED = 20
_PUNCT_END = lazy(r"[。！？!?；;：:，,、）)」”》]$")
MAX_QUOTE = 300


@dataclass(frozen=True)
class Reading:
    """One statement of the narrative read as a claim: what it states and what the table holds
    (``table`` None when a cell is null or read in doubt: nothing is compared)."""

    claim: TextClaim
    sentence: str
    stated: int
    unit: str
    table: Number | None
    agrees: bool | None          # None: not compared


def read_claims(template: Template, report: Report) -> list[Reading]:
    """Every statement of the report's preamble and sections that the template's claims read."""
    claims = tuple(c for c in template.claims if c.table in report.tables)
    if not claims:
        return []
    names = _agency_pattern(report.meta.agency)
    compiled = [_compile(c, names) for c in claims]
    out: list[Reading] = []
    for text in [report.preamble] + [s.text for s in report.sections]:
        for sentence in sentences(text or ""):
            checkpoint()
            norm = normalise(sentence)
            taken: set[int] = set()            # numbers already read as a claim
            for claim, rx in zip(claims, compiled):
                out.extend(_claims_in(claim, rx, sentence, norm, report, taken))
    return out


def evaluate_claims(template: Template, report: Report) -> list[Finding]:
    """A finding (``text.table_mismatch`` for the national claims) for every claim the table contradicts."""
    out: list[Finding] = []
    seen: set[tuple] = set()
    for r in read_claims(template, report):
        if r.agrees is not False:
            continue
        key = (r.claim.rule, r.claim.addresses, r.stated, r.sentence)
        if key not in seen:
            seen.add(key)
            out.append(_finding(r))
    return out


# -- text ------------------------------------------------------------------------------------

def sentences(text: str) -> Iterator[str]:
    """The sentences of ``text``: they end at 。！？；, and at a line break unless the line is
    long and ends without punctuation (a line wrapped inside a sentence)."""
    buf = ""
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        buf += line
        if len(line) >= _WRAPPED and not _PUNCT_END.search(line):
            continue                           # wrapped: the sentence goes on
        yield from _split(buf)
        buf = ""
    if buf:
        yield from _split(buf)


def _split(text: str) -> Iterator[str]:
    start = 0
    for i, ch in enumerate(text):
        if ch in _SENTENCE_END:
            if text[start:i + 1].strip():
                yield text[start:i + 1].strip()
            start = i + 1
    if text[start:].strip():
        yield text[start:].strip()


def normalise(text: str) -> str:
    """NFKC (full-width digits become ASCII; the Chinese comma stays a comma, never a
    thousands separator), white space removed — except between two digits, which stays a
    break so that "30 50" never reads 3050."""
    t = unicodedata.normalize("NFKC", text.replace("，", "\ue000")).replace("\ue000", "，")
    t = re.sub(r"(?<=\d)\s+(?=\d)", "|", t)
    return re.sub(r"[\s\u200b\ufeff]+", "", t)


# -- the matcher -------------------------------------------------------------------------------

def _agency_pattern(agency: str | None) -> str:
    """The report's own name and its short forms, as a regex alternative (never empty)."""
    names: set[str] = set()
    if agency:
        full = fold_name(agency)
        names |= {full, canonical_agency(full)}
        for n in list(names):
            # without the county/district before a street or town: 富阳区鹿山街道 → 鹿山街道
            m = re.match(r"^[\u4e00-\u9fff]{1,6}?(?:区|县|市)(?=[\u4e00-\u9fff]{2,}(?:街道|镇|乡))", n)
            if m:
                names.add(n[m.end():])
        for n in list(names):
            for a, b in (("街道办事处", "街道"), ("街道", "街道办事处"), ("人民政府", "政府")):
                if n.endswith(a):
                    names.add(n[: -len(a)] + b)
            m = re.match(r"^(.+[镇乡])$", n)
            if m:
                names |= {n + "人民政府", n + "政府"}
    names = {n for n in names if is_agency_name(n)}
    if not names:
        return "(?!)"
    return "(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + ")"


@lru_cache(maxsize=512)
def _compile(claim: TextClaim, names: str):
    units = "|".join(re.escape(u) for u in sorted(claim.units, key=len, reverse=True))
    rx = re.compile(rf"(?P<lead>{claim.lead}){FILLER}{NUMBER}(?P<unit>{units})")
    subject = re.compile(rf"(?:{claim.subject.replace('{agency}', names)})") if claim.subject else None
    cues = tuple(re.compile(c.replace("{agency}", names)) for c in claim.exclude)
    after = re.compile(claim.after) if claim.after else None
    not_after = re.compile(claim.not_after) if claim.not_after else None
    return rx, subject, cues, after, not_after


def _claims_in(claim: TextClaim, compiled, sentence: str, norm: str, report: Report,
               taken: set[int]) -> Iterator[Reading]:
    rx, subject, cues, after, not_after = compiled
    for m in rx.finditer(norm):
        if m.start("n") in taken:
            continue
        start = m.start("lead")
        prefix = norm[:start]
        clause_start = max((k.end() for k in _CLAUSE.finditer(prefix)), default=0)
        if subject is not None and not subject.fullmatch(prefix[clause_start:]):
            continue
        if not _about_the_year(norm[:m.end()], report.meta.year):
            continue
        pieces = [p for p in _CLAUSE.split(prefix) if p]
        if any(c.search(p) for c in cues for p in pieces):
            continue
        rest = norm[m.end():]
        if _NOT_EXACT_AFTER.match(rest):
            continue
        if after is not None and not after.match(rest):
            continue
        if not_after is not None and not_after.match(rest):
            continue
        taken.add(m.start("n"))
        stated = int(m.group("n").replace(",", ""))
        quote = _quote(sentence, norm, m)
        vals = certain_values(report, list(claim.addresses))
        if vals is None:
            yield Reading(claim, quote, stated, m.group("unit"), None, None)
            continue
        table = sum(vals, Decimal(0)) if any(isinstance(v, Decimal) for v in vals) else sum(vals)
        agrees = stated == table or any(_equals(report, alt, stated) for alt in claim.also)
        yield Reading(claim, quote, stated, m.group("unit"), table, agrees)


def _about_the_year(text: str, year: int | None) -> bool:
    """No year in ``text`` but the report's (with no report year: no year at all)."""
    return all(year is not None and int(y) == year for y in _YEAR.findall(text))


def _equals(report: Report, addresses: tuple[str, ...], stated: int) -> bool:
    vals = certain_values(report, list(addresses))
    return vals is not None and sum(vals) == stated


def _quote(sentence: str, norm: str, m: re.Match) -> str:
    """The sentence as printed (line breaks joined), or, when very long, the part around the claim."""
    s = re.sub(r"\s*\n\s*", "", sentence).strip()
    if len(s) <= MAX_QUOTE:
        return s
    a, b = max(m.start() - 150, 0), min(m.end() + 80, len(norm))
    return ("…" if a else "") + norm[a:b] + ("…" if b < len(norm) else "")


def _finding(r: Reading) -> Finding:
    c = r.claim
    address = " + ".join(c.addresses)
    return Finding(
        c.rule, list(c.addresses),
        f"正文称{c.label}为 {r.stated}{r.unit}（「{r.sentence}」），而表中 {address} 为 {r.table}",
        f"the text states {r.stated} for {c.label_en} (\u201c{r.sentence}\u201d) but the table has "
        f"{r.table} at {address}",
        values={"sentence": r.sentence, "stated": r.stated, "table": r.table, "address": address},
        severity="warning")
