"""A database that reports stream into as they arrive: SQLite (a file) or PostgreSQL (a URL).

    with govconv.relational.open_target("reports.db", templates) as db:
        for report in reports:
            db.write(report)                    # committed in chunks of 50 reports
            db.record({"path": ..., "status": "ok", ...})
        db.done(sha256)                         # --resume: converted already?

The schema and the wide views are created when missing (idempotent; a view only
ever gains columns).  Each chunk is one transaction that, for every report it
carries, deletes the rows of that report's key and inserts them again, so
running again replaces instead of duplicating.  Many processes or machines may
write into one PostgreSQL database at once: schema changes take a transaction-
level advisory lock, each report's replacement takes one on its key (in key
order, so two writers never wait on each other in a cycle), ledger rows are
upserted (``ON CONFLICT``), and a chunk that meets a deadlock, a serialization
failure or a unique violation is rolled back and written again.  SQLite writers
take the file's write lock up front (``BEGIN IMMEDIATE``) and wait for each
other.  Memory holds one chunk, never the whole batch.
"""
from __future__ import annotations

import operator
import os
import random
import time
from collections.abc import Iterable

import sqlalchemy as sa

from govconv.errors import OutputError, UsageError
from govconv.relational import sqla
from govconv.relational.model import (INPUTS, REPORT_TABLES, TABLES, VIEW_FIXED, cell_shape, column_key,
                                      ledger_row, registered_templates, rows_of, template_of, wide_views)

CHUNK = 50
RETRIES = 8
_RETRY_SQLSTATES = {"40P01", "40001", "23505", "42P07", "42710"}   # deadlock, serialization, duplicate …


def open_target(where, templates: Iterable | None = None, *, chunk_size: int = CHUNK) -> "DatabaseTarget":
    """A :class:`DatabaseTarget` for ``where``: a SQLite file path (or ``sqlite:///path``), or a
    PostgreSQL URL (``postgresql://user@host/db``; the psycopg 3 driver is used; a schema other
    than the first of the ``search_path``: ``?options=-csearch_path%3Dmyschema``).  ``templates``:
    those whose tables get wide views (the registered layouts' when None)."""
    url, label = _url(where)
    return DatabaseTarget(url, label, registered_templates() if templates is None else list(templates),
                          chunk_size)


def _url(where) -> tuple[sa.engine.URL, str]:
    if isinstance(where, os.PathLike) or "://" not in str(where):
        path = os.fspath(where)
        return sa.engine.URL.create("sqlite", database=path), path
    text = str(where)
    scheme = text.split("://", 1)[0].lower()
    base = scheme.split("+", 1)[0]
    if base in ("postgresql", "postgres"):
        if "+" not in scheme:
            text = "postgresql+psycopg://" + text.split("://", 1)[1]
        try:
            url = sa.engine.make_url(text)
        except sa.exc.ArgumentError as e:
            raise UsageError(f"无法解析数据库地址（{e}）", f"cannot parse the database URL ({e})") from None
        return url, url.render_as_string(hide_password=True)
    if base == "sqlite":
        url = sa.engine.make_url(text)
        return url, url.database or ":memory:"
    raise UsageError(f"不支持的数据库地址 {scheme}://（支持 SQLite 文件路径、sqlite:/// 与 postgresql://）",
                     f"unsupported database URL {scheme}:// (a SQLite path, sqlite:/// or postgresql://)")


def _retriable(e: BaseException) -> bool:
    orig = getattr(e, "orig", None)
    if getattr(orig, "sqlstate", None) in _RETRY_SQLSTATES:
        return True
    msg = str(orig or e).lower()
    return "database is locked" in msg or "database table is locked" in msg


class DatabaseTarget:
    """Reports and ledger rows into one database, in chunks; see the module's documentation."""

    def __init__(self, url: sa.engine.URL, label: str, templates: list, chunk_size: int = CHUNK):
        self.label = label
        self.chunk_size = max(1, int(chunk_size))
        self.templates = list(templates)
        self._seen: dict[tuple, object] = {}           # shapes met in reports: key → template_of(report)
        self._shapes: set[tuple[str, str]] = set()     # (table key, column key) the views have
        self._reports: dict[str, dict] = {}            # the chunk: report key → rows_of(report)
        self._inputs: dict[str, dict] = {}             # the chunk: input_id → ledger row
        self._views_stale = False
        self._inserts: dict[str, tuple] = {}          # table → (SQL, positional?, [(column, processor)])
        self.metadata, self.tables = sqla.schema()
        self._conn: sa.Connection | None = None
        self.is_pg = url.get_backend_name() == "postgresql"
        try:
            if self.is_pg:
                self.engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
            else:
                self.engine = sa.create_engine(url, poolclass=sa.pool.NullPool, connect_args={"timeout": 60})
                sa.event.listen(self.engine, "connect", _sqlite_autocommit_driver)
                sa.event.listen(self.engine, "begin", _sqlite_begin_immediate)
            self._conn = self.engine.connect()
            self._retrying(self._setup)
            self._retrying(self._refresh_views)
        except sa.exc.SQLAlchemyError as e:
            self._dispose()
            raise self._error("无法打开数据库", "cannot open the database", e) from None
        except ImportError as e:          # the database's driver is not installed
            self._dispose()
            raise UsageError(f"写入 PostgreSQL 需要 psycopg：pip install 'govconv[postgresql]'（{e}）",
                             f"writing into PostgreSQL needs psycopg: pip install 'govconv[postgresql]' ({e})",
                             path=label) from None
        except BaseException:
            self._dispose()
            raise

    # -- the API ---------------------------------------------------------------------------------
    def write(self, report) -> None:
        """Replace the report (by its key) — in the database when its chunk is committed."""
        self._add(rows_of(report), lambda: template_of(report))

    def write_rows(self, rows: dict[str, list[dict]], template=None) -> None:
        """:meth:`write` for a report a batch worker turned into rows (:class:`~govconv.relational.model.RowsFor`,
        given this target's templates): its rows, and its own template when they do not cover it."""
        self._add(rows, lambda: template)

    def _add(self, rows: dict[str, list[dict]], template) -> None:
        self._reports[rows["reports"][0]["report_id"]] = rows
        shape = cell_shape(rows)
        if not shape <= self._shapes:
            made = template()
            if made is not None:
                self._seen[(rows["reports"][0]["layout"], shape)] = made
                self._views_stale = True
        if len(self._reports) >= self.chunk_size:
            self.flush()

    def record(self, entry) -> None:
        """One ledger row (``inputs``): a dict or a dataclass with the ledger's fields; an
        input (its ``path``) recorded again replaces its earlier row."""
        row = ledger_row(entry)
        self._inputs[row["input_id"]] = row
        # committed with the reports (an input is recorded, then its report written); alone only
        # when many inputs came without a report (failures), to keep memory bounded
        if len(self._inputs) >= 4 * self.chunk_size:
            self.flush()

    def done(self, sha256: str) -> bool:
        """Whether an input with this sha256 was converted and its report is in the database."""
        if not sha256:
            return False
        if sha256 in self._reports and any(r["sha256"] == sha256 and r["status"] == "ok"
                                           for r in self._inputs.values()):
            return True
        i, r = self.tables["inputs"], self.tables["reports"]
        q = (sa.select(sa.literal(1)).select_from(i.join(r, r.c.report_id == i.c.sha256))
             .where(i.c.sha256 == sha256, i.c.status == "ok").limit(1))
        try:
            with self.conn.begin():
                return self.conn.execute(q).first() is not None
        except sa.exc.SQLAlchemyError as e:
            raise self._error("无法读取数据库", "cannot read the database", e) from None

    def flush(self) -> None:
        """Commit the chunk: its reports and ledger rows, in one transaction."""
        if not (self._reports or self._inputs):
            return
        try:
            if self._views_stale:
                self._retrying(self._refresh_views)
            self._retrying(self._write_chunk)
        except sa.exc.SQLAlchemyError as e:
            raise self._error("无法写入数据库", "cannot write the database", e) from None
        self._reports.clear()
        self._inputs.clear()

    def close(self) -> None:
        """Commit what is pending and close the connection."""
        try:
            if self._conn is not None:
                self.flush()
        finally:
            self._dispose()

    def __enter__(self) -> "DatabaseTarget":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
            return
        try:                     # keep what was written whole; the original error is the one raised
            self.close()
        except Exception:
            self._dispose()

    # -- inside ----------------------------------------------------------------------------------
    @property
    def conn(self) -> sa.Connection:
        """The open connection (SQLAlchemy's own error once the target is closed)."""
        if self._conn is None:
            raise sa.exc.ResourceClosedError("This Connection is closed")
        return self._conn

    def _dispose(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:
                pass
            self._conn = None
        engine = getattr(self, "engine", None)
        if engine is not None:
            engine.dispose()

    def _error(self, zh: str, en: str, e: BaseException) -> OutputError:
        why = " ".join(str(getattr(e, "orig", None) or e).split())[:300]
        return OutputError(f"{zh}（{why}）", f"{en} ({why})", path=self.label)

    def _retrying(self, step) -> None:
        for attempt in range(RETRIES):
            try:
                return step()
            except sa.exc.DBAPIError as e:
                if attempt == RETRIES - 1 or not _retriable(e):
                    raise
                if self.conn.invalidated:
                    self.conn.close()
                    self._conn = self.engine.connect()
                time.sleep(random.uniform(0.02, 0.1) * (attempt + 1))

    def _lock(self, *name: str) -> None:
        if self.is_pg:
            self.conn.execute(sa.select(sa.func.pg_advisory_xact_lock(sqla.lock_key(*name))))

    def _setup(self) -> None:
        """The tables (and what a database made by an earlier govconv lacks), under the schema lock."""
        with self.conn.begin():
            self._lock("schema")
            self.metadata.create_all(self.conn, checkfirst=True)
            insp = sa.inspect(self.conn)
            d = self.conn.dialect
            for td in TABLES:
                have = {c["name"] for c in insp.get_columns(td.name)}
                for f in td.fields:
                    if f.name in have:
                        continue
                    if not f.nullable:
                        raise sa.exc.InvalidRequestError(f"table {td.name} has no column {f.name}: "
                                                         "not a govconv database?")
                    self.conn.exec_driver_sql(sqla.add_column(self.tables[td.name], f.name, d))

    def _refresh_views(self) -> None:
        """One wide view per table key of the templates and of the reports met, never losing a
        column a view already has; a view whose columns are right is left alone."""
        with self.conn.begin():
            self._lock("schema")
            insp = sa.inspect(self.conn)
            have: dict[str, list[str]] = {}
            for name in insp.get_view_names():
                if not name.endswith("_wide"):
                    continue
                cols = [c["name"] for c in insp.get_columns(name)]
                if tuple(cols[:len(VIEW_FIXED)]) == VIEW_FIXED:          # one of ours
                    have[name] = cols
            existing = {name[:-len("_wide")]: [k for k in map(column_key, cols) if k]
                        for name, cols in have.items()}
            views = wide_views([*self.templates, *self._seen.values()], existing)
            d = self.conn.dialect
            q = d.identifier_preparer
            for view in views:
                if have.get(view.name) == sqla.view_columns(view):
                    continue
                name, body = q.quote(view.name), sqla.view_body(self.tables, view, d)
                if self.is_pg and view.name in have:
                    try:
                        with self.conn.begin_nested():
                            self.conn.exec_driver_sql(f"CREATE OR REPLACE VIEW {name} AS {body}")
                        continue
                    except sa.exc.DBAPIError:
                        pass            # columns renamed or reordered: made anew
                self.conn.exec_driver_sql(f"DROP VIEW IF EXISTS {name}")
                self.conn.exec_driver_sql(f"CREATE VIEW {name} AS {body}")
        self._shapes = {(v.table_key, k) for v in views for k in v.columns}
        self._views_stale = False

    def _write_chunk(self) -> None:
        keys = sorted(self._reports)
        with self.conn.begin():
            for key in keys:                   # in key order: two writers never wait in a cycle
                self._lock("report", key)
            for td in reversed(REPORT_TABLES):
                t = self.tables[td.name]
                for i in range(0, len(keys), 500):
                    self.conn.execute(sa.delete(t).where(t.c.report_id.in_(keys[i:i + 500])))
            for td in REPORT_TABLES:
                rows = [row for key in keys for row in self._reports[key][td.name]]
                if rows:
                    self._insert(self.tables[td.name], rows)
            if self._inputs:
                self.conn.execute(self._upsert_inputs(), [self._inputs[k] for k in sorted(self._inputs)])

    def _insert(self, table: sa.Table, rows: list[dict]) -> None:
        """``INSERT`` the rows, as ``conn.execute(table.insert(), rows)`` would, the statement and the
        columns' bind processors (SQLAlchemy's, for this dialect) prepared once per table: the
        per-row bookkeeping of ``execute`` cost more than the database's own work (a report has
        some 200 cells), and this runs in the one process that writes for every worker."""
        prepared = self._inserts.get(table.name)
        if prepared is None:
            d = self.conn.dialect
            compiled = table.insert().compile(dialect=d)
            processors = {c.key: c.type.dialect_impl(d).bind_processor(d) for c in table.columns}
            names = list(compiled.positiontup) if compiled.positional and compiled.positiontup \
                else [c.key for c in table.columns]
            prepared = self._inserts[table.name] = (
                str(compiled), compiled.positional, names,
                operator.itemgetter(*names) if len(names) > 1 else (lambda row: (row[names[0]],)),
                [(i, processors[n]) for i, n in enumerate(names) if processors.get(n) is not None])
        sql, positional, names, values, processed = prepared
        data: list = []
        for row in rows:
            v = list(values(row))
            for i, process in processed:
                v[i] = process(v[i])
            data.append(tuple(v) if positional else dict(zip(names, v)))
        self.conn.exec_driver_sql(sql, data)

    def replace_series(self, rows: list[dict], agency_keys: Iterable[str]) -> None:
        """An audit's findings (series_findings): those of the agencies audited are replaced."""
        self.flush()
        keys = sorted(set(agency_keys))
        t = self.tables["series_findings"]

        def step():
            with self.conn.begin():
                self._lock("series")
                for i in range(0, len(keys), 500):
                    self.conn.execute(sa.delete(t).where(t.c.agency_key.in_(keys[i:i + 500])))
                ids = [r["finding_id"] for r in rows]
                for i in range(0, len(ids), 500):             # a finding of another agency set: replaced
                    self.conn.execute(sa.delete(t).where(t.c.finding_id.in_(ids[i:i + 500])))
                if rows:
                    self.conn.execute(t.insert(), rows)

        try:
            self._retrying(step)
        except sa.exc.SQLAlchemyError as e:
            raise self._error("无法写入数据库", "cannot write the database", e) from None

    def _upsert_inputs(self):
        t = self.tables["inputs"]
        if self.is_pg:
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        stmt = insert(t)
        return stmt.on_conflict_do_update(
            index_elements=list(INPUTS.primary_key),
            set_={c: stmt.excluded[c] for c in INPUTS.columns if c not in INPUTS.primary_key})


def _sqlite_autocommit_driver(dbapi_conn, _record) -> None:
    # let SQLAlchemy, not the sqlite3 module, say when a transaction begins (and how)
    dbapi_conn.isolation_level = None


def _sqlite_begin_immediate(conn) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")
