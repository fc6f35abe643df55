"""Corrections: a person's values, kept apart from the readings, and the checks run again."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest

import govconv
from conftest import FIXTURES, validate_report_json
from govconv.errors import ExitCode
from govconv.rules.corrections import (Corrections, CorrectionsError, apply_corrections, load_corrections,
                                       parse_corrections, recheck)

ROW_SUM = FIXTURES / "rules" / "applications.row_sum.txt"
NEW_ROW = "\t一、本年新收政府信息公开申请数量\n\t1\n\t0\n\t0\n\t0\n\t0\n\t0\n\t1\n"


def corrections(*items, name="fixes.json") -> Corrections:
    return parse_corrections(json.dumps({"corrections": list(items)}), name)


def fix(report, address, value, reason="checked against the PDF"):
    return {"sha256": report.source.sha256, "address": address, "value": value, "reason": reason}


@pytest.fixture
def row_sum(registry):
    return govconv.convert(ROW_SUM, registry=registry)


def layout_of(registry, report):
    return registry.layouts[report.layout]


def correct(registry, report, fixes):
    layout = layout_of(registry, report)
    done = apply_corrections(report, fixes, layout.template)
    recheck(report, layout, registry.checks.values())
    return done


# -- the file ------------------------------------------------------------------------------------

def test_a_corrections_file_is_read_and_checked(tmp_path):
    path = tmp_path / "fixes.json"
    sha = "ab" * 32
    path.write_text(json.dumps({"corrections": [
        {"sha256": sha.upper(), "address": "applications.new.total", "value": 95,
         "reason": "printed 59, the sum of the row is 95", "by": "reviewer"},
        {"sha256": sha, "address": "active.fees.amount", "value": 12.5, "reason": "万元"},
    ]}), "utf-8")
    c = load_corrections(path)
    assert len(c) == 2 and c.path == str(path)
    first, second = c
    assert (first.sha256, first.address, first.value, first.by, first.number) == (sha, "applications.new.total", 95,
                                                                                   "reviewer", 1)
    assert second.value == Decimal("12.5") and second.file == str(path)
    assert c.for_report(sha) == [first, second] and c.sha256s == {sha}


def test_yaml_is_read_when_pyyaml_is_installed(tmp_path):
    pytest.importorskip("yaml")
    path = tmp_path / "fixes.yaml"
    path.write_text("corrections:\n  - sha256: " + "cd" * 32 + "\n    address: applications.new.total\n"
                    "    value: 7\n    reason: 见原件\n", "utf-8")
    (c,) = load_corrections(path)
    assert (c.address, c.value, c.reason) == ("applications.new.total", 7, "见原件")


GOOD = {"sha256": "ab" * 32, "address": "applications.new.total", "value": 1, "reason": "r"}


@pytest.mark.parametrize("text, says", [
    ("{", "not valid JSON (line 1)"),
    ("[]", "not a list"),
    ('{"fixes": []}', '"corrections": [...]'),
    ('{"corrections": {}}', "must be a list"),
    ('{"corrections": [1]}', "correction 1 must be an object"),
    (json.dumps({"corrections": [{**GOOD, "adress": "x"}]}), "unknown key(s): adress"),
    (json.dumps({"corrections": [{k: v for k, v in GOOD.items() if k != "reason"}]}), "lacks: reason"),
    (json.dumps({"corrections": [{**GOOD, "reason": " "}]}), "needs a reason"),
    (json.dumps({"corrections": [{**GOOD, "sha256": "abc"}]}), "64 hex digits"),
    (json.dumps({"corrections": [{**GOOD, "address": "applications.new"}]}), "is not a cell address"),
    (json.dumps({"corrections": [{**GOOD, "value": True}]}), "is not a number"),
    (json.dumps({"corrections": [{**GOOD, "value": "about 5"}]}), "is not a number"),
    ('{"corrections": [{"sha256": "' + "ab" * 32 + '", "address": "a.b.c", "value": NaN, "reason": "r"}]}',
     "not valid JSON"),
    (json.dumps({"corrections": [GOOD, GOOD]}), "corrections 1 and 2 are for the same cell"),
])
def test_a_bad_file_is_a_usage_error_in_both_languages(tmp_path, text, says):
    path = tmp_path / "fixes.json"
    path.write_text(text, "utf-8")
    with pytest.raises(CorrectionsError) as e:
        load_corrections(path)
    assert e.value.exit_code == ExitCode.USAGE and e.value.path == str(path)
    assert says in e.value.en and any("\u4e00" <= ch <= "\u9fff" for ch in e.value.zh)


def test_a_missing_file_is_input_not_found(tmp_path):
    with pytest.raises(govconv.GovconvError) as e:
        load_corrections(tmp_path / "nope.json")
    assert e.value.exit_code == ExitCode.INPUT_NOT_FOUND


# -- applying them -------------------------------------------------------------------------------

def test_a_correction_keeps_the_reading_and_clears_its_finding(registry, row_sum):
    before = [(f.rule, f.cells[-1]) for f in row_sum.findings]
    assert before == [("applications.row_sum", "applications.disclosed.total"),
                      ("applications.row_sum", "applications.unavailable_not_held.total")]
    # the seed had the one application in 本机关不掌握, not in 予以公开: put it back
    done = correct(registry, row_sum, corrections(
        fix(row_sum, "applications.disclosed.natural_person", 0, "the row's total is 0"),
        fix(row_sum, "applications.unavailable_not_held.natural_person", 1, "the row's total is 1")))
    assert done == ["applications.disclosed.natural_person", "applications.unavailable_not_held.natural_person"]
    assert row_sum.findings == []
    cell = row_sum.cell("applications.disclosed.natural_person")
    assert (cell.value, cell.raw) == (0, "1")
    assert cell.correction == {"value_read": 1, "reason": "the row's total is 0", "file": "fixes.json"}
    d = row_sum.to_dict()
    validate_report_json(d)
    assert d["tables"]["applications"]["disclosed"]["natural_person"] == 0
    assert d["cells"]["applications.disclosed.natural_person"]["corrected"] == {
        "from": 1, "reason": "the row's total is 0", "file": "fixes.json"}
    assert d["cells"]["applications.disclosed.natural_person"]["raw"] == "1"
    assert "corrected" not in d["cells"]["applications.new.total"]


def test_a_correction_can_raise_the_finding_it_now_breaks(registry, row_sum):
    correct(registry, row_sum, corrections(fix(row_sum, "applications.disclosed.total", 1, "the row adds up to 1")))
    rules = [(f.rule, f.cells[-1]) for f in row_sum.findings]
    # the row is right now, but the results no longer add up to （七）总计
    assert rules == [("applications.row_sum", "applications.unavailable_not_held.total"),
                     ("applications.results_sum", "applications.total.total")]


def test_recheck_is_idempotent_and_keeps_the_other_findings(registry):
    text = (FIXTURES / "rules" / "table.row_incomplete.txt").read_bytes()
    report = govconv.convert(text, name="short.txt", registry=registry)
    reading = list(report.findings)
    assert [f.rule for f in reading] == ["table.row_incomplete"]
    layout = layout_of(registry, report)
    for _ in range(3):
        recheck(report, layout, registry.checks.values())
        assert report.findings == reading
    # corrected twice: the value read stays the first one
    c1 = corrections(fix(report, "applications.new.total", 5, "first look"))
    c2 = corrections(fix(report, "applications.new.total", 6, "second look"), name="again.json")
    read = report.value("applications.new.total")
    correct(registry, report, c1)
    correct(registry, report, c2)
    cell = report.cell("applications.new.total")
    assert cell.value == 6 and cell.correction["value_read"] == read and cell.correction["file"] == "again.json"
    assert report.findings[0] == reading[0]                    # the reading's finding stays, first
    assert {f.rule for f in report.findings[1:]} <= {"applications.row_sum", "applications.balance"}
    undo = corrections(fix(report, "applications.new.total", read, "as printed after all"))
    correct(registry, report, undo)
    assert report.findings == reading


def test_corrections_for_another_report_are_ignored_and_reported_by_the_caller(registry, row_sum):
    other = {"sha256": "00" * 32, "address": "applications.new.total", "value": 9, "reason": "another report"}
    c = corrections(other, fix(row_sum, "applications.new.total", 1, "confirmed"))
    assert correct(registry, row_sum, c) == ["applications.new.total"]
    assert row_sum.value("applications.new.total") == 1
    (unmatched,) = c.unmatched([row_sum.source.sha256])
    assert unmatched.sha256 == "00" * 32
    zh, en = Corrections.unmatched_message([unmatched])
    assert "000000000000" in en and "match no input" in en and "没有对应的输入" in zh


@pytest.mark.parametrize("address, value, says", [
    ("active.licensing.issued", 1, "the layout gov2019 has no such cell"),     # a gov2021 cell
    ("applications.other_misc.total", 1, "the layout gov2019 has no such cell"),
    ("nothing.new.total", 1, "the layout gov2019 has no such cell"),
    ("applications.new.total", -1, "is negative"),
    ("applications.new.total", 1.5, "is not a whole number"),
    ("active.procurement.amount", "1.0000001", "more than 6 decimals"),
    ("applications.new.total", 2 ** 63, "signed 64-bit range"),
])
def test_a_correction_the_layout_cannot_take_is_refused(registry, row_sum, address, value, says):
    before = row_sum.to_dict()
    c = corrections(fix(row_sum, "applications.carried_over.total", 3, "fine"), fix(row_sum, address, value))
    with pytest.raises(CorrectionsError) as e:
        apply_corrections(row_sum, c, layout_of(registry, row_sum).template)
    assert says in e.value.en and "correction 2" in e.value.en and "第 2 条更正" in e.value.zh
    assert e.value.exit_code == ExitCode.USAGE
    assert row_sum.to_dict() == before                           # nothing is changed


def test_values_as_their_columns_hold_them(registry, row_sum):
    c = corrections(fix(row_sum, "active.licensing.change", -3, "本年增/减 may be negative"),
                    fix(row_sum, "active.procurement.amount", "1033427.25", "元"),
                    fix(row_sum, "applications.new.commercial", 2.0, "a whole number written 2.0"),
                    fix(row_sum, "applications.new.other", None, "unreadable in the original"))
    apply_corrections(row_sum, c, layout_of(registry, row_sum).template)
    assert row_sum.value("active.licensing.change") == -3
    assert row_sum.value("active.procurement.amount") == Decimal("1033427.25")
    assert row_sum.value("applications.new.commercial") == 2
    assert isinstance(row_sum.value("applications.new.commercial"), int)
    assert row_sum.value("applications.new.other") is None
    validate_report_json(row_sum.to_dict())


def test_a_corrected_uncertain_cell_is_certain_and_checked_again(registry):
    text = ROW_SUM.read_text("utf-8").replace(NEW_ROW, NEW_ROW + "\t5\n")    # one number too many
    report = govconv.convert(text.encode(), name="doubt.txt", registry=registry)
    assert report.cell("applications.new.total").uncertain
    assert "extraction.uncertain" in report.finding_rules()
    fixes = corrections(fix(report, "applications.new.total", 7, "the 5 is a footnote mark; total is 7"))
    correct(registry, report, fixes)
    cell = report.cell("applications.new.total")
    assert not cell.uncertain and cell.correction["uncertain_read"] is True
    assert report.to_dict()["cells"][cell.address]["corrected"]["uncertain"] is True
    # the rest of the row is still in doubt, so the row sum is still not evaluated; the balance of
    # the total column now is: 7 + 0 != 1 + 0
    rules = [(f.rule, tuple(f.cells)) for f in report.findings]
    assert ("applications.balance", ("applications.new.total", "applications.carried_over.total",
                                     "applications.total.total", "applications.carried_forward.total")) in rules
    assert rules[0][0] == "extraction.uncertain"                 # the reading's finding stays


def test_a_report_without_a_template_is_corrected_on_its_own_tables(registry, row_sum):
    c = corrections(fix(row_sum, "applications.new.total", 4, "r"), fix(row_sum, "applications.nope.total", 1, "r"))
    with pytest.raises(CorrectionsError):
        apply_corrections(row_sum, c, None)
    apply_corrections(row_sum, corrections(fix(row_sum, "applications.new.total", 4, "r")), None)
    assert row_sum.value("applications.new.total") == 4


def test_the_command_applies_corrections_and_says_what_matched_nothing(tmp_path, capsys):
    """govconv INPUT --corrections FILE: the cells are corrected, the rule runs again, the JSON says so;
    a correction for a report not converted is reported in one line."""
    from govconv.cli import main

    sha = govconv.convert(ROW_SUM).source.sha256
    path = tmp_path / "fix.json"
    path.write_text(json.dumps({"corrections": [
        {"sha256": sha, "address": "applications.disclosed.natural_person", "value": 0, "reason": "总计为 0"},
        {"sha256": sha, "address": "applications.unavailable_not_held.natural_person", "value": 1,
         "reason": "总计为 1"},
        {"sha256": "0" * 64, "address": "applications.new.total", "value": 1, "reason": "another report"},
    ]}, ensure_ascii=False), "utf-8")
    assert main([str(ROW_SUM), "--corrections", str(path), "-j", "1"]) == 0
    out, err = capsys.readouterr()
    d = json.loads(out)
    assert d["findings"] == []
    assert d["cells"]["applications.disclosed.natural_person"]["corrected"]["reason"] == "总计为 0"
    assert d["tables"]["applications"]["disclosed"]["natural_person"] == 0
    [line] = err.strip().splitlines()
    assert "1 correction(s) match no input" in line and "fix.json" in line
