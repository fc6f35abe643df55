"""Crops of a PDF's pages around boxes, as small PNG ``data:`` URIs (for the review page).

Each page that holds a box is rendered once with pypdfium2 (which pdfplumber
brings), at a modest resolution; each crop is the box with a margin around it,
the box itself outlined in red, reduced to a small palette.  Boxes are in the
page's visible frame, top-left origin, y down, in points — as the pdf loader
gives them (``Origin.bbox``).
"""
from __future__ import annotations

import base64
import io
import math
from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

#: pixels per point (2: 144 dpi, small text stays legible)
SCALE = 2.0
#: a rendered page has at most this many pixels (a huge page is rendered smaller)
MAX_PAGE_PIXELS = 12_000_000
#: margin around a box, in points: (left/right, top/bottom)
MARGIN = (28.0, 9.0)
#: a crop is at most this wide and high, in points (a box larger than that is cut)
MAX_CROP = (420.0, 160.0)
COLOURS = 24


_Key = TypeVar("_Key", bound=Hashable)


def pdf_crops(data: bytes, boxes: Mapping[_Key, tuple[int, Sequence[float]]], *,
              password: str | None = None, scale: float = SCALE,
              margin: tuple[float, float] = MARGIN) -> dict[_Key, str]:
    """``{key: data URI}`` for each ``key → (page, bbox)`` of ``boxes`` (page 1-based).  A box
    whose page is not in the document is left out; a PDF that cannot be rendered gives ``{}``."""
    try:
        import pypdfium2 as pdfium
        from PIL import ImageDraw
    except ImportError:  # pragma: no cover - both come with pdfplumber
        return {}
    by_page: dict[int, list] = {}
    for key, (page, bbox) in boxes.items():
        if page is not None and bbox is not None and len(bbox) == 4:
            by_page.setdefault(int(page), []).append((key, tuple(float(v) for v in bbox)))
    out: dict[_Key, str] = {}
    if not by_page:
        return out
    try:
        doc = pdfium.PdfDocument(data, password=password or None)
    except Exception:
        return out
    try:
        n = len(doc)
        for number, items in sorted(by_page.items()):
            if not 1 <= number <= n:
                continue
            page = doc[number - 1]
            try:
                w, h = page.get_size()
                s = min(scale, math.sqrt(MAX_PAGE_PIXELS / max(w * h, 1.0)))
                image = page.render(scale=s).to_pil().convert("RGB")
            except Exception:
                continue
            finally:
                page.close()
            for key, (x0, top, x1, bottom) in items:
                mx, my = margin
                cx0 = max(0.0, min(x0, x1) - mx)
                ctop = max(0.0, min(top, bottom) - my)
                cx1 = min(w, max(x0, x1) + mx, cx0 + MAX_CROP[0])
                cbottom = min(h, max(top, bottom) + my, ctop + MAX_CROP[1])
                if cx1 - cx0 < 1 or cbottom - ctop < 1:
                    continue
                box = tuple(round(v * s) for v in (cx0, ctop, cx1, cbottom))
                crop = image.crop(box)
                draw = ImageDraw.Draw(crop)
                draw.rectangle([round((x0 - cx0) * s) - 1, round((top - ctop) * s) - 1,
                                round((x1 - cx0) * s), round((bottom - ctop) * s)], outline=(220, 30, 30), width=2)
                out[key] = png_uri(crop)
    finally:
        doc.close()
    return out


def png_uri(image) -> str:
    """A PIL image as a small PNG data URI (a reduced palette)."""
    buf = io.BytesIO()
    image.quantize(colors=COLOURS).save(buf, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
