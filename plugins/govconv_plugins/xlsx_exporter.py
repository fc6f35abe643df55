"""Exporter ``xlsx``: an Excel workbook, each table drawn as its template draws it.

    pip install 'govconv[xlsx]'
    govconv reports/*.pdf --to xlsx -o reports.xlsx

* one sheet per table (二 主动公开, 三 申请, 四 复议诉讼, and a plugin's own),
  each report's table drawn one below the other: Chinese row and column labels,
  merged header cells (三: 申请人情况 / 自然人 / 法人或其他组织 over 商业企业 … 其他 /
  总计; 四: 行政复议 / 行政诉讼 over 未经复议直接起诉 and 复议后起诉, one row of 15
  numbers as printed), merged row groups (三、本年度办理结果, （三）不予公开 …);
  rows that have different columns (table 二) are drawn as the template's
  sub-tables, each with its own header;
* for several reports, 汇总: one row per report (agency, year, layout, file),
  one column per cell address, headed by the cell's Chinese label (row 1) and
  its address (row 2);
* 发现: the findings of every report.

Numbers are cells of type number; one that Excel could not hold exactly (more
than 15 significant digits) is written as its exact decimal text.  Text that
begins with ``=`` stays text, never a formula; characters a workbook cannot
hold (control characters) become U+FFFD.  Needs openpyxl (the ``xlsx`` extra).
"""
from __future__ import annotations

from govconv import Exporter, hookimpl


class XlsxExporter(Exporter):
    name = "xlsx"
    extension = "xlsx"
    description = "Excel workbook: each table drawn as the template draws it, a 汇总 sheet, the findings " \
                  "(needs pip install 'govconv[xlsx]')"
    options = {}

    def export(self, reports, stream, options) -> None:
        from govconv_plugins.xlsx_workbook import write_workbook   # openpyxl and the drawing: only when it runs

        write_workbook(reports, stream, options)


@hookimpl
def register_exporters(register):
    register(XlsxExporter())
