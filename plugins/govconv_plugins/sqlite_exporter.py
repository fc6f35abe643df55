"""Exporter ``sqlite``: writes straight into a SQLite database file.

    govconv a.docx b.pdf --to sqlite -o reports.db

The database is a target of the relational model (``docs/sql.md``,
:func:`govconv.relational.open_target`), exactly as batch runs write one: the
schema (the one ``--to sql --dialect sqlite`` creates) and the wide views are
created when missing; reports are written in transactions of 50, each report
replacing any earlier copy of it (same ``report_id``, the source's sha256), so
running the same command again leaves one copy of each report.  Every value is
a bound parameter.  Lone surrogates, which UTF-8 cannot store, become U+FFFD.

``cells.value`` has no declared type (no affinity: SQLite converts nothing), and
numbers are stored exactly (:func:`exact_value`): a whole number within the
signed 64-bit range as INTEGER, anything else — an amount with a fraction — as
its exact decimal in TEXT (``'1033427.25'``), never as a REAL.
"""
from __future__ import annotations

from govconv import Exporter, hookimpl
from govconv.errors import OutputError


class SqliteExporter(Exporter):
    name = "sqlite"
    extension = "db"
    description = "a SQLite database file (-o PATH), created or appended to; a report loaded again replaces itself"
    options = {}
    needs_path = True

    def export_to_path(self, reports, path, options) -> None:
        from govconv.relational import open_target

        with open_target(path, options.get("templates")) as db:
            for report in reports:
                db.write(report)

    def export(self, reports, stream, options) -> None:
        raise OutputError("--to sqlite 需要用 -o 指定数据库文件", "--to sqlite needs -o PATH (a database file)")


@hookimpl
def register_exporters(register):
    register(SqliteExporter())
