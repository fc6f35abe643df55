"""Characters → words → lines, with pdfplumber's rules (``x_tolerance = y_tolerance = 3``).

* **lines**: within each run of characters that are all upright (or all not),
  characters whose tops lie within ``y_tol`` of the next are one line
  (rotated text: their x0s, within ``x_tol``), read left to right (top to bottom);
* **words**: a blank character ends a word, as does a character that starts
  left of the previous one's start, more than ``x_tol`` right of its end, or
  more than ``y_tol`` above or below it (the directions turned for rotated text);
* :func:`cell_text` — the words' lines (by top, within ``y_tol``), words joined
  by a space, lines by ``\\n``;
* :func:`text_lines` — the words, in order, cut into lines where the line
  (by top) changes: each line's text and box.

The same text and the same boxes as ``pdfplumber.utils.extract_text`` and
``Page.extract_text_lines`` give, from the page primitives alone.
"""
from __future__ import annotations

from govconv import checkpoint

X_TOL = 3.0
Y_TOL = 3.0

LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}


class Word:
    __slots__ = ("text", "x0", "top", "x1", "bottom")

    def __init__(self, text, x0, top, x1, bottom):
        self.text, self.x0, self.top, self.x1, self.bottom = text, x0, top, x1, bottom


def _clusters(values, tol: float) -> dict[float, int]:
    """Each distinct value → its cluster number (sorted values, chained within ``tol``)."""
    out: dict[float, int] = {}
    k = -1
    last = None
    for v in sorted(set(values)):
        if last is None or v > last + tol:
            k += 1
        out[v] = k
        last = v
    return out


_LIGATURE_TABLE = str.maketrans(LIGATURES)


def _x0(c) -> float:
    return c.x0


def _word(chars) -> Word:
    text = "".join([c.text for c in chars])
    if not text.isascii() and _has_ligature(text):
        text = "".join([LIGATURES.get(c.text, c.text) for c in chars])
    c = chars[0]
    x0, top, x1, bottom = c.x0, c.top, c.x1, c.bottom
    for c in chars:
        if c.x0 < x0:
            x0 = c.x0
        if c.top < top:
            top = c.top
        if c.x1 > x1:
            x1 = c.x1
        if c.bottom > bottom:
            bottom = c.bottom
    return Word(text, x0, top, x1, bottom)


def _line_words(line, up: bool, x_tol: float, y_tol: float, out: list) -> None:
    """One line's characters (sorted) → its words, appended to ``out``."""
    cur: list = []
    prev = None
    for c in line:
        if c.text.isspace():
            if cur:
                out.append(_word(cur))
                cur = []
            prev = None
            continue
        if prev is not None:
            if up:
                new = c.x0 < prev.x0 or c.x0 > prev.x1 + x_tol or abs(c.top - prev.top) > y_tol
            else:
                new = c.top < prev.top or c.top > prev.bottom + y_tol or abs(c.x0 - prev.x0) > x_tol
            if new:
                out.append(_word(cur))
                cur = []
        cur.append(c)
        prev = c
    if cur:
        out.append(_word(cur))


def _has_ligature(text: str) -> bool:
    return text != text.translate(_LIGATURE_TABLE)


def words(chars, x_tol: float = X_TOL, y_tol: float = Y_TOL) -> list[Word]:
    """The words of ``chars`` (in their order), line by line."""
    out: list[Word] = []
    n = len(chars)
    i = 0
    while i < n:
        if i & 255 == 0:
            checkpoint()
        up = chars[i].upright
        j = i + 1
        while j < n and chars[j].upright == up:
            j += 1
        run = chars[i:j]
        i = j
        if up:
            cl = _clusters([c.top for c in run], y_tol)
            groups: list[list] = [[] for _ in range(max(cl.values()) + 1)]
            for c in run:
                groups[cl[c.top]].append(c)
            for g in groups:
                if g:
                    g.sort(key=lambda c: c.x0)
                    _line_words(g, True, x_tol, y_tol, out)
        else:
            cl = _clusters([c.x0 for c in run], x_tol)
            groups = [[] for _ in range(max(cl.values()) + 1)]
            for c in run:
                groups[cl[c.x0]].append(c)
            for g in groups:
                if g:
                    g.sort(key=lambda c: (c.top, c.bottom))
                    _line_words(g, False, x_tol, y_tol, out)
    return out


def _line_texts(line, x_tol: float, y_tol: float) -> list[str]:
    """One line's characters (upright, sorted) → its words' texts (as :func:`_line_words`, boxes aside)."""
    out: list[str] = []
    cur: list[str] = []
    prev = None
    for c in line:
        t = c.text
        if t.isspace():
            if cur:
                out.append("".join(cur))
                cur = []
            prev = None
            continue
        if prev is not None and (c.x0 < prev.x0 or c.x0 > prev.x1 + x_tol or abs(c.top - prev.top) > y_tol):
            out.append("".join(cur))
            cur = []
        cur.append(LIGATURES.get(t, t))
        prev = c
    if cur:
        out.append("".join(cur))
    return out


def cell_text(chars, x_tol: float = X_TOL, y_tol: float = Y_TOL) -> str:
    """The text of a cell's characters: lines by ``\\n``, words by a space."""
    if len(chars) == 1:
        t = chars[0].text
        return "" if t.isspace() else LIGATURES.get(t, t)
    if all(c.upright for c in chars):
        tops = [c.top for c in chars]
        if max(tops) - min(tops) <= y_tol:    # one line (the common case): no clustering to do
            return " ".join(_line_texts(sorted(chars, key=_x0), x_tol, y_tol))
    ws = words(chars, x_tol, y_tol)
    if not ws:
        return ""
    cl = _clusters([w.top for w in ws], y_tol)
    lines: list[list[str]] = [[] for _ in range(max(cl.values()) + 1)]
    for w in ws:
        lines[cl[w.top]].append(w.text)
    return "\n".join(" ".join(line) for line in lines if line)


def text_lines(chars, x_tol: float = X_TOL, y_tol: float = Y_TOL) -> list[tuple[str, float, float, float, float]]:
    """The text lines of ``chars``: ``(text, x0, top, x1, bottom)`` each, in order."""
    ws = words(chars, x_tol, y_tol)
    if not ws:
        return []
    cl = _clusters([w.top for w in ws], y_tol)
    out = []
    k = None
    for w in ws:
        c = cl[w.top]
        if c != k:
            cur = [w.text, w.x0, w.top, w.x1, w.bottom]
            out.append(cur)
            k = c
        else:
            cur[0] += " " + w.text
            if w.x0 < cur[1]:
                cur[1] = w.x0
            if w.top < cur[2]:
                cur[2] = w.top
            if w.x1 > cur[3]:
                cur[3] = w.x1
            if w.bottom > cur[4]:
                cur[4] = w.bottom
    return [tuple(line) for line in out]
