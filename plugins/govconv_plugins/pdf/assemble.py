"""Page primitives → blocks: tables from rulings, paragraphs from lines, furniture dropped, tables joined.

Tables are found from their *visible* ruling lines only (stroked lines and
rectangles, and the thin filled rectangles some exporters draw borders with);
filled backgrounds – white boxes behind prose, shaded header bands – are not
rulings, so narrative pages do not turn into one-column "tables".  A cell's
row, column and spans come from its box measured against the table's ruling
positions.  A cell's text is its characters in reading order; the lines of a
wrapped or vertical label are joined (without a space between CJK characters).

Text outside tables becomes paragraphs: characters → lines → paragraphs, a new
paragraph at an indented line, a numbered heading, a wide gap or after a line
that ends short.  Page furniture (page numbers such as ``-4-``, ``— 4 —``,
``第 4 页 共 6 页``, running headers and footers) is dropped.

A table that ends at the foot of a page and goes on at the head of the next
one with a compatible column grid is one table: a repeated header row is
dropped and a merged cell cut by the page break is joined again.

Reads only :mod:`.primitives`; the engine that made them does not matter here.
"""
from __future__ import annotations

import re
import statistics
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field

from govconv import Cell, Origin, Paragraph, Table, checkpoint

from .grid import find_tables, table_bbox
from .primitives import PagePrimitives
from .text import cell_text, text_lines

#: positions closer than this (pt) are the same ruling
SNAP = 3.0
#: a table edge this close (pt) to the first/last content of a page touches the page break
EDGE_SLACK = 2.0

_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef“”‘’、。，：；！？（）《》【】—…]")
_HEADING = re.compile(r"^\s*(?:第?[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[)）])")
_NUMBERED = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+\s*[.、．](?!\d)|第[一二三四五六七八九十\d]+[条项])")
_VALUE = re.compile(r"^[\s\d,，.．%％\-—–/无]*$")
_PAGE_NUMBER = [
    re.compile(r"^[-—–―‒~－_\s]*\d{1,4}[-—–―‒~－_\s]*$"),
    re.compile(r"^第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?$"),
    re.compile(r"^\d{1,4}\s*/\s*\d{1,4}$"),
    re.compile(r"^(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.I),
]
_DECORATED = re.compile(r"[-—–―‒~－第页/]|page", re.I)
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"[ \t\u00a0]+")


# -- small helpers -------------------------------------------------------------

def join_lines(lines) -> str:
    """Join visual lines: nothing between CJK text, a space between Latin words."""
    out = ""
    for line in lines:
        line = _SPACES.sub(" ", line).strip()
        if not line:
            continue
        if out and not (_CJK.match(out[-1]) or _CJK.match(line[0]) or out.endswith("-")):
            out += " "
        out += line
    return out


def _cluster(values, tol=SNAP) -> list[float]:
    """Sorted positions, those within ``tol`` of the previous one folded together (their mean)."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def _nearest(grid: list[float], v: float) -> int:
    """The index of the position in ``grid`` (ascending) nearest to ``v``; the lower one on a tie."""
    i = bisect_left(grid, v)
    if i <= 0:
        return 0
    if i >= len(grid):
        return len(grid) - 1
    return i - 1 if abs(grid[i - 1] - v) <= abs(grid[i] - v) else i


def _is_value(text: str) -> bool:
    return bool(_VALUE.match(text))


def is_page_furniture_text(text: str) -> bool:
    """A page number in any of its usual dresses (``-4-``, ``— 4 —``, ``第 4 页 共 6 页``, ``4/6``)."""
    t = text.strip()
    return bool(t) and any(p.match(t) for p in _PAGE_NUMBER)


# -- what one page yields --------------------------------------------------------

@dataclass
class RawCell:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    page: int
    row: int = 0
    rowspan: int = 1


@dataclass
class RawTable:
    cells: list[RawCell]
    n_rows: int
    page: int
    bbox: tuple
    xs: list[float]              # the column rulings
    pages: list[int] = field(default_factory=list)

    def inner_xs(self) -> list[float]:
        return self.xs[1:-1]


@dataclass
class Line:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    page: int
    furniture: bool = False


# -- one page ----------------------------------------------------------------------

def close_open_edges(v: list[tuple], h: list[tuple]) -> list[tuple]:
    """Horizontal rulings for the edges a table's verticals end at but nobody drew.

    WPS leaves out the bottom border of the last row before a page break (and a
    continuation may start without its top border): where two or more vertical
    rulings end at the same height with no horizontal ruling there, the edge is
    drawn between them.  In a ruled table every vertical ends on a horizontal,
    so this adds nothing elsewhere.  ``v``: ``(x, top, bottom)``; ``h`` and the
    result: ``(y, x0, x1)``.
    """
    added = []
    h_sorted = sorted(h)
    h_ys = [s[0] for s in h_sorted]
    for edge in (1, 2):                      # top, bottom
        ends = sorted((ln[edge], ln[0]) for ln in v)
        groups: list[list[tuple[float, float]]] = []
        for y, x in ends:
            if groups and y - groups[-1][-1][0] <= SNAP:
                groups[-1].append((y, x))
            else:
                groups.append([(y, x)])
        for g in groups:
            checkpoint()
            xs = sorted({round(x, 1) for _, x in g})
            if len(xs) < 2:
                continue
            y = sum(p[0] for p in g) / len(g)
            lo, hi = xs[0], xs[-1]
            near = h_sorted[bisect_left(h_ys, y - SNAP - 1e-6):bisect_right(h_ys, y + SNAP + 1e-6)]
            spans = sorted((max(ln[1], lo), min(ln[2], hi)) for ln in near if abs(ln[0] - y) <= SNAP)
            drawn, reach = 0.0, lo
            for a, b in spans:                 # the length of the union of the drawn pieces
                if b > reach:
                    drawn += b - max(a, reach)
                    reach = b
            if drawn < 0.9 * (hi - lo):
                added.append((y, lo, hi))
    return added


def rows_below(bbox, boxes, tol: float = 4.0) -> tuple[list[tuple], list[tuple]] | None:
    """Rulings for a row of cell backgrounds hanging under a table whose bottom border is not drawn.

    Cell backgrounds that start just under the table's bottom edge and end at
    one height, together with the backgrounds of cells that come down from
    above and end there too, are a row of the table when two or more of them
    tile the table's whole width side by side.  A prose line's background is
    one box and never tiles a table.  Returns the vertical and horizontal
    rulings that close the row (its verticals may be missing as well).
    """
    x0, _, x1, bottom = bbox
    starting = [b for b in boxes if bottom - 1.0 <= b[1] <= bottom + tol and b[0] >= x0 - tol and b[2] <= x1 + tol]
    if not starting:
        return None
    foot = max(b[3] for b in starting)
    row = [b for b in boxes if b[1] < foot and abs(b[3] - foot) <= SNAP and b[3] > bottom + 1.0
           and b[0] >= x0 - tol and b[2] <= x1 + tol]
    row.sort(key=lambda b: b[0])
    if len(row) < 2 or row[0][0] > x0 + tol or row[-1][2] < x1 - tol:
        return None
    if any(b[0] - a[2] > tol or b[0] < a[2] - tol for a, b in zip(row, row[1:])):
        return None                     # not side by side: a gap, or boxes on top of each other
    inset = max(0.0, min(b[1] for b in starting) - bottom)
    edges = [x0] + [(a[2] + b[0]) / 2 for a, b in zip(row, row[1:])] + [x1]
    foot += inset
    return [(x, bottom, foot) for x in edges], [(foot, x0, x1)]


def read_page(p: PagePrimitives) -> dict:
    """One page's tables (with their cells' text) and the text lines outside them."""
    v, h = list(p.v), list(p.h)
    h += close_open_edges(v, h)
    grids = []
    if len(v) >= 2 and len(h) >= 2:
        found = []
        for _ in range(8):             # each pass may add one undrawn row under each table
            found = find_tables(v, h, SNAP, SNAP, SNAP)
            grown = False
            for cells in found if p.boxes else ():
                more = rows_below(table_bbox(cells), p.boxes)
                if more:
                    v, h, grown = v + more[0], h + more[1], True
            if not grown:
                break
        grids = [g for g in map(_grid, found) if g is not None]

    # each character to the tables whose box holds its centre, or else to the text around them
    chars = p.chars
    mine: list[list] = [[] for _ in grids]
    free: list = []
    if len(grids) == 1:                # the common case: one table on the page
        bx0, btop, bx1, bbottom = grids[0][3]
        keep, take = free.append, mine[0].append
        for k, c in enumerate(chars):
            ym = (c.top + c.bottom) / 2
            if btop <= ym <= bbottom:
                xm = (c.x0 + c.x1) / 2
                if bx0 <= xm <= bx1:
                    t = c.text
                    if t and not t.isspace():
                        take((k, xm, ym, c))
                    continue
            keep(c)
        chars = free
    elif grids:
        boxes = [g[3] for g in grids]
        keep = free.append
        for k, c in enumerate(chars):
            xm, ym = (c.x0 + c.x1) / 2, (c.top + c.bottom) / 2
            held = False
            for n, (bx0, btop, bx1, bbottom) in enumerate(boxes):
                if bx0 <= xm <= bx1 and btop <= ym <= bbottom:
                    held = True
                    if c.text and not c.text.isspace():
                        mine[n].append((k, xm, ym, c))
            if not held:
                keep(c)
        chars = free
    tables = [_raw_table(g, p.number, m) for g, m in zip(grids, mine)]
    lines = []
    for text, x0, top, x1, bottom in text_lines(chars):
        text = _SPACES.sub(" ", text).strip()
        if text:
            lines.append(Line(text, x0, top, x1, bottom, p.number))
    return {"number": p.number, "width": float(p.width), "height": float(p.height),
            "tables": tables, "lines": lines}


def _grid(boxes):
    """A table's cells with its column and row positions, its box and each cell's rows — or None for
    what is no table: one column (prose in a box), or no cell a row high."""
    if not boxes:
        return None
    xs = _cluster([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = _cluster([b[1] for b in boxes] + [b[3] for b in boxes])
    if len(xs) < 3 or len(ys) < 2:
        return None
    rows = []
    for b in boxes:
        r0, r1 = _nearest(ys, b[1]), _nearest(ys, b[3])
        rows.append((r0, r1) if r1 > r0 else None)
    if not any(rows):
        return None
    return boxes, xs, ys, table_bbox(boxes), rows


def _raw_table(grid, number: int, chars: list) -> RawTable:
    """A table from its grid (see :func:`_grid`); each cell's text from ``chars``, ``(place on the
    page, centre x, centre y, character)`` for the characters whose centre lies in the table's box."""
    boxes, xs, ys, bbox, rows = grid
    # the cells' edges cut the table into intervals; each character goes to the interval its centre is in
    ex = sorted({b[0] for b in boxes} | {b[2] for b in boxes})
    ey = sorted({b[1] for b in boxes} | {b[3] for b in boxes})
    ix = {v: i for i, v in enumerate(ex)}
    iy = {v: i for i, v in enumerate(ey)}
    slots: dict[tuple[int, int], list] = {}
    for k, xm, ym, c in chars:
        key = (bisect_right(ex, xm) - 1, bisect_right(ey, ym) - 1)
        got = slots.get(key)
        if got is None:
            slots[key] = [(k, c)]
        else:
            got.append((k, c))
    cells = []
    for k, (bx0, btop, bx1, bbot) in enumerate(boxes):
        if k & 15 == 0:
            checkpoint()
        span = rows[k]
        if span is None:
            continue
        inside = []
        if slots:
            i0, i1 = ix[bx0], ix[bx1]
            j0, j1 = iy[btop], iy[bbot]
            if i1 - i0 == 1 and j1 - j0 == 1:
                inside = slots.get((i0, j0)) or []
            else:
                for i in range(i0, i1):
                    for j in range(j0, j1):
                        got = slots.get((i, j))
                        if got:
                            inside.extend(got)
                inside.sort()                  # page order (the places are unique)
        text = ""
        if inside:
            text = cell_text([c for _, c in inside])
            if "\n" in text or "  " in text or "\t" in text or "\xa0" in text:
                text = join_lines(text.split("\n"))
            else:                              # one line, single spaces: join_lines would only strip it
                text = text.strip()
        r0, r1 = span
        cells.append(RawCell(text, bx0, btop, bx1, bbot, number, r0, r1 - r0))
    return RawTable(cells, len(ys) - 1, number, tuple(bbox), xs, [number])


# -- the whole document ------------------------------------------------------------

def mark_furniture(pages: list[dict]) -> None:
    """Page numbers, and lines repeated near the top or foot of most pages (running heads)."""
    n = len(pages)
    repeated: Counter = Counter()
    for p in pages:
        seen = set()
        for ln in p["lines"]:
            if _in_margin(ln, p):
                seen.add(_DIGITS.sub("#", ln.text.replace(" ", "")))
        repeated.update(seen)
    running = {k for k, c in repeated.items() if n >= 2 and c >= 2 and c >= 0.5 * n}
    for p in pages:
        for ln in p["lines"]:
            key = _DIGITS.sub("#", ln.text.replace(" ", ""))
            if is_page_furniture_text(ln.text) and (_in_margin(ln, p) or _DECORATED.search(ln.text)):
                ln.furniture = True
            elif key in running and _in_margin(ln, p):
                ln.furniture = True


def _in_margin(ln: Line, p: dict) -> bool:
    band = 0.1 * p["height"]
    return ln.bottom <= band or ln.top >= p["height"] - band


def _compatible(a: RawTable, b: RawTable, width: float) -> bool:
    tol = max(4.0, 0.01 * width)
    if abs(a.xs[0] - b.xs[0]) > tol or abs(a.xs[-1] - b.xs[-1]) > tol:
        return False
    ia, ib = a.inner_xs(), b.inner_xs()

    def subset(small, big):
        return all(any(abs(s - g) <= SNAP for g in big) for s in small)

    return subset(ib, ia) or subset(ia, ib)


def _row_signature(t: RawTable, k: int, xs: list[float]):
    rows = []
    for r in range(k):
        rows.append(tuple(sorted((_nearest(xs, c.x0), _nearest(xs, c.x1), re.sub(r"\s", "", c.text))
                                 for c in t.cells if c.row == r)))
    return rows


def _header_rows(prev: RawTable, cont: RawTable) -> int:
    """How many rows at the top of ``cont`` repeat the header rows of ``prev``."""
    xs = _cluster(prev.xs + cont.xs)
    for k in range(min(6, prev.n_rows - 1, cont.n_rows - 1), 0, -1):
        if any(c.row < k < c.row + c.rowspan for c in prev.cells + cont.cells):
            continue       # a cell crosses the would-be header's foot
        a, b = _row_signature(prev, k, xs), _row_signature(cont, k, xs)
        if a == b and any(t for row in a for (_, _, t) in row):
            return k
    return 0


def join_tables(prev: RawTable, cont: RawTable, width: float) -> RawTable:
    """``cont`` (the head of the next page) goes on from ``prev``: one table."""
    drop = _header_rows(prev, cont)
    body = [c for c in cont.cells if c.row >= drop]
    for c in body:
        c.row -= drop
    n_cont = cont.n_rows - drop
    if n_cont <= 0:
        return prev
    tol = max(4.0, 0.01 * width)
    bottom = [c for c in prev.cells if c.row + c.rowspan == prev.n_rows]
    first = [c for c in body if c.row == 0]

    def partner(x: RawCell):
        for y in bottom:
            if abs(y.x0 - x.x0) <= tol and abs(y.x1 - x.x1) <= tol:
                return y
        return None

    pairs = [(x, partner(x)) for x in first]
    texts = [(x, y) for x, y in pairs if x.text.strip()]

    # the row itself was cut by the page break: every text goes on from the text above it
    def goes_on(x, y):      # label text continuing the label above it
        return (y is not None and y.text.strip() and not _NUMBERED.match(x.text) and not _is_value(x.text)
                and not _is_value(y.text))

    def fills(x, y):         # a value (centred in its cell) below an empty piece of the same cell
        return y is not None and not y.text.strip() and _is_value(x.text) and y.rowspan == 1

    split_row = (any(goes_on(x, y) for x, y in texts)
                 and all(goes_on(x, y) or fills(x, y) for x, y in texts)
                 and all(y is not None for _, y in pairs))
    offset = prev.n_rows - 1 if split_row else prev.n_rows
    merged = set()
    for x, y in pairs:
        if y is None:
            continue
        if split_row:
            join = True
        elif not x.text.strip():
            join = x.rowspan > 1 or y.rowspan > 1
        else:
            join = (bool(y.text.strip()) and (x.rowspan > 1 or y.rowspan > 1)
                    and not _NUMBERED.match(x.text) and not _is_value(x.text) and not _is_value(y.text))
        if join:
            y.text = join_lines([y.text, x.text])
            y.rowspan += x.rowspan - (1 if split_row else 0)
            merged.add(id(x))
    for c in body:
        if id(c) in merged:
            continue
        c.row += offset
        prev.cells.append(c)
    prev.n_rows = offset + n_cont
    prev.xs = _cluster(prev.xs + cont.xs)
    prev.pages.append(cont.page)
    return prev


def _to_table(raw: RawTable) -> Table:
    xs = _cluster([c.x0 for c in raw.cells] + [c.x1 for c in raw.cells])
    table = Table(origin=Origin(page=raw.page, bbox=tuple(round(v, 2) for v in raw.bbox)))
    add = table.cells.append
    col: dict[float, int] = {}
    rounded: dict[float, float] = {}     # cells share their edges: each rounded once

    def r2(v: float) -> float:
        got = rounded.get(v)
        if got is None:
            got = rounded[v] = round(v, 2)
        return got

    for c in sorted(raw.cells, key=lambda c: (c.row, c.x0)):
        col0 = col.get(c.x0)
        if col0 is None:
            col0 = col[c.x0] = _nearest(xs, c.x0)
        col1 = col.get(c.x1)
        if col1 is None:
            col1 = col[c.x1] = _nearest(xs, c.x1)
        add(Cell(c.text, c.row, col0, c.rowspan, max(1, col1 - col0),
                 origin=Origin(page=c.page, bbox=(r2(c.x0), r2(c.top), r2(c.x1), r2(c.bottom)))))
    return table


def assemble(pages: list[dict]) -> list:
    """Pages → blocks: tables joined across page breaks, lines grouped into paragraphs."""
    mark_furniture(pages)
    items: list = []            # RawTable | Line, in reading order (a paragraph may go on over a page break)
    tail = None                 # what the last page with content ended with
    for p in pages:
        content = [ln for ln in p["lines"] if not ln.furniture]
        seq = sorted([(ln.top, 1, ln) for ln in content] + [(t.bbox[1], 0, t) for t in p["tables"]],
                     key=lambda e: (e[0], e[1]))
        for i, (_, _, obj) in enumerate(seq):
            if i == 0 and isinstance(obj, RawTable) and isinstance(tail, RawTable) \
                    and _compatible(tail, obj, p["width"]):
                join_tables(tail, obj, p["width"])
                continue
            items.append(obj)
            tail = obj
    return _blocks(items)


def _blocks(items: list) -> list:
    lines = [it for it in items if isinstance(it, Line)]
    blocks: list = []
    if lines:
        size = statistics.median([ln.bottom - ln.top for ln in lines]) or 10.0
        left = Counter(round(ln.x0) for ln in lines).most_common(1)[0][0]
        rights = sorted(ln.x1 for ln in lines)
        right = rights[int(0.9 * (len(rights) - 1))]
        gaps = [b.top - a.bottom for a, b in zip(lines, lines[1:])
                if a.page == b.page and 0 <= b.top - a.bottom < 3 * size]
        gap = statistics.median(gaps) if gaps else 0.5 * size
    para: list[Line] = []
    prev: Line | None = None

    def flush():
        if para:
            first = para[0]
            same = [ln for ln in para if ln.page == first.page]
            bbox = (round(min(ln.x0 for ln in same), 2), round(first.top, 2),
                    round(max(ln.x1 for ln in same), 2), round(same[-1].bottom, 2))
            blocks.append(Paragraph(join_lines(ln.text for ln in para), Origin(page=first.page, bbox=bbox)))
            para.clear()

    for it in items:
        if isinstance(it, RawTable):
            flush()
            prev = None
            blocks.append(_to_table(it))
            continue
        new = (prev is None or _HEADING.match(it.text) or it.x0 > left + 0.8 * size
               or prev.x1 < right - 1.5 * size
               or (prev.page == it.page and it.top - prev.bottom > gap + 0.6 * size))
        if new:
            flush()
        para.append(it)
        prev = it
    flush()
    return blocks
