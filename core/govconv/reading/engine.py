"""The one engine that reads a :class:`Document` against a :class:`Template`.

It finds the source tables that belong to each template table (by their
anchor labels), finds each template row by its label, and reads the cells
after the label in template column order.  Rows printed short, cells that are
not numbers and rows that are not there become findings; nothing is guessed.
"""
from __future__ import annotations

from dataclasses import dataclass

from govconv.reading import labels
from govconv.model.document import Cell, Document, Table
from govconv.model.report import CellValue, Finding, Report, RowData, TableData
from govconv.model.template import FLAT, Row, TableSpec, Template
from govconv.model.values import Convention, looks_like_value, parse_cell

#: a row's own label is one of its first cells (group labels may stand before it)
MAX_LABEL_CELLS = 3


@dataclass
class ReadOptions:
    blank: str = "zero"        # "zero": blank cells read 0; "null": they read null


# -- detection ---------------------------------------------------------------

def table_label_set(doc: Document) -> set[str]:
    """The folded text of every table cell of ``doc`` (for cheap detection)."""
    out = set()
    for t in doc.tables():
        for c in t.cells:
            if c.text.strip():
                out.add(labels.core(c.text))
    return out


def detect(template: Template, doc: Document) -> float:
    """How sure we are that ``doc`` follows ``template``: 0.0 … 1.0.

    0.2 for looking like a report at all (the anchors of its tables), plus up
    to 0.8 for the share of the template's own marker labels present.
    """
    present = table_label_set(doc)
    if not present:
        return 0.0
    anchors = [a for t in template.tables for a in t.anchors]
    if not any(labels.core(a) in present for a in anchors):
        return 0.0
    markers = [labels.core(m) for m in template.markers]
    hits = sum(1 for m in markers if m in present)
    return round(0.2 + 0.8 * hits / max(1, len(markers)), 4)


# -- reading -------------------------------------------------------------------

class TemplateReader:
    def __init__(self, template: Template, convention: Convention, options: ReadOptions):
        self.template, self.convention, self.options = template, convention, options
        self.findings: list[Finding] = []

    # which source tables belong to which template table
    def assign(self, doc: Document) -> dict[str, list[Table]]:
        out: dict[str, list[Table]] = {t.key: [] for t in self.template.tables}
        for table in doc.tables():
            texts = [labels.core(c.text) for c in table.cells if c.text.strip()]
            best, best_hits = None, 0
            for spec in self.template.tables:
                hits = sum(1 for a in spec.anchors if any(labels.core(a) in t for t in texts))
                if hits > best_hits:
                    best, best_hits = spec, hits
            if best is not None:
                out[best.key].append(table)
        return out

    def read(self, doc: Document, report: Report) -> None:
        assigned = self.assign(doc)
        for spec in self.template.tables:
            rows = [r for t in assigned[spec.key] for r in t.row_view()]
            data = TableData(spec.key, spec.label)
            report.tables[spec.key] = data
            if not rows:
                self._table_missing(spec, data)
                continue
            if spec.shape == FLAT:
                self._read_flat(spec, rows, data)
            else:
                self._read_rows(spec, rows, data)

    # -- helpers ---------------------------------------------------------------
    def _empty_row(self, spec: TableSpec, row: Row) -> RowData:
        rd = RowData(row.key, row.label)
        for col in spec.row_columns(row):
            rd.cells[col.key] = CellValue(spec.key, row.key, col.key, f"{row.label} · {col.label}")
        return rd

    def _table_missing(self, spec: TableSpec, data: TableData) -> None:
        cells = []
        for row in spec.rows:
            data.rows[row.key] = self._empty_row(spec, row)
            cells += spec.addresses(row)
        self.findings.append(Finding(
            "table.missing", cells,
            f"文档中没有找到表格「{spec.label}」", f"table '{spec.key}' ({spec.label}) is not in the document"))

    def _label_end(self, cells: list[Cell], n_values: int) -> int:
        """Index of the row's own label cell (-1 when the row has none)."""
        conv = self.convention
        first_value = next((i for i, c in enumerate(cells) if looks_like_value(c.text, conv)), len(cells))
        limit = min(max(len(cells) - n_values, first_value), MAX_LABEL_CELLS)
        end = -1
        for i in range(limit):
            if cells[i].text.strip() and not looks_like_value(cells[i].text, conv):
                end = i
        return end

    def _read_rows(self, spec: TableSpec, rows: list[list[Cell]], data: TableData) -> None:
        candidates = {r.key: r.labels for r in spec.rows}
        legacy = {r.key: r.legacy for r in spec.rows if r.legacy}
        column_labels = {labels.norm(l) for c in spec.columns for l in c.labels}
        found: dict[str, RowData] = {}
        legacy_hits: list[Row] = []
        n = max(len(spec.row_columns(r)) for r in spec.rows)
        for cells in rows:
            end = self._label_end(cells, n)
            if end < 0:
                continue
            own = cells[end].text
            if labels.norm(own) in column_labels:
                continue          # a header row
            key, _ = labels.best_match(own, candidates)
            via_legacy = False
            if key is None and legacy:
                key, _ = labels.best_match(own, legacy)
                via_legacy = key is not None
            if key is None or key in found:
                self._unknown_row(spec, own, cells[end + 1:], duplicate=key is not None)
                continue
            row = next(r for r in spec.rows if r.key == key)
            if via_legacy:
                legacy_hits.append(row)
            found[key] = self._read_values(spec, row, cells[end + 1:])
        covered = {k for r in legacy_hits for k in r.legacy_covers}
        for r in legacy_hits:
            self.findings.append(Finding(
                "template.version", spec.addresses(r),
                f"表格「{spec.label}」的行「{r.label}」按旧版模板填写（单行「{r.legacy[0]}」），"
                f"其值计入该行，模板细分的其余行为空",
                f"table '{spec.key}' prints the older template's single row '{r.legacy[0]}'; "
                f"its values go to '{r.key}' and the rows it lacks ({', '.join(r.legacy_covers)}) are null"))
        for row in spec.rows:
            if row.key in found:
                data.rows[row.key] = found[row.key]
                continue
            data.rows[row.key] = self._empty_row(spec, row)
            if row.key not in covered:
                self.findings.append(Finding(
                    "table.missing", spec.addresses(row),
                    f"表格「{spec.label}」中没有找到行「{row.label}」",
                    f"row '{spec.key}.{row.key}' ({row.label}) is not in the table"))

    def _read_flat(self, spec: TableSpec, rows: list[list[Cell]], data: TableData) -> None:
        column_labels = {labels.core(l) for c in spec.columns for l in c.labels}
        column_labels |= {labels.core(l) for r in spec.rows for l in r.labels}
        body = [r for r in rows
                if r and not any(c.text.strip() and labels.core(c.text) in column_labels for c in r)]
        n = sum(len(spec.row_columns(r)) for r in spec.rows)
        cells: list[Cell] = []
        if body:
            line = body[-1]
            cells = line[self._label_end(line, n) + 1:]
        for row in spec.rows:
            width = len(spec.row_columns(row))
            data.rows[row.key] = self._read_values(spec, row, cells[:width], complete=False)
            cells = cells[width:]
        missing = [c.address for r in data.rows.values() for c in r.cells.values() if c.raw is None]
        if missing:
            self._row_incomplete(spec, spec.key, missing)
        self._extra_cells(spec, spec.key, cells)

    def _read_values(self, spec: TableSpec, row: Row, cells: list[Cell], complete: bool = True) -> RowData:
        rd = self._empty_row(spec, row)
        columns = spec.row_columns(row)
        blank_value = 0 if self.options.blank == "zero" else None
        for col, cell in zip(columns, cells):
            cv = rd.cells[col.key]
            cv.raw, cv.origin = cell.text, cell.origin
            parsed = parse_cell(cell.text, col.kind, col.unit, self.convention)
            if parsed.blank:
                cv.blank, cv.value = True, blank_value
            elif parsed.ok:
                cv.value = parsed.value
            else:
                self.findings.append(Finding(
                    "cell.unparsed", [cv.address],
                    f"单元格「{cv.label}」的内容「{cell.text.strip()}」不是数字",
                    f"cell {cv.address} holds '{cell.text.strip()}', which is not a number",
                    values={cv.address: cell.text}))
        if complete:
            if len(cells) < len(columns):
                self._row_incomplete(spec, f"{spec.key}.{row.key}",
                                     [f"{spec.key}.{row.key}.{c.key}" for c in columns[len(cells):]])
            self._extra_cells(spec, f"{spec.key}.{row.key}", cells[len(columns):])
        return rd

    def _unknown_row(self, spec: TableSpec, label: str, cells: list[Cell], duplicate: bool) -> None:
        """A labelled row the template does not have (or has already read) that carries numbers."""
        numbers = [c.text.strip() for c in cells
                   if looks_like_value(c.text, self.convention) and not self.convention.is_blank(c.text)]
        if not numbers:
            return
        label = " ".join(label.split())
        what_zh, what_en = ("重复出现的行", "a repeated row") if duplicate else ("模板中没有的行", "a row the template does not have")
        self.findings.append(Finding(
            "table.unknown_row", [],
            f"表格「{spec.label}」中有{what_zh}「{label}」，其数值（{'、'.join(numbers)}）未读入",
            f"table '{spec.key}' has {what_en} '{label}'; its numbers ({', '.join(numbers)}) were not read",
            values={"label": label, "numbers": numbers}))

    def _row_incomplete(self, spec: TableSpec, where: str, missing: list[str]) -> None:
        self.findings.append(Finding(
            "table.row_incomplete", missing,
            f"「{where}」所在行的单元格少于模板：{len(missing)} 个单元格缺失，记为空值",
            f"{where} is printed with fewer cells than the template: {len(missing)} cell(s) missing, read as null"))

    def _extra_cells(self, spec: TableSpec, where: str, extra: list[Cell]) -> None:
        texts = [c.text.strip() for c in extra if c.text.strip()]
        if texts:
            self.findings.append(Finding(
                "cell.unparsed", [],
                f"「{where}」所在行在模板列之外还有内容：{'、'.join(texts)}",
                f"{where} has text beyond the template's columns: {', '.join(texts)}",
                values={"extra": texts}))
