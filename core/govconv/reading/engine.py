"""The one engine that reads a :class:`Document` against a :class:`Template`.

It finds the source tables that belong to each template table (by their
anchor labels) and each template row by its label.  Where the table has a
true grid and its header names the row's columns, a value goes to the column
whose extent holds it (:mod:`govconv.reading.columns`); otherwise the cells
after the label are read in template column order.  Rows printed short, cells
that are not numbers and rows that are not there become findings; a reading
that is in doubt becomes ``extraction.uncertain`` and no rule is evaluated on
it.  Nothing is guessed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from govconv.model.document import Cell, Document, Table
from govconv.model.report import CellValue, Finding, Report, RowData, TableData
from govconv.model.template import FLAT, Row, TableSpec, Template
from govconv.model.values import Convention, check_blank, looks_like_value, parse_cell
from govconv.model.values import BLANK_POLICIES, BlankPolicy  # noqa: F401  (also offered here, as before)
from govconv.reading import labels
from govconv.running.limits import checkpoint
from govconv.reading.columns import ColumnMap, Extent, HeaderReader, centre, covers, extent, inside

#: a row's own label is one of its first cells (group labels may stand before it)
MAX_LABEL_CELLS = 3


@dataclass(frozen=True)
class ReadOptions:
    """How a layout reads cells, checked once when made: ``build_report(blank="nul")`` is a usage error."""

    blank: BlankPolicy = "zero"        # "zero": blank cells read 0; "null": they read null

    def __post_init__(self) -> None:
        check_blank(self.blank, "--blank")


# -- detection ---------------------------------------------------------------

def table_label_set(doc: Document) -> set[str]:
    """The folded text of every table cell of ``doc`` (for cheap detection)."""
    out = set()
    for t in doc.tables():
        checkpoint()
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

@dataclass
class Placement:
    """Which source cell each slot (a column, or a flat table's cell address) was read from."""

    cells: dict[str, Cell | None]
    #: slots whose reading is in doubt: two texts in one column, or a cell spread over several
    conflicts: set[str] = field(default_factory=set)
    #: texts that stand in no column at all, or beyond a row's cells (the reading does not fit)
    strays: list[Cell] = field(default_factory=list)
    #: texts under a column of the header that this row does not have
    extras: list[Cell] = field(default_factory=list)
    #: every cell that took part in a conflict (two texts in one column: both)
    contested: list[Cell] = field(default_factory=list)

    @property
    def doubtful(self) -> bool:
        return bool(self.conflicts or self.strays)


def place_by_extent(cells: list[Cell], slots: dict[str, Extent], known: list[Extent]) -> Placement:
    """Each cell to the slot whose extent holds its centre; an empty cell never moves a value."""
    picked: dict[str, list[Cell]] = {k: [] for k in slots}
    out = Placement({})
    for c in cells:
        x = centre(c)
        hit = next((k for k, e in slots.items() if inside(x, e)), None)
        text = c.text.strip()
        if hit is None:
            if text and any(inside(x, e) for e in known):
                out.extras.append(c)
            elif text:
                out.strays.append(c)
            continue
        picked[hit].append(c)
        spread = [k for k, e in slots.items() if k != hit and covers(extent(c), e)]
        if spread and text:
            out.conflicts.update([hit, *spread])
            out.contested.append(c)
    for k, cands in picked.items():
        full = [c for c in cands if c.text.strip()]
        if len(full) > 1:
            out.conflicts.add(k)
            out.contested.extend(full)
        out.cells[k] = full[0] if full else (cands[0] if cands else None)
    return out


def place_in_order(keys: list[str], cells: list[Cell], blank: Convention) -> Placement:
    """The cells after the label, one per slot in order (a row that is only a sequence of cells).

    Empty cells standing before the values, beyond the count the row needs, are
    label cells (an empty sub-label), not values.  Numbers beyond the row's
    cells make the reading doubtful: which of them is the extra one is unknown.
    """
    surplus = len(cells) - len(keys)
    lead = 0
    while lead < surplus and not cells[lead].text.strip():
        lead += 1
    cells = cells[lead:] if lead == surplus else cells
    out = Placement({k: (cells[i] if i < len(cells) else None) for i, k in enumerate(keys)})
    for c in cells[len(keys):]:
        if c.text.strip() and not blank.is_blank(c.text):
            out.strays.append(c)
    return out


#: why a cell's text is not a value (values.Parsed.reason) → the end of the finding's message
_UNPARSED = {
    None: ("不是数字", "which is not a number"),
    "range": ("超出可读取的数值范围（计数须在 64 位整数以内，金额须小于 10^18）",
              "a number beyond what can be read (counts fit in 64 bits, amounts are below 10^18)"),
    "decimals": ("的小数超过 6 位", "an amount with more than 6 decimals"),
}

_SEVERAL_NUMBERS = re.compile(r"^\s*\d[\d.,]*(?:\s+\d[\d.,]*)+\s*$")


def _several_numbers(text: str) -> bool:
    """'1 2' — two numbers where one cell should hold one."""
    return bool(_SEVERAL_NUMBERS.match(text.replace("\n", " ")))


class TemplateReader:
    def __init__(self, template: Template, convention: Convention, options: ReadOptions):
        self.template, self.convention, self.options = template, convention, options
        self.findings: list[Finding] = []
        self._prose: list[str] = []

    # which source tables belong to which template table
    def assign(self, doc: Document) -> dict[str, list[Table]]:
        out: dict[str, list[Table]] = {t.key: [] for t in self.template.tables}
        for table in doc.tables():
            checkpoint()
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
        self._prose = [p.text for p in doc.paragraphs()]
        for spec in self.template.tables:
            tables = [t for t in assigned[spec.key] if t.cells]
            data = TableData(spec.key, spec.label)
            report.tables[spec.key] = data
            if not tables:
                self._table_missing(spec, data)
            elif spec.shape == FLAT:
                self._read_flat(spec, tables, data)
            else:
                self._read_rows(spec, tables, data)

    # -- rows --------------------------------------------------------------------
    def _read_rows(self, spec: TableSpec, tables: list[Table], data: TableData) -> None:
        candidates = {r.key: r.labels for r in spec.rows}
        legacy = {r.key: r.legacy for r in spec.rows if r.legacy}
        by_label = labels.matcher_for(candidates)           # built once: the same rows for the whole table
        by_legacy = labels.matcher_for(legacy) if legacy else None
        column_labels = {labels.norm(label) for c in spec.columns for label in c.labels}
        header = HeaderReader(spec, self.convention)
        found: dict[str, RowData] = {}
        legacy_hits: list[Row] = []
        unlabelled = False          # a row of numbers whose label we could not read
        n = max(len(spec.row_columns(r)) for r in spec.rows)
        cmap: ColumnMap | None = None
        in_header = False
        for table in tables:
            for cells in table.row_view():
                checkpoint()
                heads = header.header_cells(cells) if table.grid else []
                if heads:
                    if not in_header or cmap is None:
                        cmap, in_header = ColumnMap(), True
                    for column_key, c in heads:
                        cmap.add(column_key, extent(c))
                    continue
                in_header = False
                geo = cmap if table.grid and cmap is not None and cmap.extents else None
                own, rest = self._split_label(cells, geo, n)
                if own is None:
                    unlabelled = unlabelled or self._has_numbers(rest)
                    continue
                if labels.norm(own.text) in column_labels:
                    continue          # a header row read in order
                key, _ = by_label.match(own.text)
                via_legacy = False
                if key is None and by_legacy is not None:
                    key, _ = by_legacy.match(own.text)
                    via_legacy = key is not None
                if key is None or key in found:
                    self._unknown_row(spec, own.text, rest, duplicate=key is not None)
                    continue
                row = next(r for r in spec.rows if r.key == key)
                if via_legacy:
                    legacy_hits.append(row)
                found[key] = self._read_row(spec, row, rest, geo)
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
            if row.key in covered:
                continue
            if unlabelled or self._leaked(row, len(spec.row_columns(row))):
                self._uncertain(spec.addresses(row), [],
                                f"表格「{spec.label}」中没有读到行「{row.label}」，但文档中有未能归入表格的该行文字或数字，"
                                f"可能是读取错误，而非报告缺漏",
                                f"row '{spec.key}.{row.key}' ({row.label}) was not read from the table, but its "
                                f"text or unlabelled numbers are in the document: our reading, not the report, "
                                f"may be at fault", "row not read, but present as text")
                continue
            self.findings.append(Finding(
                "table.missing", spec.addresses(row),
                f"表格「{spec.label}」中没有找到行「{row.label}」",
                f"row '{spec.key}.{row.key}' ({row.label}) is not in the table"))

    def _split_label(self, cells: list[Cell], cmap: ColumnMap | None, n_values: int
                     ) -> tuple[Cell | None, list[Cell]]:
        """The row's own label cell (None when it has none) and the cells after it."""
        conv = self.convention
        if cmap is not None:
            start = cmap.start
            area = [c for c in cells if centre(c) < start]
            own = None
            for c in area:
                if c.text.strip() and not looks_like_value(c.text, conv):
                    own = c
            return own, [c for c in cells if centre(c) >= start]
        end = self._label_end(cells, n_values)
        return (cells[end] if end >= 0 else None), cells[end + 1:]

    def _label_end(self, cells: list[Cell], n_values: int) -> int:
        """Index of the row's own label cell (-1 when the row has none), for a row read in order."""
        conv = self.convention
        first_value = next((i for i, c in enumerate(cells) if looks_like_value(c.text, conv)), len(cells))
        limit = min(max(len(cells) - n_values, first_value), MAX_LABEL_CELLS)
        end = -1
        for i in range(limit):
            if cells[i].text.strip() and not looks_like_value(cells[i].text, conv):
                end = i
        return end

    def _read_row(self, spec: TableSpec, row: Row, cells: list[Cell], cmap: ColumnMap | None) -> RowData:
        columns = spec.row_columns(row)
        keys = [c.key for c in columns]
        slots = {k: cmap.single(k) for k in keys} if cmap is not None else {}
        named = {k: e for k, e in slots.items() if e is not None}
        if cmap is not None and slots and len(named) == len(slots):        # every column named once
            known = [e for exts in cmap.extents.values() for e in exts]
            placement = place_by_extent(cells, named, known)
        else:
            placement = place_in_order(keys, cells, self.convention)
        rd = self._empty_row(spec, row)
        self._fill(spec, {f"{spec.key}.{row.key}.{k}": rd.cells[k] for k in keys}, placement, keys,
                   f"{spec.key}.{row.key}")
        return rd

    # -- the flat table (四) ------------------------------------------------------------
    def _read_flat(self, spec: TableSpec, tables: list[Table], data: TableData) -> None:
        column_labels = {labels.core(label) for c in spec.columns for label in c.labels}
        column_labels |= {labels.core(label) for r in spec.rows for label in r.labels}
        header = HeaderReader(spec, self.convention)
        slots = [(row, col) for row in spec.rows for col in spec.row_columns(row)]
        cmap = ColumnMap()
        body: list[list[Cell]] = []
        grid = all(t.grid for t in tables)
        for table in tables:
            for r in table.row_view():
                for key, c in header.header_cells(r):
                    cmap.add(key, extent(c))
                if r and not any(c.text.strip() and labels.core(c.text) in column_labels for c in r):
                    body.append(r)
        for row in spec.rows:
            data.rows[row.key] = self._empty_row(spec, row)
        targets = {f"{spec.key}.{row.key}.{col.key}": data.rows[row.key].cells[col.key] for row, col in slots}
        keys = list(targets)
        line = body[-1] if body else []
        ordered = cmap.ordered()
        if grid and cmap.extents and [k for k, _ in ordered] == [col.key for _, col in slots]:
            start = ordered[0][1][0]
            placement = place_by_extent([c for c in line if centre(c) >= start],
                                        dict(zip(keys, (e for _, e in ordered))), [e for _, e in ordered])
        else:
            placement = place_in_order(keys, line[self._label_end(line, len(keys)) + 1:], self.convention)
        self._fill(spec, targets, placement, keys, spec.key)

    # -- values ------------------------------------------------------------------------
    def _fill(self, spec: TableSpec, targets: dict[str, CellValue], placement: Placement, keys: list[str],
              where: str) -> None:
        """Read each placed cell into its target; say what is missing, unreadable or in doubt.

        When the row's reading is in doubt, that is all that is said of it: a
        row read in doubt is not accused of being short or unreadable.
        """
        blank_value = 0 if self.options.blank == "zero" else None
        columns = {c.key: c for c in spec.columns}
        missing, unparsed = [], []
        for key, (address, cv) in zip(keys, targets.items()):
            cell = placement.cells.get(key)
            if cell is None:
                missing.append(address)
                continue
            cv.raw, cv.origin = cell.text, cell.origin
            if _several_numbers(cell.text):   # two values in one cell: a ruling we did not see
                placement.conflicts.add(key)
                placement.contested.append(cell)
            if key in placement.conflicts:
                cv.uncertain = True
                continue                      # two readings of one cell: neither is taken
            col = columns[cv.column]
            parsed = parse_cell(cell.text, col.kind, col.unit, self.convention)
            if parsed.blank:
                cv.blank, cv.value = True, blank_value
            elif parsed.ok:
                cv.value = parsed.value
            else:
                unparsed.append((cv, cell, parsed.reason))
        if placement.doubtful:
            for cv in targets.values():
                cv.uncertain = True
            doubt = placement.strays + placement.contested
            texts = [c.text.strip() for c in doubt if c.text.strip()]
            self._uncertain(list(targets), doubt,
                            f"「{where}」所在行的单元格无法与模板的列一一对应（{'、'.join(texts)}），读取结果存疑，"
                            f"不据此判断报告的勾稽关系",
                            f"the cells of {where} do not fit the template's columns one to one "
                            f"({', '.join(texts)}): our reading is in doubt, and no rule is checked on it",
                            "cells do not fit the columns")
            return
        for cv, cell, reason in unparsed:
            text = cell.text.strip()
            zh, en = _UNPARSED.get(reason, _UNPARSED[None])
            self.findings.append(Finding(
                "cell.unparsed", [cv.address], f"单元格「{cv.label}」的内容「{text}」{zh}",
                f"cell {cv.address} holds '{text}', {en}", values={cv.address: cell.text}))
        if missing:
            self._row_incomplete(where, missing)
        self._extra_cells(where, placement.extras)

    def _has_numbers(self, cells: list[Cell]) -> bool:
        return any(c.text.strip() and looks_like_value(c.text, self.convention)
                   and not self.convention.is_blank(c.text) for c in cells)

    def _leaked(self, row: Row, width: int) -> bool:
        """The row stands in the text outside the tables: its label, then its numbers in a run.

        ``width`` is the number of values the row has; a run of at least
        ``min(width, 3)`` numbers separated by white space must follow the label
        (a sentence such as 行政复议0件 is not a row).
        """
        core = labels.core(row.label)
        if len(core) < 4:
            return False
        need = min(width, 3)
        pattern = re.compile(r"\s*".join(map(re.escape, core))
                             + r"[\s:：]*" + r"(?:[\d.,]+\s+)" * (need - 1) + r"[\d.,]+(?![\d.,]*\s*[件条个项次人%])")
        return any(pattern.search(text) for text in self._prose)

    def _uncertain(self, addresses: list[str], cells: list[Cell], zh: str, en: str, reason: str) -> None:
        origins = [c.origin for c in cells if c.origin.page is not None or c.origin.line is not None]
        values: dict = {"reason": reason, "texts": [c.text.strip() for c in cells if c.text.strip()]}
        if origins:
            first = origins[0]
            if first.page is not None:
                values["page"] = first.page
                boxes = [o.bbox for o in origins if o.page == first.page and o.bbox]
                if boxes:
                    values["bbox"] = [min(b[0] for b in boxes), min(b[1] for b in boxes),
                                      max(b[2] for b in boxes), max(b[3] for b in boxes)]
            elif first.line is not None:
                values["line"] = first.line
        self.findings.append(Finding("extraction.uncertain", addresses, zh, en, values=values))

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
        if any(self._leaked(row, len(spec.row_columns(row))) for row in spec.rows):
            self._uncertain(cells, [],
                            f"没有读到表格「{spec.label}」，但文档文字中有该表的行和数字：表格可能未被识别（例如没有框线），"
                            f"而非报告缺漏",
                            f"table '{spec.key}' ({spec.label}) was not read, but its rows and numbers stand in "
                            f"the text: the table was probably not recognised (no ruling lines?), not left out",
                            "table not read, but present as text")
            return
        self.findings.append(Finding(
            "table.missing", cells,
            f"文档中没有找到表格「{spec.label}」", f"table '{spec.key}' ({spec.label}) is not in the document"))

    def _unknown_row(self, spec: TableSpec, label: str, cells: list[Cell], duplicate: bool) -> None:
        """A labelled row the template does not have (or has already read) that carries numbers."""
        numbers = [c.text.strip() for c in cells
                   if looks_like_value(c.text, self.convention) and not self.convention.is_blank(c.text)]
        if not numbers:
            return
        label = " ".join(label.split())
        what_zh, what_en = (("重复出现的行", "a repeated row") if duplicate
                            else ("模板中没有的行", "a row the template does not have"))
        self.findings.append(Finding(
            "table.unknown_row", [],
            f"表格「{spec.label}」中有{what_zh}「{label}」，其数值（{'、'.join(numbers)}）未读入",
            f"table '{spec.key}' has {what_en} '{label}'; its numbers ({', '.join(numbers)}) were not read",
            values={"label": label, "numbers": numbers}))

    def _row_incomplete(self, where: str, missing: list[str]) -> None:
        self.findings.append(Finding(
            "table.row_incomplete", missing,
            f"「{where}」所在行的单元格少于模板：{len(missing)} 个单元格缺失，记为空值",
            f"{where} is printed with fewer cells than the template: {len(missing)} cell(s) missing, read as null"))

    def _extra_cells(self, where: str, extra: list[Cell]) -> None:
        texts = [c.text.strip() for c in extra if c.text.strip() and not self.convention.is_blank(c.text)]
        if texts:
            self.findings.append(Finding(
                "cell.unparsed", [],
                f"「{where}」所在行在模板列之外还有内容：{'、'.join(texts)}",
                f"{where} has text beyond the template's columns: {', '.join(texts)}",
                values={"extra": texts}))
