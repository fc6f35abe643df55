"""The report's words: title, agency, year and the six numbered sections.

Read from the document's paragraphs (tables are not text).  Section headings
are numbered ``一、`` … ``六、``; reports that number later sections ``5、``
are accepted when the heading carries the section's key words and stands in
order.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from govconv.model.document import Document, Paragraph
from govconv.model.report import Meta, Section
from govconv.model.template import Template
from govconv.running.limits import checkpoint

_CN = "一二三四五六"
_HEAD_CN = re.compile(rf"^\s*第?([{_CN}])\s*[、.．,，]\s*(\S.*)$")
_HEAD_AR = re.compile(r"^\s*([1-6])\s*[、．]\s*(\S.*)$")
_YEAR = re.compile(r"(20\d{2})\s*年")
_SPACE = re.compile(r"\s+")
MAX_HEADING = 40      # a longer line is text that happens to start with a number
MAX_TITLE_LINE = 48
_AGENCY_END = re.compile(r"(?:政府信息公开|政务公开|信息公开|年度报告|工作报告|年度)")
_AGENCY_IN_TEXT = re.compile(
    r"20\d{2}\s*年度?[，,]?\s*(?:我|本)?([\u4e00-\u9fff]{2,24}?)(?=政府信息公开|政务公开|信息公开)")
_AGENCY_SUFFIX = re.compile(
    r"(街道办事处|街道|镇人民政府|乡人民政府|人民政府|镇|乡|办公室|局|委员会|管理委员会|中心|厅|院|所|委|办)$")
#: a line about the publication, not the report: "发布时间：2022-01-20　来源：某局", "【字号：大 中 小】",
#: or a bare date — web pages print it above the title; it is never part of the title, agency or year
_PUBLICATION_LINE = re.compile(
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
    meta = Meta(title=title, agency=_agency(title, paragraphs), year=_year(title, paragraphs))
    return Narrative(meta, sections, "\n".join(p.text.strip() for p in rest))


def _publication_line(text: str) -> bool:
    return _PUBLICATION_LINE.match(text.strip()) is not None


def _title(head: list[Paragraph]) -> tuple[list[str], list[Paragraph]]:
    lines, skipped, used = [], [], 0
    for p in head:
        t = p.text.strip()
        if _publication_line(t):       # "发布时间：… 来源：…" above the title: not the title
            skipped.append(p)
            used += 1
            continue
        if len(t) > MAX_TITLE_LINE:
            break
        lines.append(t)
        used += 1
        if "报告" in t:
            break
    if any("报告" in t for t in lines):
        return lines, skipped + head[used:]
    return [], head


def _agency(title: str | None, paragraphs: list[Paragraph]) -> str | None:
    if title:
        t = re.sub(r"[（(].*?[)）]", "", title)
        m = _YEAR.search(t)
        before = t[: m.start()] if m else ""
        if len(before) >= 2:
            return before
        after = t[m.end():] if m else t
        after = re.sub(r"^度", "", after)
        cut = _AGENCY_END.search(after)
        if cut and cut.start() >= 2:
            return after[: cut.start()]
    votes = Counter()
    for p in paragraphs:
        if _publication_line(p.text):
            continue
        for m in _AGENCY_IN_TEXT.finditer(p.text):
            name = m.group(1)
            s = _AGENCY_SUFFIX.search(name)
            if s:
                votes[name] += 1
    return votes.most_common(1)[0][0] if votes else None


def _year(title: str | None, paragraphs: list[Paragraph]) -> int | None:
    if title:
        m = _YEAR.search(title)
        if m:
            return int(m.group(1))
    votes = Counter(int(m.group(1)) for p in paragraphs if not _publication_line(p.text)
                    for m in _YEAR.finditer(p.text))
    return votes.most_common(1)[0][0] if votes else None
