"""govconv.to_frame: reports as pandas DataFrames, long and wide, checked against the seeds.

pandas is the extra ``govconv[pandas]``: these tests skip without it, except in CI (CI=true).
"""
from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

import pytest

import govconv
from conftest import IN_CI, SEED_NAMES, SEEDS, expected, flat_tables, realworld_file


@pytest.fixture(scope="module")
def pd():
    try:
        import pandas
    except ImportError:
        if IN_CI:
            pytest.fail("pandas is missing: pip install 'govconv[pandas]'")
        pytest.skip("pandas is not installed (pip install 'govconv[pandas]')")
    return pandas


@pytest.fixture(scope="module")
def seeds(registry):
    return {name: govconv.convert(SEEDS / f"{name}.txt", registry=registry) for name in SEED_NAMES}


def test_long_frame_holds_every_seed_value(pd, seeds):
    df = govconv.to_frame(list(seeds.values()))
    assert list(df.columns)[:16] == ["report", "agency", "year", "layout", "table", "row", "column", "address",
                                     "value", "blank", "raw", "uncertain", "corrected", "page", "line", "label"]
    assert len(df) == sum(len(list(r.cells())) for r in seeds.values())
    for name, report in seeds.items():
        want = expected(name)
        mine = df[df["report"] == report.source.sha256]
        got = {a: (None if pd.isna(v) else v) for a, v in zip(mine["address"], mine["value"])}
        assert got == flat_tables(want["tables"]), name
        assert set(mine.loc[mine["blank"], "address"]) == set(want["blank_cells"])
        assert set(mine["layout"]) == {want["layout"]} and set(mine["year"]) == {want["meta"]["year"]}
        assert set(mine["agency"]) == {want["meta"]["agency"]}
        assert mine["line"].notna().any() and mine["page"].isna().all()       # txt: lines, no pages
    assert str(df["year"].dtype) == "Int64" and df["blank"].dtype == bool and not df["corrected"].any()


def test_wide_frame_per_table(pd, seeds):
    reports = list(seeds.values())
    wide = govconv.to_frame(reports, wide="applications")
    assert list(wide.columns) == ["report", "agency", "year", "layout", "row", "row_label", "natural_person",
                                  "commercial", "research", "social_welfare", "legal_service", "other", "total"]
    assert len(wide) == sum(len(r.tables["applications"].rows) for r in reports)
    assert str(wide["total"].dtype) == "Int64"
    for name, report in seeds.items():
        want = expected(name)["tables"]["applications"]
        mine = wide[wide["report"] == report.source.sha256]
        assert list(mine["row"]) == list(report.tables["applications"].rows)
        for _, row in mine.iterrows():
            got = {c: (None if pd.isna(row[c]) else row[c]) for c in want[row["row"]]}
            assert got == want[row["row"]], (name, row["row"])
    review = govconv.frames.to_wide_frame(reports, "review_litigation")
    assert list(review.columns)[6:] == ["upheld", "corrected", "other", "pending", "total"]
    assert list(review["row"].unique()) == ["review", "litigation_direct", "litigation_after_review"]


def test_both_layouts_and_amounts(pd, seeds):
    pdf = govconv.convert(realworld_file("huaian-city-2024.pdf"))
    reports = [*seeds.values(), pdf]
    active = govconv.to_frame(reports, wide="active")
    # the union of both templates' columns; a cell a row does not have is <NA>
    assert {"made", "previous", "change", "items", "issued", "in_force", "amount"} <= set(active.columns)
    fees = active[(active["report"] == pdf.source.sha256) & (active["row"] == "fees")].iloc[0]
    assert fees["amount"] == 96171.6 and pd.isna(fees["issued"])
    long = govconv.to_frame(reports)
    assert str(long["value"].dtype) == "Float64"                 # amounts with a fraction
    pages = long[long["report"] == pdf.source.sha256]["page"]
    assert pages.notna().all() and set(pages) <= set(range(1, 7))
    exact = govconv.to_frame(reports, exact=True)
    amounts = exact[exact["address"] == "active.fees.amount"]["value"]
    assert Decimal("96171.6") in list(amounts)
    assert all(isinstance(v, (int, Decimal)) or v is None for v in exact["value"])


def test_json_reports_give_the_same_frame(pd, seeds, tmp_path, cli):
    reports = list(seeds.values())
    out = tmp_path / "all.json"
    p = cli(*[SEEDS / f"{n}.txt" for n in SEED_NAMES], "--to", "json", "-o", out)
    assert p.code == 0, p.err
    data = json.loads(out.read_text("utf-8"))           # in the order the conversions finished
    order = ["report", "address"]
    from_json = govconv.to_frame(data).sort_values(order, kind="stable").reset_index(drop=True)
    from_reports = govconv.to_frame(reports).sort_values(order, kind="stable").reset_index(drop=True)
    assert from_json.equals(from_reports)
    first = next(r for r in reports if r.source.sha256 == data[0]["source"]["sha256"])
    assert govconv.to_frame(data[0]).equals(govconv.to_frame(first))


def test_corrected_and_uncertain_flags(pd, registry, seeds):
    from govconv.rules.corrections import apply_corrections, parse_corrections

    report = govconv.convert(SEEDS / f"{SEED_NAMES[0]}.txt", registry=registry)
    fixes = parse_corrections(json.dumps({"corrections": [{"sha256": report.source.sha256,
                                                           "address": "applications.new.total", "value": 42,
                                                           "reason": "r"}]}), "f.json")
    apply_corrections(report, fixes, registry.layouts[report.layout].template)
    report.cell("applications.new.other").uncertain = True
    df = govconv.to_frame(report).set_index("address")
    assert df.loc["applications.new.total", "corrected"] and df.loc["applications.new.total", "value"] == 42
    assert df.loc["applications.new.other", "uncertain"]
    assert df["corrected"].sum() == 1 and df["uncertain"].sum() == 1


def test_errors(pd, seeds):
    with pytest.raises(ValueError, match="no table 'nope'.*applications"):
        govconv.to_frame(list(seeds.values()), wide="nope")
    with pytest.raises(TypeError):
        govconv.to_frame([42])
    with pytest.raises(ValueError, match="not the JSON of a govconv report"):
        govconv.to_frame({"tables": 1})
    assert govconv.to_frame([]).empty


def test_without_pandas_the_error_says_how_to_install_it():
    code = ("import sys\nsys.modules['pandas'] = None\nimport govconv\n"
            "try:\n    govconv.to_frame([])\nexcept ImportError as e:\n    print('ERR', e)\n")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "ERR" in p.stdout and "pip install 'govconv[pandas]'" in p.stdout, p.stdout + p.stderr


def test_import_and_help_do_not_import_pandas():
    code = ("import sys\nimport govconv\nfrom govconv.cli import main\ntry:\n    main(['--help'])\n"
            "except SystemExit:\n    pass\nprint('PANDAS', 'pandas' in sys.modules, callable(govconv.to_frame))")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "PANDAS False True" in p.stdout, p.stdout + p.stderr
