"""Declarative description of a report template.

A template is data: its tables, each table's columns and rows with their
labels (and the variants real reports print), and the labels that tell this
template apart from others.  :mod:`govconv.reading.engine` reads any document against
any template, so a layout plugin is mostly a declaration (see
``docs/plugins.md`` for a worked example).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

from govconv.model.values import COUNT

ROWS = "rows"   # each source row carries its own label; rows are found by label
FLAT = "flat"   # one source row holds every value, in (row, column) order


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    aliases: tuple[str, ...] = ()
    kind: str = COUNT
    unit: str | None = None      # for amounts: the unit values are reported in ("元", "万元")

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    columns: tuple[str, ...] | None = None   # column keys; None: every column of the table
    aliases: tuple[str, ...] = ()
    #: labels of an older template's row that this row takes the values of; a
    #: match on one is reported as ``template.version``
    legacy: tuple[str, ...] = ()
    #: rows that have no counterpart when ``legacy`` matched (null, not missing)
    legacy_covers: tuple[str, ...] = ()

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)


@dataclass(frozen=True)
class TableSpec:
    key: str
    label: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    #: labels whose presence in a source table says it is (part of) this table
    anchors: tuple[str, ...]
    shape: str = ROWS

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def row_columns(self, row: Row) -> tuple[Column, ...]:
        if row.columns is None:
            return self.columns
        return tuple(self.column(k) for k in row.columns)

    def addresses(self, row: Row) -> list[str]:
        return [f"{self.key}.{row.key}.{c.key}" for c in self.row_columns(row)]


# -- consistency rules a template declares (勾稽关系), as data ------------------------------
# One engine in core (govconv.rules.declared) evaluates them; a rule that meets a
# null or uncertain cell skips that comparison.


@dataclass(frozen=True)
class RowSum:
    """In each row of ``table`` (all rows, or those named in ``rows``), the ``parts``
    columns add up to the ``whole`` column — e.g. six applicant columns → 总计."""

    rule: str
    table: str
    parts: tuple[str, ...]
    whole: str
    rows: tuple[str, ...] | None = None


@dataclass(frozen=True)
class ColumnSum:
    """In each column of ``table`` (all, or those named in ``columns``), the ``parts``
    rows add up to the ``whole`` row — e.g. the result rows → （七）总计, or a group's
    items → the group's row."""

    rule: str
    table: str
    parts: tuple[str, ...]
    whole: str
    columns: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Balance:
    """In each column of ``table``, the ``left`` rows add up to the same as the
    ``right`` rows — e.g. new + carried_over == total + carried_forward."""

    rule: str
    table: str
    left: tuple[str, ...]
    right: tuple[str, ...]
    columns: tuple[str, ...] | None = None


Rule = Union[RowSum, ColumnSum, Balance]


@dataclass(frozen=True)
class Template:
    id: str
    description: str
    tables: tuple[TableSpec, ...]
    #: labels printed only in this template's tables (detection)
    markers: tuple[str, ...]
    #: report years this template is meant for: (first, last or None)
    years: tuple[int, int | None]
    convention: str = "national"
    #: the consistency rules of the template's tables (RowSum, ColumnSum, Balance)
    rules: tuple[Rule, ...] = ()
    #: the six section headings, 一 … 六, with key words that identify each
    sections: tuple[tuple[str, tuple[str, ...]], ...] = field(default=(
        ("总体情况", ("总体",)),
        ("主动公开政府信息情况", ("主动公开",)),
        ("收到和处理政府信息公开申请情况", ("申请",)),
        ("政府信息公开行政复议、行政诉讼情况", ("复议", "诉讼")),
        ("存在的主要问题及改进情况", ("问题", "改进", "整改")),
        ("其他需要报告的事项", ("其他",)),
    ))

    def table(self, key: str) -> TableSpec:
        return next(t for t in self.tables if t.key == key)

    def year_fits(self, year: int) -> bool:
        first, last = self.years
        return year >= first and (last is None or year <= last)
