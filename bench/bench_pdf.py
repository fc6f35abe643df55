"""Benchmark (not a test): PDF pages per second, govconv's full conversion vs. pdfplumber's table extraction.

    .venv/bin/python bench/bench_pdf.py [--repeat N] [PDF ...]

Default inputs: fixtures/pdf/*.pdf and fixtures/realworld/huaian-city-2024.pdf
(when present).  For each file, in the same run:

* govconv: ``govconv.convert(path)`` — load (tables, joining, paragraphs),
  layout, checks — the whole conversion;
* pdfplumber: open the file and call ``page.extract_tables()`` on every page
  (its default settings), the least a table reader does.

Each is run ``--repeat`` times and the best time is kept.  Printed: pages/s
of both, and the ratio (govconv time / pdfplumber time; below 1 means
govconv is faster than the bare table extraction).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def best_of(n: int, fn) -> float:
    best = float("inf")
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def pdfplumber_tables(path: Path) -> int:
    import pdfplumber

    n = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            page.close()
            n += 1
    return n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    import govconv

    paths = args.pdfs or sorted((ROOT / "fixtures" / "pdf").glob("*.pdf"))
    real = ROOT / "fixtures" / "realworld" / "huaian-city-2024.pdf"
    if not args.pdfs and real.exists():
        paths.append(real)
    if not paths:
        print("no PDFs (run fixtures/build_pdf.py)", file=sys.stderr)
        return 1
    # warm up imports and caches so the first file is not charged for them
    govconv.convert(paths[0])
    pdfplumber_tables(paths[0])
    print(f"{'file':44} {'pages':>5} {'govconv p/s':>12} {'pdfplumber p/s':>15} {'ratio':>6}")
    tot_pages = tot_g = tot_p = 0.0
    for path in paths:
        pages = pdfplumber_tables(path)
        tg = best_of(args.repeat, lambda: govconv.convert(path))
        tp = best_of(args.repeat, lambda: pdfplumber_tables(path))
        tot_pages += pages
        tot_g += tg
        tot_p += tp
        print(f"{path.name[:44]:44} {pages:5d} {pages / tg:12.1f} {pages / tp:15.1f} {tg / tp:6.2f}")
    print(f"{'all':44} {int(tot_pages):5d} {tot_pages / tot_g:12.1f} {tot_pages / tot_p:15.1f} {tot_g / tot_p:6.2f}")
    print("ratio = govconv seconds / pdfplumber extract_tables() seconds for the same pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
