"""Conversions on an existing dask.distributed cluster (``--engine dask``; the extra ``govconv[dask]``).

The client reads each input and sends its bytes with the task, so workers on
other machines need no shared file system, only govconv installed.  A bounded
window of tasks is in flight (memory flat in the number of inputs); results
come back in completion order.  Each conversion runs under the cooperative
deadline and memory cap in its worker.

A task carries several inputs (up to :data:`BATCH`, and :data:`BATCH_BYTES`):
a conversion takes a few milliseconds, and a task's way through the client,
the scheduler and a worker costs half as much again (CPU, measured), so one
task per input spent a third of the cluster on the way.  The client looks
ahead in the inputs and sizes each task so that the window of tasks in flight
shares what is left: near the end tasks get smaller and the workers finish
together, and a short batch is spread over all of them.  With ``render`` (the
CLI's targets) a task sends back what the target writes, not the reports.

A task lost with its worker is retried once (the scheduler's
``allowed-failures``, which docs/batch.md sets to 1).  A lost task of several
inputs is then split, each input sent again alone, so that an input that takes
its worker down costs only itself; an input lost alone twice is recorded as
failed.
"""
from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from govconv.errors import CorruptInput, UsageError
from govconv.running.batch import Failure, Render, Result, file_digest, outcome

#: tasks in flight per worker thread: one running, one waiting, so a worker never waits on the client
WINDOW_PER_THREAD = 2
#: inputs per task at most, and a bound on the bytes of the inputs a task carries
BATCH = 32
BATCH_BYTES = 4 << 20

#: what a worker runs for one input: (path, bytes or None, the client's failure to read them or None,
#: conversion options, render) -> Result
Task = Callable[[str, "bytes | None", "Failure | None", dict, "Render | None"], Result]


def convert_bytes(path: str, data: bytes | None, error: Failure | None, options: dict[str, Any],
                  render: Render | None = None) -> Result:
    """One conversion of bytes the client read (on a worker)."""
    import govconv

    if error is not None:
        return Result(path, failure=error)
    assert data is not None                 # _read gives the bytes or a failure
    return outcome(path, lambda: govconv.convert(data, name=os.path.basename(path), **options), render)


def convert_batch(task: Task, items: list[tuple[str, bytes | None, Failure | None]], options: dict[str, Any],
                  render: Render | None) -> list[Result]:
    """The task a worker runs: several inputs, one after the other."""
    return [task(path, data, error, options, render) for path, data, error in items]


def _read(path: str) -> tuple[bytes | None, Failure | None]:
    from govconv.reading.source import Source

    try:
        return Source.open(path).data, None
    except Exception as e:                  # deliberately broad: a bad input is the task's result
        return None, Failure.of(e)


def _lost(path: str, e: BaseException) -> Result:
    why = f"{type(e).__name__}: {e}"[:200]
    result = Result(path, failure=Failure.of(CorruptInput(
        f"转换任务在集群上失败或两次丢失（{why}），已记为失败",
        f"the conversion failed or was lost on the cluster twice ({why}) and is recorded as failed")))
    result.sha256, result.size = file_digest(path)
    return result


def run_on_dask(paths: Iterable[str], *, scheduler: str | None, options: dict[str, Any],
                render: Render | None = None, task: Task = convert_bytes, batch: int = BATCH) -> Iterator[Result]:
    """Results of converting ``paths`` on the cluster at ``scheduler`` (or ``GOVCONV_SCHEDULER``)."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise UsageError("--engine dask 需要安装 dask：pip install 'govconv[dask]'",
                         "--engine dask needs dask: pip install 'govconv[dask]'") from None
    address = scheduler or os.environ.get("GOVCONV_SCHEDULER")
    if not address:
        raise UsageError("--engine dask 需要 --scheduler tcp://主机:8786（或环境变量 GOVCONV_SCHEDULER）",
                         "--engine dask needs --scheduler tcp://host:8786 (or GOVCONV_SCHEDULER)")
    try:
        client = Client(address, timeout="15s")
    except (OSError, TimeoutError) as e:
        raise UsageError(f"无法连接 dask 调度器 {address}（{e}）",
                         f"cannot reach the dask scheduler {address} ({e})") from None
    options = {k: v for k, v in options.items() if k != "registry"}
    try:
        window = WINDOW_PER_THREAD * (sum(client.nthreads().values()) or 1)
        todo = iter(paths)
        ahead: deque[str] = deque()        # paths looked ahead at (only their names are held)
        flying: dict[Any, list[str]] = {}
        done = as_completed()

        def send(items: list[tuple[str, bytes | None, Failure | None]]) -> None:
            future = client.submit(convert_batch, task, items, options, render, retries=1, pure=False)
            flying[future] = [path for path, _data, _error in items]
            done.add(future)

        def submit() -> bool:
            """Send the next task; False when no input is left."""
            while len(ahead) < window * batch and (path := next(todo, None)) is not None:
                ahead.append(path)
            size = min(batch, -(-len(ahead) // window))          # the window shares what is left
            items: list[tuple[str, bytes | None, Failure | None]] = []
            nbytes = 0
            while ahead and len(items) < size and nbytes < BATCH_BYTES:
                path = ahead.popleft()
                data, error = _read(path)
                items.append((path, data, error))
                nbytes += len(data or b"")
            if items:
                send(items)
            return bool(items)

        while len(flying) < window and submit():
            pass
        for future in done:
            sent = flying.pop(future)
            try:
                results = future.result()
            except Exception as e:          # deliberately broad: lost twice (KilledWorker), or the task failed
                if len(sent) > 1:           # one of them may be the cause: each goes again, alone
                    for path in sent:
                        send([(path, *_read(path))])
                    results = []
                else:
                    results = [_lost(sent[0], e)]
            future.release()
            yield from results
            while len(flying) < window and submit():
                pass
    finally:
        client.close()
