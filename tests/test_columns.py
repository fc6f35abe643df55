"""Columns by geometry: a value goes to the column whose header extent holds it; doubt is said, not guessed.

The documents here are built cell by cell, in the shapes real PDFs give the
engine: table 三 with its header on top, then a continuation whose rows carry
an empty sub-label cell between the label and the seven numbers (WPS), a
number standing in no column, two numbers in one column.
"""
from __future__ import annotations

import pytest

import govconv
from conftest import FIXTURES
from govconv import Cell, Document, Origin, Paragraph, Table
from govconv.reading.source import Source

APPLICANTS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other", "total")
#: x positions (pt) of the ten grid columns of table 三: three label columns, seven value columns
XS = (70, 100, 160, 250, 290, 330, 370, 410, 450, 490, 530)
ROWS_2021 = [
    ("一、本年新收政府信息公开申请数量", "new"), ("二、上年结转政府信息公开申请数量", "carried_over"),
    ("（一）予以公开", "disclosed"), ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "partially_disclosed"),
    ("1.属于国家秘密", "withheld_state_secret"), ("2.其他法律行政法规禁止公开", "withheld_prohibited_by_law"),
    ("3.危及“三安全一稳定”", "withheld_security_stability"), ("4.保护第三方合法权益", "withheld_third_party"),
    ("5.属于三类内部事务信息", "withheld_internal_affairs"), ("6.属于四类过程性信息", "withheld_process_info"),
    ("7.属于行政执法案卷", "withheld_enforcement_files"), ("8.属于行政查询事项", "withheld_inquiry"),
    ("1.本机关不掌握相关政府信息", "unavailable_not_held"), ("2.没有现成信息需要另行制作", "unavailable_needs_creation"),
    ("3.补正后申请内容仍不明确", "unavailable_unclear"), ("1.信访举报投诉类申请", "not_processed_petition"),
    ("2.重复申请", "not_processed_repeated"), ("3.要求提供公开出版物", "not_processed_publication"),
    ("4.无正当理由大量反复申请", "not_processed_excessive"),
    ("5.要求行政机关确认或重新出具已获取信息", "not_processed_confirmation"),
    ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "other_no_correction"),
    ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "other_unpaid_fee"),
    ("3.其他", "other_misc"), ("（七）总计", "total"), ("四、结转下年度继续办理", "carried_forward"),
]


def _cell(table, text, row, c0, c1, page=1, rowspan=1):
    top = 100 + 20 * row
    table.add(Cell(text, row, c0, rowspan, c1 - c0,
                   Origin(page=page, bbox=(XS[c0], top, XS[c1], top + 20 * rowspan))))


def _header(t):
    _cell(t, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 0, 0, 3, rowspan=3)
    _cell(t, "申请人情况", 0, 3, 10)
    _cell(t, "自然人", 1, 3, 4, rowspan=2)
    _cell(t, "法人或其他组织", 1, 4, 9)
    _cell(t, "总计", 1, 9, 10, rowspan=2)
    for i, name in enumerate(("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")):
        _cell(t, name, 2, 4 + i, 5 + i)


def values_of(key: str) -> list[int]:
    """Seven numbers per row that satisfy every rule: a row sum, results sum and balance."""
    base = {"new": [5, 0, 0, 0, 0, 0, 5], "carried_over": [1, 0, 0, 0, 0, 0, 1],
            "disclosed": [2, 0, 0, 0, 0, 0, 2], "partially_disclosed": [1, 0, 0, 0, 0, 0, 1],
            "other_misc": [1, 0, 0, 0, 0, 0, 1], "total": [4, 0, 0, 0, 0, 0, 4],
            "carried_forward": [2, 0, 0, 0, 0, 0, 2]}
    return base.get(key, [0] * 7)


def table_three(empty_sublabel_from: int | None = None, tweak=None) -> Table:
    """Table 三 of gov2021; rows from ``empty_sublabel_from`` on are drawn as a WPS continuation:
    the label in the sub-group column only, then an empty cell for the item column."""
    t = Table()
    _header(t)
    r = 3
    for label, key in ROWS_2021:
        vals = [str(v) for v in values_of(key)]
        if tweak:
            vals = tweak(key, vals) or vals
        cont = empty_sublabel_from is not None and r >= empty_sublabel_from
        if key in ("new", "carried_over", "carried_forward"):
            if cont:
                _cell(t, label, r, 0, 2)
                _cell(t, "", r, 2, 3)           # the empty sub-label cell
            else:
                _cell(t, label, r, 0, 3)
        elif key in ("disclosed", "partially_disclosed", "total"):
            if cont:
                _cell(t, label, r, 1, 2)
                _cell(t, "", r, 2, 3)
            else:
                _cell(t, label, r, 1, 3)
        else:
            _cell(t, label, r, 2, 3)
        for j, v in enumerate(vals[:7]):
            _cell(t, v, r, 3 + j, 4 + j)
        for extra in vals[7:]:               # a cell beyond the table's right edge
            t.add(Cell(extra, r, 10, 1, 1, Origin(page=1, bbox=(535, 100 + 20 * r, 560, 120 + 20 * r))))
        r += 1
    return t


def report_of(table: Table, blank="zero"):
    doc = Document([Paragraph("测试局2021年政府信息公开工作年度报告"), Paragraph("一、总体情况"), table],
                   format="pdf", loader="pdf")
    reg = govconv.default_registry()
    return govconv.build_report(doc, Source(b"x", "x.pdf"), reg, layout="gov2021", blank=blank)


def row(report, key):
    return [report.value(f"applications.{key}.{c}") for c in APPLICANTS]


def table_rules(report):
    """The rules raised about table 三 (the documents here have no table 二 or 四)."""
    return sorted({f.rule for f in report.findings
                   if f.rule.startswith(("applications", "table", "cell", "extraction"))
                   and not all(a.startswith(("active.", "review_litigation.")) for a in f.cells)})


def test_header_columns_place_every_row():
    rep = report_of(table_three())
    for _, key in ROWS_2021:
        assert row(rep, key) == values_of(key), key
    assert table_rules(rep) == []


@pytest.mark.parametrize("first", [3, 14, 25, 26, 27])
def test_an_empty_sublabel_cell_never_shifts_a_row(first):
    """The WPS continuation page: （七）总计, '', 4 0 0 0 0 0 4 — the numbers stay under their headers."""
    rep = report_of(table_three(empty_sublabel_from=first))
    for _, key in ROWS_2021:
        assert row(rep, key) == values_of(key), key
    assert table_rules(rep) == []
    assert not any(c.uncertain for c in rep.cells())


def test_a_number_in_no_column_is_uncertain_not_an_accusation():
    def tweak(key, vals):
        if key == "total":
            return ["40", "0", "0", "0", "0", "0", "4", "4"]     # 40 breaks every sum, and a stray 4
    rep = report_of(table_three(tweak=tweak))
    rules = table_rules(rep)
    assert rules == ["extraction.uncertain"], rules
    f = next(f for f in rep.findings if f.rule == "extraction.uncertain")
    assert "applications.total.total" in f.cells and f.values["texts"] == ["4"]
    assert f.values["page"] == 1 and len(f.values["bbox"]) == 4
    assert all(rep.cell(a).uncertain for a in f.cells)


def test_two_numbers_in_one_column_are_read_as_neither():
    t = table_three()
    # a second text inside 自然人's extent on the row 二、上年结转 (a ruling pdfplumber missed)
    t.add(Cell("9", 4, 3, 1, 1, Origin(page=1, bbox=(252, 180, 258, 200))))
    rep = report_of(t)
    f = next(f for f in rep.findings if f.rule == "extraction.uncertain")
    assert sorted(f.values["texts"]) == ["1", "9"]               # both readings are named
    assert rep.value("applications.carried_over.natural_person") is None
    assert rep.cell("applications.carried_over.natural_person").uncertain
    assert "applications.balance" not in rep.finding_rules()
    assert "extraction.uncertain" in rep.finding_rules()


def test_two_numbers_in_one_cell_are_uncertain_not_unparsed():
    def tweak(key, vals):
        if key == "disclosed":
            return ["1 1", "0", "0", "0", "0", "0", "2"]
    rep = report_of(table_three(tweak=tweak))
    assert table_rules(rep) == ["extraction.uncertain"]
    assert rep.value("applications.disclosed.natural_person") is None


def test_an_uncertain_row_is_not_also_accused():
    """A stray number beside an empty column: uncertain, and not 'row incomplete' as well."""
    t = table_three()
    t.cells = [c for c in t.cells if not (c.row == 5 and c.col == 4)]           # 商业企业 of 予以公开
    t.add(Cell("7", 5, 10, 1, 1, Origin(page=1, bbox=(535, 200, 560, 220))))
    rep = report_of(t)
    assert table_rules(rep) == ["extraction.uncertain"]


def test_a_real_inconsistency_is_still_found():
    def tweak(key, vals):
        if key == "disclosed":
            return ["3", "0", "0", "0", "0", "0", "2"]
    rep = report_of(table_three(empty_sublabel_from=20, tweak=tweak))
    assert "applications.row_sum" in rep.finding_rules()
    assert "extraction.uncertain" not in rep.finding_rules()


def test_a_row_lost_to_the_text_is_uncertain_not_missing():
    """The row at the foot of a page that slipped out of the table into the narrative."""
    t = table_three()
    lost = [c for c in t.cells if c.row == 16]          # 2.没有现成信息需要另行制作
    t.cells = [c for c in t.cells if c.row != 16]
    doc = Document([Paragraph("测试局2021年政府信息公开工作年度报告"), t,
                    Paragraph(" ".join(c.text for c in lost))], format="pdf", loader="pdf")
    rep = govconv.build_report(doc, Source(b"x", "x.pdf"), govconv.default_registry(), layout="gov2021")
    assert table_rules(rep) == ["extraction.uncertain"]
    f = next(f for f in rep.findings if f.rule == "extraction.uncertain")
    assert f.cells[0] == "applications.unavailable_needs_creation.natural_person"


def test_a_row_really_missing_is_still_table_missing():
    t = table_three()
    t.cells = [c for c in t.cells if c.row != 16]
    rep = report_of(t)
    assert table_rules(rep) == ["table.missing"]


def test_in_order_reading_drops_a_surplus_empty_cell_before_the_values():
    """A txt row '（七）总计, '', 4 … 4' (no geometry): the empty cell is a label cell."""
    text = (FIXTURES / "seeds" / "002_4a81d0f783bbd2ce.txt").read_text("utf-8")
    i = text.index("\t（七）总计\n") + len("\t（七）总计\n")
    rep = govconv.convert((text[:i] + "\t\n" + text[i:]).encode("utf-8"), name="x.txt")
    assert row(rep, "total") == [0, 0, 0, 0, 3, 0, 3]
    assert rep.finding_rules() == []
