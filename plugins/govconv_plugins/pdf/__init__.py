"""Loader ``pdf``: a PDF with a text layer (what Word, WPS and LibreOffice export).

Two layers:

* an **engine** reads each page into its primitives (:mod:`.primitives`):
  characters with their boxes, the visible ruling segments, white cell
  backgrounds, images, the page size.  ``pdfium`` (pypdfium2, the default,
  :mod:`.pdfium_engine`) or ``pdfplumber`` (the reference, slower,
  :mod:`.pdfplumber_engine`), chosen with the loader option ``pdf_engine``
  (``--pdf-engine pdfplumber``); both give the same primitives;
* the **reading** (:mod:`.assemble`, :mod:`.grid`, :mod:`.text`) finds the
  tables in the rulings, the cells' text and the text lines, drops page
  furniture, joins tables across page breaks and makes paragraphs, from the
  primitives alone.

Nothing heavy is imported until a PDF is read, and the pdfium engine never
imports pdfplumber or pdfminer.
"""
from __future__ import annotations

from govconv import Document, Loader
from govconv.errors import CorruptInput, NoTextLayer, UsageError


#: share of characters without a Unicode mapping ((cid:NN), private use area) that makes the text unusable
MAX_BAD_SHARE = 0.3

ENGINES = ("pdfium", "pdfplumber")

__all__ = ["PdfLoader", "ENGINES", "MAX_BAD_SHARE", "read_primitives"]


def read_primitives(data: bytes, password: str | None = None, engine: str = "pdfium"):
    """Every page's primitives and the document's properties (title, producer, creator), by ``engine``."""
    if b"%PDF" not in data[:1024]:
        raise CorruptInput("不是 PDF 文件（缺少 %PDF 文件头）", "not a PDF file (no %PDF header)")
    if engine == "pdfplumber":
        from . import pdfplumber_engine
        return pdfplumber_engine.read(data, password)
    if engine == "pdfium":
        from . import pdfium_engine
        return pdfium_engine.read(data, password)
    raise UsageError(f"pdf_engine 只能是 {'/'.join(ENGINES)}", f"pdf_engine must be one of {', '.join(ENGINES)}")


class PdfLoader(Loader):
    name = "pdf"
    format = "pdf"
    extensions = ("pdf",)
    max_bytes = 128 * 1024 * 1024
    description = "PDF with a text layer (tables from ruling lines; tables across pages joined)"
    options = {"pdf_engine": (ENGINES, "pdfium",
                              "how PDF pages are parsed: pdfium (fast, the default) or pdfplumber (the reference)")}

    def accepts(self, source) -> float:
        if source.head.startswith(b"%PDF") or b"%PDF-" in source.data[:1024]:
            return 0.95
        return 0.3 if source.extension == "pdf" else 0.0

    def load(self, source, options) -> Document:
        engine = (getattr(options, "extra", None) or {}).get("pdf_engine") or "pdfium"
        prims, props = read_primitives(source.data, options.password, engine)
        n_chars = sum(p.inked for p in prims)
        n_bad = sum(p.bad for p in prims)
        if n_chars == 0:
            if any(p.images for p in prims):
                raise NoTextLayer("PDF 没有文字层（是扫描件），暂不支持 OCR 识别",
                                  "the PDF has no text layer (a scan); OCR is not supported yet")
            raise NoTextLayer("PDF 中没有任何文字", "the PDF contains no text at all")
        if n_bad / n_chars > MAX_BAD_SHARE:
            raise NoTextLayer("PDF 的字体缺少 Unicode 映射，文字无法解码（显示为 (cid:NN) 或私用区字符）",
                              "the PDF's fonts lack a Unicode map: its text decodes to (cid:NN) or "
                              "private-use characters")
        from .assemble import assemble, read_page

        blocks = assemble([read_page(p) for p in prims])
        props = {"pages": len(prims), **props}
        return Document(blocks, format=self.format, loader=self.name, properties=props)
