"""The SQLite output in Datasette, with the metadata govconv writes (Chinese labels, facets).

Datasette is the extra ``govconv[datasette]``: the server test skips without it, except in
CI (CI=true), where it fails.
"""
from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest

import govconv
from conftest import IN_CI, SEED_NAMES, SEEDS, realworld_file, run_main
from govconv.review.datasette import database_name, datasette_metadata


@pytest.fixture(scope="module")
def database(tmp_path_factory, registry):
    """reports.db of the seeds and the real PDF, and the metadata for it, as the docs say
    (the commands in this process; what they say on failure is in the captured output)."""
    where = tmp_path_factory.mktemp("datasette")
    db, meta = where / "reports.db", where / "metadata.json"
    inputs = [SEEDS / f"{n}.txt" for n in SEED_NAMES] + [realworld_file("huaian-city-2024.pdf")]
    assert run_main(*inputs, "--to", "sqlite", "-o", db, registry=registry) == 0
    assert run_main("review", "--datasette-metadata", meta, "--database", db, registry=registry) == 0
    return db, meta, inputs


def test_metadata_names_what_the_database_has(database):
    db, meta_path, _inputs = database
    meta = json.loads(meta_path.read_text("utf-8"))
    (name,) = meta["databases"]
    assert name == "reports"
    tables = meta["databases"]["reports"]["tables"]
    con = sqlite3.connect(db)
    have = {n for (n,) in con.execute("select name from sqlite_master where type in ('table', 'view')")}
    assert {"reports", "cells", "findings", "applications_wide", "review_litigation_wide"} <= set(tables) & have
    for table, entry in tables.items():
        if table not in have:
            continue
        columns = {row[1] for row in con.execute(f'pragma table_info("{table}")')}
        assert set(entry["columns"]) <= columns, table
        assert set(entry.get("facets", ())) <= columns, table
        assert any("\u4e00" <= ch <= "\u9fff" for ch in entry["title"]), table
    assert {"year", "agency", "layout"} <= set(tables["reports"]["facets"])
    assert {"year", "agency", "layout"} <= set(tables["applications_wide"]["facets"])
    assert tables["applications_wide"]["columns"]["natural_person"] == "自然人"
    assert tables["review_litigation_wide"]["columns"]["upheld"] == "结果维持"
    assert "采购总金额" in tables["active_wide"]["columns"]["amount"]
    # the canned queries run on the database
    for q in meta["databases"]["reports"]["queries"].values():
        con.execute(q["sql"], {"address": "applications.new.total"}).fetchall()


def test_metadata_in_python(registry):
    templates = [la.template for la in registry.layouts.values()]
    meta = datasette_metadata(templates, database="my reports")
    assert list(meta["databases"]) == ["my reports"]
    assert database_name("data/reports.db") == "reports" and database_name("reports") == "reports"
    assert database_name("x.sqlite3") == "x"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str):
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))   # never through a proxy
    with opener.open(url, timeout=10) as r:
        return json.loads(r.read().decode("utf-8"))


def test_datasette_serves_a_cell(database, tmp_path):
    try:
        import datasette  # noqa: F401
    except ImportError:
        if IN_CI:
            pytest.fail("datasette is missing: pip install 'govconv[datasette]'")
        pytest.skip("datasette is not installed (pip install 'govconv[datasette]')")
    db, meta, inputs = database
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (tmp_path / "datasette.log").open("wb")
    server = subprocess.Popen([sys.executable, "-m", "datasette", "serve", str(db), "-m", str(meta),
                               "--host", "127.0.0.1", "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get(f"{base}/-/versions.json")
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "datasette.log").read_text(errors="replace")
                assert time.monotonic() < deadline, "datasette did not answer within 60 s"
                time.sleep(0.3)
        pdf = govconv.convert(inputs[-1])
        query = urllib.parse.urlencode({"report_id": pdf.source.sha256, "address": "applications.new.total",
                                        "_shape": "array"})
        (row,) = get(f"{base}/reports/cells.json?{query}")
        assert row["value"] == pdf.value("applications.new.total") == 3119
        assert row["raw"] == "3119" and row["origin_page"] == 4
        # the amount, exact
        query = urllib.parse.urlencode({"report_id": pdf.source.sha256, "address": "active.fees.amount",
                                        "_shape": "array"})
        (row,) = get(f"{base}/reports/cells.json?{query}")
        assert str(row["value"]) == "96171.6"
        # the facets of the metadata
        data = get(f"{base}/reports/reports.json")
        facets = data["facet_results"]
        facets = facets.get("results", facets)
        assert {"year", "agency", "layout"} <= set(facets)
        years = {x["value"]: x["count"] for x in facets["year"]["results"]}
        assert years[2024] == 1 and sum(years.values()) == len(inputs)
        # the canned query: one cell across reports
        rows = get(f"{base}/reports/cell_across_reports.json?address=applications.new.total&_shape=array")
        assert len(rows) == len(inputs) and {r["agency"] for r in rows} >= {"淮安市人民政府"}
        # the Chinese labels are served
        assert get(f"{base}/-/metadata.json")["databases"]["reports"]["tables"]["cells"]["title"] == "单元格 / cells"
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
