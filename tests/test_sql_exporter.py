"""The ``sql`` exporter (SQLite, PostgreSQL, MySQL/MariaDB) and the ``sqlite`` exporter, on real databases.

PostgreSQL (localhost:5432, user postgres, database test) and MariaDB
(localhost:3306, root, empty password) are used for real; each test gets a
fresh schema / database, dropped afterwards.  A server that is not reachable
skips its tests, except under CI=true, where it is a failure.
``GOVCONV_TEST_PG`` (a libpq conninfo) and ``GOVCONV_TEST_MYSQL`` (host:port:user)
override where the servers are.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import uuid
from decimal import Decimal

import pytest

import govconv
from govconv import Finding
from govconv.model.report import plain_number

from conftest import IN_CI, ROOT, SEED_NAMES, SEEDS, expected, wrong_cells

DIALECTS = ("sqlite", "postgresql", "mysql")
PG_CONNINFO = os.environ.get("GOVCONV_TEST_PG", "host=localhost port=5432 user=postgres dbname=test")
MYSQL_HOST, MYSQL_PORT, MYSQL_USER = (os.environ.get("GOVCONV_TEST_MYSQL", "localhost:3306:root").split(":") + [""] * 3)[:3]

HOSTILE = ("it's O'Brien's \\ back\\slash \\' \\\\ \\n \\0 \\x00 \"dq\" `bt` '); DROP TABLE reports; -- "
           "/* c */ %s %% ? :name $1 $$ \x01\x1b\x7f\x1a 𠀀 😀 \r\n\t 中文 end")


def unavailable(what: str, err: BaseException):
    msg = f"{what}: {type(err).__name__}: {err}"
    if IN_CI:
        pytest.fail(f"{msg} (CI=true requires it)")
    pytest.skip(msg)


# -- databases ---------------------------------------------------------------------------------------

class DB:
    """A fresh, empty place to load a script into, on one real database."""

    dialect = ""

    def load(self, script: str) -> None:
        raise NotImplementedError

    def rows(self, sql: str, *params) -> list[tuple]:
        raise NotImplementedError


class SqliteDB(DB):
    dialect = "sqlite"

    def __init__(self):
        self.conn = sqlite3.connect(":memory:")

    def load(self, script):
        self.conn.executescript(script)

    def rows(self, sql, *params):
        return self.conn.execute(sql.replace("%s", "?"), params).fetchall()

    def close(self):
        self.conn.close()


class PostgresDB(DB):
    dialect = "postgresql"

    def __init__(self):
        try:
            import psycopg
        except ImportError as e:
            unavailable("psycopg is not installed", e)
        try:
            self.conn = psycopg.connect(PG_CONNINFO, autocommit=True, connect_timeout=5)
        except psycopg.OperationalError as e:
            unavailable(f"PostgreSQL not reachable at {PG_CONNINFO}", e)
        self.schema = f"govconv_test_{uuid.uuid4().hex[:12]}"
        self.conn.execute(f"CREATE SCHEMA {self.schema}")
        self.conn.execute(f"SET search_path TO {self.schema}")

    def load(self, script):
        self.conn.execute(script)      # no parameters: psycopg sends the whole script as one simple query

    def rows(self, sql, *params):
        return self.conn.execute(sql, params).fetchall()

    def close(self):
        self.conn.execute(f"DROP SCHEMA {self.schema} CASCADE")
        self.conn.close()


class MysqlDB(DB):
    dialect = "mysql"

    def __init__(self):
        try:
            import pymysql
            from pymysql.constants import CLIENT
        except ImportError as e:
            unavailable("PyMySQL is not installed", e)
        self.database = f"govconv_test_{uuid.uuid4().hex[:12]}"
        kw = dict(host=MYSQL_HOST, port=int(MYSQL_PORT), user=MYSQL_USER, password="", charset="utf8mb4",
                  connect_timeout=5, autocommit=True)
        try:
            admin = pymysql.connect(**kw)
        except pymysql.err.OperationalError as e:
            unavailable(f"MariaDB/MySQL not reachable at {MYSQL_HOST}:{MYSQL_PORT}", e)
        with admin.cursor() as cur:
            cur.execute(f"CREATE DATABASE {self.database} CHARACTER SET utf8mb4")
        admin.close()
        self.conn = pymysql.connect(database=self.database, client_flag=CLIENT.MULTI_STATEMENTS, **kw)

    def load(self, script):
        with self.conn.cursor() as cur:
            cur.execute(script)        # no args: PyMySQL sends the text as is
            while cur.nextset():       # every statement's result (and error) is read
                pass

    def rows(self, sql, *params):
        with self.conn.cursor() as cur:
            cur.execute(sql, params)
            return list(cur.fetchall())

    def close(self):
        with self.conn.cursor() as cur:
            cur.execute(f"DROP DATABASE {self.database}")
        self.conn.close()


@contextlib.contextmanager
def open_db(dialect: str):
    db = {"sqlite": SqliteDB, "postgresql": PostgresDB, "mysql": MysqlDB}[dialect]()
    try:
        yield db
    finally:
        db.close()


@pytest.fixture(params=DIALECTS)
def db(request):
    with open_db(request.param) as d:
        yield d


# -- helpers -------------------------------------------------------------------------------------------

def sql_script(registry, reports, dialect: str) -> str:
    buf = io.BytesIO()
    registry.exporter("sql").export(reports, buf, {"dialect": dialect})
    return buf.getvalue().decode("utf-8")


def seed_reports() -> dict[str, govconv.Report]:
    return {s: govconv.convert(SEEDS / f"{s}.txt") for s in SEED_NAMES}


def num(v):
    """A number as read from any of the databases, in the JSON's form."""
    if v is None or isinstance(v, int):
        return v
    return plain_number(Decimal(str(v)))


def read_tables(db: DB, rid: str) -> dict:
    out: dict = {}
    for t, r, c, v in db.rows("SELECT table_key, row_key, column_key, value FROM cells WHERE report_id = %s", rid):
        out.setdefault(t, {}).setdefault(r, {})[c] = num(v)
    return out


def read_cell_details(db: DB, rid: str) -> dict:
    return {a: {"label": label, "raw": raw, "blank": bool(blank)}
            for a, label, raw, blank in db.rows("SELECT address, label, raw, blank FROM cells WHERE report_id = %s", rid)}


def read_report(db: DB, rid: str) -> dict:
    (r,) = db.rows("SELECT layout, title, agency, year, source_file, source_format, source_sha256, source_loader, "
                   "source_size, blank_policy, preamble, options_json FROM reports WHERE report_id = %s", rid)
    sections = db.rows("SELECT number, heading, text FROM sections WHERE report_id = %s ORDER BY position", rid)
    findings = db.rows("SELECT rule, severity, cells, values_json, message_zh, message_en FROM findings "
                       "WHERE report_id = %s ORDER BY position", rid)
    return {
        "layout": r[0], "meta": {"title": r[1], "agency": r[2], "year": r[3]},
        "source": {"file": r[4], "format": r[5], "sha256": r[6], "loader": r[7], "size": r[8]},
        "options": json.loads(r[11]), "preamble": r[10],
        "sections": [{"number": n, "heading": h, "text": t} for n, h, t in sections],
        "tables": read_tables(db, rid),
        "findings": [{"rule": f[0], "severity": f[1], "cells": json.loads(f[2]), "values": json.loads(f[3]),
                      "message": f"{f[4]} / {f[5]}", "message_zh": f[4], "message_en": f[5]} for f in findings],
        "blank_policy": r[9],
    }


def want_report(report) -> dict:
    d = json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
    return {k: d[k] for k in ("layout", "meta", "source", "options", "preamble", "sections", "tables", "findings")}


def assert_report_in_db(db: DB, report, seed: str | None = None) -> None:
    rid = report.source.sha256
    got = read_report(db, rid)
    want = want_report(report)
    assert got.pop("blank_policy") == report.options.blank
    for key in want:
        assert got[key] == want[key], key
    assert read_cell_details(db, rid) == {a: {k: d[k] for k in ("label", "raw", "blank")}
                                          for a, d in report.to_dict()["cells"].items()}
    if seed:
        exp = expected(seed)
        assert wrong_cells(got["tables"], exp["tables"]) == []
        assert got["layout"] == exp["layout"] and got["meta"] == exp["meta"]
        blanks = db.rows("SELECT address FROM cells WHERE report_id = %s AND blank = %s ORDER BY address", rid, True)
        assert [b[0] for b in blanks] == sorted(exp["blank_cells"])
        assert sorted({f["rule"] for f in got["findings"]}) == sorted(exp["finding_rules"])


def counts(db: DB) -> dict[str, int]:
    return {t: db.rows(f"SELECT count(*) FROM {t}")[0][0]
            for t in ("reports", "sections", "cells", "findings", "finding_cells")}


def expected_counts(reports) -> dict[str, int]:
    return {"reports": len(reports), "sections": sum(len(r.sections) for r in reports),
            "cells": sum(len(list(r.cells())) for r in reports),
            "findings": sum(len(r.findings) for r in reports),
            "finding_cells": sum(len(f.cells) for r in reports for f in r.findings)}


def hostile_report():
    """A seed with NUL in its bytes (the model removes it), then hostile text put into the model."""
    data = (SEEDS / f"{SEED_NAMES[2]}.txt").read_bytes()
    data = data.replace("总体情况".encode(), "总体\x00情况".encode(), 1)
    r = govconv.convert(data, name="hostile'); DROP TABLE reports; --.txt")
    assert "text.nul_removed" in r.finding_rules()
    r.meta.title = "标题" + HOSTILE
    r.meta.agency = HOSTILE
    r.preamble = HOSTILE
    r.sections[0].text = HOSTILE + "\n" + r.sections[0].text
    r.sections[1].heading = HOSTILE
    c = r.cell("applications.new.natural_person")
    c.raw, c.label = HOSTILE, "自然人" + HOSTILE
    r.findings.append(Finding("cell.unparsed", ["applications.new.natural_person"], "中文" + HOSTILE,
                              "english" + HOSTILE, values={"applications.new.natural_person": HOSTILE}))
    return r


# -- the sql exporter ------------------------------------------------------------------------------------

@pytest.fixture(scope="module", params=DIALECTS)
def seeded(request, registry):
    """One database per dialect, with the script of all five seeds loaded twice."""
    reports = seed_reports()
    script = sql_script(registry, list(reports.values()), request.param)
    with open_db(request.param) as d:
        d.load(script)
        d.load(script)
        yield d, reports


@pytest.mark.parametrize("seed", SEED_NAMES)
def test_seed_round_trip(seeded, seed):
    db, reports = seeded
    assert_report_in_db(db, reports[seed], seed)


def test_seeds_loaded_twice_leave_one_copy(seeded):
    db, reports = seeded
    assert counts(db) == expected_counts(list(reports.values()))
    assert sorted(r[0] for r in db.rows("SELECT report_id FROM reports")) == sorted(
        r.source.sha256 for r in reports.values())


def test_wide_views(seeded):
    db, reports = seeded
    for seed, report in reports.items():
        rid, exp = report.source.sha256, expected(seed)["tables"]
        cols = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other", "total")
        rows = db.rows(f"SELECT row_key, {', '.join(cols)} FROM applications_wide WHERE report_id = %s", rid)
        assert {r[0]: dict(zip(cols, map(num, r[1:]))) for r in rows} == exp["applications"]
        cols = ("upheld", "corrected", "other", "pending", "total")
        rows = db.rows(f"SELECT row_key, {', '.join(cols)} FROM review_litigation_wide WHERE report_id = %s", rid)
        assert {r[0]: dict(zip(cols, map(num, r[1:]))) for r in rows} == exp["review_litigation"]


def test_cross_report_query(seeded):
    """The query of docs/sql.md: new applications per agency and year."""
    db, reports = seeded
    got = db.rows("SELECT agency, year, total, natural_person FROM applications_wide "
                  "WHERE row_key = 'new' ORDER BY year, agency")
    want = sorted(((expected(s)["meta"]["agency"], expected(s)["meta"]["year"],
                    expected(s)["tables"]["applications"]["new"]["total"],
                    expected(s)["tables"]["applications"]["new"]["natural_person"]) for s in SEED_NAMES),
                  key=lambda t: (t[1], t[0]))
    assert sorted(((a, y, num(t), num(n)) for a, y, t, n in got), key=lambda t: (t[1], t[0])) == want


def test_reloading_a_changed_report_replaces_it(db, registry):
    report = govconv.convert(SEEDS / f"{SEED_NAMES[1]}.txt")
    db.load(sql_script(registry, [report], db.dialect))
    before = counts(db)
    report.meta.title = "改过的标题"
    report.cell("applications.new.total").value = 42
    report.findings = report.findings[:0]
    db.load(sql_script(registry, [report], db.dialect))
    assert counts(db) == expected_counts([report])
    assert before["findings"] == 1 and counts(db)["findings"] == 0
    assert_report_in_db(db, report)


def test_same_report_twice_in_one_script(db, registry):
    report = govconv.convert(SEEDS / f"{SEED_NAMES[0]}.txt")
    db.load(sql_script(registry, [report, report], db.dialect))
    assert counts(db) == expected_counts([report])


def test_hostile_text_survives(db, registry):
    report = hostile_report()
    seed = govconv.convert(SEEDS / f"{SEED_NAMES[0]}.txt")
    db.load(sql_script(registry, [seed, report], db.dialect))
    assert counts(db) == expected_counts([seed, report])       # nothing dropped, nothing injected
    assert_report_in_db(db, report)
    assert_report_in_db(db, seed, SEED_NAMES[0])
    rid = report.source.sha256
    (agency,) = db.rows("SELECT agency FROM reports WHERE report_id = %s", rid)[0]
    assert agency == HOSTILE and agency.encode("utf-8") == HOSTILE.encode("utf-8")
    (raw,) = db.rows("SELECT raw FROM cells WHERE report_id = %s AND address = %s",
                     rid, "applications.new.natural_person")[0]
    assert raw == HOSTILE
    # the literal survives as a value, also when searched for by value
    assert db.rows("SELECT count(*) FROM reports WHERE agency = %s", HOSTILE)[0][0] == 1
    rules = [r[0] for r in db.rows("SELECT rule FROM findings WHERE report_id = %s", rid)]
    assert "text.nul_removed" in rules


def test_mysql_script_sets_its_own_escaping(registry):
    """Under NO_BACKSLASH_ESCAPES the escaped backslashes would double: the script switches it off."""
    with open_db("mysql") as db:
        db.rows("SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',NO_BACKSLASH_ESCAPES')")
        assert "NO_BACKSLASH_ESCAPES" in db.rows("SELECT @@SESSION.sql_mode")[0][0]
        report = hostile_report()
        db.load(sql_script(registry, [report], "mysql"))
        assert db.rows("SELECT agency FROM reports")[0][0] == HOSTILE


def test_mysql_tables_are_utf8mb4(registry):
    with open_db("mysql") as db:
        db.load(sql_script(registry, [govconv.convert(SEEDS / f"{SEED_NAMES[0]}.txt")], "mysql"))
        rows = db.rows("SELECT table_name, table_collation FROM information_schema.tables "
                       "WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'")
        assert len(rows) == 7 and all(c.startswith("utf8mb4") for _, c in rows), rows   # ledger, series


def test_postgresql_amount_is_exact(registry):
    with open_db("postgresql") as db:
        report = govconv.convert(SEEDS / f"{SEED_NAMES[0]}.txt")
        report.cell("active.procurement.amount").value = Decimal("12345678901234.123456789")
        db.load(sql_script(registry, [report], "postgresql"))
        (v,) = db.rows("SELECT value FROM cells WHERE address = 'active.procurement.amount'")[0]
        assert v == Decimal("12345678901234.123456789")


def test_default_dialect_is_sqlite_and_cli_takes_dialect(tmp_path, registry, cli):
    ex = registry.exporter("sql")
    assert ex.options["dialect"] == (("sqlite", "postgresql", "mysql"), "sqlite", "SQL dialect")
    seed = str(SEEDS / f"{SEED_NAMES[0]}.txt")
    for dialect, marker in (("mysql", "START TRANSACTION;"), ("postgresql", "SET standard_conforming_strings")):
        out = tmp_path / f"{dialect}.sql"
        proc = cli(seed, "--to", "sql", "--dialect", dialect, "-o", out)
        assert proc.code == 0, proc.err
        assert marker in out.read_text("utf-8")
    proc = cli(seed, "--to", "sql")
    assert proc.code == 0, proc.err
    conn = sqlite3.connect(":memory:")
    conn.executescript(proc.out.decode("utf-8"))
    assert conn.execute("SELECT count(*) FROM cells").fetchone()[0] == len(list(govconv.convert(seed).cells()))


def test_lone_surrogate_becomes_replacement_character(registry):
    report = govconv.convert(SEEDS / f"{SEED_NAMES[0]}.txt")
    report.meta.agency = "a\ud800b"
    with open_db("sqlite") as db:
        db.load(sql_script(registry, [report], "sqlite"))
        assert db.rows("SELECT agency FROM reports")[0][0] == "a\ufffdb"


# -- the sqlite exporter ------------------------------------------------------------------------------------

def test_cli_sqlite_twice_gives_five(tmp_path, cli):
    path = tmp_path / "r.db"
    seeds = [str(SEEDS / f"{s}.txt") for s in SEED_NAMES]
    for _ in range(2):
        proc = cli(*seeds, "--to", "sqlite", "-o", str(path))
        assert proc.code == 0, proc.err
    db = SqliteDB()
    db.conn = sqlite3.connect(path)
    try:
        reports = seed_reports()
        assert counts(db) == expected_counts(list(reports.values()))
        for seed, report in reports.items():
            assert_report_in_db(db, report, seed)
    finally:
        db.close()


def test_cli_sqlite_appends(tmp_path, cli):
    path = tmp_path / "r.db"
    for s in SEED_NAMES:
        proc = cli(str(SEEDS / f"{s}.txt"), "--to", "sqlite", "-o", str(path))
        assert proc.code == 0, proc.err
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM reports").fetchone()[0] == len(SEED_NAMES)
    conn.close()


def test_cli_sqlite_needs_output(cli):
    proc = cli(str(SEEDS / f"{SEED_NAMES[0]}.txt"), "--to", "sqlite")
    assert proc.code == 2 and "-o" in proc.err


def test_cli_sqlite_not_a_database(tmp_path, cli):
    path = tmp_path / "not.db"
    path.write_bytes(b"this is not a SQLite database, just text" * 100)
    proc = cli(str(SEEDS / f"{SEED_NAMES[0]}.txt"), "--to", "sqlite", "-o", str(path))
    assert proc.code == 10, proc.err
    assert "Traceback" not in proc.err


def test_sqlite_exporter_hostile_and_replace(tmp_path, registry):
    path = tmp_path / "h.db"
    ex = registry.exporter("sqlite")
    report = hostile_report()
    ex.export_to_path([report], path, {})
    ex.export_to_path([report], path, {})
    db = SqliteDB()
    db.conn = sqlite3.connect(path)
    try:
        assert counts(db) == expected_counts([report])
        assert_report_in_db(db, report)
        assert db.rows("SELECT agency FROM reports")[0][0] == HOSTILE
    finally:
        db.close()


def test_sqlite_exporter_and_sql_dialect_sqlite_build_the_same_schema(tmp_path, registry):
    path = tmp_path / "a.db"
    report = govconv.convert(SEEDS / f"{SEED_NAMES[3]}.txt")
    registry.exporter("sqlite").export_to_path([report], path, {})
    a = sqlite3.connect(path)
    b = sqlite3.connect(":memory:")
    b.executescript(sql_script(registry, [report], "sqlite"))

    def shape(conn):
        objs = conn.execute("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
                            "ORDER BY name").fetchall()
        return objs, {n: [(c[1], c[2].upper(), c[3], c[5]) for c in conn.execute(f"PRAGMA table_info({n})")]
                      for _, n in objs}

    def data(conn):
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr)
                for t in ("reports", "sections", "cells", "findings", "finding_cells",
                          "applications_wide", "review_litigation_wide")}

    assert shape(a) == shape(b)
    assert data(a) == data(b)
    a.close()
    b.close()


def test_sqlalchemy_is_imported_lazily():
    proc = subprocess.run([sys.executable, "-c", "import sys, govconv_plugins.sql_exporter, "
                           "govconv_plugins.sqlite_exporter; print('sqlalchemy' in sys.modules)"],
                          capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "False", proc.stderr


# -- numbers at and beyond the limits of the model --------------------------------------------------------

INT64_MAX = 2 ** 63 - 1
INT64_MIN = -(2 ** 63)


def with_values(seed: str, rows: dict[str, list[str]]) -> bytes:
    """The seed with the value cells after each row label replaced, in order."""
    lines = (SEEDS / f"{seed}.txt").read_text("utf-8").split("\n")
    for label, values in rows.items():
        i = lines.index("\t" + label) + 1
        for v in values:
            assert lines[i].startswith("\t"), lines[i]
            lines[i], i = "\t" + v, i + 1
    return "\n".join(lines).encode("utf-8")


def extreme_reports() -> dict[str, tuple[govconv.Report, dict]]:
    """Reports whose cells hold the largest values there are, and numbers beyond them
    (``cell.unparsed``, value null, raw text kept); with the values each must read back as."""
    gov2021 = govconv.convert(with_values(SEED_NAMES[2], {
        "一、本年新收政府信息公开申请数量": [str(INT64_MAX), "12345678901234567890", "9223372036854775808",
                                  "0", "3", "0", "3"],
        "行政事业性收费": ["999999999999999999.999999"]}), name="extreme-2021.txt")
    gov2019 = govconv.convert(with_values(SEED_NAMES[0], {
        "行政处罚": [str(INT64_MAX), str(INT64_MIN), "0"],
        "行政强制": ["0", "-9223372036854775809", "0"],
        "政府集中采购": ["39", "0.000001元"],
        "行政事业性收费": ["0", "-10000000000000000000"]}), name="extreme-2019.txt")
    out = {
        "gov2021": (gov2021, {
            "applications.new.natural_person": (INT64_MAX, str(INT64_MAX)),
            "applications.new.commercial": (None, "12345678901234567890"),
            "applications.new.research": (None, "9223372036854775808"),
            "active.fees.amount": (Decimal("999999999999999999.999999"), "999999999999999999.999999")}),
        "gov2019": (gov2019, {
            "active.penalty.previous": (INT64_MAX, str(INT64_MAX)),
            "active.penalty.change": (INT64_MIN, str(INT64_MIN)),
            "active.coercion.change": (None, "-9223372036854775809"),
            "active.procurement.amount": (Decimal("0.000001"), "0.000001元"),
            "active.procurement.items": (39, "39"),
            "active.fees.change": (None, "-10000000000000000000")}),
    }
    for report, cells in out.values():
        for address, (value, raw) in cells.items():
            c = report.cell(address)
            assert (c.value, c.raw) == (value, raw), address
            assert type(c.value) is type(value), address
        unparsed = {a for f in report.findings if f.rule == "cell.unparsed" for a in f.cells}
        assert unparsed == {a for a, (v, _) in cells.items() if v is None}
    return out


def exact(v):
    """A value as a database gave it back, as an exact number (SQLite: INTEGER, or TEXT for a fraction)."""
    if v is None or isinstance(v, int):
        return v
    assert not isinstance(v, float), f"{v!r} came back as a float: not exact"
    d = Decimal(str(v))
    return int(d) if d == d.to_integral_value() else d.normalize()


def assert_values_exact(db: DB, reports) -> None:
    for report, cells in reports.values():
        rid = report.source.sha256
        got = {a: (exact(v), raw) for a, v, raw in
               db.rows("SELECT address, value, raw FROM cells WHERE report_id = %s", rid)}
        for address, want in cells.items():
            assert got[address] == want, address
        assert got == {c.address: (c.value, c.raw) for c in report.cells()}
        rules = [r[0] for r in db.rows("SELECT rule FROM findings WHERE report_id = %s", rid)]
        assert "cell.unparsed" in rules


def test_numbers_at_the_limits_load_exactly_into_every_database(db, registry):
    """Counts up to 2^63-1, amounts of NUMERIC(24, 6): the script loads, every value reads back exactly;
    numbers beyond are null with their raw text (the MySQL script failed: ERROR 1264)."""
    reports = extreme_reports()
    db.load(sql_script(registry, [r for r, _ in reports.values()], db.dialect))
    assert_values_exact(db, reports)
    if db.dialect == "sqlite":           # no REAL anywhere: an amount with a fraction is its exact text
        types = dict(db.rows("SELECT address, typeof(value) FROM cells WHERE report_id = %s",
                             reports["gov2021"][0].source.sha256))
        assert types["applications.new.natural_person"] == "integer" and types["active.fees.amount"] == "text"
        assert "real" not in {t for (t,) in db.rows("SELECT DISTINCT typeof(value) FROM cells")}


def test_numbers_at_the_limits_load_exactly_with_the_sqlite_exporter(tmp_path, registry):
    """--to sqlite crashed with OverflowError (exit 70) on a 20-digit count, and stored amounts as REAL."""
    reports = extreme_reports()
    path = tmp_path / "x.db"
    registry.exporter("sqlite").export_to_path([r for r, _ in reports.values()], path, {})
    db = SqliteDB()
    db.conn = sqlite3.connect(path)
    try:
        assert_values_exact(db, reports)
        assert {t for (t,) in db.rows("SELECT DISTINCT typeof(value) FROM cells")} <= {"integer", "text", "null"}
        # arithmetic still works on the text of an amount
        (total,) = db.rows("SELECT sum(value) FROM cells WHERE address = 'active.procurement.amount'")[0]
        assert total == pytest.approx(0.000001)
    finally:
        db.close()


def test_cli_sqlite_loads_a_batch_with_a_huge_count(tmp_path, cli):
    hostile = ROOT / "fixtures" / "hostile"
    path = tmp_path / "r.db"
    proc = cli(str(hostile / "txt-huge-count.txt"), str(SEEDS / f"{SEED_NAMES[0]}.txt"),
                   str(hostile / "txt-huge-amount.txt"), "--to", "sqlite", "-o", str(path))
    assert proc.code == 0, proc.err
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM reports").fetchone()[0] == 3
    raws = {a: raw for a, raw in conn.execute("SELECT address, raw FROM cells WHERE value IS NULL").fetchall()
            if raw and len(raw) >= 19}
    assert raws == {"applications.new.natural_person": "12345678901234567890",
                    "applications.new.commercial": "9223372036854775808",
                    "active.procurement.amount": "1000000000000000000元"}
    conn.close()


@pytest.mark.parametrize("value", [Decimal("0.1"), Decimal("1033427.25"), Decimal("123456789012.123456"),
                                   Decimal("999999999999999999.999999"), Decimal("-0.000001")])
def test_amounts_round_trip_exactly_in_every_dialect(db, registry, value):
    report = govconv.convert(SEEDS / f"{SEED_NAMES[0]}.txt")
    report.cell("active.procurement.amount").value = value
    db.load(sql_script(registry, [report], db.dialect))
    (v,) = db.rows("SELECT value FROM cells WHERE address = 'active.procurement.amount'")[0]
    assert exact(v) == value


# -- the relational model rendered: transactions per chunk, older databases, the ledger --------------------

def test_script_commits_in_chunks_of_reports(registry, monkeypatch):
    import copy
    import hashlib

    from govconv_plugins import sql_exporter

    monkeypatch.setattr(sql_exporter, "CHUNK", 2)          # 50 in use: 5 reports, 3 transactions
    one = govconv.convert(SEEDS / f"{SEED_NAMES[0]}.txt")
    reports = []
    for i in range(5):
        r = copy.deepcopy(one)
        r.source.sha256 = hashlib.sha256(str(i).encode()).hexdigest()
        reports.append(r)
    for dialect, begin in (("sqlite", "BEGIN;"), ("mysql", "START TRANSACTION;"), ("postgresql", "BEGIN;")):
        script = sql_script(registry, reports, dialect)
        schema = 1 if dialect == "postgresql" else 0          # PostgreSQL: the schema in a transaction too
        assert script.count(f"\n{begin}\n") == 3 + schema and script.count("\nCOMMIT;") == 3 + schema
    with open_db("sqlite") as db:
        db.load(sql_script(registry, reports, "sqlite"))
        assert counts(db) == expected_counts(reports)


def test_postgresql_script_gives_an_older_database_what_it_lacks(registry):
    """A database whose cells have no ``uncertain``: the script adds it (and the ledger), then loads."""
    report = govconv.convert(SEEDS / f"{SEED_NAMES[0]}.txt")
    with open_db("postgresql") as db:
        script = sql_script(registry, [report], "postgresql")
        old = [s for s in script.split(";\n") if s.startswith("CREATE TABLE") and "inputs" not in s.split("(")[0]]
        for ddl in old:
            db.load(ddl.replace("\tuncertain BOOLEAN, \n", ""))
        assert "uncertain" not in [r[0] for r in db.rows(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = 'cells'")]
        db.load(script)
        db.load(script)
        assert counts(db) == expected_counts([report])
        assert db.rows("SELECT count(*) FROM cells WHERE uncertain = false")[0][0] == len(list(report.cells()))
        assert db.rows("SELECT count(*) FROM inputs")[0][0] == 0


def test_uncertain_cells_are_marked(db, registry):
    report = govconv.convert(SEEDS / f"{SEED_NAMES[0]}.txt")
    report.cell("applications.new.total").uncertain = True
    db.load(sql_script(registry, [report], db.dialect))
    rows = db.rows("SELECT address FROM cells WHERE uncertain = %s", True)
    assert rows == [("applications.new.total",)]
