"""The document model: what any input file looks like once a loader has read it.

Loaders produce a :class:`Document`; layouts read it.  Nothing here knows about
reports, and nothing here knows about file formats.

A document is an ordered list of blocks, each a :class:`Paragraph` or a
:class:`Table`.  A table is a grid: each :class:`Cell` sits at a row and column
of that grid and may span several rows and columns.  Only the anchor (top-left)
of a merged region is stored; :meth:`Table.row_view` gives the row as a reader
sees it, with positions covered by a cell from an earlier row shown as empty
placeholders (as Word's own text export shows them).
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TypeAlias


@dataclass(frozen=True)
class Origin:
    """Where a block or cell came from: a line of a text file, or a page (+ box) of a PDF."""

    line: int | None = None
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None

    def to_dict(self) -> dict:
        return {k: v for k, v in (("line", self.line), ("page", self.page),
                                  ("bbox", list(self.bbox) if self.bbox else None)) if v is not None}

    def __str__(self) -> str:
        if self.page is not None:
            return f"page {self.page}"
        if self.line is not None:
            return f"line {self.line}"
        return "?"


@dataclass
class Cell:
    """One table cell.  ``text`` keeps inner line breaks as ``\\n``."""

    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    origin: Origin = field(default_factory=Origin)
    tables: list["Table"] = field(default_factory=list)  # nested tables, if any


@dataclass
class Paragraph:
    text: str
    origin: Origin = field(default_factory=Origin)


@dataclass
class Table:
    """A grid of cells.

    ``grid`` says whether a cell's ``col`` (and ``colspan``) is a position on the
    table's true column grid, the same for every row (docx, pdf, html): then a
    layout may place a value by where it stands.  A loader that only knows the
    order of the cells in a row (txt) sets it False, and a row is read in order.
    A cell's ``origin.bbox``, where a loader has one (pdf), is its position on
    the page, the finest geometry there is.
    """

    cells: list[Cell] = field(default_factory=list)
    origin: Origin = field(default_factory=Origin)
    grid: bool = True

    @property
    def n_rows(self) -> int:
        return max((c.row + c.rowspan for c in self.cells), default=0)

    @property
    def n_cols(self) -> int:
        return max((c.col + c.colspan for c in self.cells), default=0)

    def add(self, cell: Cell) -> Cell:
        self.cells.append(cell)
        return cell

    def rows(self) -> list[list[Cell]]:
        """Anchor cells grouped by the row they start in, left to right."""
        out: list[list[Cell]] = [[] for _ in range(self.n_rows)]
        for c in self.cells:
            out[c.row].append(c)
        for r in out:
            r.sort(key=lambda c: c.col)
        return out

    def row_view(self) -> list[list[Cell]]:
        """Each grid row as a reader sees it.

        A cell that starts in the row appears once (however many columns it
        spans); a position covered by a cell from an earlier row appears as an
        empty placeholder cell, once per covering cell.
        """
        anchored = self.rows()
        covering: list[list[Cell]] = [[] for _ in range(self.n_rows)]
        for c in self.cells:
            for r in range(c.row + 1, c.row + c.rowspan):
                covering[r].append(Cell("", r, c.col, 1, c.colspan, c.origin))
        return [sorted(a + cov, key=lambda c: c.col) for a, cov in zip(anchored, covering)]

    def texts(self) -> list[list[str]]:
        return [[c.text for c in row] for row in self.row_view()]


Block: TypeAlias = Paragraph | Table


@dataclass
class Document:
    """What a loader read: ordered blocks plus facts about the source."""

    blocks: list[Block] = field(default_factory=list)
    format: str = ""          # e.g. "txt", "docx", "pdf"
    loader: str = ""          # the name of the loader that read it
    properties: dict = field(default_factory=dict)  # e.g. encoding, page count, document title
    #: what the loader has to say about the input that a reader of the report must know
    #: (e.g. ``text.decoding``: bytes that were not text were replaced); copied into the report
    findings: list = field(default_factory=list)

    def paragraphs(self) -> Iterator[Paragraph]:
        return (b for b in self.blocks if isinstance(b, Paragraph))

    def tables(self) -> Iterator[Table]:
        return (b for b in self.blocks if isinstance(b, Table))
