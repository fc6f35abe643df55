"""Benchmark (not a test): batches — speed-up with workers, the parent's memory, a Dask cluster.

    .venv/bin/python bench/bench_batch.py [--inputs 1000] [--repeat 1] [--no-dask]

Builds N mixed inputs from the fixtures (seed reports as .txt, .docx, .html and
.pdf, the real PDF; each copy made unique by a trailing line so every input
has its own sha256) in a temporary folder, then measures in one run:

* files/s of ``govconv DIR -j1`` and ``-j2`` (the whole command, to jsonl in a
  file); the ratio -j2/-j1 is the speed-up (goal: at least 1.8 on 2 cores);
* the parent's peak RSS with -j2 for the first 100 and for all N inputs
  (goal: flat — results stream into the target, nothing is kept), and its CPU
  time: what the parent takes from the workers' cores;
* the same two with ``--to sqlite -o reports.db`` (SQLite, the embedded default target:
  the parent writes every report's rows, which the workers made);
* a Dask cluster of 2 single-threaded workers on 127.0.0.1 against -j1
  (goal: at least 1.6×), unless ``--no-dask``; a standing cluster's workers
  have imported govconv, so the cluster converts 100 inputs before it is timed.

Every command is the CLI's ``main`` in a fresh interpreter, which reports its
own CPU time and peak RSS (the workers are other processes).  The processes
run without ``PYTHONDONTWRITEBYTECODE`` (which makes every process, workers
included, compile govconv's sources again) after one warm-up conversion that
writes the bytecode.  With ``--repeat R`` each figure is the best of R rounds,
the -j1 and -j2 runs interleaved (a shared machine is noisy).  Ratios are the
figures: every number printed is measured in this run.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / "fixtures"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
SOURCES = (sorted((FIX / "seeds").glob("*.txt")) + sorted((FIX / "docx").glob("00?_*[0-9a-f].docx"))
           + sorted((FIX / "html").glob("*.portal.html")) + sorted((FIX / "pdf").glob("00?_*[0-9a-f].pdf"))
           + [FIX / "realworld" / "huaian-city-2024.pdf"])
#: the environment of every process the bench starts: bytecode is written once and then read
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

#: the CLI in a fresh interpreter, saying on stdout its CPU seconds and peak RSS (KiB)
MAIN = """
import json, resource, sys
from govconv.cli import main
code = main(sys.argv[1:])
r = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"code": code, "cpu": r.ru_utime + r.ru_stime, "rss_kb": r.ru_maxrss}))
"""


def build(folder: Path, n: int) -> list[Path]:
    """n inputs cycling through the fixtures, each with its own bytes (a PDF/DOCX gets a trailing comment)."""
    out = []
    for i in range(n):
        src = SOURCES[i % len(SOURCES)]
        dest = folder / f"{i:05d}-{src.name}"
        data = src.read_bytes()
        if src.suffix in (".txt", ".html"):
            data += f"\n<!-- {i} -->\n".encode() if src.suffix == ".html" else f"\n{i}\n".encode()
        else:
            data += f"\n%{i}\n".encode()          # bytes after the end: PDF and zip readers ignore them
        dest.write_bytes(data)
        out.append(dest)
    return out


def govconv(*args: str) -> dict:
    """Run the CLI; its wall seconds, CPU seconds and peak RSS."""
    t0 = time.perf_counter()
    p = subprocess.run([PYTHON, "-c", MAIN, *args], capture_output=True, text=True, env=ENV, cwd=ROOT, check=False)
    wall = time.perf_counter() - t0
    try:
        figures = json.loads(p.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        sys.exit(f"govconv {' '.join(args)} failed:\n{p.stderr[-2000:]}")
    return dict(figures, wall=wall)


def best(runs: list[dict]) -> dict:
    return min(runs, key=lambda r: r["wall"])


def dask_cluster():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    dask = str(ROOT / ".venv" / "bin" / "dask")
    address = f"tcp://127.0.0.1:{port}"
    work = tempfile.mkdtemp(prefix="govconv-bench-dask-")
    procs = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                              cwd=work, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
             subprocess.Popen([dask, "worker", address, "--nworkers", "2", "--nthreads", "1", "--no-dashboard",
                               "--host", "127.0.0.1", "--local-directory", work],
                              cwd=work, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    from distributed import Client
    with Client(address, timeout="30s") as c:
        c.wait_for_workers(2, timeout=60)
    return address, procs, work


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--inputs", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=1, help="rounds; each figure is the best (default 1)")
    ap.add_argument("--no-dask", action="store_true")
    args = ap.parse_args()
    n, rounds = args.inputs, max(1, args.repeat)
    with tempfile.TemporaryDirectory(prefix="govconv-bench-batch-") as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        paths = build(folder, n)
        first = Path(tmp) / "first100.txt"
        first.write_text("\n".join(map(str, paths[:100])) + "\n", "utf-8")
        out = str(Path(tmp) / "out.jsonl")
        print(f"{n} inputs from {len(SOURCES)} fixtures; cores: {os.cpu_count()}; python {sys.version.split()[0]}; "
              f"best of {rounds}")
        govconv(str(paths[0]), "-o", out)                       # warm-up: writes the bytecode
        j1, j2 = [], []
        for _ in range(rounds):
            j1.append(govconv(str(folder), "-j", "1", "--to", "jsonl", "-o", out))
            j2.append(govconv(str(folder), "-j", "2", "--to", "jsonl", "-o", out))
        t1, t2 = best(j1), best(j2)
        print(f"-j1: {n / t1['wall']:7.1f} files/s ({t1['wall']:.1f} s; parent CPU {t1['cpu']:.2f} s)")
        print(f"-j2: {n / t2['wall']:7.1f} files/s ({t2['wall']:.1f} s; parent CPU {t2['cpu']:.2f} s)   "
              f"speed-up -j2/-j1 = {t1['wall'] / t2['wall']:.2f}x")
        db = Path(tmp) / "reports.db"
        s1, s2 = [], []
        for _ in range(rounds):                                 # the embedded default target: SQLite
            for jobs, runs in (("1", s1), ("2", s2)):
                db.unlink(missing_ok=True)
                runs.append(govconv(str(folder), "-j", jobs, "--to", "sqlite", "-o", str(db)))
        q1, q2 = best(s1), best(s2)
        print(f"--to sqlite: -j1 {n / q1['wall']:7.1f} files/s, -j2 {n / q2['wall']:7.1f} files/s "
              f"(parent CPU {q2['cpu']:.2f} s)   speed-up -j2/-j1 = {q1['wall'] / q2['wall']:.2f}x")
        small = govconv("--from-list", str(first), "-j", "2", "--to", "jsonl", "-o", out)["rss_kb"]
        large = max(r["rss_kb"] for r in j2)
        print(f"parent peak RSS: {small / 1024:.1f} MB at 100 inputs, {large / 1024:.1f} MB at {n} "
              f"inputs (ratio {large / small:.2f})")
        if not args.no_dask:
            address, procs, work = dask_cluster()
            try:
                govconv("--from-list", str(first), "--engine", "dask", "--scheduler", address, "-o", out)  # warm-up
                td = best([govconv(str(folder), "--engine", "dask", "--scheduler", address, "--to", "jsonl",
                                   "-o", out) for _ in range(rounds)])
            finally:
                for p in procs:
                    p.terminate()
                for p in procs:
                    p.wait(20)
                shutil.rmtree(work, ignore_errors=True)
            print(f"dask 2 workers: {n / td['wall']:7.1f} files/s ({td['wall']:.1f} s; client CPU {td['cpu']:.2f} s)"
                  f"   vs -j1 = {t1['wall'] / td['wall']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
