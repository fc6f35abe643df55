"""Declarative description of a report template.

A template is data: its tables, each table's columns and rows with their
labels (and the variants real reports print), and the labels that tell this
template apart from others.  :mod:`govconv.reading.engine` reads any document against
any template, so a layout plugin is mostly a declaration (see
``docs/plugins.md`` for a worked example).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeAlias

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


Rule: TypeAlias = RowSum | ColumnSum | Balance


# -- what the narrative says about the tables, as data ----------------------------------------
# One matcher in core (govconv.rules.text_claims) finds each claim in a report's sections and
# preamble and compares the number with the cells; a null or uncertain cell skips it.


@dataclass(frozen=True)
class TextClaim:
    """A sentence of the narrative that states a quantity one of the tables holds, for the
    whole reporting agency and the report year — e.g. "全年共受理政府信息公开申请95件"
    states ``applications.new.total``.  A number that differs from the cells is ``rule``.

    The matcher reads a claim as ``subject`` ``lead`` filler number unit, inside one clause
    of one sentence (sentences end at 。！？；, clauses at ，：):

    * ``lead`` (a regex) names the quantity and stands right before the number, with only
      a filler between (数量/总数, 共/共计/合计/总计/为/达/是/：);
    * ``units``: the number must be followed by one of them, and by nothing that makes it
      another measure or an approximation (件次, 件左右, 件以上);
    * ``subject`` (a regex) must match all of the clause before the lead: it says who and
      when may stand there (the year, 全年, 我局, the agency's own name — ``{agency}`` in it
      stands for the report's ``meta.agency`` and its short forms);
    * ``exclude``: cue regexes; one found in a clause of the sentence before the number
      (``{agency}`` as above) means the sentence is not about the whole agency and year
      (其中, 截至上年底, 全市, 计划 …);
    * ``after`` / ``not_after``: regexes the text after the unit must / must not match at
      its start (``含上年结转…``: the number is new + carried over);
    * ``addresses``: the number states the sum of these cells; ``also``: other sums the same
      words can mean (受理 may count the carried-over applications too) — a number equal to
      one of them is no mismatch.

    A sentence naming another year than the report's is never read as a claim."""

    rule: str
    key: str
    label: str                       # the quantity, in Chinese (the message says it)
    label_en: str
    lead: str
    addresses: tuple[str, ...]
    units: tuple[str, ...] = ("件",)
    subject: str = ""
    exclude: tuple[str, ...] = ()
    after: str | None = None
    not_after: str | None = None
    also: tuple[tuple[str, ...], ...] = ()

    @property
    def table(self) -> str:
        return self.addresses[0].split(".")[0]


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
    #: the consistency rules of the template's tables (RowSum, ColumnSum, Balance); a
    #: :class:`TextClaim` given here is moved to ``claims``
    rules: tuple[Rule | TextClaim, ...] = ()
    #: the six section headings, 一 … 六, with key words that identify each
    sections: tuple[tuple[str, tuple[str, ...]], ...] = field(default=(
        ("总体情况", ("总体",)),
        ("主动公开政府信息情况", ("主动公开",)),
        ("收到和处理政府信息公开申请情况", ("申请",)),
        ("政府信息公开行政复议、行政诉讼情况", ("复议", "诉讼")),
        ("存在的主要问题及改进情况", ("问题", "改进", "整改")),
        ("其他需要报告的事项", ("其他",)),
    ))

    #: what the narrative may state about the tables (TextClaim), checked against the cells
    claims: tuple[TextClaim, ...] = ()

    def __post_init__(self):
        # rules and claims may come mixed (national.RULES_2021 holds both): sort them once
        moved = tuple(r for r in self.rules if isinstance(r, TextClaim))
        if moved:
            object.__setattr__(self, "rules", tuple(r for r in self.rules if not isinstance(r, TextClaim)))
            object.__setattr__(self, "claims", tuple(self.claims) + moved)

    def table(self, key: str) -> TableSpec:
        return next(t for t in self.tables if t.key == key)

    def year_fits(self, year: int) -> bool:
        first, last = self.years
        return year >= first and (last is None or year <= last)
