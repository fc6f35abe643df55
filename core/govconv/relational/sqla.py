"""The relational model (:mod:`govconv.relational.model`) as SQLAlchemy Core objects and DDL.

Shared by the ``sql`` script and the database targets; imported only when one
of them runs (``govconv --help`` never loads SQLAlchemy).  Every statement is
built with SQLAlchemy; a literal in a script comes from SQLAlchemy's literal
rendering for the dialect.
"""
from __future__ import annotations

import hashlib

import sqlalchemy as sa
from sqlalchemy.dialects import mysql, postgresql, sqlite
from sqlalchemy.schema import CreateIndex, CreateTable

from govconv.relational.model import TABLES, VALUE_PRECISION, VALUE_SCALE, VIEW_FIXED, WideView, exact_value

DIALECTS = ("sqlite", "postgresql", "mysql")


class SqliteExactValue(sa.types.UserDefinedType):
    """SQLite's ``value``: no declared type (no affinity, so SQLite converts nothing); a whole
    number bound as INTEGER, a fraction as its exact decimal TEXT (:func:`exact_value`)."""

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
            return "NULL" if v is None else repr(v)
        return render


def column_type(field):
    t = field.type
    if t == "string":
        return sa.String(field.length)
    if t == "text":
        return sa.Text().with_variant(mysql.MEDIUMTEXT(), "mysql")
    if t == "integer":
        return sa.Integer()
    if t == "bigint":
        return sa.BigInteger()
    if t == "boolean":
        return sa.Boolean()
    if t == "real":
        return sa.Double()
    if t == "timestamp":
        return sa.DateTime(timezone=True)
    if t == "value":
        return (sa.Numeric(VALUE_PRECISION, VALUE_SCALE).with_variant(sa.Numeric(), "postgresql")
                .with_variant(SqliteExactValue(), "sqlite"))
    raise ValueError(f"unknown column type {t!r}")


def schema() -> tuple[sa.MetaData, dict[str, sa.Table]]:
    """Every table of the model, as SQLAlchemy Core tables (MySQL: InnoDB, utf8mb4)."""
    md = sa.MetaData()
    out = {}
    for td in TABLES:
        cols = []
        for f in td.fields:
            args = [column_type(f)]
            if td.per_report and f.name == "report_id":
                args.append(sa.ForeignKey("reports.report_id"))
            cols.append(sa.Column(f.name, *args, nullable=f.nullable, primary_key=f.name in td.primary_key,
                                  autoincrement=False))
        idx = [sa.Index(name, *columns) for name, columns in td.indexes]
        out[td.name] = sa.Table(td.name, md, *cols, *idx, mysql_charset="utf8mb4", mysql_engine="InnoDB")
    return md, out


def dialect(name: str):
    """The dialect a script is written for (paramstyle "named": a script is run as it is, so "%"
    must not be doubled for a driver's formatting)."""
    if name not in DIALECTS:
        raise ValueError(f"unknown SQL dialect {name!r}")
    return {"sqlite": sqlite.dialect, "postgresql": postgresql.dialect, "mysql": mysql.dialect}[name](
        paramstyle="named")


def literal(stmt, d) -> str:
    return str(stmt.compile(dialect=d, compile_kwargs={"literal_binds": True})).strip()


def _index_name(ix: sa.Index) -> str:
    """The sort key of an index: its name (every index :func:`schema` makes is named)."""
    return str(ix.name or "")


def create_table(table: sa.Table, d) -> list[str]:
    """``CREATE TABLE IF NOT EXISTS`` and its indexes, idempotent in every dialect (MySQL has no
    ``CREATE INDEX IF NOT EXISTS``: its indexes go inside the ``CREATE TABLE``)."""
    ddl = str(CreateTable(table, if_not_exists=True).compile(dialect=d)).strip()
    if d.name == "mysql":
        q = d.identifier_preparer
        keys = "".join(f", \n\tKEY {q.quote(ix.name)} ({', '.join(q.quote(c.name) for c in ix.columns)})"
                       for ix in sorted(table.indexes, key=_index_name))
        head, sep, tail = ddl.rpartition("\n)")
        return [head + keys + sep + tail]
    return [ddl] + [str(CreateIndex(ix, if_not_exists=True).compile(dialect=d)).strip()
                    for ix in sorted(table.indexes, key=_index_name)]


def add_column(table: sa.Table, name: str, d) -> str:
    """``ALTER TABLE … ADD COLUMN`` for a column of the model a database made earlier lacks."""
    q = d.identifier_preparer
    return f"ALTER TABLE {q.format_table(table)} ADD COLUMN {q.quote(name)} {table.c[name].type.compile(dialect=d)}"


def view_select(tables: dict[str, sa.Table], view: WideView):
    """The wide view's SELECT: one row per report × row of ``view.table_key``."""
    r, c = tables["reports"], tables["cells"]
    pivots = [sa.func.max(sa.case((c.c.column_key == key, c.c.value))).label(name)
              for name, key in view.sql_columns]
    return (sa.select(r.c.report_id, r.c.agency, r.c.year, r.c.layout, c.c.row_key, c.c.row_label,
                      sa.func.min(c.c.row_position).label("row_position"), *pivots)
            .select_from(r.join(c, c.c.report_id == r.c.report_id))
            .where(c.c.table_key == view.table_key)
            .group_by(r.c.report_id, r.c.agency, r.c.year, r.c.layout, c.c.row_key, c.c.row_label))


def view_body(tables, view: WideView, d) -> str:
    return literal(view_select(tables, view), d)


def view_columns(view: WideView) -> list[str]:
    return [*VIEW_FIXED, *(name for name, _ in view.sql_columns)]


def lock_key(*parts: str) -> int:
    """A PostgreSQL advisory-lock key (signed 64-bit) for a name, the same on every machine."""
    digest = hashlib.sha256("\x1f".join(("govconv", *parts)).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big", signed=True)

