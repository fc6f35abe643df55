"""Where each template column stands in a source table: columns by geometry.

A table with a true grid (docx, pdf, html) prints its column headers
(自然人 … 总计, 本年制发件数 …) above its values.  The header cells give each
template column a horizontal extent; a value then belongs to the column whose
extent holds its centre, wherever the page break fell and whatever empty cells
stand between the label and the numbers.  An empty cell never shifts a value.

An extent is a cell's x-range on the page where the loader knows it
(``origin.bbox``, pdf) and its grid columns otherwise; one table never mixes
the two.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from govconv.model.document import Cell
from govconv.model.template import TableSpec
from govconv.model.values import Convention, looks_like_value
from govconv.reading import labels

Extent = tuple[float, float]


def extent(cell: Cell) -> Extent:
    bbox = cell.origin.bbox
    if bbox is not None:
        return (bbox[0], bbox[2])
    return (float(cell.col), float(cell.col + cell.colspan))


def centre(cell: Cell) -> float:
    a, b = extent(cell)
    return (a + b) / 2


def inside(x: float, ext: Extent) -> bool:
    return ext[0] <= x < ext[1]


def covers(cell_ext: Extent, ext: Extent) -> bool:
    """The cell covers most of ``ext`` (a cell spread over a column it is not centred in)."""
    overlap = min(cell_ext[1], ext[1]) - max(cell_ext[0], ext[0])
    return overlap > 0.5 * (ext[1] - ext[0])


@dataclass
class ColumnMap:
    """The extents of the template columns named by one block of header rows."""

    extents: dict[str, list[Extent]] = field(default_factory=dict)

    def add(self, key: str, ext: Extent) -> None:
        self.extents.setdefault(key, []).append(ext)

    @property
    def start(self) -> float:
        """Where the value area begins: left of it is the label area."""
        return min(e[0] for exts in self.extents.values() for e in exts)

    def single(self, key: str) -> Extent | None:
        """The column's one extent (None when it is not named, or named twice)."""
        exts = self.extents.get(key, [])
        return exts[0] if len(exts) == 1 else None

    def ordered(self) -> list[tuple[str, Extent]]:
        """Every (column key, extent), left to right (the flat table's header)."""
        return sorted(((k, e) for k, exts in self.extents.items() for e in exts), key=lambda ke: ke[1][0])


class HeaderReader:
    """Recognises header rows of one template table and the column each header cell names."""

    def __init__(self, spec: TableSpec, convention: Convention):
        self.convention = convention
        self.exact = {labels.norm(label): c.key for c in spec.columns for label in c.labels}
        self.row_matcher = labels.matcher_for({r.key: r.labels for r in spec.rows})
        self.column_matcher = labels.matcher_for({c.key: c.labels for c in spec.columns}, threshold=0.85)

    def column_of(self, text: str) -> str | None:
        key = self.exact.get(labels.norm(text))
        if key is not None:
            return key
        if self.row_matcher.match(text)[0] is not None:
            return None                  # a row label (其他 of 3.其他, 总计 of （七）总计) is not a header
        return self.column_matcher.match(text)[0]

    def header_cells(self, cells: list[Cell]) -> list[tuple[str, Cell]]:
        """The (column key, cell) pairs of a header row; [] when the row is not one."""
        if any(looks_like_value(c.text, self.convention) for c in cells):
            return []
        out = []
        for c in cells:
            if c.text.strip():
                key = self.column_of(c.text)
                if key is not None:
                    out.append((key, c))
        return out
