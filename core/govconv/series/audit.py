"""A series across reports: one agency's reports, year after year (``govconv audit``).

    >>> import govconv
    >>> result = govconv.audit(govconv.convert(p) for p in paths)
    >>> [f.rule for f in result.findings], [g.years for g in result.groups]

Reports are grouped by agency (the normalised name, :func:`_agency_key`) and
year, and four rules compare them:

* ``series.carried_over`` (warning): year t's 上年结转 (``applications.carried_over.*``)
  differs from year t−1's 结转下年度 (``applications.carried_forward.*``), column by column;
* ``series.in_force`` (info): a row of table 二 whose 现行有效件数 of year t differs from
  现行有效(t−1) + 制发(t) − 废止(t) (``active.*.in_force|issued|repealed``);
* ``series.duplicate`` (warning): two different reports (different sha256) for one agency and year;
* ``series.gap`` (info): a year missing between two present ones.

A finding accuses a government body, so it rests on certain readings only:

* a report joins a series only when its *title* names both its agency and its year, and
  names no other year: an agency or year read from the text (no title) is a guess, and a
  title naming two years is ambiguous.  The same report (same sha256) read twice with two
  identities is set aside too: which one is right is not guessed (:attr:`SeriesAudit.set_aside`);
* only consecutive years of one agency are compared;
* only cells both layouts hold: the rules go by cell address, and an address means the same
  quantity in every layout that has it (docs/contract.md).  ``gov2019`` has no
  ``in_force``, ``issued`` or ``repealed``: its 对外公开总数量 counts what was ever made public,
  not what is in force, and it prints no 废止 — so no in-force chain runs through a
  ``gov2019`` year, in either direction;
* a null cell, or one read in doubt (``uncertain``), is skipped, never read as 0;
* a year with two reports takes part only in the cells where they agree.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from govconv.reading.agency import AgencyAliases, normalise_agency
from govconv.model.report import Finding, Report, report_key
from govconv.relational.model import SERIES_FINDINGS

Number = int | Decimal

#: the rules of this module, in the order their findings are listed within one pair of years
SERIES_RULES = ("series.carried_over", "series.in_force", "series.duplicate", "series.gap")
_RANK = {rule: i for i, rule in enumerate(SERIES_RULES)}

CARRIED_OVER, CARRIED_FORWARD = "applications.carried_over", "applications.carried_forward"
IN_FORCE_COLUMNS = ("in_force", "issued", "repealed")


def wanted(table: str, row: str, column: str) -> bool:
    """The cells the series rules read (everything else of a report is left behind)."""
    if table == "applications":
        return row in ("carried_over", "carried_forward")
    return table == "active" and column in IN_FORCE_COLUMNS


# -- agency names: THE one place where they are normalised ---------------------------------------
# govconv.reading.agency decides what one body is (province/city prefixes, suffix variants, an
# alias table the user extends); the audit only asks it.

_WHITE = re.compile(r"\s+")


def _fold(name: str) -> str:
    """NFKC, no white space of any kind (zero-width and BOM included)."""
    return _WHITE.sub("", unicodedata.normalize("NFKC", name)).replace("\u200b", "").replace("\ufeff", "")


def _prepare_aliases(aliases: Mapping[str, str] | None) -> AgencyAliases:
    """``aliases`` (name → canonical name) with its look-ups built once per audit."""
    return aliases if isinstance(aliases, AgencyAliases) else AgencyAliases(aliases or {})


def _agency_key(name: str | None, aliases: Mapping[str, str] | None = None) -> str | None:
    """The key that groups reports of one agency (:func:`govconv.reading.agency.normalise_agency`)."""
    return normalise_agency(name, aliases) or None


# -- the audit's model ------------------------------------------------------------------------------

@dataclass
class SeriesReport:
    """One report as the audit sees it: who and when, and the cells the series rules read."""

    key: str                          # the source's sha256 (the report's key, docs/contract.md)
    files: list[str]
    agency: str | None                # as the report names itself (meta.agency)
    year: int | None
    layout: str
    title: str | None
    agency_key: str | None = None
    #: address → value of the cells the rules read that the layout holds; None: null or in doubt
    cells: dict[str, Number | None] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"key": self.key, "files": list(self.files), "agency": self.agency, "year": self.year,
                "layout": self.layout, "title": self.title}


@dataclass
class SeriesGroup:
    """One agency's reports, by year."""

    agency_key: str
    agency: str                       # the canonical name (aliases), else the name its reports use most
    names: list[str]                  # every name its reports use
    reports: list[SeriesReport]       # by year, then key

    @property
    def years(self) -> list[int]:
        return sorted({r.year for r in self.reports if r.year is not None})   # a group's reports all have one

    def to_dict(self) -> dict:
        return {"agency": self.agency, "agency_key": self.agency_key, "names": list(self.names),
                "years": self.years, "reports": [r.to_dict() for r in self.reports]}


@dataclass
class SeriesFinding:
    """A finding across reports: the rule's :class:`Finding` (cells, values, messages), the
    agency, the years and the reports it rests on.  ``cells`` are addresses; ``values`` key
    the numbers by ``address@year``."""

    finding: Finding
    agency: str
    agency_key: str
    years: list[int]
    reports: list[SeriesReport]

    rule = property(lambda self: self.finding.rule)
    severity = property(lambda self: self.finding.severity)
    cells = property(lambda self: self.finding.cells)
    values = property(lambda self: self.finding.values)
    message = property(lambda self: self.finding.message)
    message_zh = property(lambda self: self.finding.message_zh)
    message_en = property(lambda self: self.finding.message_en)

    @property
    def files(self) -> list[str]:
        return [f for r in self.reports for f in r.files]

    def to_dict(self) -> dict:
        f = self.finding.to_dict()
        return {"rule": f["rule"], "severity": f["severity"], "agency": self.agency,
                "agency_key": self.agency_key, "years": list(self.years),
                "reports": [{"key": r.key, "year": r.year, "files": list(r.files)} for r in self.reports],
                "cells": f["cells"], "values": f["values"], "message": f["message"],
                "message_zh": f["message_zh"], "message_en": f["message_en"]}


#: why a report is left out of every series: reason → (中文, English)
SET_ASIDE_REASONS = {
    "agency_unknown": ("报告未写明机构名称", "the report names no agency"),
    "year_unknown": ("报告未写明年度", "the report names no year"),
    "not_in_title": ("机构或年度不是从标题读出的（无标题，或标题未写明），无法确定",
                     "the agency or year is not the title's (no title, or the title does not name it): "
                     "not certain enough"),
    "several_years": ("标题写有多个年度，无法确定报告年度", "the title names several years: the report's "
                      "year is not certain"),
    "conflicting_copies": ("同一报告（相同 sha256）被读出不同的机构或年度，不做猜测",
                           "the same report (same sha256) was read with different agencies or years: "
                           "not guessed"),
}


@dataclass
class SetAside:
    report: SeriesReport
    reason: str                       # a key of SET_ASIDE_REASONS

    def to_dict(self) -> dict:
        zh, en = SET_ASIDE_REASONS[self.reason]
        return {**self.report.to_dict(), "reason": self.reason, "message_zh": zh, "message_en": en,
                "message": f"{zh} / {en}"}


@dataclass
class SeriesAudit:
    groups: list[SeriesGroup]
    findings: list[SeriesFinding]
    set_aside: list[SetAside] = field(default_factory=list)

    @property
    def reports(self) -> int:
        """How many distinct reports (by sha256) the audit saw."""
        return sum(len(g.reports) for g in self.groups) + len({s.report.key for s in self.set_aside})

    def finding_rules(self) -> list[str]:
        return sorted({f.rule for f in self.findings})

    def to_dict(self) -> dict:
        return {"format_version": 1,
                "summary": {"reports": self.reports, "agencies": len(self.groups),
                            "set_aside": len(self.set_aside), "findings": len(self.findings),
                            "by_rule": dict(sorted(Counter(f.rule for f in self.findings).items()))},
                "groups": [g.to_dict() for g in self.groups],
                "findings": [f.to_dict() for f in self.findings],
                "set_aside": [s.to_dict() for s in self.set_aside]}


# -- reading reports ------------------------------------------------------------------------------

def series_report(report: Report | Mapping[str, Any]) -> SeriesReport:
    """What the audit keeps of a :class:`Report`, or of its JSON (``report.to_dict()``, the
    contract's shape): identity, and the cells the rules read."""
    if isinstance(report, Report):
        m = report.meta
        out = SeriesReport(report.key, [], m.agency, m.year, report.layout, m.title)
        file = report.source.file
        for t in report.tables.values():
            for r in t.rows.values():
                for c in r.cells.values():
                    if wanted(t.key, r.key, c.column):
                        out.cells[c.address] = None if c.uncertain else c.value
                        out.labels[c.address] = c.label
    elif isinstance(report, Mapping):
        meta, src = report.get("meta") or {}, report.get("source") or {}
        key = report_key(report)
        out = SeriesReport(key, [], meta.get("agency"), meta.get("year"), report.get("layout") or "", meta.get("title"))
        file = src.get("file")
        details = report.get("cells") or {}
        for t, rows in (report.get("tables") or {}).items():
            for r, cols in rows.items():
                for c, v in cols.items():
                    if wanted(t, r, c):
                        address = f"{t}.{r}.{c}"
                        d = details.get(address) or {}
                        out.cells[address] = None if d.get("uncertain") else _number(v)
                        out.labels[address] = d.get("label") or address
    else:
        raise TypeError(f"audit() reads Report objects or their JSON (dict), not {type(report).__name__}")
    out.files = [file] if file else []
    return out


def _number(v) -> Number | None:
    if v is None or isinstance(v, bool):
        return None
    if isinstance(v, float):
        v = Decimal(repr(v))
    if isinstance(v, Decimal) and v == v.to_integral_value():
        return int(v)
    return v


_YEAR = re.compile(r"(20\d{2})\s*年")
_PARENS = re.compile(r"[（(][^（()）]*[)）]")


def _set_aside_reason(r: SeriesReport) -> str | None:
    """Why ``r`` cannot join a series, or None: its title must name its agency and its year."""
    if not r.agency_key:
        return "agency_unknown"
    if r.year is None:
        return "year_unknown"
    title = _fold(r.title or "")
    if not title or _fold(r.agency or "") not in title:
        return "not_in_title"
    years = {int(y) for y in _YEAR.findall(title)}
    if len(years) > 1:                  # a date in brackets (（2022年1月修订）) is not the report's year
        years = {int(y) for y in _YEAR.findall(_PARENS.sub("", title))}
    if years != {r.year}:
        return "not_in_title" if not years else "several_years"
    return None


# -- the audit ---------------------------------------------------------------------------------------

def audit(reports: Iterable[Report | Mapping[str, Any] | SeriesReport],
          aliases: Mapping[str, str] | None = None) -> SeriesAudit:
    """Group ``reports`` by agency and year, and check each agency's series.

    ``reports``: :class:`Report` objects (``govconv.convert``), their JSON (``to_dict()``) or
    :class:`SeriesReport`; consumed once, keeping only what the rules read.  The same report
    (same sha256) given twice counts once.  ``aliases``: agency name → canonical name, for
    bodies that name themselves in several ways.
    """
    prepared = _prepare_aliases(aliases)
    by_key: dict[str, list[SeriesReport]] = {}
    for report in reports:
        r = report if isinstance(report, SeriesReport) else series_report(report)
        r.agency_key = _agency_key(r.agency, prepared)
        by_key.setdefault(r.key, []).append(r)

    placed: list[SeriesReport] = []
    set_aside: list[SetAside] = []
    for copies in by_key.values():
        identities = {(c.agency_key, c.year, _set_aside_reason(c)) for c in copies}
        merged = copies[0]
        merged.files = sorted({f for c in copies for f in c.files})
        for c in copies[1:]:          # read twice differently (two govconv versions): not guessed
            for address in set(merged.cells) | set(c.cells):
                if merged.cells.get(address, ABSENT) != c.cells.get(address, ABSENT):
                    merged.cells[address] = None
        if len(identities) > 1:
            set_aside.append(SetAside(merged, "conflicting_copies"))
            continue
        reason = _set_aside_reason(merged)
        if reason:
            set_aside.append(SetAside(merged, reason))
        else:
            placed.append(merged)

    agencies: dict[str, list[SeriesReport]] = {}
    for r in placed:
        assert r.agency_key is not None         # _set_aside_reason set aside every report without one
        agencies.setdefault(r.agency_key, []).append(r)
    groups = []
    folded = {_fold(k): v for k, v in prepared.items()}
    for agency_key in sorted(agencies):
        members = sorted(agencies[agency_key], key=lambda r: (r.year, r.files, r.key))
        names = Counter(r.agency for r in members if r.agency is not None)   # placed: all have one
        canonical = next((folded[k] for k in sorted({_fold(n) for n in names}) if k in folded), None)
        display = canonical or min(names, key=lambda n: (-names[n], n))
        groups.append(SeriesGroup(agency_key, display, sorted(names), members))

    findings: list[SeriesFinding] = []
    for g in groups:
        doubtful = [s.report for s in set_aside if s.report.agency_key == g.agency_key]
        findings.extend(_check(g, doubtful))
    findings.sort(key=lambda f: (f.agency_key, f.years[0], f.years[-1], _RANK[f.rule]))
    set_aside.sort(key=lambda s: (s.report.agency_key or "", s.report.year or 0, s.report.files, s.report.key))
    return SeriesAudit(groups, findings, set_aside)


def _check(g: SeriesGroup, doubtful: list[SeriesReport]) -> list[SeriesFinding]:
    by_year: dict[int, list[SeriesReport]] = {}
    for r in g.reports:
        assert r.year is not None               # _set_aside_reason set aside every report without one
        by_year.setdefault(r.year, []).append(r)
    years = sorted(by_year)
    out: list[SeriesFinding] = []
    for y in years:
        if len(by_year[y]) > 1:
            out.append(_duplicate(g, y, by_year[y]))
    for before, after in zip(years, years[1:]):
        if after - before > 1:
            # a report of this agency set aside (its year in doubt) may be the missing year
            if not any(d.year is None or before < d.year < after for d in doubtful):
                out.append(_gap(g, before, after, by_year[before] + by_year[after]))
            continue
        out.extend(_carried_over(g, before, after, by_year[before], by_year[after]))
        out.extend(_in_force(g, before, after, by_year[before], by_year[after]))
    return out


class _Absent:
    """A cell the layout of one of the reports does not hold."""


ABSENT = _Absent()


def _side(reports: list[SeriesReport], address: str):
    """The certain value of ``address`` for one year: every report of the year holds it, certain
    and equal (two reports that disagree: None, not guessed); ABSENT when a layout lacks it."""
    values = []
    for r in reports:
        if address not in r.cells:
            return ABSENT
        values.append(r.cells[address])
    if any(v is None for v in values) or any(v != values[0] for v in values):
        return None
    return values[0]


def _certain(*values) -> bool:
    return all(v is not None and v is not ABSENT for v in values)


def _ordered(reports: list[SeriesReport], prefix: str) -> list[str]:
    """The addresses under ``prefix`` that the reports hold, in template order."""
    out: list[str] = []
    for r in reports:
        out.extend(a for a in r.cells if a.startswith(prefix + ".") and a not in out)
    return out


def _label(reports: list[SeriesReport], address: str, part: int) -> str:
    """A cell's Chinese label (``row label · column label``), or one part of it."""
    for r in reports:
        label = r.labels.get(address)
        if label:
            pieces = label.split(" · ")
            return pieces[part] if len(pieces) == 2 else label
    return address.split(".")[1 + part]


def _finding(g: SeriesGroup, years: list[int], reports: list[SeriesReport], finding: Finding) -> SeriesFinding:
    return SeriesFinding(finding, g.agency, g.agency_key, years,
                         sorted(reports, key=lambda r: (r.year, r.files, r.key)))


def _carried_over(g, before, after, old, new) -> list[SeriesFinding]:
    out = []
    for address in _ordered(new, CARRIED_OVER):
        column = address.rsplit(".", 1)[1]
        source = f"{CARRIED_FORWARD}.{column}"
        was, now = _side(old, source), _side(new, address)
        if not _certain(was, now) or was == now:
            continue
        col = _label(new, address, 1)
        zh = (f"{g.agency}：{before}年报告「结转下年度继续办理」的「{col}」为 {was}，"
              f"而{after}年报告「上年结转」的「{col}」为 {now}")
        en = (f"{g.agency}: column {column}: {before} carried {was} forward "
              f"({CARRIED_FORWARD}.{column}) but {after} took over {now} ({address})")
        values = {f"{source}@{before}": was, f"{address}@{after}": now}
        out.append(_finding(g, [before, after], old + new,
                            Finding("series.carried_over", [source, address], zh, en, values=values)))
    return out


def _in_force(g, before, after, old, new) -> list[SeriesFinding]:
    out = []
    for address in _ordered(new, "active"):
        table, row, column = address.split(".")
        if column != "in_force":
            continue
        issued, repealed = f"{table}.{row}.issued", f"{table}.{row}.repealed"
        was, now = _side(old, address), _side(new, address)
        made, gone = _side(new, issued), _side(new, repealed)
        if not _certain(was, now, made, gone):
            continue
        expected = was + made - gone
        if now == expected:
            continue
        name = _label(new, address, 0)
        diff = now - expected
        zh = (f"{g.agency}「{name}」：{before}年现行有效 {was} 件，加{after}年制发 {made} 件、减废止 {gone} 件，"
              f"应为 {expected} 件，而{after}年报告现行有效 {now} 件（相差 {diff:+}；文件也可能因失效而减少）")
        en = (f"{g.agency} {row}: {was} in force in {before} + {made} issued − {gone} repealed in {after} "
              f"= {expected}, but {after} reports {now} in force ({diff:+}; documents may also lapse)")
        values = {f"{address}@{before}": was, f"{issued}@{after}": made, f"{repealed}@{after}": gone,
                  f"{address}@{after}": now, "expected": expected, "difference": diff}
        out.append(_finding(g, [before, after], old + new,
                            Finding("series.in_force", [address, issued, repealed], zh, en, values=values,
                                    severity="info")))
    return out


def _duplicate(g, year, reports) -> SeriesFinding:
    files = "、".join(f for r in reports for f in r.files) or "—"
    zh = f"{g.agency}{year}年有 {len(reports)} 份不同的报告（{files}）"
    en = (f"{g.agency} has {len(reports)} different reports for {year} "
          f"({', '.join(f for r in reports for f in r.files)})")
    return _finding(g, [year], reports, Finding("series.duplicate", [], zh, en, values={"count": len(reports)}))


def _gap(g, before, after, reports) -> SeriesFinding:
    missing = list(range(before + 1, after))
    zh = f"{g.agency}有{before}年和{after}年的报告，缺少{'、'.join(f'{y}年' for y in missing)}的报告"
    en = f"{g.agency} has reports for {before} and {after} but none for {', '.join(map(str, missing))}"
    return _finding(g, [before, after], reports,
                    Finding("series.gap", [], zh, en, values={"missing": missing}, severity="info"))


# -- rows for a relational target ----------------------------------------------------------------------

#: the columns of ``series_findings`` (one row per finding; docs/sql.md), as the relational model types them
SERIES_FINDINGS_COLUMNS: tuple[tuple[str, str], ...] = tuple(
    (f.name, f.type if f.length is None else f"{f.type}({f.length})") for f in SERIES_FINDINGS.fields)


def _only_report(f: SeriesFinding, year: int) -> str | None:
    """The key of the finding's one report of ``year``, or None when it has none or several."""
    keys = [r.key for r in f.reports if r.year == year]
    return keys[0] if len(keys) == 1 else None


def series_rows(result: SeriesAudit) -> list[dict]:
    """The audit's findings as rows of a ``series_findings`` table (:data:`SERIES_FINDINGS_COLUMNS`)."""
    rows = []
    for i, f in enumerate(result.findings):
        d = f.to_dict()
        first, last = f.years[0], f.years[-1]
        ids = [r.key for r in f.reports]

        identity = json.dumps([f.rule, f.agency_key, first, last, sorted(ids), list(f.cells)], ensure_ascii=False)
        rows.append({
            "finding_id": hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest(),
            "position": i, "rule": f.rule, "severity": f.severity,
            "agency_key": f.agency_key, "agency": f.agency, "year_from": first, "year_to": last,
            "report_id_from": _only_report(f, first), "report_id_to": _only_report(f, last),
            "report_ids": json.dumps(ids), "source_files": json.dumps(f.files, ensure_ascii=False),
            "cells": json.dumps(d["cells"]), "values_json": json.dumps(d["values"], ensure_ascii=False),
            "message_zh": f.message_zh, "message_en": f.message_en})
    return rows
