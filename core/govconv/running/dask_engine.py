"""Conversions on an existing dask.distributed cluster (``--engine dask``; the extra ``govconv[dask]``).

The client reads each input and sends its bytes with the task, so workers on
other machines need no shared file system, only govconv installed.  A bounded
window of tasks is in flight (memory flat in the number of inputs); results
come back in completion order.  Each conversion runs under the cooperative
deadline and memory cap in its worker; a task lost with its worker is retried
once, then recorded as failed.
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from govconv.errors import CorruptInput, UsageError
from govconv.running.batch import Failure, Result, file_digest

#: tasks in flight per worker thread
WINDOW_PER_THREAD = 4


def convert_bytes(path: str, data: bytes | None, error: Failure | None, options: dict[str, Any]) -> Result:
    """The task a worker runs: one conversion of bytes the client read."""
    import govconv

    if error is not None:
        return Result(path, failure=error)
    t0 = time.monotonic()
    result = Result(path)
    try:
        assert data is not None                 # _read gives the bytes or a failure
        report = govconv.convert(data, name=os.path.basename(path), **options)
        result.report, result.sha256, result.size = report, report.source.sha256, report.source.size
    except Exception as e:                  # deliberately broad: every outcome is a value
        result.failure = Failure.of(e)
    result.seconds = time.monotonic() - t0
    return result


def _read(path: str) -> tuple[bytes | None, Failure | None]:
    from govconv.reading.source import Source

    try:
        return Source.open(path).data, None
    except Exception as e:                  # deliberately broad: a bad input is the task's result
        return None, Failure.of(e)


def run_on_dask(paths: Iterable[str], *, scheduler: str | None, options: dict[str, Any],
                task: Callable[..., Result] = convert_bytes) -> Iterator[Result]:
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
        threads = sum(client.nthreads().values()) or 1
        window = WINDOW_PER_THREAD * threads
        todo = iter(paths)
        flying: dict[Any, str] = {}
        done = as_completed()

        def submit() -> bool:
            path = next(todo, None)
            if path is None:
                return False
            data, error = _read(path)
            future = client.submit(task, path, data, error, options, retries=1, pure=False)
            flying[future] = path
            done.add(future)
            return True

        while len(flying) < window and submit():
            pass
        for future in done:
            path = flying.pop(future)
            try:
                result = future.result()
            except Exception as e:          # deliberately broad: lost twice (KilledWorker), or the task failed
                why = f"{type(e).__name__}: {e}"[:200]
                result = Result(path, failure=Failure.of(CorruptInput(
                    f"转换任务在集群上失败或两次丢失（{why}），已记为失败",
                    f"the conversion failed or was lost on the cluster twice ({why}) and is recorded as failed")))
                result.sha256, result.size = file_digest(path)
            future.release()
            yield result
            submit()
    finally:
        client.close()
