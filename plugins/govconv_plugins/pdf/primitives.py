"""The page primitives: all the table, paragraph and furniture logic ever reads of a PDF page.

Two engines produce them (``pdfium_engine``: pypdfium2, the default;
``pdfplumber_engine``: pdfplumber/pdfminer, the reference).  Per page:

* ``chars``: every character drawn (spaces included, the spaces a text
  extractor makes up excluded), in content-stream order, each with its box in
  pdfplumber's convention — ``x0, top, x1, bottom`` in points from the top-left
  corner of the visible page (the CropBox within the MediaBox, after /Rotate);
  across, the box spans the glyph's advance; up and down, the font size as an
  ideographic em box on the baseline (:data:`EM_DESCENT` of it below, the rest
  above), whatever metrics the font declares — so both engines, which read
  fonts' metrics differently, give the same box — with its ``text``, ``font``
  name, ``size`` and ``upright`` (not rotated on the page as seen);
* ``v`` and ``h``: the visible ruling segments, ``(x, top, bottom)`` and
  ``(y, x0, x1)``, derived from the page's painted paths by :func:`add_shape`
  (one set of rules for both engines);
* ``boxes``: white filled rectangles ``(x0, top, x1, bottom)`` — the cell
  backgrounds WPS draws inside every cell (and behind prose);
* ``images`` (how many), ``width`` and ``height`` (the visible page);
* ``bad``: how many non-blank characters have no Unicode mapping, of ``inked``, how many
  characters are not blank.

Pure Python, no imports beyond the standard library.
"""
from __future__ import annotations

#: a filled rectangle thinner than this (pt) is a drawn line
THIN = 2.0
#: the share of the font size a character's box reaches below the baseline: the ideographic em
#: box of CJK fonts (−120 … 880 in 1/1000 em).  A font's own descent is not used: fonts
#: declare it differently (or not at all: LibreOffice writes 0) and pdfminer and PDFium read
#: such declarations differently, while the baseline and the size are the same in both.
EM_DESCENT = 0.12


class Char:
    """One character drawn on a page (pdfplumber's box convention)."""

    __slots__ = ("text", "x0", "top", "x1", "bottom", "upright", "size", "font")

    def __init__(self, text: str, x0: float, top: float, x1: float, bottom: float,
                 upright: bool = True, size: float = 0.0, font: str = ""):
        self.text = text
        self.x0 = x0
        self.top = top
        self.x1 = x1
        self.bottom = bottom
        self.upright = upright
        self.size = size
        self.font = font

    def __repr__(self) -> str:
        return (f"Char({self.text!r}, {self.x0:.2f}, {self.top:.2f}, {self.x1:.2f}, {self.bottom:.2f}, "
                f"upright={self.upright}, size={self.size:.2f}, font={self.font!r})")


class PagePrimitives:
    """What one page yields (see the module docstring)."""

    __slots__ = ("number", "width", "height", "chars", "v", "h", "boxes", "images", "bad", "inked")

    def __init__(self, number: int, width: float, height: float):
        self.number = number
        self.width = width
        self.height = height
        self.chars: list[Char] = []
        self.v: list[tuple[float, float, float]] = []        # (x, top, bottom)
        self.h: list[tuple[float, float, float]] = []        # (y, x0, x1)
        self.boxes: list[tuple[float, float, float, float]] = []
        self.images = 0
        self.bad = 0
        self.inked = 0


# -- painted paths → rulings ---------------------------------------------------------------

def add_segment(p: PagePrimitives, x0: float, top: float, x1: float, bottom: float) -> None:
    """A box that is a line: thin and long one way (else nothing)."""
    w, ht = x1 - x0, bottom - top
    if w <= THIN and ht > THIN:
        p.v.append(((x0 + x1) / 2, top, bottom))
    elif ht <= THIN and w > THIN:
        p.h.append(((top + bottom) / 2, x0, x1))


def add_shape(p: PagePrimitives, kind: str, x0: float, top: float, x1: float, bottom: float, pts,
              stroke: bool, fill: bool, stroke_white: bool, fill_white: bool) -> None:
    """One painted shape, classified as pdfminer does (``line``, ``rect`` or ``curve``), into rulings.

    * a line counts when stroked in a visible colour;
    * a rectangle thinner than :data:`THIN` is a line when filled or stroked
      visibly; a larger one stroked visibly gives its four edges; a larger one
      filled white is a cell background (``boxes``);
    * any other stroked path gives its axis-parallel pieces (``pts``: its points
      in order, the closing point repeated).

    White (or unpainted) paths are invisible and give nothing.
    """
    if kind == "line":
        if stroke and not stroke_white:
            add_segment(p, x0, top, x1, bottom)
    elif kind == "rect":
        w, ht = x1 - x0, bottom - top
        if w <= THIN or ht <= THIN:
            if (fill and not fill_white) or (stroke and not stroke_white):
                add_segment(p, x0, top, x1, bottom)
        else:
            if stroke and not stroke_white:
                add_segment(p, x0, top, x1, top)
                add_segment(p, x0, bottom, x1, bottom)
                add_segment(p, x0, top, x0, bottom)
                add_segment(p, x1, top, x1, bottom)
            if fill and fill_white:
                p.boxes.append((x0, top, x1, bottom))
    elif stroke and not stroke_white and pts:
        ax, ay = pts[0]
        for bx, by in pts[1:]:
            if abs(ax - bx) < 0.5 or abs(ay - by) < 0.5:
                add_segment(p, min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))
            ax, ay = bx, by


def classify_subpath(ops: list) -> tuple[str, list] | None:
    """pdfminer's reading of one subpath: ``ops`` is ``[(op, x, y), …]`` with op one of
    ``m l c h`` (``h`` carries the subpath's start point), in page coordinates.

    Returns ``(kind, pts)``: ``line`` (two points), ``rect`` (five points,
    closed, axis-parallel sides) or ``curve`` (every point) — or None for a
    subpath that does not start with a move.
    """
    if not ops or ops[0][0] != "m" or len(ops) < 2:
        return None
    shape = "".join(o[0] for o in ops)
    pts = [(o[1], o[2]) for o in ops]
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"           # a redundant line back to the start before the close
        pts.pop()
    if shape in ("mlh", "ml"):
        return "line", pts[:2]
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        if pts[0] == pts[4] and ((x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0)
                                 or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)):
            return "rect", pts
    return "curve", pts


def add_subpaths(p: PagePrimitives, ops: list, stroke: bool, fill: bool, stroke_white: bool,
                 fill_white: bool) -> None:
    """A painted path (``ops`` as for :func:`classify_subpath`, possibly several subpaths)."""
    starts = [i for i, o in enumerate(ops) if o[0] == "m"]
    if not starts or starts[0] != 0:
        return                               # pdfminer ignores a path that does not begin with a move
    starts.append(len(ops))
    for a, b in zip(starts, starts[1:]):
        got = classify_subpath(ops[a:b])
        if got is None:
            continue
        kind, pts = got
        xs = [q[0] for q in pts]
        ys = [q[1] for q in pts]
        if kind == "rect":
            x0, x1 = sorted((pts[0][0], pts[2][0]))
            top, bottom = sorted((pts[0][1], pts[2][1]))
        else:
            x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
        add_shape(p, kind, x0, top, x1, bottom, pts, stroke, fill, stroke_white, fill_white)


# -- coordinates ----------------------------------------------------------------------------

def display_frame(box: tuple[float, float, float, float], rotation: int):
    """The map from PDF user space to the visible page, top-left origin, y down.

    ``box``: the visible box (CropBox ∩ MediaBox) in user space as
    ``(left, bottom, right, top)``; ``rotation``: /Rotate in degrees
    (clockwise).  Returns ``(width, height, (ax, bx, cx, ay, by, cy))`` with
    ``x' = ax·x + bx·y + cx`` and ``top' = ay·x + by·y + cy``.
    """
    left, b, r, t = box
    rot = rotation % 360
    if rot == 90:
        return t - b, r - left, (0.0, 1.0, -b, 1.0, 0.0, -left)
    if rot == 180:
        return r - left, t - b, (-1.0, 0.0, r, 0.0, 1.0, -b)
    if rot == 270:
        return t - b, r - left, (0.0, -1.0, t, -1.0, 0.0, r)
    return r - left, t - b, (1.0, 0.0, -left, 0.0, -1.0, t)


#: the page's /Rotate as pdfminer's ctm (a, b, c, d), to tell upright characters
ROTATION_CTM = {0: (1, 0, 0, 1), 90: (0, -1, 1, 0), 180: (-1, 0, 0, -1), 270: (0, 1, -1, 0)}


def upright(a: float, b: float, c: float, d: float, rotation: int) -> bool:
    """pdfminer's test on a character's matrix (user space), turned by the page's /Rotate."""
    p, q, r, s = ROTATION_CTM.get(rotation % 360, (1, 0, 0, 1))
    a, b, c, d = a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s
    return a * d > 0 and b * c <= 0


def is_white(color) -> bool:
    """A colour as pdfminer gives it (gray, RGB or CMYK components, 0…1) that is white or nearly."""
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


def bad_char(text: str) -> bool:
    """A character without a Unicode mapping as pdfminer shows it, or mapped into a private use area."""
    if text.startswith("(cid:"):
        return True
    return any(0xE000 <= ord(ch) <= 0xF8FF or 0xF0000 <= ord(ch) for ch in text)
