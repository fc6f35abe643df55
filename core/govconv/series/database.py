"""Reading reports back from a SQLite database govconv wrote (``--to sqlite -o reports.db``).

Only what the series rules need is read: the ``reports`` row (identity, layout,
source file) and the cells of :func:`govconv.series.audit.wanted`, with their
value, label and doubt.  The schema is docs/sql.md's.  A database made before
``cells.uncertain`` existed still says which cells were read in doubt: the
``extraction.uncertain`` findings name them, and those cells are treated as
uncertain.
"""
from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import quote

from govconv.errors import CorruptInput, InputNotFound, NotAReport
from govconv.series.audit import IN_FORCE_COLUMNS, SeriesReport, wanted

SQLITE_MAGIC = b"SQLite format 3\x00"


def is_sqlite(path: str | os.PathLike) -> bool:
    """Whether ``path`` is a regular file that starts like a SQLite database."""
    try:
        if not os.path.isfile(path):
            return False
        with open(path, "rb") as f:
            return f.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def _connect(path: str) -> sqlite3.Connection:
    if not os.path.exists(path):
        raise InputNotFound("数据库文件不存在", "no such database file", path=path)
    uri = "file:" + quote(os.path.abspath(path)) + "?mode=ro"
    try:
        return sqlite3.connect(uri, uri=True)
    except sqlite3.Error as e:
        raise InputNotFound(f"无法打开数据库（{e}）", f"cannot open the database ({e})", path=path) from None


def read_database(path: str | os.PathLike) -> Iterator[SeriesReport]:
    """The reports of a govconv SQLite database, as the audit reads them, one after another."""
    path = str(path)
    con = _connect(path)
    try:
        yield from _read(con, path)
    except sqlite3.DatabaseError as e:
        raise CorruptInput(f"数据库已损坏或不是 SQLite 数据库（{e}）",
                           f"the database is damaged or not a SQLite database ({e})", path=path) from None
    finally:
        con.close()


def _columns(con: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in con.execute(f"PRAGMA table_info({table})")}


def _read(con: sqlite3.Connection, path: str) -> Iterator[SeriesReport]:
    reports, cells = _columns(con, "reports"), _columns(con, "cells")
    need_reports = {"report_id", "layout", "title", "agency", "year", "source_file"}
    need_cells = {"report_id", "table_key", "row_key", "column_key", "value", "label"}
    if not (need_reports <= reports and need_cells <= cells):
        raise NotAReport("数据库中没有 govconv 写入的 reports 与 cells 表",
                         "the database has no reports and cells tables written by govconv", path=path)
    uncertain = "uncertain" in cells
    doubted = {} if uncertain else _doubted_by_findings(con)
    marks = ", ".join("?" * len(IN_FORCE_COLUMNS))
    query = ("SELECT table_key, row_key, column_key, value, label{} FROM cells WHERE report_id = ? AND "
             "((table_key = 'applications' AND row_key IN ('carried_over', 'carried_forward')) "
             f"OR (table_key = 'active' AND column_key IN ({marks}))) "
             "ORDER BY table_key, row_position, column_position").format(", uncertain" if uncertain else "")
    rows = con.execute("SELECT report_id, layout, title, agency, year, source_file FROM reports "
                       "ORDER BY report_id").fetchall()
    for report_id, layout, title, agency, year, source_file in rows:
        r = SeriesReport(str(report_id), [Path(source_file).name] if source_file else [], agency,
                         _year(year), layout or "", title)
        in_doubt = doubted.get(report_id, set())
        for cell in con.execute(query, (report_id, *IN_FORCE_COLUMNS)):
            table, row, column, value, label = cell[:5]
            if not wanted(table, row, column):
                continue
            address = f"{table}.{row}.{column}"
            doubtful = bool(cell[5]) if uncertain else address in in_doubt
            r.cells[address] = None if doubtful else _value(value)
            r.labels[address] = label or address
        yield r


def _doubted_by_findings(con: sqlite3.Connection) -> dict[str, set[str]]:
    """report_id → the cells its ``extraction.uncertain`` findings name (an older database)."""
    if not {"report_id", "rule", "cells"} <= _columns(con, "findings"):
        return {}
    out: dict[str, set[str]] = {}
    for report_id, cells in con.execute("SELECT report_id, cells FROM findings WHERE rule = 'extraction.uncertain'"):
        try:
            names = json.loads(cells or "[]")
        except ValueError:
            names = []
        out.setdefault(report_id, set()).update(a for a in names if isinstance(a, str))
    return out


def _year(v) -> int | None:
    try:
        return None if v is None else int(v)
    except (TypeError, ValueError):
        return None


def _value(v):
    """``cells.value`` as stored (INTEGER, exact decimal TEXT; REAL in an old database), exactly."""
    if v is None or isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    try:
        d = Decimal(repr(v)) if isinstance(v, float) else Decimal(str(v).strip())
    except InvalidOperation:
        return None
    if not d.is_finite():
        return None
    return int(d) if d == d.to_integral_value() else d
