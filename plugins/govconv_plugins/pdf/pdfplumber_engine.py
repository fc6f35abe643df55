"""The reference engine: page primitives from pdfplumber (pdfminer underneath).

Slow (pdfminer tokenises every content stream in Python) but the yardstick:
``--pdf-engine pdfplumber`` reads a PDF this way, and the tests check that the
pdfium engine reads every fixture to the same document.  pdfplumber is
imported only here, only when a PDF is read with this engine.
"""
from __future__ import annotations

import io

from govconv import checkpoint
from govconv.errors import wrapped_error

from .errors import corrupt, encrypted
from .primitives import EM_DESCENT, Char, PagePrimitives, add_shape, bad_char, display_frame, is_white


def read(data: bytes, password: str | None) -> tuple[list[PagePrimitives], dict]:
    _quiet_pdfminer()
    pdf = _open(data, password)
    try:
        pages = []
        for number, page in enumerate(pdf.pages, start=1):
            checkpoint()
            try:
                boxes = _parse_with_checkpoints(page)
                pages.append(_primitives(page, number, boxes))
            finally:
                page.close()
        props = {}
        meta = _metadata(pdf)
        for key in ("Title", "Producer", "Creator"):
            v = meta.get(key)
            if isinstance(v, str) and v.strip() and "\ufffd" not in v:
                props[key.lower()] = v.strip()
        return pages, props
    except Exception as e:   # pdfminer raises many kinds on a damaged file
        # ours (the time limit), or a RecursionError, possibly inside pdfplumber's wrapper
        raise wrapped_error(e) or corrupt(type(e).__name__) from None
    finally:
        try:
            pdf.close()
        except Exception:
            pass


def _metadata(pdf) -> dict:
    """The document information dictionary, its text strings decoded as PDF says (a UTF-16 or UTF-8
    byte order mark, else PDFDocEncoding) — pdfplumber's own decoding misses a little-endian mark."""
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    out: dict = {}
    for info in getattr(pdf.doc, "info", None) or []:
        for key, value in (resolve1(info) or {}).items():
            value = resolve1(value)
            if isinstance(value, bytes):
                if value[:2] == b"\xfe\xff":
                    value = value[2:].decode("utf-16-be", errors="replace")
                elif value[:2] == b"\xff\xfe":
                    value = value[2:].decode("utf-16-le", errors="replace")
                elif value[:3] == b"\xef\xbb\xbf":
                    value = value[3:].decode("utf-8", errors="replace")
                else:
                    value = decode_text(value)
            if isinstance(value, str):
                out[key] = value.rstrip("\x00")
    return out


def _quiet_pdfminer() -> None:
    """pdfminer logs warnings about damaged fonts; with no handler Python prints them to stderr.

    A do-nothing handler keeps the CLI's stderr to its one-line message, while an
    application that configures logging still receives the records.
    """
    import logging

    log = logging.getLogger("pdfminer")
    if not any(isinstance(h, logging.NullHandler) for h in log.handlers):
        log.addHandler(logging.NullHandler())


def _encryption_error(e: BaseException | None) -> bool:
    names = []
    while e is not None:
        names.append(type(e).__name__)
        names += [type(a).__name__ for a in getattr(e, "args", ()) if isinstance(a, BaseException)]
        e = e.__cause__ or e.__context__
    return any("Password" in n or "Encryption" in n for n in names)


def _open(data: bytes, password: str | None):
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data), password=password or "")
        _ = pdf.pages  # parses the page tree: a broken xref or an unknown encryption shows here
    except Exception as e:
        inner = wrapped_error(e)
        if inner is not None:
            raise inner from None
        if _encryption_error(e):
            raise encrypted(password) from None
        raise corrupt(type(e).__name__) from None
    return pdf


def _parse_with_checkpoints(page) -> list | None:
    """pdfplumber's own parse of a page, with a checkpoint at every path and character drawn.

    A page of a few hundred thousand drawing operations takes pdfminer a long
    time; the checkpoints let the conversion's deadline and memory cap stop it
    in any thread.  Returns, for every character in the order drawn, its em
    box (pdfminer's coordinates) and size (see :func:`em_box`), or None for a
    character of a vertical font.  Should pdfplumber's internals differ, its
    own parse runs and None is returned.
    """
    try:
        from pdfminer.pdfinterp import PDFPageInterpreter
        from pdfplumber.page import PDFPageAggregatorWithMarkedContent
        rsrcmgr, laparams = page.pdf.rsrcmgr, page.pdf.laparams
    except (ImportError, AttributeError):
        return None
    boxes: list = []

    class Device(PDFPageAggregatorWithMarkedContent):
        def paint_path(self, *args, **kwargs):
            checkpoint()
            return super().paint_path(*args, **kwargs)

        def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate, *args, **kwargs):
            checkpoint()
            adv = super().render_char(matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate,
                                      *args, **kwargs)
            try:
                vertical = font.is_vertical()
            except Exception:
                vertical = True
            boxes.append(None if vertical else em_box(matrix, fontsize, adv, rise))
            return adv

    device = Device(rsrcmgr, pageno=page.page_number, laparams=laparams)
    PDFPageInterpreter(rsrcmgr, device).process_page(page.page_obj)
    page._layout = device.get_result()
    return boxes


def em_box(matrix, fontsize: float, adv: float, rise: float = 0.0):
    """A character's box as both engines take it: its advance across, the em box up (from
    :data:`EM_DESCENT` of the font size below the baseline), through its matrix ``(a, b, c, d, e, f)``;
    and its size (the font size on the page).  Returns ``((x0, y0, x1, y1), size)``."""
    a, b, c, d, e, f = matrix
    lo, hi = rise - EM_DESCENT * fontsize, rise + (1 - EM_DESCENT) * fontsize
    xs = (e + lo * c, e + hi * c, e + adv * a + lo * c, e + adv * a + hi * c)
    ys = (f + lo * d, f + hi * d, f + adv * b + lo * d, f + adv * b + hi * d)
    return (min(xs), min(ys), max(xs), max(ys)), fontsize * abs(a * d - b * c) ** 0.5


def _box(attrs, name):
    from pdfplumber.utils.pdfinternals import resolve_all

    v = resolve_all(attrs.get(name))
    try:
        x0, y0, x1, y1 = (float(a) for a in v)
    except (TypeError, ValueError):
        return None
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _offsets(page) -> tuple[float, float, float, float]:
    """(dx, dy, width, height): pdfplumber's coordinates minus (dx, dy) are the visible page's.

    pdfplumber measures from the MediaBox (turned by /Rotate) and keeps the
    MediaBox's own offset in x; the visible page is the CropBox within it.
    """
    mx0, mtop = page.mediabox[0], page.mediabox[1]
    attrs = page.page_obj.attrs
    media = _box(attrs, "MediaBox")
    crop = _box(attrs, "CropBox") if "CropBox" in attrs else None
    if media is None:
        return mx0, mtop, float(page.width), float(page.height)
    visible = media
    if crop is not None:
        visible = (max(media[0], crop[0]), max(media[1], crop[1]), min(media[2], crop[2]), min(media[3], crop[3]))
        if visible[2] <= visible[0] or visible[3] <= visible[1]:
            visible = media
    rot = page.rotation
    # where the visible box's top-left corner falls in the (turned) MediaBox frame
    _w, _h, (ax, bx, cx, ay, by, cy) = display_frame(media, rot)
    corners = [(ax * x + bx * y + cx, ay * x + by * y + cy)
               for x in (visible[0], visible[2]) for y in (visible[1], visible[3])]
    width, height, _ = display_frame(visible, rot)
    return mx0 + min(p[0] for p in corners), mtop + min(p[1] for p in corners), width, height


def _primitives(page, number: int, boxes: list | None) -> PagePrimitives:
    dx, dy, width, height = _offsets(page)
    p = PagePrimitives(number, width, height)
    # pdfminer's coordinates (y up, from the turned MediaBox) → pdfplumber's → the visible page's
    flip = float(page.height) + page.mediabox[1] - dy
    shift = page.mediabox[0] - dx
    chars = page.chars
    if boxes is not None and len(boxes) != len(chars):
        boxes = None
    for k, c in enumerate(chars):
        checkpoint()
        text = c.get("text", "")
        box = boxes[k] if boxes is not None else None
        if box is not None:
            (x0, y0, x1, y1), size = box
            ch = Char(text, x0 + shift, flip - y1, x1 + shift, flip - y0, bool(c.get("upright", True)), size,
                      str(c.get("fontname", "")))
        else:
            ch = Char(text, c["x0"] - dx, c["top"] - dy, c["x1"] - dx, c["bottom"] - dy,
                      bool(c.get("upright", True)), float(c.get("size", 0.0)), str(c.get("fontname", "")))
        p.chars.append(ch)
        if text.strip():
            p.inked += 1
            if bad_char(text):
                p.bad += 1
    for ln in page.lines:
        checkpoint()
        add_shape(p, "line", ln["x0"] - dx, ln["top"] - dy, ln["x1"] - dx, ln["bottom"] - dy, None,
                  ln.get("stroke", True) is not False, bool(ln.get("fill")),
                  is_white(ln.get("stroking_color")), is_white(ln.get("non_stroking_color")))
    for r in page.rects:
        checkpoint()
        add_shape(p, "rect", r["x0"] - dx, r["top"] - dy, r["x1"] - dx, r["bottom"] - dy, None,
                  bool(r.get("stroke")), bool(r.get("fill")),
                  is_white(r.get("stroking_color")), is_white(r.get("non_stroking_color")))
    for cv in page.curves:
        checkpoint()
        pts = [(x - dx, y - dy) for x, y in (cv.get("pts") or [])]
        add_shape(p, "curve", cv["x0"] - dx, cv["top"] - dy, cv["x1"] - dx, cv["bottom"] - dy, pts,
                  bool(cv.get("stroke")), bool(cv.get("fill")),
                  is_white(cv.get("stroking_color")), is_white(cv.get("non_stroking_color")))
    p.images = len(page.images)
    return p
