"""Benchmark (not a test): govconv's PDF conversion against the bare libraries, as ratios measured in one run.

    .venv/bin/python bench/bench_pdf.py [--repeat N] [PDF ...]

Default inputs: fixtures/pdf/*.pdf and fixtures/realworld/huaian-city-2024.pdf
(when present).  For each file, in the same run, interleaved:

* **govconv** — ``govconv.convert(path)`` with the default PDF engine (pdfium):
  load (tables, joining, paragraphs), layout, checks — the whole conversion;
* **govconv/plumber** — the same with ``loader_options={"pdf_engine": "pdfplumber"}``
  (the reference engine);
* **pdfplumber** — open the file and call ``page.extract_tables()`` on every
  page (its default settings), the least a table reader built on it does;
* **pdfium floor** — pypdfium2 alone: open the file and, per page, load the page
  and its text page, read every character's box and every path object's
  segments (form XObjects included), the least a reader built on it does.

Each is run ``--repeat`` times, the rounds interleaved so that a busy machine
slows all alike, and the best time is kept: CPU time of this process
(``time.process_time``; all four are single-threaded), which other work on
the machine disturbs far less than the wall clock (``--wall`` to use it).  Printed per file and overall
(sums of the best times): pages/s of govconv, and the ratios

* ``g/plumb`` = govconv ÷ pdfplumber ``extract_tables`` (goal ≤ 0.25),
* ``g/floor`` = govconv ÷ the pdfium floor (goal ≤ 3),
* ``ref/plumb`` = govconv with the pdfplumber engine ÷ pdfplumber ``extract_tables``.
"""
from __future__ import annotations

import argparse
import ctypes
import platform
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def pdfplumber_tables(path: Path) -> int:
    import pdfplumber

    n = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            page.close()
            n += 1
    return n


def pdfium_floor(path: Path) -> int:
    """Open, and per page: the page, its text page, every character's box, every path's segments."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    x, y = ctypes.c_float(), ctypes.c_float()

    def walk(get, count, parent):
        for j in range(count):
            obj = get(parent, j)
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_PATH:
                for s in range(raw.FPDFPath_CountSegments(obj)):
                    raw.FPDFPathSegment_GetPoint(raw.FPDFPath_GetPathSegment(obj, s), x, y)
            elif kind == raw.FPDF_PAGEOBJ_FORM:
                walk(raw.FPDFFormObj_GetObject, raw.FPDFFormObj_CountObjects(obj), obj)

    doc = pdfium.PdfDocument(path.read_bytes())
    n = raw.FPDF_GetPageCount(doc.raw)
    for i in range(n):
        page = raw.FPDF_LoadPage(doc.raw, i)
        tp = raw.FPDFText_LoadPage(page)
        for k in range(raw.FPDFText_CountChars(tp)):
            raw.FPDFText_GetCharBox(tp, k, left, right, bottom, top)
        walk(raw.FPDFPage_GetObject, raw.FPDFPage_CountObjects(page), page)
        raw.FPDFText_ClosePage(tp)
        raw.FPDF_ClosePage(page)
    doc.close()
    return n


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            names = [line.split(":", 1)[1].strip() for line in f if line.startswith("model name")]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    return (f"nproc {os.cpu_count()}, {cpu}, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--wall", action="store_true", help="time by the wall clock, not CPU time")
    args = ap.parse_args(argv)
    clock = time.perf_counter if args.wall else time.process_time
    import govconv
    import pypdfium2

    paths = args.pdfs or sorted((ROOT / "fixtures" / "pdf").glob("*.pdf"))
    real = ROOT / "fixtures" / "realworld" / "huaian-city-2024.pdf"
    if not args.pdfs and real.exists():
        paths.append(real)
    if not paths:
        print("no PDFs (run fixtures/build_pdf.py)", file=sys.stderr)
        return 1

    def gov(path):
        govconv.convert(path)

    def ref(path):
        govconv.convert(path, loader_options={"pdf_engine": "pdfplumber"})

    runs = {"govconv": gov, "govconv/plumber": ref, "pdfplumber": pdfplumber_tables, "pdfium floor": pdfium_floor}
    # warm up imports and caches so that the first file is not charged for them
    for fn in runs.values():
        fn(paths[0])
    import pdfplumber

    print(f"machine: {machine()}")
    print(f"pypdfium2 {pypdfium2.version.PYPDFIUM_INFO} (PDFium {pypdfium2.version.PDFIUM_INFO}), "
          f"pdfplumber {pdfplumber.__version__}; {'wall' if args.wall else 'CPU'} time, best of {args.repeat}, "
          f"interleaved")
    print(f"{'file':44} {'pages':>5} {'govconv p/s':>12} {'g/plumb':>8} {'g/floor':>8} {'ref/plumb':>9}")
    total = {k: 0.0 for k in runs}
    tot_pages = 0
    for path in paths:
        pages = pdfium_floor(path)
        best = {k: float("inf") for k in runs}
        for _ in range(args.repeat):
            for k, fn in runs.items():
                t0 = clock()
                fn(path)
                best[k] = min(best[k], clock() - t0)
        for k in runs:
            total[k] += best[k]
        tot_pages += pages
        print(f"{path.name[:44]:44} {pages:5d} {pages / best['govconv']:12.1f} "
              f"{best['govconv'] / best['pdfplumber']:8.3f} {best['govconv'] / best['pdfium floor']:8.2f} "
              f"{best['govconv/plumber'] / best['pdfplumber']:9.2f}")
    print(f"{'all':44} {tot_pages:5d} {tot_pages / total['govconv']:12.1f} "
          f"{total['govconv'] / total['pdfplumber']:8.3f} {total['govconv'] / total['pdfium floor']:8.2f} "
          f"{total['govconv/plumber'] / total['pdfplumber']:9.2f}")
    print("g/plumb = govconv ÷ pdfplumber extract_tables (goal ≤ 0.25); g/floor = govconv ÷ pdfium floor "
          "(goal ≤ 3);\nref/plumb = govconv with --pdf-engine pdfplumber ÷ pdfplumber extract_tables")
    return 0


if __name__ == "__main__":
    sys.exit(main())
