"""The two PDF engines read every PDF fixture to the same document.

``pdfium`` (the default, fast) and ``pdfplumber`` (the reference) each turn a
page into its primitives — characters with boxes, ruling segments, cell
backgrounds — and one reading makes tables and paragraphs of them.  For every
PDF we have (fixtures/pdf, the page-break sweep drawn and rendered by
LibreOffice, the real huaian report) both engines must give the same blocks:
paragraph texts, table cells (text, row, column, spans, page), and every
origin's box to within half a point.

One known difference, the reference's: pdfminer's CMap for ``UniGB-UCS2-H``
(the non-embedded STSong-Light of the drawn sweep) has no entry for U+00B7
(``·``), so pdfminer drops the character (and its advance) where PDFium reads
it.  Texts are compared with ``·`` taken out, and only there may they differ.

Also here: the page primitives of both engines on crafted pages (a table drawn
inside a form XObject, a page turned by /Rotate with a CropBox), the grid
finder on its own, and the pdfium engine never importing pdfplumber.
"""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import FIXTURES, ROOT

TOL = 0.5          # pt
REFERENCE_DROPS = "·"

PDFS = sorted((FIXTURES / "pdf").glob("*.pdf")) + sorted((FIXTURES / "sweep" / "drawn").glob("*.pdf")) \
    + sorted((FIXTURES / "sweep" / "lo").glob("*.pdf")) + [FIXTURES / "realworld" / "huaian-city-2024.pdf"]
PDFS = [p for p in PDFS if p.exists()]


def load(path_or_bytes, engine: str, password: str | None = None):
    from govconv import LoadOptions, Source
    from govconv_plugins.pdf_loader import PdfLoader
    return PdfLoader().load(Source.open(path_or_bytes), LoadOptions(password=password,
                                                                    extra={"pdf_engine": engine}))


def _close(a, b) -> bool:
    if a is None or b is None:
        return a == b
    return len(a) == len(b) and all(abs(x - y) <= TOL for x, y in zip(a, b))


def differences(ref, fast, drop: str = "") -> list[str]:
    """How two documents' blocks differ (empty: the same reading); characters in ``drop`` are left out
    of the texts compared."""
    table = {ord(c): None for c in drop}

    def _text(t: str) -> str:
        return t.translate(table)

    out = []
    if len(ref.blocks) != len(fast.blocks):
        out.append(f"{len(ref.blocks)} blocks vs {len(fast.blocks)}")
    for i, (a, b) in enumerate(zip(ref.blocks, fast.blocks)):
        if type(a) is not type(b):
            out.append(f"block {i}: {type(a).__name__} vs {type(b).__name__}")
            break
        if a.origin.page != b.origin.page or not _close(a.origin.bbox, b.origin.bbox):
            out.append(f"block {i} origin: {a.origin} {a.origin.bbox} vs {b.origin.bbox}")
        if hasattr(a, "cells"):
            if len(a.cells) != len(b.cells):
                out.append(f"table {i}: {len(a.cells)} cells vs {len(b.cells)}")
            for c, d in zip(a.cells, b.cells):
                if (_text(c.text), c.row, c.col, c.rowspan, c.colspan, c.origin.page) != \
                        (_text(d.text), d.row, d.col, d.rowspan, d.colspan, d.origin.page):
                    out.append(f"table {i} cell {(c.text, c.row, c.col, c.rowspan, c.colspan)} vs "
                               f"{(d.text, d.row, d.col, d.rowspan, d.colspan)}")
                elif not _close(c.origin.bbox, d.origin.bbox):
                    out.append(f"table {i} cell {c.text!r} at {c.origin.bbox} vs {d.origin.bbox}")
        elif _text(a.text) != _text(b.text):
            out.append(f"paragraph {i}: {a.text[:60]!r} vs {b.text[:60]!r}")
    return out


@pytest.mark.parametrize("path", PDFS, ids=[f"{p.parent.name}/{p.name}" for p in PDFS])
def test_both_engines_read_the_same_document(path):
    ref, fast = load(path, "pdfplumber"), load(path, "pdfium")
    # the reference's one known loss (see the module's docstring) is in the drawn sweep only
    bad = differences(ref, fast, REFERENCE_DROPS if path.parent.name == "drawn" else "")
    assert not bad, "\n".join(bad[:12])
    assert ref.properties == fast.properties


def test_the_fixtures_are_there():
    names = {p.parent.name for p in PDFS}
    assert {"pdf", "drawn", "lo", "realworld"} <= names, names
    assert len(PDFS) > 300


# -- crafted pages: both engines, the same primitives ---------------------------------------------

def _pdf(page_dict: bytes, content: bytes, extra: dict[int, bytes] | None = None,
         streams: dict[int, bytes] | None = None) -> bytes:
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
               2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               3: page_dict,
               4: b"<< >>",
               5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"}
    objects.update(extra or {})
    data = {4: content, **(streams or {})}
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        body = objects[num]
        if num in data:
            body = body.rstrip()[:-2] + b" /Length %d >>" % len(data[num])
            out += b"%d 0 obj\n" % num + body + b"\nstream\n" + data[num] + b"\nendstream\nendobj\n"
        else:
            out += b"%d 0 obj\n" % num + body + b"\nendobj\n"
    xref = len(out)
    n = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % n
    out += b"".join(b"%010d 00000 n \n" % offsets[i] for i in range(1, n))
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (n, xref)
    return bytes(out)


def _grid_ops(x0: int, y0: int, cols: list[int], rows: list[int]) -> bytes:
    """Stroked lines of a ruled grid whose top-left corner is (x0, y0) (PDF user space)."""
    ops = []
    right, bottom = x0 + sum(cols), y0 - sum(rows)
    y = y0
    for h in [0] + rows:
        y -= h
        ops.append(b"%d %d m %d %d l S" % (x0, y, right, y))
    x = x0
    for w in [0] + cols:
        x += w
        ops.append(b"%d %d m %d %d l S" % (x, y0, x, bottom))
    return b"\n".join(ops)


def _cells_text(x0: int, y0: int, cols: list[int], rows: list[int], texts: list[list[str]]) -> bytes:
    ops = []
    y = y0
    for r, h in enumerate(rows):
        x = x0
        for c, w in enumerate(cols):
            ops.append(b"BT /F1 10 Tf %d %d Td (%s) Tj ET" % (x + 4, y - h + 6, texts[r][c].encode()))
            x += w
        y -= h
    return b"\n".join(ops)


TEXTS = [["label", "a", "b"], ["one", "1", "2"], ["two", "3", "4"]]


def _primitives(data: bytes, engine: str):
    from govconv_plugins.pdf import read_primitives
    pages, _ = read_primitives(data, None, engine)
    return pages


def _same_primitives(data: bytes):
    ref, fast = _primitives(data, "pdfplumber"), _primitives(data, "pdfium")
    assert len(ref) == len(fast)
    for a, b in zip(ref, fast):
        assert abs(a.width - b.width) < 0.01 and abs(a.height - b.height) < 0.01
        for name in ("v", "h", "boxes"):
            sa, sb = sorted(getattr(a, name)), sorted(getattr(b, name))
            assert len(sa) == len(sb), (name, sa, sb)
            for x, y in zip(sa, sb):
                assert max(abs(p - q) for p, q in zip(x, y)) < 0.01, (name, x, y)
        def key(c):
            return round(c.top), round(c.x0), c.text

        # (the engines may list the characters of a turned page in another order)
        ta = sorted((c for c in a.chars if c.text.strip()), key=key)
        tb = sorted((c for c in b.chars if c.text.strip()), key=key)
        assert [c.text for c in ta] == [c.text for c in tb]
        for x, y in zip(ta, tb):
            assert max(abs(x.x0 - y.x0), abs(x.x1 - y.x1), abs(x.top - y.top), abs(x.bottom - y.bottom)) < 0.05, (x, y)
            assert x.upright == y.upright
        assert a.images == b.images and a.bad == b.bad and a.inked == b.inked
    return ref, fast


def test_a_table_drawn_inside_a_form_xobject():
    """The grid and its text in a form XObject placed by a /Matrix and a ``cm``: its paths are found."""
    cols, rows = [120, 60, 60], [20, 20, 20]
    form = _grid_ops(0, 60, cols, rows) + b"\n" + _cells_text(0, 60, cols, rows, TEXTS)
    content = b"BT /F1 12 Tf 72 780 Td (Before the table) Tj ET\nq 1 0 0 1 20 300 cm /X1 Do Q\n" \
              b"BT /F1 12 Tf 72 200 Td (After the table) Tj ET"
    data = _pdf(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                b"/Resources << /Font << /F1 5 0 R >> /XObject << /X1 6 0 R >> >> /Contents 4 0 R >>",
                content,
                {6: b"<< /Type /XObject /Subtype /Form /BBox [0 0 300 100] /Matrix [1 0 0 1 52 100] "
                    b"/Resources << /Font << /F1 5 0 R >> >> >>"},
                {6: form})
    ref, fast = _same_primitives(data)
    xs = sorted({round(s[0], 2) for s in fast[0].v})
    assert xs == [72.0, 192.0, 252.0, 312.0]           # 20 (cm) + 52 (/Matrix) + the grid's own x
    for engine in ("pdfplumber", "pdfium"):
        doc = load(data, engine)
        tables = list(doc.tables())
        assert len(tables) == 1 and tables[0].texts() == TEXTS
        assert [p.text for p in doc.paragraphs()] == ["Before the table", "After the table"]


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_a_turned_and_cropped_page(rotate):
    """/Rotate and a CropBox away from the origin: coordinates on the page as it is seen, both engines."""
    cols, rows = [120, 60, 60], [20, 20, 20]
    content = _grid_ops(100, 600, cols, rows) + b"\n" + _cells_text(100, 600, cols, rows, TEXTS) + \
        b"\nBT /F1 12 Tf 100 650 Td (Heading above) Tj ET"
    data = _pdf(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /CropBox [50 100 545 742] /Rotate %d "
                b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>" % rotate, content)
    ref, fast = _same_primitives(data)
    p = fast[0]
    assert (round(p.width), round(p.height)) == ((495, 642) if rotate in (0, 180) else (642, 495))
    a, b = load(data, "pdfplumber"), load(data, "pdfium")
    assert not differences(a, b)
    if rotate == 0:
        heading = [c for c in p.chars if c.text == "H"][0]
        assert abs(heading.x0 - 50) < 0.01                   # 100 - the CropBox's left edge
        assert abs(heading.bottom - (742 - 650 + 0.12 * 12)) < 0.01
        assert [t.texts() for t in b.tables()] == [TEXTS]
        assert [x.text for x in b.paragraphs()] == ["Heading above"]
    else:                                                    # the rulings turn with the page
        assert len(list(b.tables())) == 1


def test_rulings_keep_todays_rules():
    """White and unpainted paths are no rulings; thin filled rectangles and stroked rectangles are."""
    content = b"\n".join([
        b"0 0 0 RG 0.5 w 100 700 m 300 700 l S",             # a line: ruling
        b"1 1 1 RG 100 690 m 300 690 l S",                    # white line: none
        b"0 0 0 rg 100 680 200 0.5 re f",                    # thin filled rectangle: ruling
        b"1 1 1 rg 100 670 200 0.5 re f",                    # thin white one: none
        b"0 0 0 RG 100 600 200 50 re S",                     # stroked rectangle: four rulings
        b"1 1 1 rg 100 500 200 50 re f",                     # white box: a cell background
        b"0.5 0.5 0.5 rg 100 400 200 50 re f",               # grey box: nothing
        b"100 300 m 300 300 l n",                            # not painted: nothing
        b"0 0 0 RG 100 200 m 200 200 l 200 150 l 120 120 l S",  # a stroked polyline: its straight pieces
        b"BT /F1 12 Tf 72 780 Td (text) Tj ET",
    ])
    data = _pdf(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
                b"/Contents 4 0 R >>", content)
    ref, fast = _same_primitives(data)
    p = fast[0]
    assert sorted(round(s[0], 2) for s in p.h) == [142.0, 161.75, 192.0, 242.0, 642.0]
    assert sorted(round(s[0], 2) for s in p.v) == [100.0, 200.0, 300.0]
    assert [tuple(round(v) for v in b) for b in p.boxes] == [(100, 292, 300, 342)]


# -- the grid finder ------------------------------------------------------------------------------

def test_grid_cells_spans_and_tolerances():
    from govconv_plugins.pdf.grid import find_tables
    # a 3 x 2 grid whose rulings are a little off (within the 3 pt snap), the middle vertical broken in
    # the first row (a merged cell), and a stray segment far away
    v = [(0, 0, 40), (50.5, 20, 40), (100, 0, 40.8), (99, 0, 20), (400, 0, 5)]
    h = [(0, 0, 100), (20.4, -1, 100), (40, 0, 98.5), (300, 0, 10)]
    tables = find_tables(v, h)
    assert len(tables) == 1
    cells = sorted(tables[0], key=lambda c: (c[1], c[0]))
    assert len(cells) == 3
    top = cells[0]
    assert top[0] == 0 and abs(top[2] - 99.5) < 1e-9               # spans both columns (verticals snapped)
    assert [round(c[0], 2) for c in cells[1:]] == [0, 50.5]


def test_grid_finder_is_not_quadratic_in_a_big_grid():
    import time
    from govconv_plugins.pdf.grid import find_tables
    n = 60
    v = [(10.0 * i, 0.0, 10.0 * n) for i in range(n + 1)]
    h = [(10.0 * j, 0.0, 10.0 * n) for j in range(n + 1)]
    t0 = time.process_time()
    tables = find_tables(v, h)
    assert len(tables) == 1 and len(tables[0]) == n * n
    assert time.process_time() - t0 < 5


def test_text_lines_and_cell_text():
    from govconv_plugins.pdf.primitives import Char
    from govconv_plugins.pdf.text import cell_text, text_lines
    chars = [Char(t, x, 100, x + 10, 110) for t, x in zip("ab", (0, 10))] + [Char(" ", 20, 100, 23, 110)] \
        + [Char("c", 23.5, 100, 33.5, 110), Char("d", 50, 101, 60, 111), Char("e", 0, 120, 10, 130)]
    assert cell_text(chars) == "ab c d\ne"
    assert [(t, x0, x1) for t, x0, _, x1, _ in text_lines(chars)] == [("ab c d", 0, 60), ("e", 0, 10)]


# -- what the engines import -----------------------------------------------------------------------

def test_the_pdfium_engine_never_imports_pdfplumber():
    code = ("import sys, govconv\n"
            "govconv.convert('fixtures/realworld/huaian-city-2024.pdf')\n"
            "print('pdfplumber' in sys.modules, 'pdfminer' in sys.modules, 'pypdfium2' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip().splitlines()[-1] == "False False True", out.stderr


def test_the_cli_offers_the_engine(cli):
    from govconv.errors import ExitCode
    path = FIXTURES / "pdf" / "002_4a81d0f783bbd2ce.pdf"
    out = [cli(path, "--to", "json", *extra) for extra in ([], ["--pdf-engine", "pdfplumber"],
                                                           ["--pdf-engine", "pdfium"])]
    assert all(o.code == 0 for o in out), [o.err for o in out]
    assert out[0].out == out[1].out == out[2].out
    assert cli(path, "--pdf-engine", "mupdf").code == ExitCode.USAGE


def test_engine_option_through_the_api():
    import govconv
    from govconv.errors import UsageError
    path = FIXTURES / "pdf" / "002_4a81d0f783bbd2ce.pdf"
    a = govconv.convert(path).to_dict()
    b = govconv.convert(path, loader_options={"pdf_engine": "pdfplumber"}).to_dict()
    assert a["tables"] == b["tables"] and a["findings"] == b["findings"]
    with pytest.raises(UsageError):
        govconv.convert(path, loader_options={"pdf_engine": "nope"})


def test_a_space_drawn_on_its_own():
    """LibreOffice draws a space as a text object of its own, without ink, which PDFium's text page
    leaves out: both engines still see the space between the words (the gap alone is too narrow)."""
    content = (b"BT /F1 12 Tf 72 700 Td (6.) Tj ET BT /F1 12 Tf 82 700 Td ( ) Tj ET "
               b"BT /F1 12 Tf 84 700 Td (word) Tj ET BT /F1 12 Tf 72 680 Td (6.) Tj ET "
               b"BT /F1 12 Tf 84 680 Td (word) Tj ET")
    data = _pdf(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
                b"/Contents 4 0 R >>", content)
    for engine in ("pdfplumber", "pdfium"):
        assert [p.text for p in load(data, engine).paragraphs()] == ["6. word 6.word"], engine
