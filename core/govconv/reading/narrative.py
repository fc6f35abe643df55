"""The report's words: title, agency, year, publication date and the six numbered sections.

Read from the document's paragraphs (tables are not text).  Section headings
are numbered ``一、`` … ``六、``; reports that number later sections ``5、``
are accepted when the heading carries the section's key words and stands in
order.

Who and when, in order of trust:

* the **agency**: the title's (the text before its year, or after it); else a
  title quoted in a sentence of the preamble or of section 一's opening
  ("现将…街道办事处2020年政府信息公开工作年度报告公布如下"); else a line before
  section 一 that is only a body's name; else the signature at the end
  ("XX区人民政府办公室　2021年1月", or the name above a date line); else the
  file's own title (``Document.properties["title"]`` of a docx or pdf, or a web
  page's ``headline``) when it is a report title; else the body the text names
  most often after a year ("2021年，鹿山街道在…").  A name is taken only when it
  looks like one (:func:`govconv.reading.agency.is_agency_name`): never "本街道",
  "街道" or "区行政审批办" (a place name cut off).
* the **year**: the title's first ``20xx年``; else the quoted title's; else the
  year the text names most often; else the file's own title's.
* the **publication date** (``published``): a full date printed at the end,
  alone or after the signature ("2022年1月20日", "二〇二二年一月二十日",
  "2022-01-20"), from the report year to two years after it; never a web page's
  发布时间 (a page fact, kept in ``Document.properties``).
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from govconv.model.document import Document, Paragraph
from govconv.model.report import Meta, Section
from govconv.model.template import Template
from govconv.reading.agency import fold_name, is_agency_name
from govconv.running.limits import checkpoint
from govconv.reading.patterns import lazy

_CN = "一二三四五六"
_HEAD_CN = lazy(rf"^\s*第?([{_CN}])\s*[、.．,，]\s*(\S.*)$")
_HEAD_AR = lazy(r"^\s*([1-6])\s*[、．]\s*(\S.*)$")
_YEAR = lazy(r"(20\d{2})\s*年")
_SPACE = lazy(r"\s+")
MAX_HEADING = 40      # a longer line is text that happens to start with a number
MAX_TITLE_LINE = 48
_AGENCY_END = lazy(r"(?:政府信息公开|政务公开|信息公开|年度报告|工作报告|年度)")
_AGENCY_IN_TEXT = lazy(
    r"20\d{2}\s*年度?[，,]?\s*(?:我|本)?([\u4e00-\u9fff]{2,24}?)(?=政府信息公开|政务公开|信息公开)")
_AGENCY_SUFFIX = lazy(
    r"(街道办事处|街道|镇人民政府|乡人民政府|人民政府|镇|乡|办公室|局|委员会|管理委员会|中心|厅|院|所|委|办)$")
_HAN = "\u4e00-\u9fff"
_KINDS = (r"街道办事处|街道|人民政府办公室|人民政府办公厅|人民政府|办事处|管理委员会|管委会|委员会|办公室|办公厅|"
          r"局|厅|委|办|署|中心|镇|乡|院|所|站|队|处")
#: the words of a report title after its year ("2020年（度）政府信息公开工作年度报告")
_REPORT_WORDS = r"(?:的)?(?:政府信息公开|政务公开|信息公开)(?:工作)?(?:年度)?(?:工作)?(?:报告|年报)"
#: a report title quoted in a sentence: NAME + year + report words, or year + NAME + report words
_TITLE_IN_TEXT = lazy(rf"([{_HAN}()（）]{{2,48}}?)\s*(20\d{{2}})\s*年度?\s*{_REPORT_WORDS}")
_TITLE_IN_TEXT_YEAR_FIRST = lazy(rf"(20\d{{2}})\s*年度?\s*([{_HAN}()（）]{{2,48}}?)\s*{_REPORT_WORDS}")
#: words before a quoted title that are not part of the name ("现将…", "特此公布…")
_NAME_LEAD = lazy(r".*(?:现将|现予|特将|特此|予以|向社会|公布|发布|印发|编制|制定|形成|根据|依据|按照|关于|"
                        r"对照|参照|由|是|为|即|此|的|了|在)")
#: the body the text names after a year and before what it did ("2021年，鹿山街道在…")
_AGENCY_THEN_VERB = lazy(
    rf"20\d{{2}}\s*年度?\s*[，,]\s*([{_HAN}]{{1,30}}?(?:{_KINDS}))(?=以|在|认真|坚持|按照|根据|严格|深入|进一步|"
    r"紧紧|紧扣|全面|持续|围绕|积极|切实|不断|扎实|共|把|将|加强|高度|始终|继续|聚焦|紧密|主动|着力|立足|结合|"
    r"依托|通过|贯彻|落实|全力|大力|牢牢|秉持|秉承|强化|推进|深化|做好|累计|全年|政府信息公开|政务公开|信息公开)")
#: a date: 2022年1月20日, 2022-01-20, 2022.1.20, 2022/1/20; in Chinese numerals 二〇二二年一月二十日
_DATE = lazy(r"(20\d{2})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|[-./](\d{1,2})[-./](\d{1,2})(?!\d))")
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0, "O": 0, "o": 0, "Ｏ": 0}
_CN_DATE = lazy(r"([〇○零Ｏ一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,2})\s*月"
                      r"\s*([一二三四五六七八九十]{1,3})\s*日")
_MONTH_ONLY = lazy(r"(?:20\d{2}|[〇○零Ｏ一二三四五六七八九]{4})\s*年"
                         r"\s*(?:\d{1,2}|[一二三四五六七八九十]{1,2})\s*月$")
#: a line about the publication, not the report: "发布时间：2022-01-20　来源：某局", "【字号：大 中 小】",
#: or a bare date — web pages print it above the title; it is never part of the title, agency or year
_PUBLICATION_LINE = lazy(
    r"^[【\[(（]?\s*(?:发布时间|发布日期|发文日期|成文日期|更新时间|更新日期|信息来源|文章来源|来源|发布机构|"
    r"作者|浏览次数|点击数|阅读次数|访问量|字号|字体|索引号)\s*[:：]"
    r"|^\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?$")


@dataclass
class Narrative:
    meta: Meta
    sections: list[Section]
    preamble: str


def find_headings(paragraphs: list[Paragraph], template: Template) -> dict[int, tuple[int, str]]:
    """Section number → (paragraph index, heading text)."""
    cn: dict[int, list[tuple[int, str]]] = {}
    ar: dict[int, list[tuple[int, str]]] = {}
    for i, p in enumerate(paragraphs):
        if i % 256 == 0:
            checkpoint()
        line = p.text.strip()
        m = _HEAD_CN.match(line)
        if m:
            cn.setdefault(_CN.index(m.group(1)) + 1, []).append((i, m.group(2)))
            continue
        m = _HEAD_AR.match(line)
        if m:
            ar.setdefault(int(m.group(1)), []).append((i, m.group(2)))
    found: dict[int, tuple[int, str]] = {}
    pos = -1
    for n in range(1, 7):
        _, keys = template.sections[n - 1]
        nxt = min((i for m in range(n + 1, 7) for i, _ in cn.get(m, []) if i > pos), default=len(paragraphs))
        pick = next(((i, h) for i, h in cn.get(n, []) if pos < i and _short(h)), None)
        if pick is None:
            pick = next(((i, h) for i, h in ar.get(n, [])
                         if pos < i < nxt and _short(h) and any(k in h for k in keys)), None)
        if pick is not None:
            found[n] = pick
            pos = pick[0]
    return found


def _short(heading: str) -> bool:
    return len(heading.strip()) <= MAX_HEADING


def _split_heading(h: str) -> tuple[str, str]:
    """A heading line may carry text after it ("总体情况。本年度…"): split it off."""
    h = h.strip()
    m = re.match(r"^(.{2,30}?)[。：:](.*)$", h)
    if m and m.group(2).strip():
        return m.group(1), m.group(2).strip()
    return h.rstrip("。：:"), ""


def read(doc: Document, template: Template) -> Narrative:
    paragraphs = [p for p in doc.paragraphs() if p.text.strip()]
    heads = find_headings(paragraphs, template)
    starts = sorted((i, n) for n, (i, _) in heads.items())
    sections = []
    for k, (i, n) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(paragraphs)
        heading, first = _split_heading(heads[n][1])
        body = ([first] if first else []) + [p.text.strip() for p in paragraphs[i + 1:end]]
        sections.append(Section(n, heading, "\n".join(t for t in body if t), paragraphs[i].origin))
    first_head = starts[0][0] if starts else len(paragraphs)
    title_lines, rest = _title(paragraphs[:first_head])
    title = _SPACE.sub("", "".join(title_lines)) or None
    # where a quoted title may stand: the preamble and the opening of section 一
    opening = rest + paragraphs[first_head + 1:first_head + 3] if starts else rest
    tail_from = starts[-1][0] + 1 if starts else max(len(paragraphs) - 3, 0)
    signature, published_line = _signature(paragraphs[tail_from:])
    quoted = _quoted_title(opening)
    prop = _property_title(doc.properties or {})
    meta = Meta(title=title,
                agency=_agency(title, quoted, rest, signature, prop, paragraphs),
                year=_year(title, quoted, prop, paragraphs))
    meta.published = _published(published_line, meta.year)
    return Narrative(meta, sections, "\n".join(p.text.strip() for p in rest))


def _publication_line(text: str) -> bool:
    return _PUBLICATION_LINE.match(text.strip()) is not None


#: the end of a title at the head of a longer line ("…2024年政府信息公开工作年度报告本报告由…"):
#: a PDF's line joining can run the title's last line into the first line of the preamble
_TITLE_HEAD = lazy(rf"^([^，。；：,;:！？!?、“”\"《》]{{4,{MAX_TITLE_LINE}}}?报告)(?![）)》」”])(?=\S)")


#: a title is no sentence: it holds no 。，； and does not end with ！？
_SENTENCE = lazy(r"[。，；;]|[！？!?]$")


def _title(head: list[Paragraph]) -> tuple[list[str], list[Paragraph]]:
    lines: list[str] = []
    skipped: list[Paragraph] = []
    used = 0
    for p in head:
        t = p.text.strip()
        if _publication_line(t):       # "发布时间：… 来源：…" above the title: not the title
            skipped.append(p)
            used += 1
            continue
        if len(t) <= MAX_TITLE_LINE and _SENTENCE.search(t):   # "现将…年度报告公布如下。": a sentence
            break
        if len(t) > MAX_TITLE_LINE:
            m = _TITLE_HEAD.match(t)
            joined = "".join(lines) + (m.group(1) if m else "")
            if m and _YEAR.search(joined) and len(_SPACE.sub("", joined)) <= 2 * MAX_TITLE_LINE:
                lines.append(m.group(1))
                return lines, skipped + [Paragraph(t[m.end():].strip(), p.origin)] + head[used + 1:]
            break
        lines.append(t)
        used += 1
        if "报告" in t:
            break
    if any("报告" in t for t in lines):
        return lines, skipped + head[used:]
    return [], head


def _name_before(text: str) -> str | None:
    """The body's name that ends ``text`` (the words before a quoted title's year), if it is one."""
    name = _NAME_LEAD.sub("", text)
    name = re.sub(r"^[()（）]+", "", name)
    return name if is_agency_name(name) else None


def _quoted_title(paragraphs: list[Paragraph]) -> tuple[str | None, int | None]:
    """(agency, year) of a report title quoted in one of ``paragraphs``: the first found."""
    for p in paragraphs:
        text = _SPACE.sub("", p.text)
        for m in _TITLE_IN_TEXT.finditer(text):
            name = _name_before(m.group(1))
            if name:
                return name, int(m.group(2))
        for m in _TITLE_IN_TEXT_YEAR_FIRST.finditer(text):
            if is_agency_name(m.group(2)):
                return m.group(2), int(m.group(1))
    return None, None


def _property_title(props: dict) -> tuple[str | None, int | None]:
    """(agency, year) of the file's own title (docx/pdf ``title``, a web page's ``headline``)
    when it is a report title naming both; (None, None) otherwise."""
    for key in ("title", "headline"):
        t = props.get(key)
        if not isinstance(t, str) or "报告" not in t or len(t) > 2 * MAX_TITLE_LINE:
            continue
        t = _SPACE.sub("", unicodedata.normalize("NFKC", t))
        agency = _agency_of_title(t)
        m = _YEAR.search(t)
        if agency and m and is_agency_name(agency):
            return agency, int(m.group(1))
    return None, None


def _agency_of_title(title: str) -> str | None:
    t = re.sub(r"[（(].*?[)）]", "", title)
    m = _YEAR.search(t)
    before = re.sub(r"(?:关于|的)$", "", t[: m.start()] if m else "")
    if len(before) >= 2:
        return before
    after = t[m.end():] if m else t
    after = re.sub(r"^度", "", after)
    cut = _AGENCY_END.search(after)
    if cut and cut.start() >= 2:
        return after[: cut.start()]
    return None


def _signature(tail: list[Paragraph]) -> tuple[str | None, str | None]:
    """(the signing body, the date line) at the end of the document.  Read upwards from the
    last line: a date (a full one, or a month: "2021年1月"), alone or after the body's name;
    then, just above it (or last of all), a line that is only a body's name."""
    lines = [fold_name(ln).strip("()") for p in tail for ln in p.text.split("\n") if ln.strip()][-3:]
    full_date = None
    dated = False                      # the line below was a date
    for k in range(len(lines) - 1, -1, -1):
        ln, last = lines[k], k == len(lines) - 1
        if (last or dated) and is_agency_name(ln):
            return ln, full_date
        if last:
            d = _date_at_end(ln)
            if d is not None:
                full_date, head = d[1], ln[:d[0]]
            else:
                m = _MONTH_ONLY.search(ln)
                if not m:
                    return None, None
                head = ln[:m.start()]
            if head:
                return (head if is_agency_name(head) else None), full_date
            dated = True
            continue
        break
    return None, full_date


def _date_at_end(line: str) -> tuple[int, str] | None:
    """(where it starts, the date text) when ``line`` ends with a full date."""
    for pattern in (_DATE, _CN_DATE):
        found = [m for m in pattern.finditer(line) if m.end() == len(line)]
        if found:
            return found[-1].start(), found[-1].group(0)
    return None


def _cn_number(text: str) -> int:
    """一 … 三十一 (a month or a day)."""
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS[text]


def _published(line: str | None, year: int | None) -> str | None:
    """The date printed at the end, as ISO ``YYYY-MM-DD``: from the report year to two years after."""
    if not line:
        return None
    m = _DATE.search(line)
    try:
        if m:
            y, mo, d = int(m.group(1)), int(m.group(2) or m.group(4)), int(m.group(3) or m.group(5))
        else:
            m = _CN_DATE.search(line)
            if not m:
                return None
            y = int("".join(str(_CN_DIGITS[c]) for c in m.group(1)))
            mo, d = _cn_number(m.group(2)), _cn_number(m.group(3))
        from datetime import date    # only when a date is read

        day = date(y, mo, d)
    except (ValueError, KeyError):
        return None
    if year is not None and not year <= day.year <= year + 2:
        return None
    return day.isoformat()


def _agency(title: str | None, quoted: tuple[str | None, int | None], head: list[Paragraph],
            signature: str | None, prop: tuple[str | None, int | None],
            paragraphs: list[Paragraph]) -> str | None:
    if title:
        name = _agency_of_title(title)
        if name:
            return name
    if quoted[0]:
        return quoted[0]
    for p in head:                              # a line before section 一 that is only a body's name
        t = fold_name(p.text)
        if len(t) <= MAX_TITLE_LINE and is_agency_name(t):
            return t
    if signature:
        return signature
    if prop[0]:
        return prop[0]
    votes: Counter = Counter()
    first: dict[str, int] = {}
    for k, p in enumerate(paragraphs):
        if _publication_line(p.text):
            continue
        text = _SPACE.sub("", p.text)
        found = [m.group(1) for m in _AGENCY_IN_TEXT.finditer(text) if _AGENCY_SUFFIX.search(m.group(1))]
        found += [m.group(1) for m in _AGENCY_THEN_VERB.finditer(text)]
        for name in found:
            if not is_agency_name(name):
                name = re.sub(r"^(?:我|本)", "", name)
                if not is_agency_name(name):
                    continue
            votes[name] += 1
            first.setdefault(name, k)
    if not votes:
        return None
    return max(votes, key=lambda n: (votes[n], -first[n]))


def _year(title: str | None, quoted: tuple[str | None, int | None], prop: tuple[str | None, int | None],
          paragraphs: list[Paragraph]) -> int | None:
    if title:
        m = _YEAR.search(title)
        if m:
            return int(m.group(1))
    if quoted[1]:
        return quoted[1]
    votes = Counter(int(m.group(1)) for p in paragraphs if not _publication_line(p.text)
                    for m in _YEAR.finditer(p.text))
    if votes:
        return votes.most_common(1)[0][0]
    return prop[1]
