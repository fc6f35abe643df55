"""The five seed reports, cell by cell, against their hand-read values."""
from __future__ import annotations

import pytest

import govconv
from conftest import SEED_NAMES, SEEDS, expected, flat_tables, validate_report_json, wrong_cells


@pytest.fixture(scope="module", params=SEED_NAMES)
def seed(request):
    name = request.param
    return name, govconv.convert(SEEDS / f"{name}.txt").to_dict(), expected(name)


def test_every_cell_matches_the_hand_read_value(seed):
    name, got, want = seed
    wrong = wrong_cells(got["tables"], want["tables"])
    assert not wrong, f"{name}: {len(wrong)} wrong cells:\n" + "\n".join(wrong)


def test_layout_and_meta(seed):
    name, got, want = seed
    assert got["layout"] == want["layout"]
    for key in ("year", "agency", "title"):
        assert got["meta"][key] == want["meta"][key], f"{name}: meta.{key}"


def test_finding_rules(seed):
    name, got, want = seed
    assert sorted({f["rule"] for f in got["findings"]}) == want["finding_rules"]


def test_blank_cells(seed):
    name, got, want = seed
    assert got["blank_cells"] == sorted(want["blank_cells"])


def test_json_follows_the_shipped_schema(seed):
    validate_report_json(seed[1])


def test_six_sections_with_headings_and_text(seed):
    name, got, _ = seed
    assert [s["number"] for s in got["sections"]] == [1, 2, 3, 4, 5, 6]
    assert all(s["heading"] and "[bookmark" not in s["text"] for s in got["sections"])
    # narrative text stays with its section, tables do not leak into it
    assert all("\t" not in s["text"] for s in got["sections"])


def test_source_is_described():
    d = govconv.convert(SEEDS / "002_4a81d0f783bbd2ce.txt").to_dict()
    assert d["source"]["file"] == "002_4a81d0f783bbd2ce.txt"
    assert d["source"]["format"] == "txt" and d["source"]["loader"] == "txt"
    assert len(d["source"]["sha256"]) == 64


def test_section_text_of_arabic_numbered_sections():
    """002 numbers sections 五 and 六 as '5、' and '6、'; artefacts are removed."""
    d = govconv.convert(SEEDS / "002_4a81d0f783bbd2ce.txt").to_dict()
    five = d["sections"][4]
    assert five["heading"] == "存在问题及整改情况"
    assert five["text"].startswith("（一）存在问题") and "[bookmark" not in five["text"]
    assert "一是强化培训" in five["text"]
    assert d["sections"][5]["text"] == "本年度未收取信息处理费。"


def test_blank_null_policy_keeps_blank_cells_null():
    name = "004_47b4ce0c4832982f"
    want = expected(name)
    d = govconv.convert(SEEDS / f"{name}.txt", blank="null").to_dict()
    flat = flat_tables(d["tables"])
    assert want["blank_cells"] and all(flat[a] is None for a in want["blank_cells"])
    assert all(d["cells"][a]["blank"] and d["cells"][a]["raw"] == "" for a in want["blank_cells"])
    # numbers stay numbers
    assert flat["applications.new.natural_person"] == 1
    assert d["options"]["blank"] == "null"


def test_raw_text_is_kept():
    d = govconv.convert(SEEDS / "003_0e647fe07d6d618f.txt").to_dict()
    assert d["cells"]["active.procurement.amount"]["raw"] == "378.0169万元"
    assert d["tables"]["active"]["procurement"]["amount"] == 3780169
    assert d["cells"]["active.regulations.made"]["raw"] == "\u3000\u30000"
    assert d["cells"]["active.regulations.made"]["origin"] == {"line": 22}
