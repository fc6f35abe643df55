"""One deadline and one memory cap for the whole conversion, in the CLI, in threads and in child processes.

Real inputs, no monkeypatching of the clock: a crafted PDF that takes pdfminer
tens of seconds, a text file of 100,000 tables, a text file whose reading
outgrows a small memory cap.  Big inputs are built here, in temporary
folders, not committed.
"""
from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

import govconv
from conftest import ROOT, SEEDS, convert_in_a_thread, dying_loader, slow_pdf
from govconv.errors import CorruptInput, ExitCode, InputTimeout, MemoryLimit

SEED = SEEDS / "002_4a81d0f783bbd2ce.txt"


def many_tables_txt(path, n=100_000):
    head = SEED.read_text("utf-8")
    path.write_text(head + "\n" + "\t表\n\n\t1\n\n\n" * n, "utf-8")
    return path


def cli(*args, timeout=120):
    t0 = time.monotonic()
    p = subprocess.run([sys.executable, "-m", "govconv", *map(str, args)], capture_output=True, timeout=timeout,
                       cwd=ROOT)
    return p, time.monotonic() - t0


def one_line(p) -> str:
    lines = [l for l in p.stderr.decode().splitlines() if l.strip()]
    assert len(lines) == 1 and "Traceback" not in p.stderr.decode(), p.stderr.decode()
    assert " / " in lines[0]
    return lines[0]


def test_the_deadline_holds_in_a_worker_thread(tmp_path):
    out = convert_in_a_thread(slow_pdf(tmp_path / "slow.pdf"), timeout=1)
    assert isinstance(out.get("error"), InputTimeout), out
    assert out["took"] < 10, out["took"]


def test_convert_leaves_the_hosts_timer_and_handlers_alone():
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *a: fired.append(1))
    signal.setitimer(signal.ITIMER_REAL, 30)
    try:
        govconv.convert(SEED, timeout=5)
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 20 < remaining <= 30, "convert() cancelled or changed the host's SIGALRM timer"
        assert signal.getsignal(signal.SIGALRM) is not previous and not fired
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_isolated_conversion_is_killed_at_the_deadline(tmp_path):
    path = slow_pdf(tmp_path / "slow.pdf")
    t0 = time.monotonic()
    with pytest.raises(InputTimeout):
        govconv.convert(path, timeout=1, isolate=True)
    assert time.monotonic() - t0 < 10


def test_a_text_of_400000_tables_stops_at_its_deadline(tmp_path):
    path = many_tables_txt(tmp_path / "tables.txt", 400_000)
    p, took = cli(path, "--timeout", "2")
    assert p.returncode == ExitCode.TIMEOUT, p.stderr.decode()
    assert "2 s" in one_line(p)
    assert took < 12, took


class _SlowCheck:
    """A real check plugin that takes its time (and checks its budget, as plugins should)."""

    @govconv.hookimpl
    def register_checks(self, register):
        def run(report):
            for _ in range(500):
                govconv.checkpoint()
                time.sleep(0.01)
            return []
        register(govconv.Check("demo.slow", run))


def test_the_deadline_covers_layout_and_checks_not_only_loading():
    reg = govconv.Registry()
    reg.register_plugin(_SlowCheck(), name="slow")
    t0 = time.monotonic()
    with pytest.raises(InputTimeout):
        govconv.convert(SEED, timeout=1, registry=reg)
    assert time.monotonic() - t0 < 3


def test_the_memory_cap(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text(SEED.read_text("utf-8") + ("\t" + "字" * 60 + "\n") * 300_000, "utf-8")
    p, _ = cli(big, "--max-memory", "64")
    assert p.returncode == ExitCode.MEMORY, p.stderr.decode()
    assert "64 MB" in one_line(p)
    with pytest.raises(MemoryLimit):
        govconv.convert(big, max_memory=64 * 1024 * 1024, isolate=True)


def test_a_file_over_its_formats_limit_is_refused_and_the_batch_goes_on(tmp_path):
    from govconv_plugins.txt_loader import TxtLoader
    big = tmp_path / "huge.txt"
    with big.open("wb") as f:
        f.truncate(TxtLoader.max_bytes + 1)            # sparse: no disk is used
    p, _ = cli(big, SEED)
    assert p.returncode == ExitCode.TOO_LARGE, p.stderr.decode()
    error, summary = p.stderr.decode().splitlines()         # one line for the file, one for the batch
    assert "huge.txt" in error and "exit 12: 1" in summary
    assert b'"layout": "gov2021"' in p.stdout


def test_a_crashing_reader_costs_its_input_only(tmp_path):
    reg = govconv.Registry(load_entry_points=False)
    reg.register_plugin(dying_loader(signal.SIGSEGV), name="dies")
    f = tmp_path / "x.crash"
    f.write_bytes(b"boom")
    with pytest.raises(CorruptInput) as e:
        govconv.convert(f, registry=reg, isolate=True)
    assert "died" in e.value.en
