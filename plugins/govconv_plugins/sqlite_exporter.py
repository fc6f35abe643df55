"""Exporter ``sqlite``: writes straight into a SQLite database file.

    govconv a.docx b.pdf --to sqlite -o reports.db

The schema (see ``docs/sql.md``) is the one ``--to sql --dialect sqlite``
creates: tables ``reports``, ``sections``, ``cells``, ``findings``,
``finding_cells`` and the views ``applications_wide`` and
``review_litigation_wide``.  It is created when missing; each report is then
written in its own transaction after deleting any earlier copy of it (same
``report_id``, the source's sha256), so running the same command again leaves
one copy of each report.  Every value goes through sqlite3's ``?`` parameter
binding.  Lone surrogates, which UTF-8 cannot store, become U+FFFD.

``cells.value`` has no declared type (no affinity: SQLite converts nothing), and
numbers are stored exactly (:func:`exact_value`): a whole number within the
signed 64-bit range as INTEGER, anything else — an amount with a fraction — as
its exact decimal in TEXT (``'1033427.25'``), never as a REAL, which would keep
only about 15 digits.  ``SUM``/``AVG`` read such text as numbers; compare with
``CAST(value AS REAL)``.
"""
from __future__ import annotations

import json
import re
from decimal import Decimal

from govconv import Exporter, hookimpl
from govconv.errors import OutputError

FORMAT_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS reports (
    report_id VARCHAR(64) NOT NULL PRIMARY KEY,
    layout VARCHAR(32) NOT NULL,
    title TEXT, agency TEXT, year INTEGER,
    source_file TEXT, source_format VARCHAR(32), source_sha256 VARCHAR(64),
    source_loader VARCHAR(64), source_size BIGINT,
    blank_policy VARCHAR(16), preamble TEXT, options_json TEXT,
    format_version INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sections (
    report_id VARCHAR(64) NOT NULL REFERENCES reports (report_id),
    position INTEGER NOT NULL, number INTEGER NOT NULL, heading TEXT, text TEXT,
    PRIMARY KEY (report_id, position)
);
CREATE TABLE IF NOT EXISTS cells (
    report_id VARCHAR(64) NOT NULL REFERENCES reports (report_id),
    table_key VARCHAR(64) NOT NULL, row_key VARCHAR(64) NOT NULL, column_key VARCHAR(64) NOT NULL,
    address VARCHAR(200) NOT NULL, row_position INTEGER NOT NULL, column_position INTEGER NOT NULL,
    value, raw TEXT, blank BOOLEAN NOT NULL,
    label TEXT, row_label TEXT, table_label TEXT, origin_line INTEGER, origin_page INTEGER,
    PRIMARY KEY (report_id, table_key, row_key, column_key)
);
CREATE TABLE IF NOT EXISTS findings (
    report_id VARCHAR(64) NOT NULL REFERENCES reports (report_id),
    position INTEGER NOT NULL, rule VARCHAR(64) NOT NULL, severity VARCHAR(16) NOT NULL,
    cells TEXT, values_json TEXT, message_zh TEXT, message_en TEXT,
    PRIMARY KEY (report_id, position)
);
CREATE TABLE IF NOT EXISTS finding_cells (
    report_id VARCHAR(64) NOT NULL REFERENCES reports (report_id),
    finding_position INTEGER NOT NULL, cell_position INTEGER NOT NULL, address VARCHAR(200) NOT NULL,
    PRIMARY KEY (report_id, finding_position, cell_position)
);
"""

_VIEW = """CREATE VIEW IF NOT EXISTS {name} AS
SELECT reports.report_id, reports.agency, reports.year, reports.layout, cells.row_key, cells.row_label,
       min(cells.row_position) AS row_position, {pivots}
FROM reports JOIN cells ON cells.report_id = reports.report_id
WHERE cells.table_key = '{table}'
GROUP BY reports.report_id, reports.agency, reports.year, reports.layout, cells.row_key, cells.row_label;
"""

# fixed identifiers of the contract (docs/contract.md), not data: the only text spliced into SQL here
VIEWS = {"applications_wide": ("applications", ("natural_person", "commercial", "research", "social_welfare",
                                                "legal_service", "other", "total")),
         "review_litigation_wide": ("review_litigation", ("upheld", "corrected", "other", "pending", "total"))}

COLUMNS = {
    "reports": ("report_id", "layout", "title", "agency", "year", "source_file", "source_format",
                "source_sha256", "source_loader", "source_size", "blank_policy", "preamble",
                "options_json", "format_version"),
    "sections": ("report_id", "position", "number", "heading", "text"),
    "cells": ("report_id", "table_key", "row_key", "column_key", "address", "row_position",
              "column_position", "value", "raw", "blank", "label", "row_label", "table_label",
              "origin_line", "origin_page"),
    "findings": ("report_id", "position", "rule", "severity", "cells", "values_json",
                 "message_zh", "message_en"),
    "finding_cells": ("report_id", "finding_position", "cell_position", "address"),
}
CHILDREN_FIRST = ("finding_cells", "findings", "cells", "sections", "reports")

_SURROGATE = re.compile("[\ud800-\udfff]")


def _t(s):
    return None if s is None else _SURROGATE.sub("\ufffd", s)


INT64_MIN, INT64_MAX = -(2 ** 63), 2 ** 63 - 1


def exact_value(v):
    """A number as SQLite stores it exactly: a whole number in the signed 64-bit range as an int
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


def _json(v) -> str:
    return _t(json.dumps(v, ensure_ascii=False, default=lambda o: format(o, "f") if isinstance(o, Decimal) else str(o)))




def schema_sql() -> str:
    views = "".join(
        _VIEW.format(name=name, table=table,
                     pivots=", ".join(f"max(CASE WHEN cells.column_key = '{c}' THEN cells.value END) AS {c}"
                                      for c in cols))
        for name, (table, cols) in VIEWS.items())
    return SCHEMA + views


def rows_of(report) -> dict[str, list[tuple]]:
    rid = report.key
    m, s = report.meta, report.source
    out: dict[str, list[tuple]] = {k: [] for k in COLUMNS}
    out["reports"].append((rid, report.layout, _t(m.title), _t(m.agency), m.year, _t(s.file), _t(s.format),
                           s.sha256, _t(s.loader), s.size, report.options.get("blank"), _t(report.preamble),
                           _json(report.options), FORMAT_VERSION))
    for i, sec in enumerate(report.sections):
        out["sections"].append((rid, i, sec.number, _t(sec.heading), _t(sec.text)))
    for t in report.tables.values():
        for ri, row in enumerate(t.rows.values()):
            for ci, c in enumerate(row.cells.values()):
                o = c.origin
                out["cells"].append((rid, t.key, row.key, c.column, c.address, ri, ci, exact_value(c.value), _t(c.raw),
                                     1 if c.blank else 0, _t(c.label), _t(row.label), _t(t.label),
                                     o.line if o else None, o.page if o else None))
    for i, f in enumerate(report.findings):
        out["findings"].append((rid, i, f.rule, f.severity, _json(list(f.cells)), _json(f.to_dict()["values"]),
                                _t(f.message_zh), _t(f.message_en)))
        out["finding_cells"].extend((rid, i, j, a) for j, a in enumerate(f.cells))
    return out


def write(conn, reports) -> None:
    """Create the schema if needed, then replace each report in its own transaction."""
    conn.executescript(schema_sql())
    for report in reports:
        rows = rows_of(report)
        rid = rows["reports"][0][0]
        with conn:  # one transaction: commit, or roll back on error
            for table in CHILDREN_FIRST:
                conn.execute(f"DELETE FROM {table} WHERE report_id = ?", (rid,))
            for table in reversed(CHILDREN_FIRST):
                cols = COLUMNS[table]
                conn.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                                 rows[table])


class SqliteExporter(Exporter):
    name = "sqlite"
    extension = "db"
    description = "a SQLite database file (-o PATH), created or appended to; a report loaded again replaces itself"
    options = {}
    needs_path = True

    def export_to_path(self, reports, path, options) -> None:
        import sqlite3

        try:
            conn = sqlite3.connect(str(path))
        except sqlite3.Error as e:
            raise OutputError(f"无法打开 SQLite 数据库（{e}）", f"cannot open the SQLite database ({e})",
                              path=str(path)) from None
        try:
            write(conn, reports)
        except sqlite3.Error as e:
            raise OutputError(f"无法写入 SQLite 数据库（{e}）", f"cannot write the SQLite database ({e})",
                              path=str(path)) from None
        finally:
            conn.close()

    def export(self, reports, stream, options) -> None:
        raise OutputError("--to sqlite 需要用 -o 指定数据库文件", "--to sqlite needs -o PATH (a database file)")


@hookimpl
def register_exporters(register):
    register(SqliteExporter())
