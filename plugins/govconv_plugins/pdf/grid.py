"""Tables from ruling segments: snap, join, intersect, cells, tables.

The method of the table finders of Tabula and pdfplumber (after Nurminen),
written for govconv with the same tolerances and the same results as
pdfplumber's ``find_tables`` on explicit lines, but without its cost:

1. **snap** — segments of one orientation whose positions (x of a vertical,
   y of a horizontal) lie within ``snap`` of the next are moved to the mean
   position of their cluster;
2. **join** — on one line, segments that overlap or come within ``join`` of
   each other become one;
3. segments shorter than ``min_length`` are dropped;
4. **intersections** — a vertical and a horizontal that cross (within
   ``tol``) give a vertex, which knows which segments pass through it;
5. **cells** — from each vertex, the smallest rectangle whose four corners are
   vertices joined by segments on all four sides;
6. **tables** — cells that share a corner, transitively; a lone cell is no table.

Every loop whose length the input decides calls :func:`govconv.checkpoint`.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Any

from govconv import checkpoint

#: defaults: pdfplumber's, and the loader's
SNAP = 3.0


def _snap(segs: list[tuple[float, float, float]], tol: float) -> list[tuple[float, float, float]]:
    """``(pos, a, b)`` segments, each moved to the mean position of its cluster (in cluster order)."""
    if not segs:
        return []
    values = sorted({s[0] for s in segs})
    cluster_of: dict[float, int] = {}
    k, last = 0, values[0]
    for v in values:
        if v > last + tol:
            k += 1
        cluster_of[v] = k
        last = v
    groups: list[list[tuple[float, float, float]]] = [[] for _ in range(k + 1)]
    for s in segs:
        groups[cluster_of[s[0]]].append(s)
    out: list[tuple[float, float, float]] = []
    for k, g in enumerate(groups):
        if k & 63 == 0:
            checkpoint()
        total = 0.0
        for s in g:
            total += s[0]
        mean = total / len(g)
        out.extend((s[0] + (mean - s[0]), s[1], s[2]) for s in g)
    return out


def _join(segs: list[tuple[float, float, float]], tol: float) -> list[list[float]]:
    """Segments on one line joined where they overlap or nearly touch: ``[pos, a, b]`` lists."""
    segs = sorted(segs, key=lambda s: (s[0],))                  # stable: by position only
    out: list[list[float]] = []
    i, n = 0, len(segs)
    k = 0
    while i < n:
        k += 1
        if k & 63 == 0:
            checkpoint()
        pos = segs[i][0]
        j = i
        while j < n and segs[j][0] == pos:
            j += 1
        line = sorted(segs[i:j], key=lambda s: s[1])
        cur = [pos, line[0][1], line[0][2]]
        out.append(cur)
        for s in line[1:]:
            if s[1] <= cur[2] + tol:
                if s[2] > cur[2]:
                    cur[2] = s[2]
            else:
                cur = [pos, s[1], s[2]]
                out.append(cur)
        i = j
    return out


def find_tables(v: list[tuple[float, float, float]], h: list[tuple[float, float, float]],
                snap: float = SNAP, join: float = SNAP, tol: float = SNAP, min_length: float = 3.0):
    """Tables from vertical ``(x, top, bottom)`` and horizontal ``(y, x0, x1)`` segments.

    Returns a list of tables, top to bottom, each a list of cells ``(x0, top, x1, bottom)``.
    """
    vs = [s for s in _join(_snap(v, snap), join) if s[2] - s[1] >= min_length]
    hs = [s for s in _join(_snap(h, snap), join) if s[2] - s[1] >= min_length]
    if not vs or not hs:
        return []
    cells = _cells(vs, hs, tol)
    return _tables(cells)


def _cells(vs: list[list[float]], hs: list[list[float]], tol: float) -> list[tuple[float, float, float, float]]:
    # -- intersections: vertex (x, y) → the verticals and horizontals through it
    vs = sorted(vs, key=lambda s: (s[0], s[1]))
    hs = sorted(hs, key=lambda s: (s[0], s[1]))
    h_tops = [s[0] for s in hs]
    # (a vertex's segments: one index, as a rule; a set where segments nearly meet)
    through_v: dict[tuple[float, float], Any] = {}
    through_h: dict[tuple[float, float], Any] = {}
    for vi, (x, top, bottom) in enumerate(vs):
        if vi & 15 == 0:
            checkpoint()
        lo = bisect_left(h_tops, top - tol - 1e-6)          # a little wide: the test below decides
        hi = bisect_right(h_tops, bottom + tol + 1e-6)
        for hi_ in range(lo, hi):
            y, x0, x1 = hs[hi_]
            if top <= y + tol and bottom >= y - tol and x0 - tol <= x <= x1 + tol:
                key = (x, y)
                got = through_v.get(key)
                if got is None:
                    through_v[key] = vi
                    through_h[key] = hi_
                else:
                    through_v[key] = _more(got, vi)
                    through_h[key] = _more(through_h[key], hi_)
    if not through_v:
        return []
    # -- cells: from each vertex, the nearest vertex below and to the right that close a rectangle
    points = sorted(through_v)
    column: dict[float, list[float]] = {}
    row: dict[float, list[float]] = {}
    place = []                               # each point's place in its column and in its row
    for x, y in points:                      # sorted: each column's ys and each row's xs ascend
        ys = column.get(x)
        if ys is None:
            ys = column[x] = []
        xs = row.get(y)
        if xs is None:
            xs = row[y] = []
        place.append((len(ys), len(xs)))
        ys.append(y)
        xs.append(x)
    cells = []
    for k, (x, y) in enumerate(points):
        if k & 63 == 0:
            checkpoint()
        ys = column[x]
        xs = row[y]
        jy, jx = place[k]
        if jy + 1 >= len(ys) or jx + 1 >= len(xs):
            continue                         # nothing below or nothing to the right
        pv, ph = through_v[(x, y)], through_h[(x, y)]
        found = None
        for by in ys[jy + 1:]:
            bv = through_v[(x, by)]
            if not (pv == bv if pv.__class__ is int and bv.__class__ is int else _meet(pv, bv)):
                break                        # no vertical goes on from here: none reaches further down
            bh = through_h[(x, by)]
            for rx in xs[jx + 1:]:
                rh = through_h[(rx, y)]
                if not (ph == rh if ph.__class__ is int and rh.__class__ is int else _meet(ph, rh)):
                    break
                corner = (rx, by)
                cv = through_v.get(corner)
                if cv is not None and _meet(cv, through_v[(rx, y)]) and _meet(through_h[corner], bh):
                    found = (x, y, rx, by)
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


def _more(got, i: int) -> frozenset:
    return (got if got.__class__ is frozenset else frozenset((got,))) | {i}


def _meet(a, b) -> bool:
    """Whether two vertices share a segment (each: one segment's index, or a set of them)."""
    if a.__class__ is int:
        return a == b if b.__class__ is int else a in b
    return b in a if b.__class__ is int else not a.isdisjoint(b)


def _tables(cells: list[tuple[float, float, float, float]]) -> list[list[tuple[float, float, float, float]]]:
    """Cells that share a corner, grouped as pdfplumber groups them (the same cells in the same order)."""
    remaining = [(c, ((c[0], c[1]), (c[0], c[3]), (c[2], c[1]), (c[2], c[3]))) for c in cells]
    tables = []
    while remaining:
        checkpoint()
        first, corner_list = remaining[0]
        corners = set(corner_list)
        current = [first]
        rest = remaining[1:]
        grown = True
        while grown:
            grown = False
            keep = []
            for e in rest:
                a, b, c, d = e[1]
                if a in corners or b in corners or c in corners or d in corners:
                    corners.update(e[1])
                    current.append(e[0])
                    grown = True
                else:
                    keep.append(e)
            rest = keep
            checkpoint()
        tables.append(current)
        remaining = rest
    tables.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]


def table_bbox(cells) -> tuple[float, float, float, float]:
    return (min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells), max(c[3] for c in cells))
