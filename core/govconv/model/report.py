"""The report model: the contract (docs/contract.md) that every exporter reads.

A :class:`Report` holds the layout id, metadata, the source, the six sections,
every cell of the layout's tables (value, raw text, blank mark, origin) and the
findings.  Exporters read only this; :meth:`Report.to_dict` is the JSON shape
of ``docs/contract.md``.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from govconv.errors import UsageError
from govconv.model.document import Origin
from govconv.model.values import BlankPolicy, check_blank

Number = int | Decimal


def plain_number(v: Number | None, exact: bool = False) -> int | float | Decimal | None:
    """A value as JSON wants it: integers stay integers, other decimals become floats
    (``exact``: stay Decimal, for a writer that prints them digit for digit)."""
    if v is None or isinstance(v, int):
        return v
    if v == v.to_integral_value():
        return int(v)
    return v if exact else float(v)


@dataclass
class CellValue:
    table: str
    row: str
    column: str
    label: str                       # Chinese label, e.g. "本年新收政府信息公开申请数量 · 自然人"
    value: Number | None = None
    raw: str | None = None           # the source cell's text; None when the cell does not exist
    blank: bool = False              # the source cell was empty or held a blank marker
    origin: Origin | None = None
    #: our reading of this cell is in doubt (an ``extraction.uncertain`` finding says why);
    #: no consistency rule is evaluated on it
    uncertain: bool = False
    #: a person's correction (govconv.rules.corrections), None when the value is as read:
    #: ``{"value_read": the value read, "reason": why, "file": the corrections file}``
    #: (``"uncertain_read": True`` when the reading was in doubt); ``raw`` stays as read
    correction: dict | None = None

    @property
    def address(self) -> str:
        return f"{self.table}.{self.row}.{self.column}"


@dataclass
class Finding:
    rule: str
    cells: list[str]
    message_zh: str
    message_en: str
    values: dict = field(default_factory=dict)   # the numbers (or raw texts) the rule saw
    severity: str = "warning"

    @property
    def message(self) -> str:
        return f"{self.message_zh} / {self.message_en}"

    def to_dict(self, exact: bool = False) -> dict:
        return {"rule": self.rule, "severity": self.severity, "cells": list(self.cells),
                "values": {k: _plain(v, exact) for k, v in self.values.items()},
                "message": self.message, "message_zh": self.message_zh,
                "message_en": self.message_en}


def _plain(v, exact: bool = False):
    """Decimals anywhere in a finding's values, as JSON numbers."""
    if isinstance(v, Decimal):
        return plain_number(v, exact)
    if isinstance(v, (list, tuple)):
        return [_plain(x, exact) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x, exact) for k, x in v.items()}
    return v


@dataclass
class Section:
    number: int
    heading: str
    text: str
    origin: Origin | None = None

    def to_dict(self) -> dict:
        return {"number": self.number, "heading": self.heading, "text": self.text}


@dataclass
class RowData:
    key: str
    label: str
    cells: dict[str, CellValue] = field(default_factory=dict)


@dataclass
class TableData:
    key: str
    label: str
    rows: dict[str, RowData] = field(default_factory=dict)


@dataclass
class Meta:
    title: str | None = None
    agency: str | None = None
    year: int | None = None
    #: the publication date the document prints at its end (after the signature), ISO
    #: ``YYYY-MM-DD``; None when it prints none (a web page's 发布时间 is not it)
    published: str | None = None

    def to_dict(self) -> dict:
        """``title``, ``agency``, ``year`` always; ``published`` when the document prints one
        (absent, not null, otherwise: a report read before the field existed looks the same)."""
        d = {"title": self.title, "agency": self.agency, "year": self.year}
        if self.published is not None:
            d["published"] = self.published
        return d


@dataclass
class SourceInfo:
    file: str | None = None
    format: str | None = None
    sha256: str | None = None
    loader: str | None = None
    size: int | None = None

    def to_dict(self) -> dict:
        return {"file": self.file, "format": self.format, "sha256": self.sha256,
                "loader": self.loader, "size": self.size}


@dataclass(frozen=True)
class ReportOptions:
    """How the report was read: the blank policy (``--blank``) and the years its template is meant for.

    Checked when made; a report built by hand has neither (``None``), and its JSON
    ``options`` is then ``{}``.  :meth:`to_dict` / :meth:`from_dict` are the JSON shape:
    ``{"blank": "zero", "template_years": [2021, null]}``, a field left out when None.
    """

    blank: BlankPolicy | None = None
    #: (first, last) report year of the layout's template; ``last`` None when still in force
    template_years: tuple[int, int | None] | None = None

    def __post_init__(self) -> None:
        if self.blank is not None:
            check_blank(self.blank)
        years = self.template_years
        if years is not None and not (
                isinstance(years, tuple) and len(years) == 2 and _year(years[0])
                and (years[1] is None or _year(years[1]) and years[0] <= years[1])):
            raise UsageError(f"template_years 应为 (起始年, 截止年或 None)（收到 {years!r}）",
                             f"template_years must be (first, last or None) (got {years!r})")

    def to_dict(self) -> dict:
        d: dict[str, Any] = {}
        if self.blank is not None:
            d["blank"] = self.blank
        if self.template_years is not None:
            d["template_years"] = list(self.template_years)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> ReportOptions:
        """The options of a report's JSON (``to_dict``'s shape); an unknown key is refused."""
        unknown = sorted(set(d) - {"blank", "template_years"})
        if unknown:
            raise UsageError(f"未知的报告选项：{', '.join(unknown)}", f"unknown report options: {', '.join(unknown)}")
        years = d.get("template_years")
        return cls(blank=d.get("blank"), template_years=None if years is None else tuple(years))


def _year(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def report_key(d: Mapping[str, Any]) -> str:
    """The key of a report's JSON (:meth:`Report.to_dict`'s shape): its source's sha256, or the
    sha256 of the JSON itself for a report built without a source."""
    sha = (d.get("source") or {}).get("sha256")
    if sha:
        return sha
    body = json.dumps(d, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class Report:
    layout: str
    meta: Meta = field(default_factory=Meta)
    source: SourceInfo = field(default_factory=SourceInfo)
    sections: list[Section] = field(default_factory=list)
    tables: dict[str, TableData] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    options: ReportOptions = field(default_factory=ReportOptions)   # how it was read
    preamble: str = ""                            # text before section 一 (title excluded)

    @property
    def key(self) -> str:
        """A stable key: the source's sha256 (so the same file loaded again replaces itself),
        or, for a report built without a source, the sha256 of its content."""
        return report_key(self.to_dict())

    # -- cells -------------------------------------------------------------
    def cells(self) -> Iterator[CellValue]:
        for t in self.tables.values():
            for r in t.rows.values():
                yield from r.cells.values()

    def cell(self, address: str) -> CellValue:
        t, r, c = address.split(".")
        return self.tables[t].rows[r].cells[c]

    def value(self, address: str) -> Number | None:
        return self.cell(address).value

    def blank_cells(self) -> list[str]:
        return sorted(c.address for c in self.cells() if c.blank)

    def finding_rules(self) -> list[str]:
        return sorted({f.rule for f in self.findings})

    # -- the JSON shape ------------------------------------------------------
    def to_dict(self, exact: bool = False) -> dict:
        """The JSON shape of docs/contract.md.  ``exact``: fractional amounts stay Decimal
        (for a writer that prints them digit for digit) instead of becoming floats."""
        return {
            "format_version": 1,
            "layout": self.layout,
            "meta": self.meta.to_dict(),
            "source": self.source.to_dict(),
            "options": self.options.to_dict(),
            "preamble": self.preamble,
            "sections": [s.to_dict() for s in self.sections],
            "tables": {t.key: {r.key: {c.column: plain_number(c.value, exact) for c in r.cells.values()}
                               for r in t.rows.values()} for t in self.tables.values()},
            "labels": {t.key: {"label": t.label,
                               "rows": {r.key: r.label for r in t.rows.values()}}
                       for t in self.tables.values()},
            "blank_cells": self.blank_cells(),
            "cells": {c.address: _cell_detail(c, exact) for c in self.cells()},
            "findings": [f.to_dict(exact) for f in self.findings],
        }


def _cell_detail(c: CellValue, exact: bool = False) -> dict:
    d: dict[str, Any] = {"label": c.label, "raw": c.raw, "blank": c.blank}
    if c.origin is not None:
        d["origin"] = c.origin.to_dict()
    if c.uncertain:
        d["uncertain"] = True
    if c.correction is not None:
        d["corrected"] = {"from": plain_number(c.correction.get("value_read"), exact),
                          "reason": c.correction.get("reason"), "file": c.correction.get("file")}
        if c.correction.get("uncertain_read"):
            d["corrected"]["uncertain"] = True
    return d
