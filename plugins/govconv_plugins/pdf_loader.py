"""Loader ``pdf``: a PDF with a text layer (what Word, WPS and LibreOffice export).

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

pdfplumber (and pdfminer) are imported only when a PDF is actually read.
"""
from __future__ import annotations

import io
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from govconv import Cell, Document, Loader, Origin, Paragraph, Table, checkpoint, hookimpl
from govconv.errors import CorruptInput, EncryptedInput, NoTextLayer, wrapped_error

#: positions closer than this (pt) are the same ruling
SNAP = 3.0
#: a filled rectangle thinner than this (pt) is a drawn line
THIN = 2.0
#: share of characters without a Unicode mapping ((cid:NN), private use area) that makes the text unusable
MAX_BAD_SHARE = 0.3
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


def _is_white(color) -> bool:
    if color is None:
        return False
    if isinstance(color, (int, float)):
        return color >= 0.95
    try:
        vals = [float(v) for v in color]
    except (TypeError, ValueError):
        return False
    if len(vals) == 1:
        return vals[0] >= 0.95
    if len(vals) == 3:
        return min(vals) >= 0.95
    if len(vals) == 4:                       # CMYK
        return max(vals) <= 0.05
    return False


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
    return min(range(len(grid)), key=lambda i: abs(grid[i] - v))


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

    @property
    def bbox(self):
        return (round(self.x0, 2), round(self.top, 2), round(self.x1, 2), round(self.bottom, 2))


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


# -- the loader --------------------------------------------------------------------

class PdfLoader(Loader):
    name = "pdf"
    format = "pdf"
    extensions = ("pdf",)
    max_bytes = 128 * 1024 * 1024
    description = "PDF with a text layer (tables from ruling lines; tables across pages joined)"

    def accepts(self, source) -> float:
        if source.head.startswith(b"%PDF") or b"%PDF-" in source.data[:1024]:
            return 0.95
        return 0.3 if source.extension == "pdf" else 0.0

    def load(self, source, options) -> Document:
        _quiet_pdfminer()
        pdf = _open(source, options)
        try:
            pages, props = _read_pages(pdf)
        except Exception as e:   # pdfminer raises many kinds on a damaged file
            # ours (the time limit), or a RecursionError, possibly inside pdfplumber's wrapper
            raise wrapped_error(e) or _corrupt(e) from None
        finally:
            try:
                pdf.close()
            except Exception:
                pass
        blocks = assemble(pages)
        return Document(blocks, format=self.format, loader=self.name, properties=props)


def _quiet_pdfminer() -> None:
    """pdfminer logs warnings about damaged fonts; with no handler Python prints them to stderr.

    A do-nothing handler keeps the CLI's stderr to its one-line message, while an
    application that configures logging still receives the records.
    """
    import logging

    log = logging.getLogger("pdfminer")
    if not any(isinstance(h, logging.NullHandler) for h in log.handlers):
        log.addHandler(logging.NullHandler())


def _corrupt(e: BaseException) -> CorruptInput:
    what = type(e).__name__
    return CorruptInput(f"PDF 文件已损坏或不完整，无法读取（{what}）",
                        f"the PDF is damaged or truncated and cannot be read ({what})")


def _encryption_error(e: BaseException | None) -> bool:
    names = []
    while e is not None:
        names.append(type(e).__name__)
        names += [type(a).__name__ for a in getattr(e, "args", ()) if isinstance(a, BaseException)]
        e = e.__cause__ or e.__context__
    return any("Password" in n or "Encryption" in n for n in names)


def _open(source, options):
    import pdfplumber

    if b"%PDF" not in source.data[:1024]:
        raise CorruptInput("不是 PDF 文件（缺少 %PDF 文件头）", "not a PDF file (no %PDF header)")
    password = options.password or ""
    try:
        pdf = pdfplumber.open(io.BytesIO(source.data), password=password)
        pdf.pages  # parses the page tree: a broken xref or an unknown encryption shows here
    except Exception as e:
        inner = wrapped_error(e)
        if inner is not None:
            raise inner from None
        if _encryption_error(e):
            if options.password:
                raise EncryptedInput("PDF 已加密，所给密码不正确",
                                     "the PDF is encrypted and the password given is wrong") from None
            raise EncryptedInput("PDF 已加密，请用 --password 提供密码",
                                 "the PDF is encrypted: give its password with --password") from None
        raise _corrupt(e) from None
    return pdf


def _bad_char(text: str) -> bool:
    if text.startswith("(cid:"):
        return True
    return any(0xE000 <= ord(ch) <= 0xF8FF or 0xF0000 <= ord(ch) for ch in text)


def _read_pages(pdf) -> tuple[list[dict], dict]:
    n_chars = n_bad = n_images = 0
    pages = []
    for number, page in enumerate(pdf.pages, start=1):
        checkpoint()
        try:
            _parse_with_checkpoints(page)
            chars = [c for c in page.chars if c.get("text", "").strip()]
            n_chars += len(chars)
            n_bad += sum(1 for c in chars if _bad_char(c["text"]))
            n_images += len(page.images)
            pages.append(_read_page(page, number, chars))
        finally:
            page.close()
    props = {"pages": len(pages)}
    meta = getattr(pdf, "metadata", None) or {}
    for key in ("Title", "Producer", "Creator"):
        v = meta.get(key)
        if isinstance(v, str) and v.strip() and "\ufffd" not in v:
            props[key.lower()] = v.strip()
    if n_chars == 0:
        if n_images:
            raise NoTextLayer("PDF 没有文字层（是扫描件），暂不支持 OCR 识别",
                              "the PDF has no text layer (a scan); OCR is not supported yet")
        raise NoTextLayer("PDF 中没有任何文字", "the PDF contains no text at all")
    if n_bad / n_chars > MAX_BAD_SHARE:
        raise NoTextLayer("PDF 的字体缺少 Unicode 映射，文字无法解码（显示为 (cid:NN) 或私用区字符）",
                          "the PDF's fonts lack a Unicode map: its text decodes to (cid:NN) or "
                          "private-use characters")
    return pages, props


def _parse_with_checkpoints(page) -> None:
    """pdfplumber's own parse of a page, with a checkpoint at every path and character drawn.

    A page of a few hundred thousand drawing operations takes pdfminer a long
    time; the checkpoints let the conversion's deadline and memory cap stop it
    in any thread.  Should pdfplumber's internals differ, its own parse runs.
    """
    try:
        from pdfminer.pdfinterp import PDFPageInterpreter
        from pdfplumber.page import PDFPageAggregatorWithMarkedContent
        rsrcmgr, laparams = page.pdf.rsrcmgr, page.pdf.laparams
    except (ImportError, AttributeError):
        return

    class Device(PDFPageAggregatorWithMarkedContent):
        def paint_path(self, *args, **kwargs):
            checkpoint()
            return super().paint_path(*args, **kwargs)

        def render_char(self, *args, **kwargs):
            checkpoint()
            return super().render_char(*args, **kwargs)

    device = Device(rsrcmgr, pageno=page.page_number, laparams=laparams)
    PDFPageInterpreter(rsrcmgr, device).process_page(page.page_obj)
    page._layout = device.get_result()


def _rulings(page) -> tuple[list[dict], list[dict]]:
    """The visible ruling lines of a page as (vertical, horizontal) line objects."""
    v, h = [], []

    def add(x0, top, x1, bottom):
        w, ht = x1 - x0, bottom - top
        if w <= THIN and ht > THIN:
            x = (x0 + x1) / 2
            v.append({"object_type": "line", "x0": x, "x1": x, "top": top, "bottom": bottom,
                      "width": 0, "height": ht})
        elif ht <= THIN and w > THIN:
            y = (top + bottom) / 2
            h.append({"object_type": "line", "x0": x0, "x1": x1, "top": y, "bottom": y,
                      "width": w, "height": 0})

    for ln in page.lines:
        if ln.get("stroke", True) is False or _is_white(ln.get("stroking_color")):
            continue
        add(ln["x0"], ln["top"], ln["x1"], ln["bottom"])
    for r in page.rects:
        x0, top, x1, bottom = r["x0"], r["top"], r["x1"], r["bottom"]
        if min(x1 - x0, bottom - top) <= THIN:
            visible = (r.get("fill") and not _is_white(r.get("non_stroking_color"))) or \
                      (r.get("stroke") and not _is_white(r.get("stroking_color")))
            if visible:
                add(x0, top, x1, bottom)
        elif r.get("stroke") and not _is_white(r.get("stroking_color")):
            add(x0, top, x1, top)
            add(x0, bottom, x1, bottom)
            add(x0, top, x0, bottom)
            add(x1, top, x1, bottom)
    for c in page.curves:    # axis-parallel pieces of stroked paths
        if not c.get("stroke") or _is_white(c.get("stroking_color")):
            continue
        pts = c.get("pts") or []
        for (ax, ay), (bx, by) in zip(pts, pts[1:]):
            if abs(ax - bx) < 0.5 or abs(ay - by) < 0.5:
                add(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))
    return v, h


def _vline(x: float, top: float, bottom: float) -> dict:
    return {"object_type": "line", "x0": x, "x1": x, "top": top, "bottom": bottom, "width": 0,
            "height": bottom - top}


def _hline(y: float, x0: float, x1: float) -> dict:
    return {"object_type": "line", "x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0}


def close_open_edges(v: list[dict], h: list[dict]) -> list[dict]:
    """Horizontal rulings for the edges a table's verticals end at but nobody drew.

    WPS leaves out the bottom border of the last row before a page break (and a
    continuation may start without its top border): where two or more vertical
    rulings end at the same height with no horizontal ruling there, the edge is
    drawn between them.  In a ruled table every vertical ends on a horizontal,
    so this adds nothing elsewhere.
    """
    added = []
    for edge in ("top", "bottom"):
        ends = sorted((ln[edge], ln["x0"]) for ln in v)
        groups: list[list[tuple[float, float]]] = []
        for y, x in ends:
            if groups and y - groups[-1][-1][0] <= SNAP:
                groups[-1].append((y, x))
            else:
                groups.append([(y, x)])
        for g in groups:
            xs = sorted({round(x, 1) for _, x in g})
            if len(xs) < 2:
                continue
            y = sum(p[0] for p in g) / len(g)
            lo, hi = xs[0], xs[-1]
            spans = sorted((max(ln["x0"], lo), min(ln["x1"], hi)) for ln in h if abs(ln["top"] - y) <= SNAP)
            drawn, reach = 0.0, lo
            for a, b in spans:                 # the length of the union of the drawn pieces
                if b > reach:
                    drawn += b - max(a, reach)
                    reach = b
            if drawn < 0.9 * (hi - lo):
                added.append(_hline(y, lo, hi))
    return added


def _cell_boxes(page) -> list[tuple[float, float, float, float]]:
    """White filled rectangles: the cell backgrounds WPS draws inside every cell (and behind prose)."""
    out = []
    for r in page.rects:
        w, ht = r["x1"] - r["x0"], r["bottom"] - r["top"]
        if w > THIN and ht > THIN and r.get("fill") and _is_white(r.get("non_stroking_color")):
            out.append((r["x0"], r["top"], r["x1"], r["bottom"]))
    return out


def rows_below(bbox, boxes, tol: float = 4.0) -> tuple[list[dict], list[dict]] | None:
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
    return [_vline(x, bottom, foot) for x in edges], [_hline(foot, x0, x1)]


def _read_page(page, number: int, chars: list[dict]) -> dict:
    from pdfplumber.utils import extract_text

    v, h = _rulings(page)
    h += close_open_edges(v, h)
    tables: list[RawTable] = []
    if len(v) >= 2 and len(h) >= 2:
        boxes = None
        for _ in range(8):             # each pass may add one undrawn row under each table
            settings = {"vertical_strategy": "explicit", "horizontal_strategy": "explicit",
                        "explicit_vertical_lines": v, "explicit_horizontal_lines": h,
                        "snap_tolerance": SNAP, "join_tolerance": SNAP, "intersection_tolerance": SNAP}
            found = page.find_tables(settings)
            boxes = _cell_boxes(page) if boxes is None else boxes
            grown = False
            for t in found if boxes else ():
                more = rows_below(t.bbox, boxes)
                if more:
                    v, h, grown = v + more[0], h + more[1], True
            if not grown:
                break
        for t in found:
            raw = _raw_table(t, number, chars, extract_text)
            if raw is not None:
                tables.append(raw)

    def in_table(c):
        xm, ym = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
        return any(t.bbox[0] <= xm <= t.bbox[2] and t.bbox[1] <= ym <= t.bbox[3] for t in tables)

    free = page.filter(lambda o: o.get("object_type") != "char" or not in_table(o))
    lines = []
    for ln in free.extract_text_lines(return_chars=False, x_tolerance=3, y_tolerance=3):
        text = _SPACES.sub(" ", ln["text"]).strip()
        if text:
            lines.append(Line(text, ln["x0"], ln["top"], ln["x1"], ln["bottom"], number))
    return {"number": number, "width": float(page.width), "height": float(page.height),
            "tables": tables, "lines": lines}


def _raw_table(t, number: int, chars: list[dict], extract_text) -> RawTable | None:
    boxes = list(t.cells)
    if not boxes:
        return None
    xs = _cluster([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = _cluster([b[1] for b in boxes] + [b[3] for b in boxes])
    if len(xs) < 3 or len(ys) < 2:       # one column: prose in a box, not a table
        return None
    x0, top, x1, bottom = t.bbox
    mine = [c for c in chars
            if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom]
    cells = []
    for bx0, btop, bx1, bbot in boxes:
        inside = [c for c in mine
                  if bx0 <= (c["x0"] + c["x1"]) / 2 < bx1 and btop <= (c["top"] + c["bottom"]) / 2 < bbot]
        text = ""
        if inside:
            text = join_lines(extract_text(inside, x_tolerance=3, y_tolerance=3).split("\n"))
        r0, r1 = _nearest(ys, btop), _nearest(ys, bbot)
        if r1 <= r0:
            continue
        cells.append(RawCell(text, bx0, btop, bx1, bbot, number, r0, r1 - r0))
    if not cells:
        return None
    return RawTable(cells, len(ys) - 1, number, tuple(t.bbox), xs, [number])


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
    for c in sorted(raw.cells, key=lambda c: (c.row, c.x0)):
        col0, col1 = _nearest(xs, c.x0), _nearest(xs, c.x1)
        table.add(Cell(c.text, c.row, col0, c.rowspan, max(1, col1 - col0),
                       origin=Origin(page=c.page, bbox=c.bbox)))
    return table


def assemble(pages: list[dict]) -> list:
    """Pages → blocks: tables joined across page breaks, lines grouped into paragraphs."""
    mark_furniture(pages)
    items: list = []            # RawTable | Line | None (a page break)
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
        items.append(None)
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
        if it is None:
            continue                                   # a page break: a paragraph may go on
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


@hookimpl
def register_loaders(register):
    register(PdfLoader())
