"""Each consistency rule of the spec, raised by a fixture built by editing a seed's numbers."""
from __future__ import annotations

import importlib.util

import pytest

import govconv
from conftest import FIXTURES, validate_report_json

RULES = FIXTURES / "rules"
SPEC_RULES = ["applications.balance", "applications.row_sum", "applications.results_sum",
              "review_litigation.row_sum", "template.version", "table.missing", "table.row_incomplete",
              "cell.unparsed", "section.missing", "text.table_mismatch"]


def _builder():
    spec = importlib.util.spec_from_file_location("make_rule_fixtures", FIXTURES / "make_rule_fixtures.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_committed_fixtures_are_what_the_script_builds():
    for name, text in _builder().build().items():
        assert (RULES / f"{name}.txt").read_text("utf-8") == text, f"rerun fixtures/make_rule_fixtures.py ({name})"


@pytest.mark.parametrize("name", sorted(p.stem for p in RULES.glob("*.txt")))
def test_fixture_raises_exactly_its_rule(name):
    d = govconv.convert(RULES / f"{name}.txt").to_dict()
    validate_report_json(d)
    rule = name.split("-")[0]
    assert sorted({f["rule"] for f in d["findings"]}) == [rule]
    for f in d["findings"]:
        assert f["message_zh"] and f["message_en"] and f["message"] == f"{f['message_zh']} / {f['message_en']}"
        assert all(a in d["cells"] for a in f["cells"])


def test_every_spec_rule_has_a_fixture():
    have = {p.stem.split("-")[0] for p in RULES.glob("*.txt")}
    assert set(SPEC_RULES) <= have


def test_balance_names_cells_and_numbers():
    d = govconv.convert(RULES / "applications.balance.txt").to_dict()
    f = next(f for f in d["findings"] if "natural_person" in f["cells"][0])
    assert f["cells"] == ["applications.new.natural_person", "applications.carried_over.natural_person",
                          "applications.total.natural_person", "applications.carried_forward.natural_person"]
    assert f["values"] == dict(zip(f["cells"], [1, 0, 1, 1]))


def test_row_incomplete_cells_are_null():
    d = govconv.convert(RULES / "table.row_incomplete.txt").to_dict()
    row = d["tables"]["applications"]["carried_forward"]
    assert [row[c] for c in ("natural_person", "commercial", "research", "social_welfare")] == [0, 0, 0, 0]
    assert [row[c] for c in ("legal_service", "other", "total")] == [None, None, None]
    assert d["cells"]["applications.carried_forward.total"]["raw"] is None


def test_unparsed_cell_is_null_with_its_raw_text():
    d = govconv.convert(RULES / "cell.unparsed.txt").to_dict()
    assert d["tables"]["active"]["normative_documents"]["published"] is None
    f = d["findings"][0]
    assert f["cells"] == ["active.normative_documents.published"] and "见附件" in f["message_zh"]


def test_mixed_template_reads_the_single_row_into_other_misc():
    d = govconv.convert(RULES / "template.version-mixed.txt").to_dict()
    a = d["tables"]["applications"]
    assert d["layout"] == "gov2021"
    assert a["other_misc"]["total"] == 0
    assert set(a["other_no_correction"].values()) == {None} and set(a["other_unpaid_fee"].values()) == {None}


def test_missing_row_is_null_and_sums_over_it_are_skipped():
    d = govconv.convert(RULES / "table.missing.txt").to_dict()
    assert set(d["tables"]["applications"]["not_processed_repeated"].values()) == {None}


def test_missing_table():
    text = (FIXTURES / "seeds" / "000_b9275629afd0157f.txt").read_text("utf-8")
    cut = text[:text.index("四、政府信息公开申请行政复议")] + text[text.index("五、存在的主要问题"):]
    d = govconv.convert(cut.encode("utf-8"), name="cut.txt").to_dict()
    assert {f["rule"] for f in d["findings"]} == {"table.missing", "section.missing"}
    f = next(f for f in d["findings"] if f["rule"] == "table.missing")
    assert len(f["cells"]) == 15 and f["cells"][0] == "review_litigation.review.upheld"
    assert d["tables"]["review_litigation"]["review"]["total"] is None


def test_a_plugin_can_add_a_rule():
    class FeesAreZero:
        @govconv.hookimpl
        def register_checks(self, register):
            def run(report):
                if report.value("active.procurement.amount"):
                    yield govconv.Finding("demo.procurement", ["active.procurement.amount"],
                                          "有政府集中采购", "the report has central procurement")
            register(govconv.Check("demo.procurement", run))

    reg = govconv.Registry()
    reg.register_plugin(FeesAreZero(), name="demo")
    d = govconv.convert(FIXTURES / "seeds" / "000_b9275629afd0157f.txt", registry=reg).to_dict()
    assert [f["rule"] for f in d["findings"]] == ["demo.procurement"]


def test_text_table_mismatch_quotes_the_sentence_the_number_and_the_cell():
    d = govconv.convert(RULES / "text.table_mismatch.txt").to_dict()
    (f,) = d["findings"]
    assert f["severity"] == "warning" and f["cells"] == ["applications.new.total"]
    assert f["values"] == {"sentence": "在公开的政务信息中全部属于主动公开，全年收到申请公开事项3件，已完成答复。",
                           "stated": 3, "table": 1, "address": "applications.new.total"}
    assert "3件" in f["message_zh"] and "applications.new.total" in f["message_en"]


def test_text_table_mismatch_states_a_sum_and_a_stock():
    d = govconv.convert(RULES / "text.table_mismatch-gov2021.txt").to_dict()
    got = [(f["cells"], f["values"]["stated"], f["values"]["table"], f["values"]["address"]) for f in d["findings"]]
    assert got == [
        (["applications.new.total", "applications.carried_over.total"], 5, 3,
         "applications.new.total + applications.carried_over.total"),
        (["active.normative_documents.in_force"], 12, 0, "active.normative_documents.in_force"),
    ]
