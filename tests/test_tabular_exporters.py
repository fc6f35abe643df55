"""The exporters on the relational model's long table and on the templates: csv, parquet, xlsx."""
from __future__ import annotations

import csv
import io
import re
import sys
from decimal import Decimal

import pytest

import govconv
from govconv.errors import UsageError
from govconv.relational import LONG_COLUMNS

from conftest import SEED_NAMES, SEEDS, expected, flat_tables
from test_sql_exporter import HOSTILE, extreme_reports, hostile_report, seed_reports


def export(registry, name, reports, options=None) -> bytes:
    buf = io.BytesIO()
    registry.exporter(name).export(reports, buf, options or {})
    return buf.getvalue()


def exact(v):
    """A value as exact text, for comparing across formats."""
    if v is None:
        return None
    d = Decimal(str(v))
    return str(int(d)) if d == d.to_integral_value() else format(d.normalize(), "f")


def every_value(reports) -> dict[tuple[str, str], str | None]:
    return {(r.key, c.address): exact(c.value) for r in reports for c in r.cells()}


# -- csv ------------------------------------------------------------------------------------------------

def read_csv(data: bytes) -> list[dict]:
    assert data.startswith(b"\xef\xbb\xbf")                     # UTF-8 BOM: Excel reads the Chinese text
    text = data[3:].decode("utf-8")
    assert "\r\n" in text
    reader = csv.DictReader(io.StringIO(text, newline=""))
    assert tuple(reader.fieldnames) == LONG_COLUMNS
    return list(reader)


def test_csv_has_every_cell_of_every_seed(registry):
    reports = list(seed_reports().values())
    rows = read_csv(export(registry, "csv", reports))
    assert len(rows) == sum(len(list(r.cells())) for r in reports)
    got = {(r["report_id"], r["address"]): (r["value"] or None) for r in rows}
    assert got == every_value(reports)
    for seed, report in seed_reports().items():
        exp = expected(seed)
        mine = [r for r in rows if r["report_id"] == report.key]
        assert {r["address"]: (int(r["value"]) if r["value"] else None) for r in mine
                if r["table_key"] != "active"} == {
            a: v for a, v in flat_tables(exp["tables"]).items() if not a.startswith("active.")}
        assert sorted(r["address"] for r in mine if r["blank"] == "true") == sorted(exp["blank_cells"])
        assert {r["agency"] for r in mine} == {exp["meta"]["agency"]}
        assert {r["layout"] for r in mine} == {exp["layout"]}
    line = next(r for r in rows if r["origin_line"])
    assert int(line["origin_line"]) > 0 and line["origin_page"] == ""


def test_csv_keeps_hostile_text_and_exact_numbers(registry):
    report = hostile_report()
    extremes = [r for r, _ in extreme_reports().values()]
    rows = read_csv(export(registry, "csv", [report, *extremes]))
    raw = next(r["raw"] for r in rows if r["report_id"] == report.key
               and r["address"] == "applications.new.natural_person")
    assert raw == HOSTILE.replace("\r\n", "\r\n")
    assert {r["agency"] for r in rows if r["report_id"] == report.key} == {HOSTILE}
    got = {(r["report_id"], r["address"]): (r["value"] or None) for r in rows}
    assert got == every_value([report, *extremes])
    assert got[(extremes[0].key, "applications.new.natural_person")] == str(2 ** 63 - 1)
    assert got[(extremes[0].key, "active.fees.amount")] == "999999999999999999.999999"


def test_csv_from_the_command_line(tmp_path, cli):
    out = tmp_path / "cells.csv"
    proc = cli(*[SEEDS / f"{s}.txt" for s in SEED_NAMES], "--to", "csv", "-o", out)
    assert proc.code == 0, proc.err
    rows = read_csv(out.read_bytes())
    assert len({r["report_id"] for r in rows}) == len(SEED_NAMES)


# -- parquet ----------------------------------------------------------------------------------------------

def test_parquet_holds_every_value_exactly(registry):
    import pyarrow as pa
    import pyarrow.parquet as pq

    reports = list(seed_reports().values()) + [r for r, _ in extreme_reports().values()]
    table = pq.read_table(io.BytesIO(export(registry, "parquet", reports)))
    assert tuple(table.column_names) == LONG_COLUMNS
    assert table.schema.field("value").type == pa.decimal128(25, 6)
    assert table.schema.field("blank").type == pa.bool_()
    rows = table.to_pylist()
    assert len(rows) == sum(len(list(r.cells())) for r in reports)
    assert {(r["report_id"], r["address"]): exact(r["value"]) for r in rows} == every_value(reports)
    assert any(isinstance(r["value"], Decimal) and r["value"] == Decimal("999999999999999999.999999") for r in rows)


def test_parquet_writes_a_row_group_per_chunk(registry):
    import pyarrow.parquet as pq

    one = seed_reports()[SEED_NAMES[0]]
    f = pq.ParquetFile(io.BytesIO(export(registry, "parquet", [one] * 120)))
    assert f.metadata.num_row_groups == 3 and f.metadata.num_rows == 120 * len(list(one.cells()))
    empty = pq.read_table(io.BytesIO(export(registry, "parquet", [])))
    assert empty.num_rows == 0 and tuple(empty.column_names) == LONG_COLUMNS


def test_missing_libraries_are_a_usage_error_naming_the_extra(registry, monkeypatch):
    report = seed_reports()[SEED_NAMES[0]]
    for name, module in (("parquet", "pyarrow"), ("xlsx", "openpyxl")):
        monkeypatch.setitem(sys.modules, module, None)          # import fails as if not installed
        with pytest.raises(UsageError) as e:
            export(registry, name, [report])
        assert f"pip install 'govconv[{name}]'" in e.value.en and f"govconv[{name}]" in e.value.zh
        assert e.value.exit_code == govconv.ExitCode.USAGE


# -- xlsx ---------------------------------------------------------------------------------------------------

def workbook(data: bytes):
    import openpyxl
    return openpyxl.load_workbook(io.BytesIO(data))


def test_xlsx_summary_has_every_value_of_every_report(registry):
    reports = list(seed_reports().values()) + [hostile_report()] + [r for r, _ in extreme_reports().values()]
    wb = workbook(export(registry, "xlsx", reports))
    assert wb.sheetnames == ["主动公开政府信息情况", "收到和处理政府信息公开申请情况",
                             "政府信息公开行政复议、行政诉讼情况", "汇总", "发现"]
    ws = wb["汇总"]
    header = [c.value for c in ws[2]]
    labels = [c.value for c in ws[1]]
    assert header[:4] == ["agency", "year", "layout", "source_file"] and labels[:4] == ["机关", "年度", "版式", "文件"]
    assert labels[header.index("applications.new.natural_person")] == \
        "收到和处理政府信息公开申请情况 · 一、本年新收政府信息公开申请数量 · 自然人"
    got = {}
    for i, report in enumerate(reports, start=3):
        row = [c.value for c in ws[i]]
        agency = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f]", "\ufffd", report.meta.agency)   # not in a workbook
        assert row[:3] == [agency, report.meta.year, report.layout]
        for c in report.cells():
            got[(report.key, c.address)] = exact(row[header.index(c.address)])
    assert got == every_value(reports)
    # findings: one row each
    assert wb["发现"].max_row == 1 + sum(len(r.findings) for r in reports)


def block_values(ws, top: int, bottom: int) -> list:
    """The numbers of the rows top … bottom, read row by row, left to right (labels skipped)."""
    out = []
    for row in ws.iter_rows(min_row=top, max_row=bottom):
        for c in row:
            if isinstance(c.value, (int, float, Decimal)) and not isinstance(c.value, bool):
                out.append(exact(c.value))
            elif isinstance(c.value, str) and c.value.lstrip("-").replace(".", "").isdigit():
                out.append(exact(c.value))                      # beyond 15 digits: exact text
    return out


def test_xlsx_draws_every_value_of_every_report_in_its_table(registry):
    reports = list(seed_reports().values()) + [r for r, _ in extreme_reports().values()]
    wb = workbook(export(registry, "xlsx", reports))
    for report in reports:
        for t in report.tables.values():
            ws = next(wb[name] for name in wb.sheetnames if name == t.label)
            titles = [c.row for c in ws["A"] if isinstance(c.value, str) and c.value.endswith(report.source.file)]
            assert len(titles) == 1, (t.key, report.source.file)
            later = [c.row for c in ws["A"] if c.font.bold and c.row > titles[0] and isinstance(c.value, str)
                     and " · " in c.value and c.value.endswith((".txt", ".docx", ".pdf"))]
            bottom = later[0] - 1 if later else ws.max_row
            want = [exact(c.value) for r in t.rows.values() for c in r.cells.values() if c.value is not None]
            assert block_values(ws, titles[0] + 1, bottom) == want, (t.key, report.source.file)


def test_xlsx_draws_the_national_headers_with_merges(registry):
    report = seed_reports()[SEED_NAMES[2]]                       # gov2021
    wb = workbook(export(registry, "xlsx", [report]))
    assert wb.sheetnames == ["主动公开政府信息情况", "收到和处理政府信息公开申请情况",
                             "政府信息公开行政复议、行政诉讼情况", "发现"]    # one report: no 汇总

    def merged(ws, text):
        cell = next(c for row in ws.iter_rows() for c in row if c.value == text)
        rng = next((r for r in ws.merged_cells.ranges if cell.coordinate in r), None)
        return cell, rng

    ws = wb["收到和处理政府信息公开申请情况"]
    head, rng = merged(ws, "申请人情况")
    assert rng.size == {"columns": 7, "rows": 1}
    legal, rng = merged(ws, "法人或其他组织")
    assert rng.size == {"columns": 5, "rows": 1} and legal.row == head.row + 1
    person, rng = merged(ws, "自然人")
    assert rng.size == {"columns": 1, "rows": 2}
    assert [ws.cell(legal.row + 1, legal.column + i).value for i in range(5)] == [
        "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    _total, rng = merged(ws, "总计")
    assert rng.size == {"columns": 1, "rows": 2}
    _cell, rng = merged(ws, "（三）不予公开")
    assert rng.size == {"columns": 1, "rows": 8}
    _cell, rng = merged(ws, "三、本年度办理结果")
    assert rng.size["rows"] == 22                                # （一） … （七）总计
    labels = {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert {r.label for r in report.tables["applications"].rows.values()} <= labels

    ws = wb["政府信息公开行政复议、行政诉讼情况"]
    _cell, rng = merged(ws, "行政诉讼")
    assert rng.size == {"columns": 10, "rows": 1}
    _cell, rng = merged(ws, "行政复议")
    assert rng.size == {"columns": 5, "rows": 1}
    assert [c.value for c in ws[ws.max_row]] == [0] * 15

    ws = wb["主动公开政府信息情况"]
    heads = [c.row for c in ws["A"] if c.value == "信息内容"]
    assert len(heads) == 3                                       # the template's sub-tables of table 二


def test_xlsx_keeps_hostile_text_as_text(registry):
    report = hostile_report()
    report.meta.agency = "=HYPERLINK(\"http://example.invalid\")"
    report.cell("applications.new.natural_person").raw = "=1+1"
    wb = workbook(export(registry, "xlsx", [report, seed_reports()[SEED_NAMES[0]]]))
    ws = wb["汇总"]
    cell = ws.cell(3, 1)
    assert cell.value == report.meta.agency and cell.data_type == "s"
    ws = wb["发现"]
    messages = [c.value for c in ws["G"]]
    assert any(m and "中文it's O'Brien's" in m for m in messages)    # control characters replaced, rest kept
