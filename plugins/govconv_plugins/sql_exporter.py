"""Exporter ``sql``: a SQL script (DDL + data) for SQLite, PostgreSQL or MySQL/MariaDB.

    govconv a.docx b.pdf --to sql --dialect postgresql -o reports.sql
    psql -d mydb -f reports.sql

It renders the relational model (:mod:`govconv.relational`, ``docs/sql.md``):
the tables, the ledger ``inputs``, and one wide view per table key of the
installed templates and of the reports it carries.  The script creates what is
missing (``CREATE TABLE IF NOT EXISTS``), then, one transaction per chunk of 50
reports, deletes every row of each report it carries and inserts it again, so
loading a report twice leaves one copy.  In PostgreSQL it takes the same
advisory locks as the database targets, so scripts and batch runs may load
into one database at once.

Every statement is built with SQLAlchemy Core and rendered for the chosen
dialect with ``literal_binds``: quoting of literals is SQLAlchemy's
dialect-specific literal rendering (for MySQL it doubles quotes and escapes
backslashes; the script also switches off ``NO_BACKSLASH_ESCAPES`` for its
session so that this escaping is the right one).
"""
from __future__ import annotations

from govconv import Exporter, hookimpl

DIALECTS = ("sqlite", "postgresql", "mysql")
CHUNK = 50


class SqlExporter(Exporter):
    name = "sql"
    extension = "sql"
    description = "SQL script (DDL + data) for SQLite, PostgreSQL or MySQL/MariaDB (--dialect)"
    options = {"dialect": (DIALECTS, "sqlite", "SQL dialect")}

    def export(self, reports, stream, options) -> None:
        text = self.script(reports, options.get("dialect") or "sqlite", options.get("templates"))
        stream.write(text.encode("utf-8"))

    def script(self, reports, dialect_name: str, templates=None) -> str:
        import sqlalchemy as sa

        from govconv.relational import sqla
        from govconv.relational.model import REPORT_TABLES, TABLES, rows_of, templates_for, wide_views

        d = sqla.dialect(dialect_name)
        q = d.identifier_preparer
        pg, my = dialect_name == "postgresql", dialect_name == "mysql"
        _md, tables = sqla.schema()
        by_key = {}
        for report in reports:               # the same report twice: its last copy
            by_key[report.key] = report
        keys = sorted(by_key)

        def lit(stmt) -> str:
            return sqla.literal(stmt, d) + ";"

        def locks(*names) -> str:
            body = " ".join(f"PERFORM pg_advisory_xact_lock({sqla.lock_key(*n)});" for n in names)
            return f"DO $$BEGIN {body} END$$;"

        out = [f"-- govconv SQL export, dialect {dialect_name}, {len(keys)} report(s)",
               "-- schema: docs/sql.md; loading a report again replaces it"]
        if my:
            out += ["SET NAMES utf8mb4;",
                    # the literals below escape backslashes, which needs NO_BACKSLASH_ESCAPES off
                    "SET SESSION sql_mode = TRIM(BOTH ',' FROM REPLACE(CONCAT(',', @@SESSION.sql_mode, ','), "
                    "',NO_BACKSLASH_ESCAPES,', ','));"]
        elif pg:
            out += ["SET standard_conforming_strings = on;", "SET client_encoding = 'UTF8';",
                    "BEGIN;", locks(("schema",))]
        for td in TABLES:
            out += [s + ";" for s in sqla.create_table(tables[td.name], d)]
            if pg:   # a database made by an earlier govconv gets the columns added since (no lock when it has them)
                out += [f"DO $$BEGIN IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = "
                        f"current_schema() AND table_name = '{td.name}' AND column_name = '{f.name}') THEN "
                        f"{sqla.add_column(tables[td.name], f.name, d)}; END IF; END$$;"
                        for f in td.fields if f.added]
        for view in wide_views(templates_for(by_key.values(), templates)):
            name, body = q.quote(view.name), sqla.view_body(tables, view, d)
            if my:
                out.append(f"CREATE OR REPLACE VIEW {name} AS\n{body};")
            elif pg:  # replaced in place when it can be (dependent views survive), else made anew
                out.append(f"DO $govconv$BEGIN\n  EXECUTE $view$CREATE OR REPLACE VIEW {name} AS\n{body}$view$;\n"
                           f"EXCEPTION WHEN OTHERS THEN\n  EXECUTE $view$DROP VIEW IF EXISTS {name}$view$;\n"
                           f"  EXECUTE $view$CREATE VIEW {name} AS\n{body}$view$;\nEND$govconv$;")
            else:
                out += [f"DROP VIEW IF EXISTS {name};", f"CREATE VIEW {name} AS\n{body};"]
        if pg:
            out.append("COMMIT;")

        for start in range(0, len(keys), CHUNK):
            chunk = keys[start:start + CHUNK]
            rows = {k: rows_of(by_key[k]) for k in chunk}
            out.append("START TRANSACTION;" if my else "BEGIN;")
            if pg:                           # in key order: two loads never wait on each other in a cycle
                out.append(locks(*(("report", k) for k in chunk)))
            for td in reversed(REPORT_TABLES):
                t = tables[td.name]
                out.append(lit(sa.delete(t).where(t.c.report_id.in_(chunk))))
            for td in REPORT_TABLES:
                data = [row for k in chunk for row in rows[k][td.name]]
                for i in range(0, len(data), 500):
                    out.append(lit(sa.insert(tables[td.name]).values(data[i:i + 500])))
            out.append("COMMIT;")
        return "\n".join(out) + "\n"


@hookimpl
def register_exporters(register):
    register(SqlExporter())
