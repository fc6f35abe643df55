"""Benchmark: govconv's whole conversion of a .docx vs python-docx merely reading its tables.

    .venv/bin/pip install -e '.[bench]'    # python-docx, which only this benchmark uses
    .venv/bin/python bench/bench_docx.py [--repeat 7] [--number 20] [FILE.docx ...]

For each file (default: the report fixtures of fixtures/docx/ and the
official 2021 template of fixtures/realworld), in the same run:

* govconv: ``govconv.convert(path)`` — open, read the whole body (docx
  loader), detect the layout, read every cell, run the checks;
* python-docx: ``docx.Document(path)`` and ``cell.text`` of every cell of
  every table (``for t in doc.tables: for row in t.rows: for cell in
  row.cells``) — no report logic at all.

Each is timed ``--number`` times per repetition, ``--repeat`` repetitions,
and the best repetition counts (the least disturbed by the machine).  The
ratio govconv / python-docx is printed per file and for all files together;
the goal is at most 1.5×.  Not a test: timings depend on the machine.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL = 1.5


def default_files() -> list[Path]:
    files = sorted(p for p in (ROOT / "fixtures" / "docx").glob("*.docx") if p.name != "features.docx")
    template = ROOT / "fixtures" / "realworld" / "official-template-2021.docx"
    if template.exists():
        files.append(template)
    return files


def best_time(fn, number: int, repeat: int) -> float:
    """Seconds per call: the best of ``repeat`` runs of ``number`` calls."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        best = min(best, (time.perf_counter() - start) / number)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--number", type=int, default=20)
    args = ap.parse_args(argv)

    import docx

    import govconv
    from govconv import default_registry

    reg = default_registry()
    files = args.files or default_files()

    def ours(path):
        return lambda: govconv.convert(path, registry=reg)

    def theirs(path):
        def walk():
            doc = docx.Document(str(path))
            for t in doc.tables:
                for row in t.rows:
                    for cell in row.cells:
                        cell.text
        return walk

    for path in files:          # warm up: imports, plugin loading, label caches
        ours(path)()
        theirs(path)()

    print(f"{'file':48} {'govconv ms':>11} {'python-docx ms':>15} {'ratio':>7}")
    total_ours = total_theirs = 0.0
    for path in files:
        a = best_time(ours(path), args.number, args.repeat)
        b = best_time(theirs(path), args.number, args.repeat)
        total_ours += a
        total_theirs += b
        print(f"{path.name[:48]:48} {a * 1000:11.2f} {b * 1000:15.2f} {a / b:6.2f}×")
    ratio = total_ours / total_theirs
    print(f"{'all files':48} {total_ours * 1000:11.2f} {total_theirs * 1000:15.2f} {ratio:6.2f}×"
          f"   (goal ≤ {GOAL}×: {'met' if ratio <= GOAL else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
