"""The default engine: page primitives from PDFium (pypdfium2's library, called through ctypes).

PDFium parses content streams in C, an order of magnitude faster than
pdfminer.  Per page:

* every page object, in form XObjects too (their matrices applied): a path's
  segments become pdfminer's subpaths, classified as lines, rectangles and
  curves exactly as the reference engine sees them (:mod:`.primitives`);
  images are counted; a text object without ink (spaces drawn on their own,
  which PDFium's text page leaves out) becomes a blank character;
* characters from the text page: the text in one call; per character its
  origin on the baseline and whether its glyph has a Unicode mapping; per text
  object its matrix, font size and font; the box is the advance the PDF
  declares for the glyph across and the em box on the baseline up
  (:data:`.primitives.EM_DESCENT`); the spaces and line breaks PDFium makes up
  between words and lines are left out, a hyphen it marks as a word broken at
  the end of a line is a hyphen again, a glyph without Unicode reads
  ``(cid:NN)`` as in pdfminer.

PDFium's functions are bound once, from pypdfium2's library, without argument
types (a call then costs half as much as through pypdfium2's typed wrappers).
PDFium is not thread-safe: one lock serialises every use of it in this process
(a child forked while another thread held it gets a lock of its own).
pypdfium2 is imported only here, only when a PDF is read with this engine.
"""
from __future__ import annotations

import ctypes
import os
import threading
from bisect import bisect_left
from typing import TYPE_CHECKING, Any

from govconv import checkpoint

from .errors import corrupt, encrypted
from .primitives import EM_DESCENT, Char, PagePrimitives, add_shape, add_subpaths, display_frame, upright

_LOCK = threading.RLock()


def _new_lock() -> None:
    global _LOCK
    _LOCK = threading.RLock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_new_lock)

#: PDFium's colour components (0…255) at or above this are white (pdfminer's 0.95)
_WHITE = 242
#: text-page characters that need a second look: spaces and line breaks PDFium may have made up,
#: a hyphen it marked as a word broken at the end of a line, control characters and no character
_SPECIAL = frozenset(" \r\n\x00\x02\x03\x93\x94\x96\x97\x98\ufffe")
_BLANK = frozenset(" \u3000\xa0\t")

_P, _I, _U, _D, _F, _UL = ctypes.c_void_p, ctypes.c_int, ctypes.c_uint, ctypes.c_double, ctypes.c_float, \
    ctypes.c_ulong
#: the functions used: name → (result, arguments as PDFium declares them, ``void *`` for every handle and
#: out-parameter).  Only the result type is bound (see :class:`_Api`).
_SIGNATURES = {
    "FPDF_GetPageCount": (_I, _P),
    "FPDF_LoadPage": (_P, _P, _I),
    "FPDF_ClosePage": (None, _P),
    "FPDF_GetPageBoundingBox": (_I, _P, _P),
    "FPDFPage_GetRotation": (_I, _P),
    "FPDFPage_CountObjects": (_I, _P),
    "FPDFPage_GetObject": (_P, _P, _I),
    "FPDFPageObj_GetType": (_I, _P),
    "FPDFPageObj_GetBounds": (_I, _P, _P, _P, _P, _P),
    "FPDFPageObj_GetMatrix": (_I, _P, _P),
    "FPDFPageObj_GetStrokeColor": (_I, _P, _P, _P, _P, _P),
    "FPDFPageObj_GetFillColor": (_I, _P, _P, _P, _P, _P),
    "FPDFFormObj_CountObjects": (_I, _P),
    "FPDFFormObj_GetObject": (_P, _P, _UL),
    "FPDFTextObj_GetFontSize": (_I, _P, _P),
    "FPDFTextObj_GetFont": (_P, _P),
    "FPDFFont_GetGlyphWidth": (_I, _P, _U, _F, _P),
    "FPDFPath_GetDrawMode": (_I, _P, _P, _P),
    "FPDFPath_CountSegments": (_I, _P),
    "FPDFPath_GetPathSegment": (_P, _P, _I),
    "FPDFPathSegment_GetPoint": (_I, _P, _P, _P),
    "FPDFPathSegment_GetType": (_I, _P),
    "FPDFPathSegment_GetClose": (_I, _P),
    "FPDFText_LoadPage": (_P, _P),
    "FPDFText_ClosePage": (None, _P),
    "FPDFText_CountChars": (_I, _P),
    "FPDFText_GetText": (_I, _P, _I, _I, _P),
    "FPDFText_GetUnicode": (_U, _P, _I),
    "FPDFText_GetTextObject": (_P, _P, _I),
    "FPDFText_GetCharOrigin": (_I, _P, _I, _P, _P),
    "FPDFText_GetCharBox": (_I, _P, _I, _P, _P, _P, _P),
    "FPDFText_GetLooseCharBox": (_I, _P, _I, _P),
    "FPDFText_GetMatrix": (_I, _P, _I, _P),
    "FPDFText_GetFontSize": (_D, _P, _I),
    "FPDFText_GetFontInfo": (_UL, _P, _I, _P, _UL, _P),
    "FPDFText_IsGenerated": (_I, _P, _I),
    "FPDFText_IsHyphen": (_I, _P, _I),
    "FPDFText_HasUnicodeMapError": (_I, _P, _I),
    "FPDF_GetMetaText": (_UL, _P, ctypes.c_char_p, _P, _UL),
}
_API = None


class _Handle(ctypes.c_void_p):
    """A PDFium handle as a function returns it: passed on as it is; ``.value`` is its address."""


class _Api:
    """PDFium's functions (from pypdfium2's library), bound with their result type only.

    Without argument types ctypes converts nothing on a call (half the cost of a
    typed call): handles are passed as :class:`_Handle`, out-parameters by
    reference, indices as Python ints (C ``int``), and the few ``unsigned
    long`` and ``float`` arguments as their ctypes types.
    """

    def __init__(self, raw):
        for name, (res, *_args) in _SIGNATURES.items():
            address = ctypes.cast(getattr(raw, name), ctypes.c_void_p).value
            fn = ctypes.CFUNCTYPE(_Handle if res is _P else res)(address)
            fn.argtypes = None
            setattr(self, name.replace("FPDF", "", 1), fn)
        self.TEXT, self.PATH, self.IMAGE, self.FORM = raw.FPDF_PAGEOBJ_TEXT, raw.FPDF_PAGEOBJ_PATH, \
            raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_FORM
        self.MOVE, self.BEZIER, self.LINE = raw.FPDF_SEGMENT_MOVETO, raw.FPDF_SEGMENT_BEZIERTO, \
            raw.FPDF_SEGMENT_LINETO

    if TYPE_CHECKING:                          # the functions are set by name, above
        def __getattr__(self, name: str) -> Any: ...


def _api(raw) -> _Api:
    global _API
    if _API is None:
        _API = _Api(raw)
    return _API


def read(data: bytes, password: str | None) -> tuple[list[PagePrimitives], dict]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    with _LOCK:
        api = _api(raw)
        try:
            doc = pdfium.PdfDocument(data, password=password or None)
        except pdfium.PdfiumError as e:
            code = getattr(e, "err_code", None)
            if code in (raw.FPDF_ERR_PASSWORD, raw.FPDF_ERR_SECURITY):
                raise encrypted(password) from None
            raise corrupt(_error_name(raw, code)) from None
        try:
            handle = ctypes.c_void_p(ctypes.cast(doc.raw, ctypes.c_void_p).value)
            reader = _Reader(api)
            pages = []
            for i in range(api._GetPageCount(handle)):
                checkpoint()
                page = api._LoadPage(handle, i)
                if not page:
                    raise corrupt(f"page {i + 1}")
                try:
                    pages.append(reader.page(page, i + 1))
                finally:
                    api._ClosePage(page)
            props = {}
            for key in ("Title", "Producer", "Creator"):
                v = _meta(api, handle, key)
                if v and v.strip() and "\ufffd" not in v:
                    props[key.lower()] = v.strip()
            return pages, props
        finally:
            doc.close()


def _error_name(raw, code) -> str:
    names = {raw.FPDF_ERR_FILE: "file", raw.FPDF_ERR_FORMAT: "format", raw.FPDF_ERR_PAGE: "page",
             raw.FPDF_ERR_UNKNOWN: "unknown"}
    return f"PDFium: {names.get(code, 'unknown')} error"


def _meta(api: _Api, doc, key: str) -> str:
    tag = key.encode("ascii")
    n = api._GetMetaText(doc, tag, None, ctypes.c_ulong(0))
    if n <= 2:
        return ""
    buf = ctypes.create_string_buffer(n)
    api._GetMetaText(doc, tag, buf, ctypes.c_ulong(n))
    return buf.raw[:n - 2].decode("utf-16-le", errors="replace")


class _Out:
    """A reusable out-parameter: the ctypes value and a reference to it."""

    __slots__ = ("v", "at")

    def __init__(self, kind):
        self.v = kind()
        self.at = ctypes.byref(self.v)


class _Reader:
    """One document's reading: reusable out-parameters, caches of fonts."""

    def __init__(self, api: _Api):
        self.api = api
        import pypdfium2.raw as raw

        self.rect = _Out(raw.FS_RECTF)
        self.matrix = _Out(raw.FS_MATRIX)
        self.f = [_Out(ctypes.c_float) for _ in range(4)]
        self.d = [_Out(ctypes.c_double) for _ in range(4)]
        self.u = [_Out(ctypes.c_uint) for _ in range(4)]
        self.i = [_Out(ctypes.c_int) for _ in range(2)]
        self.fontbuf = ctypes.create_string_buffer(256)
        self.fontbuf_len = ctypes.c_ulong(256)
        self.thousand = ctypes.c_float(1000.0)
        #: a font by its name and flags → (name, {character: advance per unit of size})
        self.names: dict[tuple, tuple[str, dict]] = {}
        #: font (PDFium's handle, valid while its page is open) → (name, advances,
        #: {character: whether the font has no Unicode for its glyph})
        self.fonts: dict[int, tuple[str, dict, dict]] = {}

    # -- one page ------------------------------------------------------------------------
    def page(self, page, number: int) -> PagePrimitives:
        api = self.api
        box = self.rect
        if not api._GetPageBoundingBox(page, box.at):
            raise corrupt(f"page {number}")
        b = box.v
        rotation = api.Page_GetRotation(page) * 90
        width, height, frame = display_frame((b.left, b.bottom, b.right, b.top), rotation)
        p = PagePrimitives(number, width, height)
        self.frame, self.rotation = frame, rotation
        self.fonts.clear()
        self.shared: dict[tuple, tuple] = {}   # (font, matrix, size) → what the characters share
        self.order: dict[int, int] = {}        # text object → its place in drawing order
        self.outer: dict[int, tuple] = {}      # text object in a form → the form's matrix on the page
        self.objects(api.Page_GetObject, api.Page_CountObjects(page), page, None, p)
        tp = api.Text_LoadPage(page)
        if not tp:
            raise corrupt(f"page {number}")
        try:
            ends = self.chars(tp, p)
        finally:
            api.Text_ClosePage(tp)
        if len(self.order) > len(ends.keys() & self.order.keys()):
            # text objects the text page left out: those without ink are blank characters to pdfminer
            blanks = []
            for obj, index in self.order.items():
                if obj not in ends:
                    checkpoint()
                    blank = self.blank(obj)
                    if blank is not None:
                        blanks.append((index, blank))
            if blanks:
                self.insert_blanks(p, ends, blanks)
        return p

    # -- characters ----------------------------------------------------------------------
    def chars(self, tp, p: PagePrimitives) -> dict:
        """The text page's characters into ``p.chars``; returns, for each text object that has
        characters, the index after its last one in ``p.chars``."""
        api = self.api
        n = api.Text_CountChars(tp)
        if n <= 0:
            return {}
        buf = ctypes.create_string_buffer(2 * (n + 1))
        got = api.Text_GetText(tp, 0, n, buf)
        text: str | list[str] = buf.raw[:2 * max(0, got - 1)].decode("utf-16-le", errors="replace")
        if len(text) != n:          # control characters left out, or characters beyond the BMP
            unicode = api.Text_GetUnicode
            text = [chr(min(unicode(tp, i), 0x10FFFF)) for i in range(n)]
        owner, origin, generated, maperror, hyphen = api.Text_GetTextObject, api.Text_GetCharOrigin, \
            api.Text_IsGenerated, api.Text_HasUnicodeMapError, api.Text_IsHyphen
        ox, oy = self.d[0], self.d[1]
        oxv, oyv, oxa, oya = ox.v, oy.v, ox.at, oy.at
        ax, bx, cx, ay, by, cy = self.frame
        plain = ax == 1.0 and by == -1.0        # no /Rotate: x' = x + cx, top' = cy - y
        getfont, getmatrix, fontsize = api.TextObj_GetFont, api.Text_GetMatrix, api.Text_GetFontSize
        mat, mv = self.matrix.at, self.matrix.v
        shared = self.shared
        out = p.chars
        ends: dict = {}                        # text object → the index after its last character
        add = out.append
        bad = inked = 0
        below, above = EM_DESCENT, 1.0 - EM_DESCENT
        last = None                            # the text object of the character before
        fast = False
        info: tuple = ()
        special, blank, make, check = _SPECIAL, _BLANK, Char, checkpoint
        for i, ch in enumerate(text):
            if i & 255 == 0:
                check()
            if ch in special:
                if ch in " \r\n":
                    if generated(tp, i):
                        continue               # a space or line break PDFium made up
                elif hyphen(tp, i):
                    ch = "-"                   # a hyphen PDFium took for a word broken at the line's end
                else:
                    continue                   # a control character, or no character at all
            handle = owner(tp, i)
            obj = handle.value
            if obj != last or not obj:
                if last:
                    ends[last] = len(out)
                # what the characters of this text object share: font, matrix, size
                font = getfont(handle) if obj else None
                fkey = font.value if font else None
                getmatrix(tp, i, mat)
                key = (fkey, mv.a, mv.b, mv.c, mv.d, fontsize(tp, i))
                found = shared.get(key) if fkey else None
                info = found if found is not None else self.object_info(tp, i, font, key)
                name, widths, font, size, xscale, height, flip, up, m4, unmapped = info
                wget, uget = widths.get, unmapped.get
                last = obj
                # the common case, upright on a page not turned: top = t0 - y, bottom = b0 - y
                fast = plain and height and not flip
                t0, b0 = cy - height * above, cy + height * below
            origin(tp, i, oxa, oya)
            w = wget(ch)
            if w is None:
                w = widths[ch] = self.advance(font, ch)
            if fast and w:
                x0 = oxv.value
                y = oyv.value
                x1 = x0 + w * xscale + cx
                x0 += cx
                top = t0 - y
                bottom = b0 - y
                if x1 < x0:
                    x0, x1 = x1, x0
            else:
                x0, x1, top, bottom = self.slow_box(tp, i, info, w)
            if ch not in blank and not ch.isspace():
                inked += 1
                err = uget(ch)
                if err is None:
                    err = unmapped[ch] = bool(maperror(tp, i))
                if err:                        # no Unicode for the glyph: shown as pdfminer shows it
                    ch = f"(cid:{ord(ch[0])})"
                    bad += 1
                elif ch >= "\ue000" and (ch <= "\uf8ff" or ch >= "\U000f0000"):
                    bad += 1
            add(make(ch, x0, top, x1, bottom, up, size, name))
        if last:
            ends[last] = len(out)
        p.bad, p.inked = bad, inked
        return ends

    def slow_box(self, tp, i: int, info: tuple, w: float) -> tuple[float, float, float, float]:
        """The box of a character not upright on a page not turned, or whose advance is unknown."""
        height, flip, m4 = info[5], info[6], info[8]
        x0, y = self.d[0].v.value, self.d[1].v.value     # its origin, just read
        if height:                             # upright or upside down: the em box on the baseline
            x1 = x0 + w * info[4] if w else self.loose_right(tp, i)
            below, above = EM_DESCENT, 1.0 - EM_DESCENT
            if flip:
                low, high = y - height * above, y + height * below
            else:
                low, high = y - height * below, y + height * above
            x0, x1, top, bottom = self.turn(x0, x1, low, high)
        elif w:                                # turned or skewed: the em box through the matrix
            x0, x1, top, bottom = self.turned_box(x0, y, w, m4)
        else:                                  # the advance unknown: the glyph's own box
            left, right, lo, hi = self.d
            self.api.Text_GetCharBox(tp, i, left.at, right.at, lo.at, hi.at)
            x0, x1, top, bottom = self.turn(left.v.value, right.v.value, lo.v.value, hi.v.value)
        return (x0, x1, top, bottom) if x0 <= x1 else (x1, x0, top, bottom)

    def turn(self, x0: float, x1: float, low: float, high: float) -> tuple[float, float, float, float]:
        """A box in user space (left, right, bottom, top) onto the visible page."""
        ax, bx, cx, ay, by, cy = self.frame
        xs = (ax * x0 + bx * low + cx, ax * x1 + bx * high + cx)
        ys = (ay * x0 + by * low + cy, ay * x1 + by * high + cy)
        return min(xs), max(xs), min(ys), max(ys)

    def turned_box(self, x: float, y: float, w: float, m4) -> tuple[float, float, float, float]:
        """The em box of a character at origin (x, y), advance ``w`` (per unit of size), under its matrix
        scaled by the font size ``m4`` = (a, b, c, d): the box on the visible page."""
        a, b, c, d = m4
        lo, hi = -EM_DESCENT, 1.0 - EM_DESCENT
        ax, bx, cx, ay, by, cy = self.frame
        xs, ys = [], []
        for u in (0.0, w):
            for v in (lo, hi):
                px, py = x + u * a + v * c, y + u * b + v * d
                xs.append(ax * px + bx * py + cx)
                ys.append(ay * px + by * py + cy)
        return min(xs), max(xs), min(ys), max(ys)

    def object_info(self, tp, i: int, font, key: tuple) -> tuple:
        """What the characters of a text object share, from its character ``i`` and ``key`` = (font,
        the matrix's a, b, c, d, font size): font name, advance cache, font handle, size, the advance's
        scale, em box height (0: not upright), upside down, upright, matrix × size, Unicode-error cache."""
        api = self.api
        fkey = key[0]
        known = self.fonts.get(fkey) if fkey else None
        if known is None:
            k = api.Text_GetFontInfo(tp, i, self.fontbuf, self.fontbuf_len, self.i[0].at)
            name_key = (self.fontbuf.raw[:max(0, k - 1)], self.i[0].v.value)
            same = self.names.get(name_key)
            if same is None:
                same = self.names[name_key] = (name_key[0].decode("utf-8", errors="replace"), {})
            # advances by the font's name (on any page); Unicode errors by the font itself
            known = (same[0], same[1], {})
            if fkey:
                self.fonts[fkey] = known
        name, widths, unmapped = known
        _, a, b, c, d, fs = key
        up = upright(a, b, c, d, self.rotation)
        m4 = (a * fs, b * fs, c * fs, d * fs)
        if b == 0 and c == 0 and d:
            info = name, widths, font, fs * abs(d), fs * a, fs * abs(d), d < 0, up, m4, unmapped
        else:
            info = name, widths, font, fs * (abs(a * d - b * c)) ** 0.5, 0.0, 0.0, False, up, m4, unmapped
        if fkey:
            self.shared[key] = info
        return info

    def advance(self, font, ch: str) -> float:
        """A character's advance per unit of font size: the width the PDF declares for its glyph
        (/Widths, /W), which places the glyphs — PDFium's loose box may take a glyph's width from the
        font program, or from the font it substitutes for one not embedded.  0 when unknown."""
        w = self.f[0]
        if not font or len(ch) != 1 or not self.api.Font_GetGlyphWidth(font, ord(ch), self.thousand, w.at):
            return 0.0
        return w.v.value / 1000.0

    def loose_right(self, tp, i: int) -> float:
        self.api.Text_GetLooseCharBox(tp, i, self.rect.at)
        return self.rect.v.right

    def insert_blanks(self, p: PagePrimitives, ends: dict, blanks: list) -> None:
        """Text objects without ink (spaces drawn on their own) are left out of PDFium's text page,
        while pdfminer, and so the reference engine, has their characters: each goes back in, as a
        blank character after the last character of the text object drawn before it."""
        where = self.order
        last: dict[int, int] = {}              # drawing order → the index after that object's characters
        for obj, end in ends.items():
            last[where.get(obj, -1)] = end
        known = sorted(last)
        places = []
        for index, blank in blanks:
            j = bisect_left(known, index)
            places.append((last[known[j - 1]] if j else 0, index, blank))
        places.sort(key=lambda e: (e[0], e[1]))
        chars, merged, k = p.chars, [], 0
        for at, _, blank in places:
            merged.extend(chars[k:at])
            merged.append(blank)
            k = at
        merged.extend(chars[k:])
        p.chars = merged

    # -- page objects ----------------------------------------------------------------------
    def objects(self, get, count: int, parent, outer, p: PagePrimitives) -> None:
        api = self.api
        gettype = api.PageObj_GetType
        TEXT, PATH, IMAGE, FORM = api.TEXT, api.PATH, api.IMAGE, api.FORM
        m = self.matrix
        order = self.order
        form = get is api.FormObj_GetObject
        ulong = ctypes.c_ulong
        for j in range(count):
            if j & 63 == 0:
                checkpoint()
            obj = get(parent, ulong(j) if form else j)
            kind = gettype(obj)
            if kind == TEXT:
                key = obj.value
                order[key] = len(order)
                if outer:
                    self.outer[key] = outer
            elif kind == PATH:
                self.path(obj, outer, p)
            elif kind == IMAGE:
                p.images += 1
            elif kind == FORM:
                if not api.PageObj_GetMatrix(obj, m.at):
                    continue
                mv = m.v
                mine = (mv.a, mv.b, mv.c, mv.d, mv.e, mv.f)
                self.objects(api.FormObj_GetObject, api.FormObj_CountObjects(obj), obj,
                             _compose(mine, outer) if outer else mine, p)

    def blank(self, key: int) -> Char | None:
        """A text object the text page left out: one without ink (a space drawn on its own) is a blank
        character where its glyphs start; any other (a duplicate PDFium drops) is nothing."""
        api = self.api
        obj = _Handle(key)
        left, b, right, t = self.f
        if not api.PageObj_GetBounds(obj, left.at, b.at, right.at, t.at) or abs(right.v.value - left.v.value) >= 0.01:
            return None
        m = self.matrix
        x, y = left.v.value, b.v.value
        size = self.f[0]
        if not api.PageObj_GetMatrix(obj, m.at) or not api.TextObj_GetFontSize(obj, size.at):
            return None
        mv = m.v
        a, bb, c, d, e, f = mv.a, mv.b, mv.c, mv.d, mv.e, mv.f
        outer = self.outer.get(key)
        if outer:                              # the object is the form's: onto the page
            a, bb, c, d, e, f = _compose((a, bb, c, d, e, f), outer)
            pp, q, rr, s, tt, u = outer
            x, y = x * pp + y * rr + tt, x * q + y * s + u
        if bb or c or not d:
            return None
        height = size.v.value * abs(d)
        low = y - EM_DESCENT * height
        x0, x1, top, bottom = self.turn(x, x, low, low + height)
        return Char(" ", x0, top, x1, bottom, upright(a, bb, c, d, self.rotation), height, "")

    def path(self, obj, outer, p: PagePrimitives) -> None:
        api = self.api
        fillmode, stroke = self.i
        if not api.Path_GetDrawMode(obj, fillmode.at, stroke.at):
            return
        fill, strk = fillmode.v.value != 0, bool(stroke.v.value)
        if not fill and not strk:
            return
        n = api.Path_CountSegments(obj)
        if n < 2:
            return
        m = self.matrix
        if not api.PageObj_GetMatrix(obj, m.at):
            return
        mv = m.v
        a, b, c, d, e, f = (mv.a, mv.b, mv.c, mv.d, mv.e, mv.f)
        if outer:
            a, b, c, d, e, f = _compose((a, b, c, d, e, f), outer)
        ax, bx, cx, ay, by, cy = self.frame
        # user space → the visible page, in one affine map
        pa, pb, pc = ax * a + bx * b, ax * c + bx * d, ax * e + bx * f + cx
        qa, qb, qc = ay * a + by * b, ay * c + by * d, ay * e + by * f + cy
        r, g, bl, al = self.u
        stroke_white = strk and api.PageObj_GetStrokeColor(obj, r.at, g.at, bl.at, al.at) and \
            min(r.v.value, g.v.value, bl.v.value) >= _WHITE
        fill_white = fill and api.PageObj_GetFillColor(obj, r.at, g.at, bl.at, al.at) and \
            min(r.v.value, g.v.value, bl.v.value) >= _WHITE
        getseg, getpoint, segtype, segclose = api.Path_GetPathSegment, api.PathSegment_GetPoint, \
            api.PathSegment_GetType, api.PathSegment_GetClose
        fx, fy = self.f[0], self.f[1]
        if n == 2:                             # the common case, a move and a line: a line (closed or not)
            s0, s1 = getseg(obj, 0), getseg(obj, 1)
            if segtype(s0) == api.MOVE and segtype(s1) == api.LINE and getpoint(s0, fx.at, fy.at):
                x, y = fx.v.value, fy.v.value
                ax0, ay0 = pa * x + pb * y + pc, qa * x + qb * y + qc
                if getpoint(s1, fx.at, fy.at):
                    x, y = fx.v.value, fy.v.value
                    ax1, ay1 = pa * x + pb * y + pc, qa * x + qb * y + qc
                    add_shape(p, "line", min(ax0, ax1), min(ay0, ay1), max(ax0, ax1), max(ay0, ay1), None,
                              strk, fill, bool(stroke_white), bool(fill_white))
                    return
        fxv, fyv, fxa, fya = fx.v, fy.v, fx.at, fy.at
        MOVE, BEZIER = api.MOVE, api.BEZIER
        ops = []
        sx = sy = None
        bez = 0
        for s in range(n):
            if s & 1023 == 1023:
                checkpoint()
            seg = getseg(obj, s)
            if not getpoint(seg, fxa, fya):
                continue
            x, y = fxv.value, fyv.value
            px, py = pa * x + pb * y + pc, qa * x + qb * y + qc
            t = segtype(seg)
            if t == MOVE:
                ops.append(("m", px, py))
                sx, sy = px, py
                bez = 0
            elif t == BEZIER:
                bez += 1
                if bez % 3:
                    continue                   # a control point: pdfminer keeps only the curve's end
                ops.append(("c", px, py))
            else:
                ops.append(("l", px, py))
            if sx is not None and segclose(seg):
                ops.append(("h", sx, sy))
        add_subpaths(p, ops, strk, fill, bool(stroke_white), bool(fill_white))


def _compose(inner, outer):
    """The matrix ``inner`` then ``outer`` (PDF's row-vector convention)."""
    a, b, c, d, e, f = inner
    p, q, r, s, t, u = outer
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)
