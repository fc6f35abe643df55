"""One relational model of a report, and the databases it is written into.

* :mod:`govconv.relational.model` — the tables, their column types and keys, as
  data; :func:`rows_of` (the one flattening), :func:`wide_views` (derived from
  templates), :func:`long_rows` (one row per cell: csv, parquet).  No SQL.
* :mod:`govconv.relational.sqla` — the model as SQLAlchemy Core (the ``sql``
  script and the targets render it).
* :func:`open_target` — a SQLite file or a PostgreSQL database that reports
  stream into as they arrive (batch runs, ``--to sqlite``).

SQLAlchemy is imported only by :mod:`~govconv.relational.sqla` and
:mod:`~govconv.relational.target`, i.e. only when a database is written.
"""
from __future__ import annotations

from govconv.relational.model import (FORMAT_VERSION, INPUTS, LONG_COLUMNS, LONG_FIELDS, REPORT_TABLES, TABLE,
                                      TABLES, TYPES, Field, TableDef, WideView, exact_value, ledger_row, long_rows,
                                      registered_templates, rows_of, template_of, templates_for, wide_views)


def open_target(where, templates=None, *, chunk_size: int = 50):
    """A database to stream reports into: a SQLite path (or ``sqlite:///…``) or a
    ``postgresql://…`` URL; see :class:`govconv.relational.target.DatabaseTarget`:
    ``write(report)``, ``record(entry)``, ``done(sha256)``, ``flush()``, ``close()``;
    a context manager."""
    from govconv.relational.target import open_target as _open

    return _open(where, templates, chunk_size=chunk_size)


__all__ = ["FORMAT_VERSION", "INPUTS", "LONG_COLUMNS", "LONG_FIELDS", "REPORT_TABLES", "TABLE", "TABLES", "TYPES",
           "Field", "TableDef", "WideView", "exact_value", "ledger_row", "long_rows", "open_target",
           "registered_templates", "rows_of", "template_of", "templates_for", "wide_views"]
