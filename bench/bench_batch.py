"""Benchmark (not a test): batches — speed-up with workers, the parent's memory, a Dask cluster.

    .venv/bin/python bench/bench_batch.py [--inputs 1000] [--no-dask]

Builds N mixed inputs from the fixtures (seed reports as .txt, .docx, .html and
.pdf, the real PDF; each copy made unique by a trailing line so every input
has its own sha256) in a temporary folder, then measures in one run:

* files/s of ``govconv DIR -j1`` and ``-j2`` (the whole command, to jsonl in a
  file); the ratio -j2/-j1 is the speed-up (goal: at least 1.8 on 2 cores);
* the parent's peak RSS converting the first 100 and all N inputs with -j2
  (goal: flat — results stream into the target, nothing is kept);
* a Dask cluster of 2 single-threaded workers on 127.0.0.1 against -j1
  (goal: at least 1.6×), unless ``--no-dask``.

Ratios are the figures: every number printed is measured in this run.
"""
from __future__ import annotations

import argparse
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
SOURCES = (sorted((FIX / "seeds").glob("*.txt")) + sorted((FIX / "docx").glob("00?_*[0-9a-f].docx"))
           + sorted((FIX / "html").glob("*.portal.html")) + sorted((FIX / "pdf").glob("00?_*[0-9a-f].pdf"))
           + [FIX / "realworld" / "huaian-city-2024.pdf"])


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


def govconv(*args: str, env=None) -> float:
    t0 = time.perf_counter()
    subprocess.run([str(ROOT / ".venv" / "bin" / "govconv"), *args], check=False, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    return time.perf_counter() - t0


PEAK = """
import resource, sys
from govconv.running.batch import convert_many
from govconv.running.targets import StreamTarget
import govconv
exp = govconv.default_registry().exporter("jsonl")
paths = sys.argv[2:]
with open(sys.argv[1], "wb") as out:
    for r in convert_many(paths, jobs=2):
        if r.report is not None:
            exp.stream([r.report], out, {})
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_rss_kb(paths: list[Path], out: Path) -> int:
    p = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-c", PEAK, str(out), *map(str, paths)],
                       capture_output=True, text=True, cwd=ROOT, check=True)
    return int(p.stdout.split()[-1])


def dask_cluster():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    dask = str(ROOT / ".venv" / "bin" / "dask")
    address = f"tcp://127.0.0.1:{port}"
    work = tempfile.mkdtemp(prefix="govconv-bench-dask-")
    procs = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                              cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
             subprocess.Popen([dask, "worker", address, "--nworkers", "2", "--nthreads", "1", "--no-dashboard",
                               "--host", "127.0.0.1", "--local-directory", work],
                              cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    from distributed import Client
    with Client(address, timeout="30s") as c:
        c.wait_for_workers(2, timeout=60)
    return address, procs, work


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--inputs", type=int, default=1000)
    ap.add_argument("--no-dask", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="govconv-bench-batch-") as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        paths = build(folder, args.inputs)
        out = Path(tmp) / "out.jsonl"
        print(f"{args.inputs} inputs from {len(SOURCES)} fixtures; cores: {os.cpu_count()}; "
              f"python {sys.version.split()[0]}")
        t1 = govconv(str(folder), "-j", "1", "--to", "jsonl", "-o", str(out))
        t2 = govconv(str(folder), "-j", "2", "--to", "jsonl", "-o", str(out))
        print(f"-j1: {args.inputs / t1:7.1f} files/s ({t1:.1f} s)")
        print(f"-j2: {args.inputs / t2:7.1f} files/s ({t2:.1f} s)   speed-up -j2/-j1 = {t1 / t2:.2f}x")
        small = peak_rss_kb(paths[:100], out)
        large = peak_rss_kb(paths, out)
        print(f"parent peak RSS: {small / 1024:.1f} MB at 100 inputs, {large / 1024:.1f} MB at {args.inputs} "
              f"inputs (ratio {large / small:.2f})")
        if not args.no_dask:
            address, procs, work = dask_cluster()
            try:
                td = govconv(str(folder), "--engine", "dask", "--scheduler", address, "--to", "jsonl", "-o",
                             str(out))
            finally:
                for p in procs:
                    p.terminate()
                for p in procs:
                    p.wait(20)
                shutil.rmtree(work, ignore_errors=True)
            print(f"dask 2 workers: {args.inputs / td:7.1f} files/s ({td:.1f} s)   vs -j1 = {t1 / td:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
