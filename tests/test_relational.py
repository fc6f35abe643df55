"""The relational model (govconv.relational): its tables, wide views derived from templates, a
layout plugin's own rows and columns, and the database targets batch runs stream into.

The databases are real: SQLite files, and the local PostgreSQL (a schema of each test's own,
dropped afterwards) and MariaDB, as in test_sql_exporter.py — a server that is not reachable
skips its tests, except under CI=true, where it is a failure.
"""
from __future__ import annotations

import copy
import hashlib
import os
import pickle
import sqlite3
import subprocess
import sys
import uuid
from dataclasses import fields, make_dataclass, replace
from decimal import Decimal
from pathlib import Path

import pytest

import govconv
from govconv import Column, Row, Template, TemplateLayout, hookimpl
from govconv.errors import OutputError, UsageError
from govconv.national import ACTIVE_2021, APPLICATIONS_2021, REVIEW_LITIGATION, RULES_2021
from govconv.relational import (LONG_COLUMNS, REPORT_TABLES, TABLE, TABLES, TYPES, long_rows, open_target,
                                registered_templates, rows_of, template_of, wide_views)
from govconv.relational.model import VIEW_FIXED, RowsFor
from govconv.running.targets import LedgerEntry

from conftest import ROOT, SEED_NAMES, SEEDS
from test_sql_exporter import (DIALECTS, PG_CONNINFO, expected_counts, hostile_report, num, open_db, seed_reports,
                               sql_script, unavailable)


# -- the model is data -------------------------------------------------------------------------------

def test_the_model_is_data_and_keeps_todays_names():
    assert [t.name for t in TABLES] == ["reports", "sections", "cells", "findings", "finding_cells", "inputs",
                                        "series_findings"]
    assert TABLE["cells"].columns[:15] == (
        "report_id", "table_key", "row_key", "column_key", "address", "row_position", "column_position", "value",
        "raw", "blank", "label", "row_label", "table_label", "origin_line", "origin_page")
    assert TABLE["inputs"].columns == ("input_id", "path", "sha256", "size", "status", "exit_code", "message",
                                       "seconds", "govconv_version", "layout", "finished_at")
    for t in TABLES:
        assert set(t.primary_key) <= set(t.columns)
        assert all(f.type in TYPES for f in t.fields)
        assert all(f.nullable for f in t.fields if f.added)       # a database made earlier can be given them


def test_rows_of_fills_every_column_of_every_table():
    report = seed_reports()[SEED_NAMES[0]]
    rows = rows_of(report)
    assert set(rows) == {t.name for t in REPORT_TABLES}
    for t in REPORT_TABLES:
        assert all(set(r) == set(t.columns) for r in rows[t.name]), t.name
    assert len(rows["cells"]) == len(list(report.cells()))
    assert {r["report_id"] for t in rows.values() for r in t} == {report.key}


def test_wide_views_are_derived_from_the_templates():
    views = {v.name: v for v in wide_views(registered_templates(govconv_registry()))}
    assert set(views) == {"active_wide", "applications_wide", "review_litigation_wide"}
    assert views["applications_wide"].columns == ("natural_person", "commercial", "research", "social_welfare",
                                                  "legal_service", "other", "total")
    assert views["review_litigation_wide"].columns == ("upheld", "corrected", "other", "pending", "total")
    # active: gov2019's columns, then gov2021's own
    assert views["active_wide"].columns == ("made", "published", "total", "previous", "change", "decisions",
                                            "items", "amount", "issued", "repealed", "in_force")
    # a view keeps what it has: the columns already in a database come first
    (v,) = [v for v in wide_views([], {"active": ["zeta"]})]
    assert v.columns == ("zeta",)
    assert wide_views([], {"active": ["zeta"]}) != wide_views([])
    # a column key that is one of the fixed columns gets another name in the view
    tpl = replace(TPL, id="x", tables=(replace(ACTIVE_2021, columns=ACTIVE_2021.columns + (Column("year", "年"),)),))
    (v,) = wide_views([tpl])
    assert ("col_year", "year") in v.sql_columns


def govconv_registry():
    from conftest import builtin_registry
    return builtin_registry()


# -- the wide views hold the numbers, in every database ----------------------------------------------

@pytest.fixture(scope="module", params=DIALECTS)
def loaded(request, registry):
    reports = seed_reports()
    with open_db(request.param) as d:
        d.load(sql_script(registry, list(reports.values()), request.param))
        yield d, reports


def wide(db, view, rid) -> dict:
    cols = [c for c in view.columns]
    quote = "`" if db.dialect == "mysql" else '"'        # `change` is a reserved word in MySQL
    names = [f"{quote}{n}{quote}" for n, _ in view.sql_columns]
    got = db.rows(f"SELECT row_key, {', '.join(names)} FROM {view.name} WHERE report_id = %s", rid)
    return {r[0]: {k: num(v) for k, v in zip(cols, r[1:])} for r in got}


def test_every_wide_view_holds_every_report_value(loaded, registry):
    db, reports = loaded
    views = wide_views(registered_templates(registry))
    assert {v.table_key for v in views} == {"active", "applications", "review_litigation"}
    for report in reports.values():
        d = report.to_dict()["tables"]
        for view in views:
            got = wide(db, view, report.key)
            # the view's row holds the row's cells; columns the row does not have are null
            want = {row: {c: cols.get(c) for c in view.columns} for row, cols in d[view.table_key].items()}
            assert got == want, (view.name, report.layout)


def test_active_wide_answers_a_question_across_layouts(loaded):
    db, reports = loaded
    rows = db.rows("SELECT layout, count(*) FROM active_wide WHERE row_key = 'regulations' GROUP BY layout "
                   "ORDER BY layout")
    layouts = sorted({r.layout for r in reports.values()})
    assert [r[0] for r in rows] == layouts
    assert sum(r[1] for r in rows) == len(reports)


# -- a layout plugin's own rows and columns -----------------------------------------------------------

ACTIVE_PLUS = replace(
    ACTIVE_2021, columns=ACTIVE_2021.columns + (Column("confirmed", "本年确认件数"),),
    rows=ACTIVE_2021.rows + (Row("confirmation", "行政确认", ("decisions", "confirmed")),))
TPL = Template(id="gov2021_confirmed", description="2021 with 行政确认 and its own column (test plugin)",
               tables=(ACTIVE_PLUS, APPLICATIONS_2021, REVIEW_LITIGATION),
               markers=("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量",
                        "本年收费金额（单位：万元）", "行政确认"),
               years=(2021, None), rules=RULES_2021)


class ConfirmedPlugin:
    @hookimpl
    def register_layouts(self, register):
        register(TemplateLayout(TPL, priority=10))


def plugin_registry():
    from govconv_plugins import (csv_exporter, gov2019, gov2021, national_checks, national_conventions,
                                 parquet_exporter, sql_exporter, sqlite_exporter, txt_loader, xlsx_exporter)
    reg = govconv.Registry(load_entry_points=False)
    for module in (txt_loader, gov2019, gov2021, national_conventions, national_checks, sql_exporter,
                   sqlite_exporter, csv_exporter, parquet_exporter, xlsx_exporter):
        reg.register_plugin(module)
    reg.register_plugin(ConfirmedPlugin(), name="confirmed")
    return reg


def plugin_source() -> bytes:
    """A seed report with the plugin's row 行政确认 (4 decisions, 2 confirmed) after 行政强制."""
    seed = (SEEDS / f"{SEED_NAMES[2]}.txt").read_text("utf-8")
    assert "\t行政强制\n\t0\n" in seed
    return seed.replace("\t行政强制\n\t0\n", "\t行政强制\n\t0\n\n\t行政确认\n\t4\n\t2\n", 1).encode("utf-8")


def plugin_report(reg):
    report = govconv.convert(plugin_source(), name="confirmed.txt", registry=reg)
    assert report.layout == "gov2021_confirmed"
    assert (report.value("active.confirmation.decisions"), report.value("active.confirmation.confirmed")) == (4, 2)
    return report


@pytest.mark.parametrize("how", ["sqlite exporter", "sql script", "target", "worker rows", "batch"])
def test_a_plugins_row_and_column_get_their_wide_view(tmp_path, how, cli):
    reg = plugin_registry()
    report = plugin_report(reg)
    national = govconv.convert(SEEDS / f"{SEED_NAMES[0]}.txt", registry=reg)
    path = tmp_path / "p.db"
    if how == "sqlite exporter":
        reg.exporter("sqlite").export_to_path([national, report], path, {})
    elif how == "sql script":
        conn = sqlite3.connect(path)
        conn.executescript(sql_script(reg, [national, report], "sqlite"))
        conn.close()
    elif how == "target":   # opened with the national templates only: the view gains the column when the report comes
        with open_target(path, registered_templates(govconv_registry())) as db:
            db.write(national)
            db.flush()
            db.write(report)
    elif how == "worker rows":  # what a batch worker sends (pickled): rows, and the template the target lacks
        national_only = registered_templates(govconv_registry())
        made = [pickle.loads(pickle.dumps(RowsFor(national_only)(r))) for r in (national, report)]
        assert made[0][1] is None and made[1][1] is not None        # only the plugin's report needs its own
        with open_target(path, national_only) as db:
            db.write_rows(*made[0])
            db.flush()
            db.write_rows(*made[1])
    else:                   # the CLI's batch: the workers make the rows, the parent writes them
        folder = tmp_path / "in"
        folder.mkdir()
        (folder / "confirmed.txt").write_bytes(plugin_source())
        (folder / "national.txt").write_bytes((SEEDS / f"{SEED_NAMES[0]}.txt").read_bytes())
        run = cli(folder, "-j", "2", "--to", "sqlite", "-o", path, registry=reg)
        assert run.code == 0, run.err
    conn = sqlite3.connect(path)
    cols = [c[1] for c in conn.execute("PRAGMA table_info(active_wide)")]
    assert "confirmed" in cols and cols[:len(VIEW_FIXED)] == list(VIEW_FIXED)
    got = conn.execute("SELECT decisions, confirmed FROM active_wide WHERE report_id = ? AND row_key = ?",
                       (report.key, "confirmation")).fetchall()
    assert got == [(4, 2)]
    # the national report's rows are there too, with no value in the plugin's column
    assert conn.execute("SELECT count(*) FROM active_wide WHERE report_id = ? AND confirmed IS NOT NULL",
                        (national.key,)).fetchone()[0] == 0
    conn.close()


def test_a_plugins_row_and_column_are_in_the_csv():
    import csv
    import io

    reg = plugin_registry()
    report = plugin_report(reg)
    buf = io.BytesIO()
    reg.exporter("csv").export([report], buf, {})
    rows = list(csv.DictReader(io.StringIO(buf.getvalue().decode("utf-8-sig"))))
    assert len(rows) == len(list(report.cells()))
    by_address = {r["address"]: r for r in rows}
    assert by_address["active.confirmation.confirmed"]["value"] == "2"
    assert by_address["active.confirmation.confirmed"]["label"] == "行政确认 · 本年确认件数"
    assert by_address["active.confirmation.decisions"]["value"] == "4"


def test_template_of_a_report_gives_its_shape():
    reg = plugin_registry()
    report = plugin_report(reg)
    t = template_of(report)
    active = t.table("active")
    assert [c.key for c in active.columns][-1] == "confirmed"
    assert active.column("confirmed").label == "本年确认件数"
    assert [r.key for r in active.rows][-1] == "confirmation"


# -- targets -------------------------------------------------------------------------------------------

def many_reports(n: int, tag: str = "") -> list[govconv.Report]:
    """n distinct reports (distinct keys and agencies), made from the seeds."""
    seeds = list(seed_reports().values())
    out = []
    for i in range(n):
        r = copy.deepcopy(seeds[i % len(seeds)])
        r.source.sha256 = hashlib.sha256(f"govconv-test-{i}".encode()).hexdigest()
        r.meta.agency = f"{r.meta.agency}#{i}{tag}"
        out.append(r)
    return out


def entry(report, status="ok", path=None) -> dict:
    return {"path": path or f"/in/{report.meta.agency}.txt", "sha256": report.source.sha256, "size": 123,
            "status": status, "exit_code": 0 if status == "ok" else 5, "message": None if status == "ok" else "坏 / bad",
            "seconds": 0.25, "govconv_version": govconv.__version__, "layout": report.layout,
            "finished_at": "2024-05-01T08:00:00Z"}


class PgPlace:
    """A schema of its own in the local PostgreSQL, and the URL of a target writing into it."""

    def __init__(self):
        try:
            import psycopg
            from psycopg.conninfo import conninfo_to_dict
        except ImportError as e:
            unavailable("psycopg is not installed", e)
        try:
            self.conn = psycopg.connect(PG_CONNINFO, autocommit=True, connect_timeout=5)
        except psycopg.OperationalError as e:
            unavailable(f"PostgreSQL not reachable at {PG_CONNINFO}", e)
        self.schema = f"govconv_test_{uuid.uuid4().hex[:12]}"
        self.conn.execute(f"CREATE SCHEMA {self.schema}")
        import sqlalchemy as sa

        info = conninfo_to_dict(PG_CONNINFO)
        self.url = sa.engine.URL.create(
            "postgresql", username=info.get("user"), password=info.get("password"), host=info.get("host"),
            port=int(info["port"]) if info.get("port") else None, database=info.get("dbname"),
            query={"options": f"-csearch_path={self.schema}"}).render_as_string(hide_password=False)

    def q(self, sql, *params):
        with self.conn.cursor() as cur:
            cur.execute(f"SET search_path TO {self.schema}")
            cur.execute(sql.replace("?", "%s"), params)
            return cur.fetchall()

    def close(self):
        self.conn.execute(f"DROP SCHEMA {self.schema} CASCADE")
        self.conn.close()


class SqlitePlace:
    def __init__(self, tmp_path: Path):
        self.path = tmp_path / "t.db"
        self.url = str(self.path)

    def q(self, sql, *params):
        conn = sqlite3.connect(self.path)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    def close(self):
        pass


@pytest.fixture(params=["sqlite", "postgresql"])
def place(request, tmp_path):
    p = SqlitePlace(tmp_path) if request.param == "sqlite" else PgPlace()
    try:
        yield p
    finally:
        p.close()


def table_counts(place) -> dict[str, int]:
    return {t: place.q(f"SELECT count(*) FROM {t}")[0][0]
            for t in ("reports", "sections", "cells", "findings", "finding_cells")}


def test_target_streams_in_chunks_and_replaces_on_a_second_run(place):
    reports = many_reports(60)
    with open_target(place.url, registered_templates(govconv_registry()), chunk_size=25) as db:
        for i, r in enumerate(reports):
            db.record(entry(r))
            db.write(r)
            assert len(db._reports) < 25                 # one chunk at most is held
            if i == 23:                                  # nothing committed before a chunk is full
                assert place.q("SELECT count(*) FROM reports")[0][0] == 0
            if i == 24:
                assert place.q("SELECT count(*) FROM reports")[0][0] == 25
    assert table_counts(place) == expected_counts(reports)
    assert place.q("SELECT count(*) FROM inputs")[0][0] == 60
    # every value of every report, through the wide view of its table
    (rid, agency) = reports[7].key, reports[7].meta.agency
    want = reports[7].to_dict()["tables"]["applications"]
    got = place.q("SELECT row_key, total FROM applications_wide WHERE report_id = ?", rid)
    assert {k: num(v) for k, v in got} == {k: cols["total"] for k, cols in want.items()}
    assert place.q("SELECT agency FROM reports WHERE report_id = ?", rid) == [(agency,)]

    # again, with changes: replaced, not duplicated
    for r in reports:
        r.meta.title = "第二次"
        r.cell("applications.new.total").value = 77
        r.findings = []
    with open_target(place.url, registered_templates(govconv_registry())) as db:
        for r in reports:
            db.record(entry(r))
            db.write(r)
    assert table_counts(place) == expected_counts(reports)
    assert place.q("SELECT count(*) FROM inputs")[0][0] == 60
    assert place.q("SELECT DISTINCT title FROM reports") == [("第二次",)]
    assert {num(v) for (v,) in place.q("SELECT total FROM applications_wide WHERE row_key = 'new'")} == {77}


def test_target_ledger_and_resume(place):
    reports = many_reports(4)
    with open_target(place.url) as db:
        db.record(entry(reports[0]))
        db.write(reports[0])
        assert db.done(reports[0].key)                   # pending in this chunk counts too
        db.record(entry(reports[1], status="failed"))
        db.record(entry(reports[2]))                     # said ok, but its report never came
    with open_target(place.url) as db:
        assert db.done(reports[0].key)
        assert not db.done(reports[1].key) and not db.done(reports[2].key) and not db.done(reports[3].key)
        assert not db.done("") and not db.done("0" * 64)
        # the same input (path) recorded again replaces its row
        db.record(entry(reports[1], status="ok"))
        db.write(reports[1])
    with open_target(place.url) as db:
        assert db.done(reports[1].key)
    rows = place.q("SELECT path, status, exit_code, message, seconds, govconv_version, layout FROM inputs "
                   "ORDER BY path")
    assert [r[1] for r in rows] == ["ok", "ok", "ok"]
    assert rows[0][4] == 0.25 and rows[0][5] == govconv.__version__
    (finished,) = place.q("SELECT finished_at FROM inputs LIMIT 1")[0]
    assert str(finished).startswith("2024-05-01")


#: a dataclass of the application's own with the ledger's fields (the CLI's LedgerEntry is one such)
Entry = make_dataclass("Entry", [(f.name, f.type) for f in fields(LedgerEntry)])


def test_target_takes_a_dataclass_entry_and_refuses_a_bad_one(tmp_path):
    r = many_reports(1)[0]
    with open_target(tmp_path / "d.db") as db:
        db.record(Entry(**entry(r)))
        db.write(r)
        with pytest.raises(ValueError, match="status"):
            db.record({**entry(r), "status": "maybe"})
        with pytest.raises(ValueError, match="unknown ledger field"):
            db.record({**entry(r), "colour": "blue"})
    conn = sqlite3.connect(tmp_path / "d.db")
    assert conn.execute("SELECT status, size FROM inputs").fetchall() == [("ok", 123)]
    conn.close()


def test_target_keeps_hostile_text(place):
    report = hostile_report()
    with open_target(place.url) as db:
        db.write(report)
        db.record({**entry(report), "path": "/in/'); DROP TABLE inputs; --.txt", "message": "\\' %s 😀"})
    from test_sql_exporter import HOSTILE
    assert place.q("SELECT agency FROM reports") == [(HOSTILE,)]
    assert place.q("SELECT path, message FROM inputs") == [("/in/'); DROP TABLE inputs; --.txt", "\\' %s 😀")]


def test_target_adds_what_a_database_made_earlier_lacks(place):
    """A database whose cells have no ``uncertain`` (made before the relational model) gets it."""
    from govconv.relational import sqla

    report = many_reports(1)[0]
    sqlite_place = isinstance(place, SqlitePlace)
    _md, tables = sqla.schema()
    d = sqla.dialect("sqlite" if sqlite_place else "postgresql")
    ddl = [s.replace("\tuncertain BOOLEAN, \n", "") for td in REPORT_TABLES
           for s in sqla.create_table(tables[td.name], d)]
    assert not any("uncertain" in s for s in ddl)
    if sqlite_place:
        conn = sqlite3.connect(place.path)
        conn.executescript(";\n".join(ddl) + ";")
        conn.close()
    else:
        place.conn.execute(f"SET search_path TO {place.schema}")
        for s in ddl:
            place.conn.execute(s)
    with open_target(place.url) as db:
        db.write(report)
    assert place.q("SELECT count(*) FROM cells WHERE uncertain IS NOT NULL")[0][0] == len(list(report.cells()))
    assert place.q("SELECT count(*) FROM inputs")[0][0] == 0          # the ledger is new too


def test_target_errors_say_what_and_where(tmp_path):
    bad = tmp_path / "not.db"
    bad.write_bytes(b"not a database at all " * 200)
    with pytest.raises(OutputError) as e:
        open_target(bad)
    assert str(bad) in e.value.message() and "database" in e.value.en
    with pytest.raises(UsageError):
        open_target("mysql://root@localhost/test")
    with pytest.raises(OutputError):
        open_target(tmp_path / "missing-dir" / "x.db")


def test_sqlite_target_from_a_url_and_without_sqlalchemy_at_import(tmp_path):
    with open_target(f"sqlite:///{tmp_path / 'u.db'}") as db:
        db.write(many_reports(1)[0])
    assert sqlite3.connect(tmp_path / "u.db").execute("SELECT count(*) FROM reports").fetchone()[0] == 1
    proc = subprocess.run([sys.executable, "-c", "import sys, govconv.relational; "
                           "print('sqlalchemy' in sys.modules)"], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "False", proc.stderr


WRITER = r"""
import pickle, random, sys
from govconv.relational import open_target
url, path, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
reports = pickle.load(open(path, "rb"))
random.Random(seed).shuffle(reports)
open(path + f".ready{seed}", "w").close()
while not all(__import__("os").path.exists(path + f".ready{s}") for s in (1, 2)):   # start together
    __import__("time").sleep(0.005)
with open_target(url, [], chunk_size=7) as db:
    for r in reports:
        db.record({"path": "/in/" + r.meta.agency, "sha256": r.key, "size": 1, "status": "ok", "exit_code": 0,
                   "message": None, "seconds": 0.1, "govconv_version": "t", "layout": r.layout,
                   "finished_at": None})
        db.write(r)
print("ok")
"""


def test_two_processes_write_into_one_postgresql_database_at_once(tmp_path):
    """From an empty schema: both create it, both write the same 60 reports in another order."""
    place = PgPlace()
    try:
        reports = many_reports(60)
        data = tmp_path / "reports.pickle"
        data.write_bytes(pickle.dumps(reports))
        env = {**os.environ, "PYTHONPATH": str(ROOT / "tests")}
        procs = [subprocess.Popen([sys.executable, "-c", WRITER, place.url, str(data), str(s)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
                 for s in (1, 2)]
        outs = [p.communicate(timeout=300) for p in procs]
        for p, (out, err) in zip(procs, outs):
            assert p.returncode == 0 and out.strip() == "ok", err
        assert table_counts(place) == expected_counts(reports)
        assert place.q("SELECT count(*) FROM inputs")[0][0] == 60
        assert place.q("SELECT count(DISTINCT report_id) FROM cells")[0][0] == 60
        views = {r[0] for r in place.q("SELECT table_name FROM information_schema.views "
                                       "WHERE table_schema = current_schema()")}
        assert views == {"active_wide", "applications_wide", "review_litigation_wide"}
    finally:
        place.close()


def test_long_rows_are_the_cells_with_their_report():
    report = seed_reports()[SEED_NAMES[1]]
    rows = list(long_rows(report))
    assert len(rows) == len(list(report.cells()))
    assert all(tuple(r) == LONG_COLUMNS for r in rows)
    by = {r["address"]: r for r in rows}
    for c in report.cells():
        r = by[c.address]
        assert (r["value"], r["raw"], r["blank"], r["uncertain"]) == (c.value, c.raw, c.blank, c.uncertain)
        assert (r["agency"], r["year"], r["layout"], r["report_id"]) == (
            report.meta.agency, report.meta.year, report.layout, report.key)
    amount = "active.procurement.amount" if report.layout == "gov2019" else "active.fees.amount"
    assert isinstance(by[amount]["value"], (int, Decimal))


def test_a_plugins_row_and_column_are_drawn_in_the_workbook_and_the_parquet():
    import io

    import openpyxl
    import pyarrow.parquet as pq

    reg = plugin_registry()
    report = plugin_report(reg)
    buf = io.BytesIO()
    reg.exporter("xlsx").export([report], buf, {"templates": registered_templates(reg)})
    ws = openpyxl.load_workbook(io.BytesIO(buf.getvalue()))["主动公开政府信息情况"]
    (row,) = [c.row for c in ws["A"] if c.value == "行政确认"]
    assert [c.value for c in ws[row]][:3] == ["行政确认", 4, 2]
    assert [c.value for c in ws[row - 1]][:3] == ["信息内容", "本年处理决定数量", "本年确认件数"]
    buf = io.BytesIO()
    reg.exporter("parquet").export([report], buf, {})
    rows = {r["address"]: r["value"] for r in pq.read_table(io.BytesIO(buf.getvalue())).to_pylist()}
    assert rows["active.confirmation.confirmed"] == 2
