"""Converting many inputs: expanding them, a pool of supervised workers, results as they complete.

    for result in govconv.convert_many(["crawl/", "extra/*.pdf"], jobs=4):
        if result.ok: ...result.report...
        else: ...result.failure.exit_code, result.failure.message...

* :func:`expand_inputs` turns files, directories (recursive, by the formats the
  installed loaders accept), quoted globs and list files into paths.
* :class:`LocalPool` keeps N long-lived worker processes.  Each input runs
  under the whole-conversion deadline and memory cap; a worker that overruns
  is killed, and one that crashes or is killed costs that input only: it is
  replaced and the batch goes on.
* Results come back in completion order, failures as values (:class:`Failure`),
  so a caller can stream them into a target with memory flat in the number of
  inputs.

The CLI's targets pass ``render`` (internal): the worker then turns the report
into what the target writes (a JSON line, an output file's bytes) and sends
back that and the little the ledger needs, not the report.  The parent only
writes, so with as many workers as cores it takes almost no core from them;
unpickling a report and rendering it in the parent costs about a tenth of a
conversion (docs/performance.md, "Batches").
"""
from __future__ import annotations

import glob
import hashlib
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govconv.errors import ExitCode, GovconvError, InputNotFound
from govconv.model.report import Report
from govconv.running.limits import (DEFAULT_MAX_MEMORY, DEFAULT_TIMEOUT, GRACE, cap_address_space, died_error,
                                    memory_error, timeout_error)

_GLOB_CHARS = set("*?[")


@dataclass
class Failure:
    """Why an input was not converted: its exit code and a message in Chinese and English."""

    exit_code: int
    kind: str
    message_zh: str
    message_en: str

    @property
    def message(self) -> str:
        return f"{self.message_zh} / {self.message_en}"

    @classmethod
    def of(cls, e: BaseException) -> "Failure":
        if isinstance(e, GovconvError):
            return cls(e.exit_code, e.kind, e.zh, e.en)
        return cls(ExitCode.INTERNAL, "internal", f"内部错误（{type(e).__name__}: {e}），请报告此问题",
                   f"internal error ({type(e).__name__}: {e}); please report it")


#: what a worker makes of a report for the target (``render``); it must pickle, and it runs in the worker
Render = Callable[[Report], Any]


@dataclass
class Result:
    """One input's outcome: a report (or, with ``render``, its ``output``), or a failure."""

    path: str
    report: Report | None = None
    failure: Failure | None = None
    seconds: float = 0.0
    sha256: str | None = None
    size: int | None = None
    skipped: bool = False          # --resume: already converted in the target
    layout: str | None = None      # the report's layout, and how many findings it has: for the ledger and
    findings: int = 0              # the summary, which then need no report
    output: Any = None             # what ``render`` made of the report in the worker (then ``report`` is None)

    @property
    def ok(self) -> bool:
        return self.failure is None and not self.skipped


# -- inputs --------------------------------------------------------------------------------

def expand_inputs(inputs: Iterable[str], extensions: Iterable[str], from_list: str | None = None,
                  stdin=None) -> Iterator[str]:
    """Paths to convert, in order, each once.

    A directory yields the files below it whose extension an installed loader
    reads; a pattern with ``*``, ``?`` or ``[`` that names no file is a glob
    (``**`` recurses); ``from_list`` is a file of paths, one a line (``-``:
    standard input).  Anything else is yielded as is: a path that does not
    exist fails on its own, without stopping the others.
    """
    exts = {e.lower().lstrip(".") for e in extensions}
    seen: set[str] = set()

    def once(path: str) -> Iterator[str]:
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            yield path

    def listed() -> Iterator[str]:
        if from_list is None:
            return
        f = (stdin or sys.stdin) if from_list == "-" else open(from_list, encoding="utf-8", errors="replace")
        try:
            for line in f:
                line = line.rstrip("\r\n")
                if line.strip():
                    yield line
        finally:
            if f is not (stdin or sys.stdin):
                f.close()

    def below(folder: str) -> Iterator[str]:
        for root, dirs, files in os.walk(folder):
            dirs.sort()
            for name in sorted(files):
                if Path(name).suffix.lower().lstrip(".") in exts:
                    yield from once(os.path.join(root, name))

    for item in [*inputs, *listed()]:
        if os.path.isdir(item):
            yield from below(item)
        elif not os.path.exists(item) and _GLOB_CHARS & set(item):
            for path in sorted(glob.glob(item, recursive=True)):
                yield from below(path) if os.path.isdir(path) else once(path)
        else:
            yield from once(item)


def file_digest(path: str) -> tuple[str | None, int | None]:
    """(sha256, size) of a file, or (None, None) when it cannot be read."""
    h = hashlib.sha256()
    size = 0
    try:
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
                size += len(chunk)
    except OSError:
        return None, None
    return h.hexdigest(), size


# -- one conversion, in a worker -------------------------------------------------------------

def outcome(path: str, convert: Callable[[], Report], render: Render | None = None) -> Result:
    """``convert()`` as a :class:`Result`: every outcome a value, timed; ``render`` applied to the report.

    Shared by the local workers and the Dask tasks.  A report that ``render``
    fails on is a failure too: the target could not have written it.
    """
    t0 = time.monotonic()
    result = Result(path)
    try:
        report = convert()
        output = None if render is None else render(report)
    except BaseException as e:          # deliberately broad: every outcome is a value
        if isinstance(e, (KeyboardInterrupt, SystemExit)):
            raise
        result.failure = Failure.of(e)
    else:
        result.sha256, result.size = report.source.sha256, report.source.size
        result.layout, result.findings = report.layout, len(report.findings)
        if render is None:
            result.report = report
        else:
            result.output = output
    result.seconds = time.monotonic() - t0
    return result


def convert_one(path: str, options: dict[str, Any], render: Render | None = None) -> Result:
    """One input converted in this process (a worker's task): its :class:`Result`, never an exception."""
    from govconv.running.pipeline import convert

    result = outcome(path, lambda: convert(path, **options), render)
    if result.failure is not None and result.failure.kind != InputNotFound.kind:
        result.sha256, result.size = file_digest(path)       # the ledger keeps a failed input's sha256 too
    return result


def _worker_main(conn, options: dict[str, Any], max_memory: int | None, render: Render | None = None) -> None:
    import faulthandler

    faulthandler.disable()
    if max_memory:
        cap_address_space(max_memory)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if task is None:
            return
        try:
            result = convert_one(task, options, render)
        except KeyboardInterrupt:
            return
        try:
            conn.send(result)
        except MemoryError:
            conn.send(Result(task, failure=Failure.of(memory_error(max_memory, task))))
        except Exception as e:         # a result that does not pickle is a bug of ours
            conn.send(Result(task, failure=Failure.of(e)))


def convert_supervised(path: str, options: dict[str, Any], timeout: float | None = DEFAULT_TIMEOUT,
                       max_memory: int | None = DEFAULT_MAX_MEMORY) -> Result:
    """One input's :class:`Result`, converted in one supervised child (what a single input needs:
    no pool to start); a child that overran, ran out of memory or died is the input's failure."""
    from govconv.running.limits import WorkerCrash, run_supervised

    t0 = time.monotonic()
    try:
        return run_supervised(convert_one, path, dict(options, timeout=timeout, max_memory=max_memory),
                              timeout=timeout, max_memory=max_memory, path=path)
    except (GovconvError, WorkerCrash) as e:
        result = Result(path, failure=Failure.of(e), seconds=time.monotonic() - t0)
        result.sha256, result.size = file_digest(path)
        return result


# -- the local pool -------------------------------------------------------------------------------

@dataclass
class _Worker:
    proc: Any
    conn: Any
    task: str | None = None
    started: float = 0.0
    done: int = 0


@dataclass
class LocalPool:
    """N long-lived worker processes, each input supervised (deadline, memory cap, crashes)."""

    jobs: int
    options: dict[str, Any] = field(default_factory=dict)
    timeout: float | None = DEFAULT_TIMEOUT
    max_memory: int | None = DEFAULT_MAX_MEMORY
    #: a worker is replaced after this many inputs, so that memory a library keeps does not pile up
    max_tasks: int = 500
    #: what the workers send back instead of the report (see the module's documentation)
    render: Render | None = None

    def run(self, paths: Iterable[str]) -> Iterator[Result]:
        import multiprocessing
        from multiprocessing.connection import wait

        ctx = multiprocessing.get_context("fork")
        options = dict(self.options, timeout=self.timeout, max_memory=self.max_memory, isolate=False)
        todo = iter(paths)
        workers: list[_Worker] = []
        exhausted = False

        def spawn() -> _Worker:
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=_worker_main, args=(child, options, self.max_memory, self.render),
                               daemon=True)
            proc.start()
            child.close()
            w = _Worker(proc, parent)
            workers.append(w)
            return w

        def retire(w: _Worker) -> None:
            workers.remove(w)
            if w.proc.is_alive():
                w.proc.kill()
            w.proc.join(5)
            w.conn.close()

        def feed(w: _Worker) -> bool:
            nonlocal exhausted
            if exhausted:
                return False
            try:
                path = next(todo)
            except StopIteration:
                exhausted = True
                return False
            w.task, w.started = path, time.monotonic()
            w.conn.send(path)
            return True

        try:
            for _ in range(max(1, self.jobs)):
                if not feed(spawn()):
                    break
            while True:
                busy = [w for w in workers if w.task is not None]
                if not busy:
                    break
                deadline = None
                if self.timeout and self.timeout > 0:
                    deadline = min(w.started for w in busy) + self.timeout + GRACE
                ready = wait([w.conn for w in busy],
                             None if deadline is None else max(0.0, deadline - time.monotonic()))
                now = time.monotonic()
                for w in busy:
                    if w.conn in ready:
                        try:
                            result = w.conn.recv()
                        except (EOFError, OSError):
                            result = self._died(w)
                        else:
                            w.done += 1
                        w.task = None
                        if result.failure is not None and result.failure.kind in ("memory", "crash") \
                                or w.done >= self.max_tasks or not w.proc.is_alive():
                            retire(w)
                            w = spawn()
                        feed(w)           # before the result is yielded: the worker converts while it is written
                        yield result
                    elif self.timeout and self.timeout > 0 and now - w.started > self.timeout + GRACE:
                        path = w.task or ""      # a busy worker has a task
                        retire(w)
                        feed(spawn())
                        yield Result(path, failure=Failure.of(timeout_error(self.timeout, path)),
                                     seconds=now - w.started)
        finally:
            for w in list(workers):
                try:
                    w.conn.send(None)
                except (OSError, ValueError):
                    pass
            for w in list(workers):
                w.proc.join(2)
                retire(w)

    def _died(self, w: _Worker) -> Result:
        w.proc.join(5)
        failure = Failure.of(died_error(w.proc.exitcode, self.max_memory, w.task))
        if failure.kind != "memory":
            failure.kind = "crash"
        return Result(w.task or "", failure=failure, seconds=time.monotonic() - w.started)


def convert_many(inputs: Iterable[str], *, jobs: int | None = None, engine: str = "local",
                 scheduler: str | None = None, timeout: float | None = DEFAULT_TIMEOUT,
                 max_memory: int | None = DEFAULT_MAX_MEMORY, skip=None, render: Render | None = None,
                 **options: Any) -> Iterator[Result]:
    """Convert many inputs; yield a :class:`Result` for each, in completion order.

    ``inputs`` are paths (expand directories, globs and lists first with
    :func:`expand_inputs`).  ``jobs``: worker processes (default: the number
    of cores).  ``engine``: ``"local"`` (a supervised process pool) or
    ``"dask"`` (an existing dask.distributed cluster at ``scheduler``).
    ``skip(sha256) -> bool`` (``--resume``): inputs it accepts are yielded as
    skipped, unconverted.  ``render`` is internal (the CLI's targets' ``render``):
    results then carry its ``output`` instead of a ``report``.  Other keyword
    arguments go to :func:`govconv.convert`.
    """
    paths: Iterable[str] = inputs
    pending: list[Result] = []
    if skip is not None:
        paths = _unskipped(inputs, skip, pending)
    if engine == "dask":
        from govconv.running.dask_engine import run_on_dask

        results = run_on_dask(paths, scheduler=scheduler, options=dict(options, timeout=timeout,
                                                                         max_memory=max_memory), render=render)
    elif engine == "local":
        results = LocalPool(jobs or os.cpu_count() or 1, options, timeout, max_memory, render=render).run(paths)
    else:
        raise ValueError(f"unknown engine {engine!r}")
    for result in results:
        while pending:
            yield pending.pop(0)
        yield result
    while pending:
        yield pending.pop(0)


def _unskipped(inputs: Iterable[str], skip, pending: list[Result]) -> Iterator[str]:
    for path in inputs:
        sha, size = file_digest(path)
        if sha is not None and skip(sha):
            pending.append(Result(path, sha256=sha, size=size, skipped=True))
            continue
        yield path
