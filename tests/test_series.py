"""A series across reports (``govconv audit``): every planted inconsistency of
fixtures/series/ is found and nothing else — the traps raise nothing — through the
Python API, the command on files, and the command on a SQLite database."""
from __future__ import annotations

import copy
import importlib.util
import json
import sqlite3

import pytest

import govconv
from conftest import FIXTURES, ROOT, one_line_error, run_main
from govconv import ExitCode
from govconv.series.audit import (SERIES_FINDINGS_COLUMNS, SERIES_RULES, _agency_key, _prepare_aliases, audit,
                                  series_rows)

SERIES = FIXTURES / "series"
EXPECTED = json.loads((SERIES / "expected.json").read_text("utf-8"))
AGENCY = EXPECTED["agency"]
FILES = sorted(p.name for p in SERIES.glob("*.txt"))


def summary(f: dict) -> dict:
    """What the expected findings fix of a finding (its JSON)."""
    return {"rule": f["rule"], "severity": f["severity"], "agency": f["agency"], "years": f["years"],
            "files": sorted(n for r in f["reports"] for n in r["files"]), "cells": f["cells"],
            "values": f["values"]}


def want() -> list[dict]:
    return [{**f, "files": sorted(f["files"])} for f in EXPECTED["findings"]]


def findings_of(result) -> list[dict]:
    return [summary(f.to_dict()) for f in result.findings]


@pytest.fixture(scope="module")
def reports() -> dict[str, govconv.Report]:
    return {name: govconv.convert(SERIES / name) for name in FILES}


@pytest.fixture(scope="module")
def documents(reports) -> dict[str, dict]:
    """The reports' JSON (the contract's shape), to edit a trap away."""
    return {name: r.to_dict() for name, r in reports.items()}


def without(documents: dict, *names: str) -> list[dict]:
    return [copy.deepcopy(d) for n, d in documents.items() if n not in names]


# -- the fixtures ---------------------------------------------------------------------------------

def test_the_fixtures_are_what_the_script_builds(tmp_path):
    spec = importlib.util.spec_from_file_location("build_series", FIXTURES / "build_series.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.build(tmp_path / "series")
    built = sorted(p.name for p in (tmp_path / "series").iterdir())
    assert built == sorted(p.name for p in SERIES.iterdir())
    for name in built:
        assert (tmp_path / "series" / name).read_bytes() == (SERIES / name).read_bytes(), \
            f"{name}: run python fixtures/build_series.py"


def test_each_report_reads_as_built(reports):
    """The files are consistent on their own but for the findings they are built with."""
    for name, r in reports.items():
        assert r.finding_rules() == EXPECTED["report_findings"].get(name, []), name
        assert r.meta.year and r.meta.agency and r.meta.title, name


# -- the API -----------------------------------------------------------------------------------------

def test_every_planted_inconsistency_is_found_and_nothing_else(reports):
    result = govconv.audit(reports.values())
    assert findings_of(result) == want()
    assert result.set_aside == []
    for f in result.findings:
        assert f.message == f"{f.message_zh} / {f.message_en}"
        assert any("\u4e00" <= ch <= "\u9fff" for ch in f.message_zh)
        assert f.agency in f.message_zh and f.agency in f.message_en
        assert f.rule in SERIES_RULES
        assert {r.key for r in f.reports} <= {r.key for r in reports.values()}


def test_groups(reports):
    result = audit(reports.values())
    got = {g.agency: {"years": g.years, "reports": len(g.reports)} for g in result.groups}
    assert got == EXPECTED["groups"]
    assert result.reports == len(FILES) - 1        # the 2023 copy is the 2023 report


def test_the_json_of_a_report_audits_as_the_report(reports, documents):
    assert findings_of(audit(documents.values())) == findings_of(audit(reports.values()))


def test_the_same_report_twice_is_one_report(reports):
    copy_ = reports["lushan-2023-copy.txt"]
    assert copy_.key == reports["lushan-2023.txt"].key
    result = audit([*reports.values(), copy_])
    assert findings_of(result) == want()
    (g,) = [g for g in result.groups if g.agency == AGENCY]
    (r2023,) = [r for r in g.reports if r.year == 2023]
    assert r2023.files == ["lushan-2023-copy.txt", "lushan-2023.txt"]
    assert not [f for f in result.findings if f.rule == "series.duplicate" and f.years == [2023]]


def test_blank_null_policy_changes_nothing_here():
    reports = [govconv.convert(SERIES / name, blank="null") for name in FILES]
    assert findings_of(audit(reports)) == want()


# -- the traps, and that each would bite without its rule ------------------------------------------------

def test_agencies_with_like_names_are_not_merged(documents):
    result = audit(documents.values())
    assert {g.agency for g in result.groups} == set(EXPECTED["groups"])
    # told that the health centre is the 街道 itself, the audit merges them: the gap is filled,
    # and its numbers do not continue the series
    merged = audit(documents.values(), aliases={"富阳区鹿山街道社区卫生服务中心": AGENCY})
    rules = {(f.rule, tuple(f.years)) for f in merged.findings}
    assert ("series.gap", (2023, 2025)) not in rules
    assert ("series.carried_over", (2023, 2024)) in rules and ("series.carried_over", (2024, 2025)) in rules


def test_years_that_are_not_consecutive_are_not_compared(documents):
    assert [f.rule for f in audit(documents.values()).findings if f.years == [2023, 2025]] == ["series.gap"]
    # 2025 read as 2024: now consecutive, its 上年结转 (7) and in-force counts (200) are compared
    docs = without(documents)
    (d,) = [d for d in docs if d["source"]["file"] == "lushan-2025.txt"]
    d["meta"]["year"], d["meta"]["title"] = 2024, d["meta"]["title"].replace("2025", "2024")
    rules = {(f.rule, tuple(f.years)) for f in audit(docs).findings}
    assert ("series.carried_over", (2023, 2024)) in rules and ("series.in_force", (2023, 2024)) in rules
    assert not any(rule == "series.gap" for rule, _ in rules)


def test_no_in_force_chain_through_the_2019_template(documents):
    result = audit(documents.values())
    assert not [f for f in result.findings if f.years[0] == 2020]
    (d2020,) = [d for d in documents.values() if d["source"]["file"] == "lushan-2020.txt"]
    assert d2020["layout"] == "gov2019" and "in_force" not in d2020["tables"]["active"]["regulations"]
    assert d2020["tables"]["active"]["regulations"]["total"] == 99      # 对外公开总数量, not in force


def test_a_null_cell_is_skipped_not_read_as_zero(documents):
    (d2021,) = [d for d in documents.values() if d["source"]["file"] == "lushan-2021.txt"]
    assert d2021["tables"]["applications"]["carried_over"]["total"] is None
    assert not [f for f in audit(documents.values()).findings if f.years == [2020, 2021]]
    # read as 0, the 1 carried forward in 2020 would be a finding
    docs = without(documents)
    (d,) = [d for d in docs if d["source"]["file"] == "lushan-2021.txt"]
    d["tables"]["applications"]["carried_over"]["total"] = 0
    assert [f.cells for f in audit(docs).findings if f.years == [2020, 2021]] == \
        [["applications.carried_forward.total", "applications.carried_over.total"]]


def test_a_blank_printed_cell_reads_as_the_report_reads_it(documents):
    (d2020,) = [d for d in documents.values() if d["source"]["file"] == "lushan-2020.txt"]
    assert "applications.carried_forward.commercial" in d2020["blank_cells"]
    assert d2020["tables"]["applications"]["carried_forward"]["commercial"] == 0


def test_a_cell_read_in_doubt_is_skipped(documents):
    (d2023,) = [d for d in documents.values() if d["source"]["file"] == "lushan-2023.txt"]
    assert d2023["cells"]["active.regulations.in_force"].get("uncertain") is True
    assert not [f for f in audit(documents.values()).findings if "active.regulations.in_force" in f.cells]
    # read as certain, 规章 6 + 0 − 0 ≠ 9 would be a finding
    docs = without(documents)
    for d in docs:
        for detail in d["cells"].values():
            detail.pop("uncertain", None)
    assert [f for f in audit(docs).findings if "active.regulations.in_force" in f.cells]


def test_two_reports_of_one_year_that_disagree_are_not_guessed_between(documents):
    def carried_2022_2023(docs):
        return [f.cells[1] for f in audit(docs).findings if f.rule == "series.carried_over" and f.years == [2022, 2023]]

    assert carried_2022_2023(without(documents)) == []
    assert carried_2022_2023(without(documents, "lushan-2022-revised.txt")) == []      # 2 = 2
    assert carried_2022_2023(without(documents, "lushan-2022.txt")) == [                # 3 ≠ 2
        "applications.carried_over.natural_person", "applications.carried_over.total"]


# -- who and when ----------------------------------------------------------------------------------------

def _one(documents, name="lushan-2022.txt") -> dict:
    (d,) = [copy.deepcopy(d) for d in documents.values() if d["source"]["file"] == name]
    return d


@pytest.mark.parametrize("edit, reason", [
    (lambda d: d["meta"].update(title=None), "not_in_title"),
    (lambda d: d["meta"].update(agency=None), "agency_unknown"),
    (lambda d: d["meta"].update(year=None), "year_unknown"),
    (lambda d: d["meta"].update(agency="鹿山街道党工委"), "not_in_title"),
    (lambda d: d["meta"].update(title=d["meta"]["title"].replace("2022年", "2022年至2023年")), "several_years"),
])
def test_a_report_whose_identity_is_in_doubt_is_set_aside(documents, edit, reason):
    d = _one(documents)
    edit(d)
    result = audit([d])
    assert result.groups == [] and result.findings == []
    assert [(s.reason, s.report.files) for s in result.set_aside] == [(reason, ["lushan-2022.txt"])]
    assert all(" / " in s["message"] for s in result.to_dict()["set_aside"])


def test_a_date_in_brackets_is_not_a_second_year(documents):
    d = _one(documents)
    d["meta"]["title"] += "（2023年1月修订）"
    result = audit([d])
    assert result.set_aside == [] and result.groups[0].years == [2022]


def test_one_report_read_as_two_years_is_not_guessed(documents):
    a, b = _one(documents, "lushan-2023.txt"), _one(documents, "lushan-2023-copy.txt")
    b["meta"]["year"] = 2024
    b["meta"]["title"] = b["meta"]["title"].replace("2023", "2024")
    result = audit([*without(documents, "lushan-2023.txt", "lushan-2023-copy.txt"), a, b])
    assert [(s.reason, s.report.files) for s in result.set_aside] == \
        [("conflicting_copies", ["lushan-2023-copy.txt", "lushan-2023.txt"])]
    assert not [f for f in result.findings if 2023 in f.years and f.rule != "series.gap"]


def test_a_set_aside_report_that_may_be_the_missing_year_holds_the_gap_back(documents):
    docs = without(documents)
    extra = _one(documents, "lushan-2025.txt")
    extra["source"]["sha256"] = "0" * 64
    extra["meta"]["year"], extra["meta"]["title"] = 2024, None       # a 2024 report without a title
    rules = [f.rule for f in audit([*docs, extra]).findings]
    assert "series.gap" not in rules and rules.count("series.carried_over") == 2


def test_agency_names_fold_and_alias():
    assert _agency_key("富阳区 鹿山街道") == _agency_key("富阳区鹿山街道\u3000") == "富阳区鹿山街道"
    assert _agency_key("ＸＸ县\u200b人民政府") == "XX县人民政府"
    assert _agency_key(None) is None and _agency_key("  ") is None
    aliases = _prepare_aliases({"富阳区 鹿山街道办事处": "富阳区鹿山街道"})
    assert _agency_key("富阳区鹿山街道办事处", aliases) == "富阳区鹿山街道"
    assert _agency_key("临安区鹿山街道", aliases) == "临安区鹿山街道"


def test_an_alias_gives_the_group_its_canonical_name(documents):
    def renamed(name):
        docs = without(documents)
        for d in docs:
            if d["meta"]["agency"] == AGENCY and d["meta"]["year"] == 2025:
                d["meta"]["agency"] = name
                d["meta"]["title"] = d["meta"]["title"].replace(AGENCY, name)
        return docs

    # the documented normalisation already makes one body of these (suffix variant, city prefix)
    for name in ("富阳区鹿山街道办事处", "杭州市富阳区鹿山街道"):
        assert findings_of(audit(renamed(name))) == want(), name
    docs = renamed("鹿山街道")                                  # a short name: only an alias joins it
    split = audit(docs)
    assert "鹿山街道" in {g.agency for g in split.groups}
    assert "series.gap" not in split.finding_rules()          # 2025 now stands alone, another agency
    joined = audit(docs, aliases={"鹿山街道": AGENCY})
    (g,) = [g for g in joined.groups if g.agency == AGENCY]
    assert g.names == [AGENCY, "鹿山街道"]
    assert findings_of(joined) == want()


# -- rows for a relational target ---------------------------------------------------------------------------

def test_series_rows(reports):
    result = audit(reports.values())
    rows = series_rows(result)
    names = [name for name, _type in SERIES_FINDINGS_COLUMNS]
    assert len(rows) == len(result.findings)
    assert all(list(row) == names for row in rows)
    assert len({row["finding_id"] for row in rows}) == len(rows)
    assert [row["finding_id"] for row in series_rows(audit(reversed(list(reports.values()))))] == \
        [row["finding_id"] for row in rows]
    by_rule = {row["rule"]: row for row in rows}
    co = by_rule["series.carried_over"]
    assert (co["year_from"], co["year_to"]) == (2021, 2022)
    assert co["report_id_from"] == reports["lushan-2021.txt"].key and co["report_id_to"] is None   # two 2022s
    assert len(json.loads(co["report_ids"])) == 3
    gap = by_rule["series.gap"]
    assert (gap["year_from"], gap["year_to"], gap["report_id_to"]) == (2023, 2025, reports["lushan-2025.txt"].key)
    assert json.loads(gap["values_json"]) == {"missing": [2024]}
    for row in rows:
        assert isinstance(json.loads(row["cells"]), list) and isinstance(json.loads(row["source_files"]), list)
        assert row["message_zh"] and row["message_en"] and row["agency"] == AGENCY


# -- the command ----------------------------------------------------------------------------------------------

@pytest.fixture
def run(cli):
    """The command in this process, in the repository's root (some paths below are relative to it)."""
    return lambda *args: cli(*args, cwd=ROOT)


def test_cli_json_on_files(run):
    p = run("audit", "fixtures/series", "--to", "json")
    assert p.code == 0, p.err
    data = json.loads(p.out)
    assert [summary(f) for f in data["findings"]] == want()
    assert {g["agency"] for g in data["groups"]} == set(EXPECTED["groups"])
    assert data["summary"]["findings"] == len(want()) and data["set_aside"] == []


def test_cli_table_is_the_default(tmp_path, run):
    p = run("audit", SERIES)
    assert p.code == 0, p.err
    out = p.out.decode()
    for f in EXPECTED["findings"]:
        assert f["rule"] in out
    assert f"{AGENCY}\t2020 2021 2022×2 2023 2025\t6" in out
    assert "5 findings" in out
    target = tmp_path / "audit.txt"
    q = run("audit", SERIES, "-o", target)
    assert q.code == 0 and q.out == b""
    assert target.read_text("utf-8") == out
    assert [x.name for x in tmp_path.iterdir()] == ["audit.txt"]


def test_cli_aliases_file(tmp_path, run):
    aliases = tmp_path / "aliases.tsv"
    aliases.write_text("# other names\n富阳区鹿山街道社区卫生服务中心\t富阳区鹿山街道\n", "utf-8")
    p = run("audit", SERIES, "--to", "json", "--aliases", aliases)
    assert p.code == 0, p.err
    rules = {(f["rule"], tuple(f["years"])) for f in json.loads(p.out)["findings"]}
    assert ("series.gap", (2023, 2025)) not in rules and ("series.carried_over", (2024, 2025)) in rules


@pytest.fixture(scope="module")
def database(tmp_path_factory, registry):
    db = tmp_path_factory.mktemp("series") / "reports.db"
    assert run_main(SERIES, "--to", "sqlite", "-o", db, registry=registry) == 0, "govconv --to sqlite failed"
    return db


def _without_files(findings: list[dict]) -> list[dict]:
    return [{k: v for k, v in f.items() if k != "files"} for f in findings]


def test_cli_on_a_sqlite_database(database, reports, run):
    p = run("audit", database, "--to", "json")
    assert p.code == 0, p.err
    data = json.loads(p.out)
    # the database keeps one file name per report (the 2023 copy replaced the 2023 report)
    assert _without_files([summary(f) for f in data["findings"]]) == _without_files(want())
    api = audit(reports.values()).to_dict()["findings"]
    assert [[r["key"] for r in f["reports"]] for f in data["findings"]] == \
        [[r["key"] for r in f["reports"]] for f in api]


def test_a_database_older_than_cells_uncertain(database, tmp_path, run):
    """Without ``cells.uncertain``, the extraction.uncertain findings say which cells are in doubt."""
    old = tmp_path / "old.db"
    old.write_bytes(database.read_bytes())
    con = sqlite3.connect(old)
    con.executescript("CREATE TABLE c2 AS SELECT report_id, table_key, row_key, column_key, address, row_position, "
                      "column_position, value, raw, blank, label, row_label, table_label, origin_line, origin_page "
                      "FROM cells; DROP VIEW IF EXISTS applications_wide; DROP VIEW IF EXISTS review_litigation_wide;"
                      "DROP VIEW IF EXISTS active_wide; DROP TABLE cells; ALTER TABLE c2 RENAME TO cells;")
    con.commit()
    con.close()
    p = run("audit", old, "--to", "json")
    assert p.code == 0, p.err
    assert _without_files([summary(f) for f in json.loads(p.out)["findings"]]) == _without_files(want())
    # without those findings either, the 规章 row read in doubt would accuse the report
    con = sqlite3.connect(old)
    con.execute("DELETE FROM findings WHERE rule = 'extraction.uncertain'")
    con.commit()
    con.close()
    p = run("audit", old, "--to", "json")
    assert any("active.regulations.in_force" in f["cells"] for f in json.loads(p.out)["findings"])


def test_cli_files_and_a_database_together(database, run):
    p = run("audit", database, SERIES / "lushan-2025.txt", SERIES / "lushan-2021.txt", "--to", "json")
    assert p.code == 0, p.err
    data = json.loads(p.out)
    assert data["summary"]["reports"] == len(FILES) - 1
    assert _without_files([summary(f) for f in data["findings"]]) == _without_files(want())


def test_bad_inputs_are_one_line_errors(tmp_path, run):
    missing = tmp_path / "missing.txt"
    p = run("audit", missing, SERIES / "lushan-2021.txt", "--to", "json")
    assert p.code == ExitCode.INPUT_NOT_FOUND
    assert "missing.txt" in one_line_error(p)
    assert json.loads(p.out)["summary"]["reports"] == 1          # the others are audited

    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    p = run("audit", other)
    assert p.code == ExitCode.NOT_A_REPORT and "other.db" in one_line_error(p)

    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    p = run("audit", damaged)
    assert p.code == ExitCode.CORRUPT and "damaged.db" in one_line_error(p)

    notes = tmp_path / "notes.txt"
    notes.write_text("这不是年度报告。\n", "utf-8")
    p = run("audit", notes)
    assert p.code == ExitCode.NOT_A_REPORT and "notes.txt" in one_line_error(p)


@pytest.mark.parametrize("args, code", [
    (["audit"], ExitCode.USAGE),
    (["audit", "fixtures/series", "--to", "xml"], ExitCode.USAGE),
    (["audit", "fixtures/series", "--aliases", "no-such-aliases.json"], ExitCode.INPUT_NOT_FOUND),
    (["audit", "fixtures/series", "-o", "fixtures"], ExitCode.OUTPUT),
    (["audit", "fixtures/series", "-j", "0"], ExitCode.USAGE),
])
def test_usage_errors(args, code, run):
    p = run(*args)
    assert p.code == code
    one_line_error(p)


def test_an_input_is_never_overwritten(tmp_path, run):
    target = tmp_path / "lushan-2021.txt"
    target.write_bytes((SERIES / "lushan-2021.txt").read_bytes())
    p = run("audit", tmp_path, "-o", target)
    assert p.code == ExitCode.OUTPUT
    one_line_error(p)
    assert target.read_bytes() == (SERIES / "lushan-2021.txt").read_bytes()


def test_bad_aliases_file(tmp_path, run):
    for text in ("{not json", '{"a": 1}', "no tab here\n"):
        bad = tmp_path / "aliases.txt"
        bad.write_text(text, "utf-8")
        p = run("audit", SERIES / "lushan-2021.txt", "--aliases", bad)
        assert p.code == ExitCode.USAGE, text
        assert "aliases.txt" in one_line_error(p)


def test_audit_findings_go_into_the_database(tmp_path, run):
    """--to sqlite -o DB: the series_findings table; a second audit replaces, never duplicates."""
    import sqlite3

    db = tmp_path / "reports.db"
    made = run(SERIES, "--to", "sqlite", "-o", db)
    assert made.code == 0, made.err
    for _ in range(2):
        p = run("audit", db, "--to", "sqlite", "-o", db)
        assert p.code == 0, p.err
    with sqlite3.connect(db) as conn:
        rules = sorted(r for (r,) in conn.execute("SELECT rule FROM series_findings"))
        ids = [i for (i,) in conn.execute("SELECT finding_id FROM series_findings")]
    assert len(ids) == len(set(ids)) and rules
    assert {"series.carried_over", "series.duplicate", "series.gap", "series.in_force"} <= set(rules)
