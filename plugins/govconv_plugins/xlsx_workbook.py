"""Drawing the ``xlsx`` exporter's workbook (see :mod:`govconv_plugins.xlsx_exporter`); imported when it runs."""
from __future__ import annotations

import io
import re
from decimal import Decimal

from govconv.errors import UsageError
from govconv.model.template import FLAT
from govconv.relational.model import decimal_text, number, registered_templates, template_of, text

#: the national tables' header groups over columns: table key → (label, column keys or None for all)
COLUMN_GROUPS = {
    "applications": (("申请人情况", None),
                     ("法人或其他组织", ("commercial", "research", "social_welfare", "legal_service", "other"))),
}
#: the national tables' groups of rows: table key → (label, ("span", first, last) | ("prefix", p))
ROW_GROUPS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "applications": (("三、本年度办理结果", ("span", "disclosed", "total")),
                     ("（三）不予公开", ("prefix", "withheld_")),
                     ("（四）无法提供", ("prefix", "unavailable_")),
                     ("（五）不予处理", ("prefix", "not_processed_")),
                     ("（六）其他处理", ("prefix", "other_"))),
}
CORNER = {"active": "信息内容"}
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def _openpyxl():
    try:
        import openpyxl
    except ImportError:
        raise UsageError("--to xlsx 需要 openpyxl：pip install 'govconv[xlsx]'",
                         "--to xlsx needs openpyxl: pip install 'govconv[xlsx]'") from None
    return openpyxl


def excel_value(v):
    """A value as a workbook holds it exactly: a number, or its decimal text past 15 digits."""
    if v is None or isinstance(v, bool) or not isinstance(v, (int, Decimal)):
        return v
    exact = decimal_text(v)
    if len(exact.lstrip("-").replace(".", "").lstrip("0")) > 15:
        return exact
    return number(v)


class _Sheet:
    """One worksheet, with the few styles the drawings use."""

    def __init__(self, ws, openpyxl) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        self.ws = ws
        side = Side(style="thin", color="999999")
        self.border = Border(left=side, right=side, top=side, bottom=side)
        self.head = Font(bold=True)
        self.fill = PatternFill("solid", fgColor="EEF2F7")
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.left = Alignment(horizontal="left", vertical="center", wrap_text=True)
        self.widths: dict[int, float] = {}

    def fit(self) -> None:
        """Column widths from the texts of unmerged cells (a CJK character is two wide)."""
        from openpyxl.utils import get_column_letter

        for col, width in self.widths.items():
            self.ws.column_dimensions[get_column_letter(col)].width = min(40, max(9, width + 2))

    def put(self, row: int, col: int, value, *, head: bool = False, label: bool = False, fit: bool = True):
        if isinstance(value, str):
            value = _ILLEGAL.sub("\ufffd", text(value))[:32767]
        else:
            value = excel_value(value)
        if fit and value is not None:
            shown = str(value).split("\n")[0]
            width = sum(2 if ord(ch) > 0x2e7f else 1 for ch in shown)
            self.widths[col] = max(self.widths.get(col, 0), width)
        c = self.ws.cell(row=row, column=col, value=value)
        if isinstance(value, str) and value.startswith("="):
            c.data_type = "s"                     # text, never a formula
        if head or label:
            c.border = self.border
            c.alignment = self.center if head else self.left
            if head:
                c.font, c.fill = self.head, self.fill
        return c

    def box(self, top: int, left: int, bottom: int, right: int, value, **kw) -> None:
        self.put(top, left, value, fit=left == right, **kw)
        for r in range(top, bottom + 1):
            for c in range(left, right + 1):
                if (r, c) != (top, left):
                    self.put(r, c, None, **kw)
        if bottom > top or right > left:
            self.ws.merge_cells(start_row=top, start_column=left, end_row=bottom, end_column=right)


def _draw_tree(paths: list[tuple[str, ...]], depth: int, at):
    """Lay out labelled paths (group … leaf) over ``depth`` levels: ``at(level_from, level_to,
    first, last, label)`` for each box; consecutive items sharing a group share its box; a
    leaf's box reaches down to the last level."""
    for level in range(depth):
        i = 0
        while i < len(paths):
            p = paths[i]
            if level >= len(p):
                i += 1
                continue
            if level == len(p) - 1:                      # the leaf: down to the last level
                at(level, depth - 1, i, i, p[level])
                i += 1
                continue
            j = i
            while j + 1 < len(paths) and len(paths[j + 1]) > level + 1 and paths[j + 1][:level + 1] == p[:level + 1]:
                j += 1
            at(level, level, i, j, p[level])
            i = j + 1


def _row_groups(spec) -> dict[str, tuple[str, ...]]:
    keys = [r.key for r in spec.rows]
    groups: dict[str, list[str]] = {k: [] for k in keys}
    for label, rule in ROW_GROUPS.get(spec.key, ()):
        if rule[0] == "span":
            if rule[1] in keys and rule[2] in keys:
                members = keys[keys.index(rule[1]):keys.index(rule[2]) + 1]
            else:
                members = []
        else:
            members = [k for k in keys if k.startswith(rule[1])]
        for k in members:
            groups[k].append(label)
    return {k: tuple(v) for k, v in groups.items()}


def _column_path(spec, col) -> tuple[str, ...]:
    groups = tuple(label for label, keys in COLUMN_GROUPS.get(spec.key, ())
                   if keys is None or col.key in keys)
    return groups + (col.label,)


def draw_table(sheet: _Sheet, top: int, report, spec) -> int:
    """The report's table ``spec`` drawn from row ``top``; returns the next free row."""
    data = report.tables.get(spec.key)

    def value(row_key, col_key):
        try:
            return data.rows[row_key].cells[col_key].value
        except (AttributeError, KeyError):
            return None

    if spec.shape == FLAT:                       # as printed: row groups side by side, one row of numbers
        leaves = [(r, c) for r in spec.rows for c in spec.row_columns(r)]
        paths = [tuple(part.strip() for part in r.label.split("·")) + (c.label,) for r, c in leaves]
        depth = max(len(p) for p in paths)
        _draw_tree(paths, depth, lambda l0, l1, i, j, label: sheet.box(top + l0, 1 + i, top + l1, 1 + j, label,
                                                                        head=True))
        for i, (r, c) in enumerate(leaves):
            sheet.put(top + depth, 1 + i, value(r.key, c.key), label=True)
        return top + depth + 2

    groups = _row_groups(spec)
    runs: list[list] = []                        # consecutive rows with the same columns: one sub-table each
    for r in spec.rows:
        cols = tuple(c.key for c in spec.row_columns(r))
        if runs and runs[-1][0] == cols:
            runs[-1][1].append(r)
        else:
            runs.append([cols, [r]])
    row = top
    for cols, rows in runs:
        columns = [spec.column(k) for k in cols]
        cpaths = [_column_path(spec, c) for c in columns]
        rpaths = [groups[r.key] + (r.label,) for r in rows]
        depth, width = max(len(p) for p in cpaths), max(len(p) for p in rpaths)
        sheet.box(row, 1, row + depth - 1, width, CORNER.get(spec.key, ""), head=True)
        # _draw_tree calls these lambdas before it returns, so they see this iteration's row, width, body
        _draw_tree(cpaths, depth, lambda l0, l1, i, j, label: sheet.box(
            row + l0, width + 1 + i, row + l1, width + 1 + j, label, head=True))  # noqa: B023
        body = row + depth
        _draw_tree(rpaths, width, lambda l0, l1, i, j, label: sheet.box(
            body + i, 1 + l0, body + j, 1 + l1, label, label=True))  # noqa: B023
        for i, r in enumerate(rows):
            for j, c in enumerate(columns):
                sheet.put(body + i, width + 1 + j, value(r.key, c.key), label=True)
        row = body + len(rows) + 1
    return row


def _title(report) -> str:
    m = report.meta
    parts = [m.agency or "", f"{m.year}年" if m.year else "", report.layout, report.source.file or ""]
    return " · ".join(p for p in parts if p)


def _sheet_name(label: str, taken: set[str]) -> str:
    base = _SHEET_BAD.sub("_", label)[:31] or "表"
    name, n = base, 2
    while name in taken:
        suffix = f" ({n})"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(name)
    return name


def write_workbook(reports, stream, options) -> None:
    """Draw ``reports`` into one workbook and write it to ``stream`` (see :mod:`govconv_plugins.xlsx_exporter`)."""
    openpyxl = _openpyxl()
    reports = list(reports)
    by_id = {t.id: t for t in (options.get("templates") or registered_templates())}
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    sheets: dict[str, tuple[_Sheet, list[int]]] = {}
    for report in reports:
        template = by_id.get(report.layout)
        if template is None or {t.key for t in template.tables} != set(report.tables):
            template = template_of(report)
        for spec in template.tables:
            if spec.key not in sheets:
                ws = wb.create_sheet(_sheet_name(spec.label, taken))
                sheets[spec.key] = (_Sheet(ws, openpyxl), [1])
            sheet, at = sheets[spec.key]
            sheet.put(at[0], 1, _title(report), fit=False).font = sheet.head
            at[0] = draw_table(sheet, at[0] + 1, report, spec) + 1
    drawn = [sheet for sheet, _at in sheets.values()]
    if len(reports) > 1:
        drawn.append(_Sheet(wb.create_sheet(_sheet_name("汇总", taken)), openpyxl))
        _summary(drawn[-1], reports)
    drawn.append(_Sheet(wb.create_sheet(_sheet_name("发现", taken)), openpyxl))
    _findings(drawn[-1], reports)
    for sheet in drawn:
        sheet.fit()
    buf = io.BytesIO()
    wb.save(buf)
    stream.write(buf.getvalue())


def _summary(sheet: _Sheet, reports) -> None:
    addresses: dict[str, str] = {}
    for report in reports:
        for c in report.cells():
            addresses.setdefault(c.address, f"{report.tables[c.table].label} · {c.label}")
    fixed = (("机关", "agency"), ("年度", "year"), ("版式", "layout"), ("文件", "source_file"))
    for j, (zh, en) in enumerate(fixed + tuple((label, a) for a, label in addresses.items()), start=1):
        sheet.put(1, j, zh, head=True)
        sheet.put(2, j, en, head=True)
    for i, report in enumerate(reports, start=3):
        for j, v in enumerate((report.meta.agency, report.meta.year, report.layout, report.source.file), 1):
            sheet.put(i, j, v)
        for j, a in enumerate(addresses, start=len(fixed) + 1):
            t, r, c = a.split(".")
            try:
                sheet.put(i, j, report.tables[t].rows[r].cells[c].value)
            except KeyError:
                pass
    sheet.ws.freeze_panes = "C3"


def _findings(sheet: _Sheet, reports) -> None:
    head = ("机关", "年度", "文件", "规则 rule", "级别 severity", "单元格 cells", "说明", "message")
    for j, h in enumerate(head, start=1):
        sheet.put(1, j, h, head=True)
    i = 2
    for report in reports:
        for f in report.findings:
            for j, v in enumerate((report.meta.agency, report.meta.year, report.source.file, f.rule,
                                   f.severity, "\n".join(f.cells), f.message_zh, f.message_en), start=1):
                sheet.put(i, j, v)
            i += 1
    sheet.ws.freeze_panes = "A2"
