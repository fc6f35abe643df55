"""The relational model: the report as rows of tables, described once, as data.

Every relational output renders this module and nothing else: the ``sql``
script (SQLite, PostgreSQL, MySQL/MariaDB), the ``sqlite`` file and the
database targets of batch runs (:mod:`govconv.relational.target`), and the
long tables of ``csv`` and ``parquet``.

* :data:`TABLES` — the tables (``reports``, ``sections``, ``cells``,
  ``findings``, ``finding_cells``) and the ledger ``inputs``: their columns,
  column types (:data:`TYPES`), keys and indexes.  No SQL here.
* :func:`rows_of` — a report as rows of each table: *the* flattening.
* :func:`wide_views` — one wide view per table key of the given templates
  (``applications_wide``, ``review_litigation_wide``, ``active_wide``, and a
  plugin's tables too): one row per report × row, one column per column key
  in the union of the templates' columns for that table key.
* :func:`long_rows` — the long table of ``csv`` and ``parquet``: one row per cell.

Exactness of numbers is said once, by the type ``value`` (see :data:`TYPES`).
Nothing here imports SQLAlchemy.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, fields, is_dataclass
from datetime import datetime, timezone
from decimal import Decimal
from typing import TYPE_CHECKING, overload

if TYPE_CHECKING:
    from govconv.model.template import Template

FORMAT_VERSION = 1

#: column types, as data; what each becomes in each database (rendered by :mod:`govconv.relational.sqla`)
TYPES = {
    "string": "VARCHAR(length)",
    "text": "TEXT (MEDIUMTEXT in MySQL)",
    "integer": "INTEGER",
    "bigint": "BIGINT",
    "boolean": "BOOLEAN (0/1 in SQLite and MySQL)",
    "real": "DOUBLE PRECISION (an approximate number: durations)",
    "timestamp": "TIMESTAMP WITH TIME ZONE (PostgreSQL), DATETIME (MySQL), ISO text (SQLite); UTC",
    # the one exact number: every count (signed 64-bit) and amount (< 10^18, 6 decimals) the model admits
    "value": "NUMERIC (PostgreSQL, unbounded); DECIMAL(25,6) (MySQL); no declared type in SQLite, "
             "a whole number stored as INTEGER and a fraction as its exact decimal TEXT",
}
#: precision and scale of ``value`` where a database needs them (MySQL): 19 integer digits, 6 decimals
VALUE_PRECISION, VALUE_SCALE = 25, 6


@dataclass(frozen=True)
class Field:
    name: str
    type: str                      # a key of TYPES
    length: int | None = None      # for "string"
    nullable: bool = True
    #: added after the first schema: a database made by an earlier govconv gets it by ALTER TABLE
    added: bool = False


@dataclass(frozen=True)
class TableDef:
    name: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    #: rows belong to one report (``report_id`` → ``reports``) and are replaced with it
    per_report: bool = True
    #: secondary indexes: (name, columns)
    indexes: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


def _f(name, type_, length=None, nullable=True, added=False) -> Field:
    return Field(name, type_, length, nullable, added)


KEY = ("string", 64)
_ID = _f("report_id", *KEY, nullable=False)

REPORTS = TableDef("reports", (
    _ID,
    _f("layout", "string", 32, nullable=False),
    _f("title", "text"), _f("agency", "text"), _f("year", "integer"),
    _f("source_file", "text"), _f("source_format", "string", 32), _f("source_sha256", *KEY),
    _f("source_loader", *KEY), _f("source_size", "bigint"),
    _f("blank_policy", "string", 16),
    _f("preamble", "text"),
    _f("options_json", "text"),
    _f("format_version", "integer", nullable=False),
    _f("published", "string", 10, added=True),        # the date printed at the end (ISO), or NULL
), ("report_id",), per_report=False)

SECTIONS = TableDef("sections", (
    _ID, _f("position", "integer", nullable=False), _f("number", "integer", nullable=False),
    _f("heading", "text"), _f("text", "text"),
), ("report_id", "position"))

CELLS = TableDef("cells", (
    _ID,
    _f("table_key", *KEY, nullable=False), _f("row_key", *KEY, nullable=False),
    _f("column_key", *KEY, nullable=False),
    _f("address", "string", 200, nullable=False),
    _f("row_position", "integer", nullable=False), _f("column_position", "integer", nullable=False),
    _f("value", "value"),
    _f("raw", "text"),
    _f("blank", "boolean", nullable=False),
    _f("label", "text"), _f("row_label", "text"), _f("table_label", "text"),
    _f("origin_line", "integer"), _f("origin_page", "integer"),
    _f("uncertain", "boolean", added=True),
), ("report_id", "table_key", "row_key", "column_key"))

FINDINGS = TableDef("findings", (
    _ID, _f("position", "integer", nullable=False),
    _f("rule", *KEY, nullable=False), _f("severity", "string", 16, nullable=False),
    _f("cells", "text"),          # JSON array of cell addresses
    _f("values_json", "text"),    # JSON object: the numbers / raw texts the rule saw
    _f("message_zh", "text"), _f("message_en", "text"),
), ("report_id", "position"))

FINDING_CELLS = TableDef("finding_cells", (
    _ID, _f("finding_position", "integer", nullable=False), _f("cell_position", "integer", nullable=False),
    _f("address", "string", 200, nullable=False),
), ("report_id", "finding_position", "cell_position"))

#: the ledger of batch runs: one row per input (``input_id`` is the sha256 of its ``path``)
INPUTS = TableDef("inputs", (
    _f("input_id", *KEY, nullable=False),
    _f("path", "text", nullable=False),
    _f("sha256", *KEY),
    _f("size", "bigint"),
    _f("status", "string", 16, nullable=False),       # 'ok' | 'failed'
    _f("exit_code", "integer"),
    _f("message", "text"),
    _f("seconds", "real"),
    _f("govconv_version", "string", 32),
    _f("layout", *KEY),
    _f("finished_at", "timestamp"),
), ("input_id",), per_report=False, indexes=(("ix_inputs_sha256", ("sha256",)),))

#: findings across reports (``govconv audit``): one row per finding, keyed by a stable id; the
#: rows of the agencies audited are replaced by each audit (govconv.series.audit.series_rows)
SERIES_FINDINGS = TableDef("series_findings", (
    _f("finding_id", *KEY, nullable=False),
    _f("position", "integer"),
    _f("rule", *KEY, nullable=False), _f("severity", "string", 16, nullable=False),
    _f("agency_key", "text"), _f("agency", "text"),
    _f("year_from", "integer"), _f("year_to", "integer"),
    _f("report_id_from", *KEY), _f("report_id_to", *KEY),
    _f("report_ids", "text"), _f("source_files", "text"), _f("cells", "text"), _f("values_json", "text"),
    _f("message_zh", "text"), _f("message_en", "text"),
), ("finding_id",), per_report=False)

#: the report's tables, parents first
REPORT_TABLES: tuple[TableDef, ...] = (REPORTS, SECTIONS, CELLS, FINDINGS, FINDING_CELLS)
#: every table, parents first
TABLES: tuple[TableDef, ...] = REPORT_TABLES + (INPUTS, SERIES_FINDINGS)
TABLE = {t.name: t for t in TABLES}
STATUSES = ("ok", "failed")

# -- values --------------------------------------------------------------------------------------

_SURROGATE = re.compile("[\ud800-\udfff]")
INT64_MIN, INT64_MAX = -(2 ** 63), 2 ** 63 - 1


@overload
def text(s: str) -> str: ...
@overload
def text(s: None) -> None: ...
def text(s: str | None) -> str | None:
    """Text as every database and UTF-8 file can hold it: a lone surrogate becomes U+FFFD."""
    return None if s is None else _SURROGATE.sub("\ufffd", s)


def number(v):
    """A cell's value as the model carries it: an int, or a Decimal with its exact digits (or None)."""
    if isinstance(v, Decimal):
        if v.is_finite() and v == v.to_integral_value():
            return int(v)
        return Decimal(format(v, "f"))
    return v


def exact_value(v):
    """``value`` as SQLite stores it exactly: a whole number in the signed 64-bit range as an int
    (INTEGER), any other Decimal or int as its exact decimal text (TEXT, e.g. ``'1033427.25'``)."""
    if isinstance(v, bool) or v is None or isinstance(v, float):
        return v
    if isinstance(v, Decimal):
        if not v.is_finite():
            return str(v)
        if v == v.to_integral_value():
            v = int(v)
        else:
            return format(v.normalize(), "f")
    if isinstance(v, int):
        return v if INT64_MIN <= v <= INT64_MAX else str(v)
    return v


def decimal_text(v) -> str | None:
    """A value as exact decimal text (``'1033427.25'``, ``'12'``), or None."""
    v = number(v)
    return None if v is None else format(v, "f") if isinstance(v, Decimal) else str(v)


def to_json(v) -> str:
    return text(json.dumps(v, ensure_ascii=False,
                           default=lambda o: format(o, "f") if isinstance(o, Decimal) else str(o)))


# -- the one flattening ----------------------------------------------------------------------------

def rows_of(report) -> dict[str, list[dict]]:
    """The report as rows of each of :data:`REPORT_TABLES` (table name → rows, each a dict by column)."""
    rid = report.key
    m, s = report.meta, report.source
    out: dict[str, list[dict]] = {"reports": [{
        "report_id": rid, "layout": report.layout, "title": text(m.title), "agency": text(m.agency),
        "year": m.year, "published": m.published, "source_file": text(s.file), "source_format": text(s.format),
        "source_sha256": s.sha256, "source_loader": text(s.loader), "source_size": s.size,
        "blank_policy": report.options.blank, "preamble": text(report.preamble),
        "options_json": to_json(report.options.to_dict()), "format_version": FORMAT_VERSION}],
        "sections": [], "cells": [], "findings": [], "finding_cells": []}
    for i, sec in enumerate(report.sections):
        out["sections"].append({"report_id": rid, "position": i, "number": sec.number,
                                "heading": text(sec.heading), "text": text(sec.text)})
    for t in report.tables.values():
        for ri, row in enumerate(t.rows.values()):
            for ci, c in enumerate(row.cells.values()):
                o = c.origin
                out["cells"].append({
                    "report_id": rid, "table_key": t.key, "row_key": row.key, "column_key": c.column,
                    "address": c.address, "row_position": ri, "column_position": ci,
                    "value": number(c.value), "raw": text(c.raw), "blank": bool(c.blank),
                    "label": text(c.label), "row_label": text(row.label), "table_label": text(t.label),
                    "origin_line": o.line if o else None, "origin_page": o.page if o else None,
                    "uncertain": bool(c.uncertain)})
    for i, f in enumerate(report.findings):
        out["findings"].append({
            "report_id": rid, "position": i, "rule": f.rule, "severity": f.severity,
            "cells": to_json(list(f.cells)), "values_json": to_json(f.to_dict()["values"]),
            "message_zh": text(f.message_zh), "message_en": text(f.message_en)})
        for j, a in enumerate(f.cells):
            out["finding_cells"].append({"report_id": rid, "finding_position": i,
                                         "cell_position": j, "address": a})
    return out


def ledger_row(entry) -> dict:
    """A ledger entry (a dict, or a dataclass with the ledger's fields) as a row of ``inputs``."""
    if is_dataclass(entry) and not isinstance(entry, type):
        entry = {f.name: getattr(entry, f.name) for f in fields(entry)}
    elif not isinstance(entry, Mapping):
        raise TypeError(f"a ledger entry is a dict or a dataclass, not {type(entry).__name__}")
    known = set(INPUTS.columns) - {"input_id"}
    unknown = set(entry) - known
    if unknown:
        raise ValueError(f"unknown ledger field(s): {', '.join(sorted(unknown))}")
    row = {name: entry.get(name) for name in INPUTS.columns if name != "input_id"}
    if not row["path"]:
        raise ValueError("a ledger entry needs a path")
    if row["status"] not in STATUSES:
        raise ValueError(f"a ledger entry's status is 'ok' or 'failed', not {row['status']!r}")
    row["path"] = text(str(row["path"]))
    row["message"] = text(row["message"])
    row["finished_at"] = _timestamp(row["finished_at"])
    row["input_id"] = hashlib.sha256(row["path"].encode("utf-8")).hexdigest()
    return {name: row[name] for name in INPUTS.columns}


def _timestamp(v) -> datetime:
    """An aware UTC datetime from a datetime, an ISO 8601 text (``…Z`` too) or None (now)."""
    if v is None:
        return datetime.now(timezone.utc)
    if isinstance(v, str):
        v = datetime.fromisoformat(v.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    if not isinstance(v, datetime):
        raise TypeError(f"finished_at is a datetime or an ISO 8601 text, not {type(v).__name__}")
    return v.replace(tzinfo=timezone.utc) if v.tzinfo is None else v.astimezone(timezone.utc)


# -- the long table (csv, parquet) -----------------------------------------------------------------

#: one row per cell, with the report it belongs to: (column, type)
LONG_FIELDS: tuple[Field, ...] = (
    _f("report_id", *KEY), _f("agency", "text"), _f("year", "integer"), _f("layout", "string", 32),
    _f("table_key", *KEY), _f("row_key", *KEY), _f("column_key", *KEY), _f("address", "string", 200),
    _f("value", "value"), _f("blank", "boolean"), _f("raw", "text"), _f("uncertain", "boolean"),
    _f("origin_page", "integer"), _f("origin_line", "integer"),
    _f("label", "text"), _f("source_file", "text"),
)
LONG_COLUMNS = tuple(f.name for f in LONG_FIELDS)


def long_rows(report, rows: dict[str, list[dict]] | None = None) -> Iterator[dict]:
    """The report's cells as rows of the long table (:data:`LONG_FIELDS`), in template order."""
    rows = rows or rows_of(report)
    (r,) = rows["reports"]
    for c in rows["cells"]:
        yield {"report_id": r["report_id"], "agency": r["agency"], "year": r["year"], "layout": r["layout"],
               "table_key": c["table_key"], "row_key": c["row_key"], "column_key": c["column_key"],
               "address": c["address"], "value": c["value"], "blank": c["blank"], "raw": c["raw"],
               "uncertain": c["uncertain"], "origin_page": c["origin_page"], "origin_line": c["origin_line"],
               "label": c["label"], "source_file": r["source_file"]}


# -- wide views, derived from templates ------------------------------------------------------------

#: the columns every wide view starts with
VIEW_FIXED = ("report_id", "agency", "year", "layout", "row_key", "row_label", "row_position")
_IDENT = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class WideView:
    """``<table_key>_wide``: one row per report × row of that table, one column per column key."""

    table_key: str
    columns: tuple[str, ...]          # column keys, in order

    @property
    def name(self) -> str:
        return f"{self.table_key}_wide"

    @property
    def sql_columns(self) -> tuple[tuple[str, str], ...]:
        """(the view's column name, the column key) per column: a key that is one of
        :data:`VIEW_FIXED` (say ``year``) is named ``col_year`` in the view."""
        return tuple((view_column(k), k) for k in self.columns)


def view_column(key: str) -> str:
    return f"col_{key}" if key in VIEW_FIXED else key


def column_key(view_column_name: str) -> str | None:
    """The column key a wide view's column holds; None for the fixed columns."""
    if view_column_name in VIEW_FIXED:
        return None
    if view_column_name.startswith("col_") and view_column_name[4:] in VIEW_FIXED:
        return view_column_name[4:]
    return view_column_name


def wide_views(templates: Iterable, existing: Mapping[str, Iterable[str]] | None = None) -> list[WideView]:
    """One :class:`WideView` per table key of ``templates`` (anything with ``id`` and ``tables``
    of ``key`` + ``columns`` of ``key``: a :class:`govconv.Template`, or :func:`template_of` a
    report), its columns the union of the templates' columns for that key — in the order of the
    templates (by id), then of their columns.  ``existing``: table key → the column keys a view
    already has in a database, kept first, so a view only ever gains columns.  Keys that are not
    identifiers (``[a-z][a-z0-9_]*``, as the contract fixes them) are left out."""
    cols: dict[str, list[str]] = {}
    for table_key, keys in (existing or {}).items():
        if _IDENT.match(table_key):
            have = cols.setdefault(table_key, [])
            have.extend(k for k in keys if _IDENT.match(k) and k not in have)
    for template in sorted(templates, key=lambda t: str(t.id)):
        for table in template.tables:
            if not _IDENT.match(table.key):
                continue
            have = cols.setdefault(table.key, [])
            have.extend(c.key for c in table.columns if _IDENT.match(c.key) and c.key not in have)
    return [WideView(k, tuple(v)) for k, v in sorted(cols.items()) if v]


def table_spec_of(t, shape: str = "rows"):
    """A report's table (TableData) as a TableSpec: its rows, and its columns with the labels
    the cells carry ("row label · column label")."""
    from govconv.model.template import Column, Row, TableSpec

    columns: dict[str, Column] = {}
    rows = []
    for row in t.rows.values():
        for c in row.cells.values():
            if c.column not in columns:
                prefix = f"{row.label} · "
                label = c.label[len(prefix):] if c.label and c.label.startswith(prefix) else c.column
                columns[c.column] = Column(c.column, label)
        rows.append(Row(row.key, row.label, tuple(row.cells)))
    return TableSpec(t.key, t.label, tuple(columns.values()), tuple(rows), anchors=(), shape=shape)


def template_of(report) -> Template:
    """The template a report's own tables describe (its rows, columns and labels): views and
    drawings for a report whose layout's template is not at hand."""
    from govconv.model.template import Template

    tables = [table_spec_of(t) for t in report.tables.values()]
    return Template(id=report.layout, description=f"the tables of a {report.layout} report",
                    tables=tuple(tables), markers=(), years=(0, None))


def cell_shape(rows: dict[str, list[dict]]) -> frozenset[tuple[str, str]]:
    """The (table key, column key) pairs of a report's cell rows (:func:`rows_of`): what its wide
    views need."""
    return frozenset((c["table_key"], c["column_key"]) for c in rows["cells"])


class RowsFor:
    """What a batch worker makes of a report for a database target (a target's ``render``): its rows,
    and the template its own tables describe when the templates the target was opened with do not
    cover them (else None), so that the parent, which only writes, can still widen the views.
    Small, and picklable: it goes with every Dask task."""

    def __init__(self, templates: Iterable) -> None:
        self.known = frozenset((t.key, c.key) for template in templates for t in template.tables
                               for c in t.columns)

    def __call__(self, report) -> tuple[dict[str, list[dict]], Template | None]:
        rows = rows_of(report)
        return rows, None if cell_shape(rows) <= self.known else template_of(report)


def registered_templates(registry=None) -> list:
    """The templates of the registry's layouts (the default registry's when none is given)."""
    if registry is None:
        from govconv.plugin.registry import default_registry
        registry = default_registry()
    return [la.template for la in registry.layouts.values() if getattr(la, "template", None) is not None]


def templates_for(reports: Iterable, templates: Iterable | None = None) -> list:
    """``templates`` (the registered ones when None) and the templates the reports' own tables
    describe: the views of a script or a database cover every table written into it."""
    base = list(registered_templates() if templates is None else templates)
    return base + [template_of(r) for r in reports]
