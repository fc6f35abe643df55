"""Where -o writes: regular files atomically with their mode kept, devices and FIFOs as they are,
symlinks followed, directories and inputs refused, nothing left behind by an interruption.

Everything happens inside the test's temporary folder: the null device used
here is a device node made there (as root), never /dev itself.  The command runs
in this process, except under SIGTERM, which needs a process of its own.
"""
from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time

import pytest

from conftest import ROOT, SEEDS
from govconv.errors import ExitCode

SEED = SEEDS / "002_4a81d0f783bbd2ce.txt"


def with_umask(umask: int, run):
    """``run()`` under ``umask`` (the process's: restored after)."""
    saved = os.umask(umask)
    try:
        return run()
    finally:
        os.umask(saved)


def test_a_new_file_follows_the_umask(tmp_path, cli):
    out = tmp_path / "r.json"
    assert with_umask(0o027, lambda: cli(SEED, "-o", out)).code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert json.loads(out.read_text("utf-8"))["layout"] == "gov2021"


def test_an_existing_file_keeps_its_mode(tmp_path, cli):
    out = tmp_path / "r.json"
    out.write_text("old")
    out.chmod(0o644)
    assert with_umask(0o077, lambda: cli(SEED, "-o", out)).code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    assert json.loads(out.read_text("utf-8"))["layout"] == "gov2021"
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]        # no temporary file left


def test_a_symlink_is_followed_and_kept(tmp_path, cli):
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert cli(SEED, "-o", link).code == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert json.loads(real.read_text("utf-8"))["layout"] == "gov2021"
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "new.json")
    assert cli(SEED, "-o", dangling).code == 0
    assert json.loads((tmp_path / "new.json").read_text("utf-8"))["layout"] == "gov2021"


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_a_device_is_written_to_not_replaced(tmp_path, cli):
    null = tmp_path / "null"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))     # the null device, inside tmp_path
    p = cli(SEED, "-o", null)
    assert p.code == 0, p.err
    assert stat.S_ISCHR(null.stat().st_mode), "the device was replaced by a regular file"
    assert cli(SEED, "--to", "sqlite", "-o", null).code == ExitCode.OUTPUT
    assert stat.S_ISCHR(null.stat().st_mode)


def test_a_fifo_is_written_to_not_replaced(tmp_path, cli):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = {}

    def read():
        with open(fifo, "rb") as f:
            got["data"] = f.read()

    t = threading.Thread(target=read)
    t.start()
    p = cli(SEED, "-o", fifo)
    t.join(30)
    assert p.code == 0, p.err
    assert json.loads(got["data"])["layout"] == "gov2021"
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_the_input_is_never_overwritten(tmp_path, cli):
    copy = tmp_path / "in.txt"
    copy.write_bytes(SEED.read_bytes())
    p = cli(copy, "-o", copy)
    assert p.code == ExitCode.OUTPUT
    assert copy.read_bytes() == SEED.read_bytes()
    link = tmp_path / "out.json"
    link.symlink_to(copy)
    assert cli(copy, "-o", link).code == ExitCode.OUTPUT
    assert copy.read_bytes() == SEED.read_bytes()


def test_a_directory_is_refused(tmp_path, cli):
    p = cli(SEED, "-o", tmp_path)
    assert p.code == ExitCode.OUTPUT
    lines = p.err.strip().splitlines()
    assert len(lines) == 1 and "directory" in lines[0]


SLOW_EXPORTER = '''
import time
from govconv import Exporter, hookimpl

class Slow(Exporter):
    name, extension, description = "slow", "txt", "writes, then waits"
    def export(self, reports, stream, options):
        stream.write(b"half")
        stream.flush()
        time.sleep(60)

@hookimpl
def register_exporters(register):
    register(Slow())
'''


def test_an_interrupted_write_leaves_nothing_behind(tmp_path):
    """SIGTERM while the output is being written: exit 130, no temporary file, no output."""
    site = tmp_path / "site"
    (site / "slow_exporter-1.0.dist-info").mkdir(parents=True)
    (site / "slow_exporter.py").write_text(SLOW_EXPORTER, "utf-8")
    (site / "slow_exporter-1.0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: slow-exporter\nVersion: 1.0\n", "utf-8")
    (site / "slow_exporter-1.0.dist-info" / "entry_points.txt").write_text(
        "[govconv]\nslow = slow_exporter\n", "utf-8")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    env = dict(os.environ, PYTHONPATH=str(site))
    proc = subprocess.Popen([sys.executable, "-m", "govconv", str(SEED), "--to", "slow", "-o",
                             str(out_dir / "r.txt")], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while not any(out_dir.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert any(out_dir.iterdir()), "the temporary file never appeared"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert list(out_dir.iterdir()) == []
