"""--engine dask: a real scheduler and two workers on 127.0.0.1, results compared with -j1.

Needs the extra govconv[dask] (in the test extra).  The cluster is started by
the test with dask's own commands and stopped at the end.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time

import pytest

from conftest import FIXTURES, IN_CI, ROOT, SEEDS

distributed = pytest.importorskip("distributed", reason="govconv[dask] is not installed") if not IN_CI else \
    __import__("distributed")

INPUTS = [str(p) for p in sorted(SEEDS.glob("*.txt"))] + [
    str(FIXTURES / "docx" / "003_0e647fe07d6d618f.docx"), str(FIXTURES / "realworld" / "huaian-city-2024.pdf")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    dask = shutil.which("dask", path=os.path.dirname(sys.executable)) or shutil.which("dask")
    assert dask, "the dask command is missing"
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    work = tmp_path_factory.mktemp("dask")
    (work / "govconv_dask_testtask.py").write_text(TASK_MODULE, "utf-8")      # importable by the workers
    # a lost task is retried once (allowed-failures), and a worker holds one task per thread at a time
    # (worker-saturation 1.0), so a worker's death costs the task it was running, not its neighbours
    env = dict(os.environ, DASK_TEMPORARY_DIRECTORY=str(work), DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES="1",
               DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION="1.0",
               PYTHONPATH=os.pathsep.join(filter(None, [str(work), os.environ.get("PYTHONPATH")])))
    scheduler = subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                                 cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = subprocess.Popen([dask, "worker", address, "--nworkers", "2", "--nthreads", "1", "--no-dashboard",
                               "--host", "127.0.0.1", "--memory-limit", "2GB", "--local-directory", str(work)],
                              cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        from distributed import Client
        with Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=60)
        sys.path.insert(0, str(work))
        yield address
        sys.path.remove(str(work))
    finally:
        for proc in (worker, scheduler):
            proc.terminate()
        for proc in (worker, scheduler):
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "govconv", *args], capture_output=True, cwd=ROOT, timeout=300,
                          env=env)


def reports(stdout: bytes) -> dict:
    out = {}
    for line in stdout.splitlines():
        r = json.loads(line)
        out[r["source"]["file"]] = (r["source"]["sha256"], r["layout"], r["tables"], r["findings"])
    return out


def test_dask_gives_what_one_local_worker_gives(cluster, tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    local = run(*INPUTS, str(bad), "-j", "1", "--to", "jsonl")
    remote = run(*INPUTS, str(bad), "--engine", "dask", "--scheduler", cluster, "--to", "jsonl")
    assert remote.returncode == local.returncode == 5, remote.stderr.decode()
    assert reports(remote.stdout) == reports(local.stdout)
    assert len(reports(remote.stdout)) == len(INPUTS)
    env = dict(os.environ, GOVCONV_SCHEDULER=cluster)               # the scheduler from the environment
    assert run(INPUTS[0], "--engine", "dask", "--to", "jsonl", env=env).returncode == 0


def test_workers_render_in_batches(cluster, tmp_path):
    """Several inputs per task, the target's bytes made on the workers: what -j1 makes, input by input."""
    import govconv
    from govconv.running.batch import convert_many
    from govconv.running.dask_engine import run_on_dask
    from govconv.running.targets import ExportBytes

    render = ExportBytes(govconv.default_registry().exporter("jsonl"), {})
    missing = str(tmp_path / "missing.txt")
    local = {r.path: r for r in convert_many([*INPUTS, missing], jobs=1, render=render)}
    remote = {r.path: r for r in run_on_dask([*INPUTS, missing], scheduler=cluster, options={}, render=render,
                                             batch=3)}
    assert sorted(remote) == sorted(local)
    for path, r in remote.items():
        assert r.report is None
        assert (r.output, r.sha256, r.layout, r.findings) == (local[path].output, local[path].sha256,
                                                              local[path].layout, local[path].findings)
    assert remote[missing].failure.exit_code == local[missing].failure.exit_code


TASK_MODULE = '''
"""A task that takes its worker down on one input: the loss of a task, as a crash would cause it."""
import os

from govconv.running.dask_engine import convert_bytes


def dies_on_marker(path, data, error, options, render=None):
    if path.endswith("marker.txt"):
        os._exit(1)
    return convert_bytes(path, data, error, options, render)
'''


def test_a_lost_task_is_retried_once_then_recorded_as_failed(cluster, tmp_path, monkeypatch):
    # 8 inputs and a window of 4 tasks (2 single-threaded workers): the first task holds the marker and
    # INPUTS[0]; lost twice, both go again, one to a task, and only the marker is lost
    from govconv_dask_testtask import dies_on_marker
    from govconv.running import dask_engine

    assert len(INPUTS) + 1 > dask_engine.WINDOW_PER_THREAD * 2         # more inputs than tasks in flight
    reads: list[str] = []
    read = dask_engine._read
    monkeypatch.setattr(dask_engine, "_read", lambda path: (reads.append(path), read(path))[1])
    marker = tmp_path / "marker.txt"
    marker.write_bytes((SEEDS / "002_4a81d0f783bbd2ce.txt").read_bytes())
    t0 = time.monotonic()
    results = list(dask_engine.run_on_dask([str(marker), *INPUTS], scheduler=cluster, options={},
                                           task=dies_on_marker))
    assert time.monotonic() - t0 < 120
    assert len(results) == len(INPUTS) + 1
    assert reads.count(INPUTS[0]) == 2 and reads.count(INPUTS[1]) == 1      # its neighbour was sent again
    outcome = {os.path.basename(r.path): r for r in results}
    assert outcome["marker.txt"].failure is not None and "KilledWorker" in outcome["marker.txt"].failure.message_en
    assert outcome["marker.txt"].sha256                              # the ledger still gets its sha256
    for p in INPUTS:
        r = outcome[os.path.basename(p)]
        assert r.ok, (r.path, r.failure)


def test_no_scheduler_is_a_usage_error():
    env = {k: v for k, v in os.environ.items() if k != "GOVCONV_SCHEDULER"}
    p = run(INPUTS[0], "--engine", "dask", env=env)
    assert p.returncode == 2 and "--scheduler" in p.stderr.decode()
