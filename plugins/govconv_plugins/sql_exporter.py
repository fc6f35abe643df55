"""Exporter ``sql``: a SQL script (DDL + data) for SQLite, PostgreSQL or MySQL/MariaDB.

    govconv a.docx b.pdf --to sql --dialect postgresql -o reports.sql
    psql -d mydb -f reports.sql

The schema is described in ``docs/sql.md``: tables ``reports``, ``sections``,
``cells``, ``findings``, ``finding_cells`` and the views ``applications_wide``
and ``review_litigation_wide``.  The script creates what is missing
(``CREATE TABLE IF NOT EXISTS``), then, in one transaction, deletes every row
of each report it carries and inserts it again, so loading a report twice
leaves one copy.

Every statement is built with SQLAlchemy Core and rendered for the chosen
dialect with ``literal_binds``: quoting of literals is SQLAlchemy's
dialect-specific literal rendering (for MySQL it doubles quotes and escapes
backslashes; the script also switches off ``NO_BACKSLASH_ESCAPES`` for its
session so that this escaping is the right one).  Lone surrogates, which no
database's UTF-8 can store, become U+FFFD.

Numbers are exact in every dialect: ``cells.value`` is ``NUMERIC`` (unbounded)
in PostgreSQL and ``DECIMAL(25, 6)`` in MySQL, which hold every value the model
admits (a count in the signed 64-bit range, an amount below 10^18 with at most
6 decimals: ``govconv.model.values``).  In SQLite the column has no declared
type, so nothing is converted: a whole number is an INTEGER and an amount with
a fraction is its exact decimal as TEXT (``'1033427.25'``), never a REAL.
"""
from __future__ import annotations

import json
import re
from decimal import Decimal

from govconv import Exporter, hookimpl
from govconv_plugins.sqlite_exporter import exact_value

DIALECTS = ("sqlite", "postgresql", "mysql")
FORMAT_VERSION = 1

APPLICANT_COLUMNS = ("natural_person", "commercial", "research", "social_welfare",
                     "legal_service", "other", "total")
REVIEW_COLUMNS = ("upheld", "corrected", "other", "pending", "total")

_SURROGATE = re.compile("[\ud800-\udfff]")


def _t(s: str | None) -> str | None:
    return None if s is None else _SURROGATE.sub("\ufffd", s)


def _num(v):
    if isinstance(v, Decimal):
        return Decimal(format(v, "f"))
    return v




def _json(v) -> str:
    return _t(json.dumps(v, ensure_ascii=False, default=lambda o: format(o, "f") if isinstance(o, Decimal) else str(o)))


def _sqlite_exact_type(sa):
    """SQLite's ``cells.value``: no declared type (no affinity, so SQLite converts nothing);
    values as :func:`~govconv_plugins.sqlite_exporter.exact_value` gives them."""

    class ExactValue(sa.types.UserDefinedType):
        cache_ok = True

        def get_col_spec(self, **kw) -> str:
            return ""

        def bind_processor(self, dialect):
            return exact_value

        def literal_processor(self, dialect):
            def render(v) -> str:
                v = exact_value(v)
                if isinstance(v, str):
                    return "'" + v.replace("'", "''") + "'"
                return repr(v)
            return render

    return ExactValue


def build_schema(sa):
    """The tables, as SQLAlchemy Core objects."""
    from sqlalchemy.dialects import mysql

    md = sa.MetaData()
    text = sa.Text().with_variant(mysql.MEDIUMTEXT(), "mysql")
    key = sa.String(64)
    number = (sa.Numeric(25, 6).with_variant(sa.Numeric(), "postgresql")
              .with_variant(_sqlite_exact_type(sa)(), "sqlite"))
    kw = {"mysql_charset": "utf8mb4", "mysql_engine": "InnoDB"}

    def fk():
        return sa.ForeignKey("reports.report_id")

    reports = sa.Table(
        "reports", md,
        sa.Column("report_id", key, primary_key=True),
        sa.Column("layout", sa.String(32), nullable=False),
        sa.Column("title", text), sa.Column("agency", text), sa.Column("year", sa.Integer),
        sa.Column("source_file", text), sa.Column("source_format", sa.String(32)),
        sa.Column("source_sha256", sa.String(64)), sa.Column("source_loader", sa.String(64)),
        sa.Column("source_size", sa.BigInteger),
        sa.Column("blank_policy", sa.String(16)),
        sa.Column("preamble", text),
        sa.Column("options_json", text),
        sa.Column("format_version", sa.Integer, nullable=False),
        **kw)
    sections = sa.Table(
        "sections", md,
        sa.Column("report_id", key, fk(), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("heading", text), sa.Column("text", text),
        **kw)
    cells = sa.Table(
        "cells", md,
        sa.Column("report_id", key, fk(), primary_key=True),
        sa.Column("table_key", key, primary_key=True),
        sa.Column("row_key", key, primary_key=True),
        sa.Column("column_key", key, primary_key=True),
        sa.Column("address", sa.String(200), nullable=False),
        sa.Column("row_position", sa.Integer, nullable=False),
        sa.Column("column_position", sa.Integer, nullable=False),
        sa.Column("value", number),
        sa.Column("raw", text),
        sa.Column("blank", sa.Boolean, nullable=False),
        sa.Column("label", text), sa.Column("row_label", text), sa.Column("table_label", text),
        sa.Column("origin_line", sa.Integer), sa.Column("origin_page", sa.Integer),
        **kw)
    findings = sa.Table(
        "findings", md,
        sa.Column("report_id", key, fk(), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("rule", sa.String(64), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("cells", text),              # JSON array of cell addresses
        sa.Column("values_json", text),        # JSON object: the numbers / raw texts the rule saw
        sa.Column("message_zh", text), sa.Column("message_en", text),
        **kw)
    finding_cells = sa.Table(
        "finding_cells", md,
        sa.Column("report_id", key, fk(), primary_key=True),
        sa.Column("finding_position", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("cell_position", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("address", sa.String(200), nullable=False),
        **kw)
    return md, {"reports": reports, "sections": sections, "cells": cells,
                "findings": findings, "finding_cells": finding_cells}


def wide_view(sa, t, table_key: str, columns: tuple[str, ...]):
    """SELECT one row per report × row of ``table_key``, one column per column key."""
    r, c = t["reports"], t["cells"]
    pivots = [sa.func.max(sa.case((c.c.column_key == col, c.c.value))).label(col) for col in columns]
    return (sa.select(r.c.report_id, r.c.agency, r.c.year, r.c.layout, c.c.row_key, c.c.row_label,
                      sa.func.min(c.c.row_position).label("row_position"), *pivots)
            .select_from(r.join(c, c.c.report_id == r.c.report_id))
            .where(c.c.table_key == table_key)
            .group_by(r.c.report_id, r.c.agency, r.c.year, r.c.layout, c.c.row_key, c.c.row_label))


def rows_of(report) -> dict[str, list[dict]]:
    """The report as rows of each table."""
    rid = report.key
    m, s = report.meta, report.source
    out = {"reports": [{
        "report_id": rid, "layout": report.layout, "title": _t(m.title), "agency": _t(m.agency),
        "year": m.year, "source_file": _t(s.file), "source_format": _t(s.format),
        "source_sha256": s.sha256, "source_loader": _t(s.loader), "source_size": s.size,
        "blank_policy": report.options.get("blank"), "preamble": _t(report.preamble),
        "options_json": _json(report.options), "format_version": FORMAT_VERSION}],
        "sections": [], "cells": [], "findings": [], "finding_cells": []}
    for i, sec in enumerate(report.sections):
        out["sections"].append({"report_id": rid, "position": i, "number": sec.number,
                                "heading": _t(sec.heading), "text": _t(sec.text)})
    for t in report.tables.values():
        for ri, row in enumerate(t.rows.values()):
            for ci, c in enumerate(row.cells.values()):
                o = c.origin
                out["cells"].append({
                    "report_id": rid, "table_key": t.key, "row_key": row.key, "column_key": c.column,
                    "address": c.address, "row_position": ri, "column_position": ci,
                    "value": _num(c.value), "raw": _t(c.raw), "blank": bool(c.blank),
                    "label": _t(c.label), "row_label": _t(row.label), "table_label": _t(t.label),
                    "origin_line": o.line if o else None, "origin_page": o.page if o else None})
    for i, f in enumerate(report.findings):
        out["findings"].append({
            "report_id": rid, "position": i, "rule": f.rule, "severity": f.severity,
            "cells": _json(list(f.cells)), "values_json": _json(f.to_dict()["values"]),
            "message_zh": _t(f.message_zh), "message_en": _t(f.message_en)})
        for j, a in enumerate(f.cells):
            out["finding_cells"].append({"report_id": rid, "finding_position": i,
                                         "cell_position": j, "address": a})
    return out


class SqlExporter(Exporter):
    name = "sql"
    extension = "sql"
    description = "SQL script (DDL + data) for SQLite, PostgreSQL or MySQL/MariaDB (--dialect)"
    options = {"dialect": (DIALECTS, "sqlite", "SQL dialect")}

    def export(self, reports, stream, options) -> None:
        stream.write(self.script(reports, options.get("dialect") or "sqlite").encode("utf-8"))

    def script(self, reports, dialect_name: str) -> str:
        import sqlalchemy as sa
        from sqlalchemy.dialects import mysql, postgresql, sqlite
        from sqlalchemy.schema import CreateTable

        if dialect_name not in DIALECTS:
            raise ValueError(f"unknown SQL dialect {dialect_name!r}")
        # paramstyle "named": a script is run as is, so "%" must not be doubled for a DBAPI's formatting
        dialect = {"sqlite": sqlite.dialect, "postgresql": postgresql.dialect,
                   "mysql": mysql.dialect}[dialect_name](paramstyle="named")

        def lit(stmt) -> str:
            return str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True})).strip()

        md, t = build_schema(sa)
        out = [f"-- govconv SQL export, dialect {dialect_name}, {len(reports)} report(s)",
               "-- schema: docs/sql.md; loading a report again replaces it"]
        if dialect_name == "mysql":
            out += ["SET NAMES utf8mb4;",
                    # the literals below escape backslashes, which needs NO_BACKSLASH_ESCAPES off
                    "SET SESSION sql_mode = TRIM(BOTH ',' FROM REPLACE(CONCAT(',', @@SESSION.sql_mode, ','), "
                    "',NO_BACKSLASH_ESCAPES,', ','));"]
        elif dialect_name == "postgresql":
            out += ["SET standard_conforming_strings = on;", "SET client_encoding = 'UTF8';"]
        for table in md.sorted_tables:
            out.append(str(CreateTable(table, if_not_exists=True).compile(dialect=dialect)).strip() + ";")
        create_view = "CREATE VIEW IF NOT EXISTS" if dialect_name == "sqlite" else "CREATE OR REPLACE VIEW"
        for name, table_key, cols in (("applications_wide", "applications", APPLICANT_COLUMNS),
                                      ("review_litigation_wide", "review_litigation", REVIEW_COLUMNS)):
            quoted = dialect.identifier_preparer.quote(name)
            out.append(f"{create_view} {quoted} AS\n{lit(wide_view(sa, t, table_key, cols))};")

        out.append("START TRANSACTION;" if dialect_name == "mysql" else "BEGIN;")
        children_first = list(reversed(md.sorted_tables))
        for report in reports:
            rows = rows_of(report)
            rid = rows["reports"][0]["report_id"]
            for table in children_first:
                out.append(lit(sa.delete(table).where(table.c.report_id == rid)) + ";")
            for table in md.sorted_tables:
                data = rows[table.name]
                for i in range(0, len(data), 500):
                    out.append(lit(sa.insert(table).values(data[i:i + 500])) + ";")
        out.append("COMMIT;")
        return "\n".join(out) + "\n"


@hookimpl
def register_exporters(register):
    register(SqlExporter())
