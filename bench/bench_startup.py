"""Benchmark (not a test): start-up — whole processes, as a user runs them.

    .venv/bin/python bench/bench_startup.py [--rounds 30]

Times, interleaved round by round in one run, the wall clock of:

* ``python -c "import lxml"`` — the baseline the goal is stated against;
* ``python -c "import pluggy"`` and ``python -c "import dataclasses"`` — the
  floors: govconv's plugins are pluggy plugins and its model is dataclasses,
  so no govconv command can start faster than these;
* ``govconv --help`` (every plugin registered: its options are listed);
* ``govconv SEED.txt --to json`` — one txt conversion, to stdout.

and prints each one's median and its ratio to the baseline.  Python writes
bytecode for the project's modules first (an installed package has it; an
environment with ``PYTHONDONTWRITEBYTECODE=1`` would otherwise compile every
module in every process), and the runs use the same interpreter and venv.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SEED = ROOT / "fixtures" / "seeds" / "002_4a81d0f783bbd2ce.txt"

COMMANDS = {
    "python -c 'import lxml'": [sys.executable, "-c", "import lxml"],
    "python -c 'import pluggy'": [sys.executable, "-c", "import pluggy"],
    "python -c 'import dataclasses'": [sys.executable, "-c", "import dataclasses"],
    "govconv --help": [str(BIN / "govconv"), "--help"],
    "govconv seed.txt --to json": [str(BIN / "govconv"), str(SEED), "--to", "json"],
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=30)
    args = ap.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "core"), str(ROOT / "plugins")],
                   check=True, env=env)
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for name, argv in COMMANDS.items():                  # warm: caches, bytecode
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT, check=True)
    for _ in range(args.rounds):
        for name, argv in COMMANDS.items():
            t0 = time.perf_counter()
            subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT, check=True)
            times[name].append(time.perf_counter() - t0)
    base = statistics.median(times["python -c 'import lxml'"])
    print(f"{'command':34} {'median ms':>10} {'÷ import lxml':>14}")
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"{name:34} {med * 1000:10.1f} {med / base:14.2f}")


if __name__ == "__main__":
    main()
