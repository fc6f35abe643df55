"""One deadline and one memory cap for the whole conversion of an input.

Two mechanisms keep one promise: a hostile input ends with its own exit code
and a message, on time, and nothing else is disturbed.

* **Cooperative** — :func:`budget` opens a budget (seconds, bytes) in a context
  variable; every long loop of govconv and of its plugins calls
  :func:`checkpoint`, which raises :class:`~govconv.errors.InputTimeout` past
  the deadline and :class:`~govconv.errors.MemoryLimit` when the process has
  grown by more than the cap since the budget opened.  No signal and no timer
  is used, so it works the same in the main thread, in worker threads and in
  worker processes, and never touches an embedding application's handlers.
* **Supervised** — :func:`run_supervised` runs a function in a child process
  (forked where the platform can) whose address space is capped, and kills it
  when it overruns the deadline: a library stuck in C code, or in a loop that
  has no checkpoint, still ends on time.  The CLI converts every input this way.
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from govconv.errors import CorruptInput, GovconvError, InputTimeout, MemoryLimit

DEFAULT_TIMEOUT = 60.0                  # seconds for one input: load, layout, checks
DEFAULT_MAX_MEMORY = 1024 * 1024 * 1024  # bytes one conversion may add to the process
#: a supervised child is given this long past the deadline to say so itself before it is killed
GRACE = 1.0
_MEMORY_EVERY = 64                      # checkpoints between two looks at the process size
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def resident_bytes() -> int | None:
    """The process's resident memory now (Linux /proc; None where it cannot be read)."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return None


@dataclass
class Budget:
    seconds: float | None
    max_memory: int | None
    path: str | None = None

    def __post_init__(self) -> None:
        self.deadline = time.monotonic() + self.seconds if self.seconds and self.seconds > 0 else None
        self.base = resident_bytes() if self.max_memory else None
        self._count = 0

    def check(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise timeout_error(self.seconds, self.path)
        if self.base is not None and self.max_memory is not None:     # base is set only with a limit
            self._count += 1
            if self._count % _MEMORY_EVERY == 0:
                now = resident_bytes()
                if now is not None and now - self.base > self.max_memory:
                    raise memory_error(self.max_memory, self.path)


_current: ContextVar[Budget | None] = ContextVar("govconv_budget", default=None)


def timeout_error(seconds: float | None, path: str | None) -> InputTimeout:
    return InputTimeout(f"转换超过 {seconds:g} 秒的时间限制，已停止（--timeout）",
                        f"the conversion took longer than the {seconds:g} s time limit and was stopped "
                        f"(--timeout)", path=path)


def memory_error(limit: int | None, path: str | None) -> MemoryLimit:
    mb = (limit or 0) / (1024 * 1024)
    return MemoryLimit(f"转换所需内存超过 {mb:g} MB 的上限，已停止（--max-memory）",
                       f"the conversion needed more than the {mb:g} MB memory cap and was stopped "
                       f"(--max-memory)", path=path)


@contextmanager
def budget(seconds: float | None = DEFAULT_TIMEOUT, max_memory: int | None = DEFAULT_MAX_MEMORY,
           path: str | None = None) -> Iterator[Budget]:
    """Open a budget for the body: :func:`checkpoint` inside it enforces both limits.

    A budget opened inside another keeps the earlier deadline when it is sooner.
    A MemoryError inside the body becomes :class:`MemoryLimit`.
    """
    outer = _current.get()
    b = Budget(seconds, max_memory, path)
    if outer is not None and outer.deadline is not None and (b.deadline is None or outer.deadline < b.deadline):
        b.deadline, b.seconds = outer.deadline, outer.seconds
    token = _current.set(b)
    try:
        yield b
    except MemoryError:
        raise memory_error(max_memory, path) from None
    finally:
        _current.reset(token)


def checkpoint() -> None:
    """Raise when the conversion under way is past its deadline or over its memory cap.

    Cheap (a clock read); call it in every loop whose length the input decides.
    """
    b = _current.get()
    if b is not None:
        b.check()


# -- the supervised child --------------------------------------------------------------

def can_supervise() -> bool:
    return hasattr(os, "fork")


def _child(write_fd: int, fn: Callable[..., Any], args: tuple, kwargs: dict, max_memory: int | None) -> None:
    """In the forked child: run ``fn``, send ``(kind, value)`` pickled down the pipe, and leave."""
    import faulthandler
    import pickle

    faulthandler.disable()        # a crash is reported by the parent, in one line
    if max_memory:
        cap_address_space(max_memory)
    try:
        result = ("ok", fn(*args, **kwargs))
    except GovconvError as e:
        result = ("error", e)
    except MemoryError:
        result = ("error", memory_error(max_memory, kwargs.get("name")))
    except BaseException as e:        # a bug: carried to the parent, which reports it
        result = ("bug", f"{type(e).__name__}: {e}")
    try:
        data = pickle.dumps(result, pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        data = pickle.dumps(("error", memory_error(max_memory, None)))
    except Exception as e:            # an unpicklable result is a bug of ours
        data = pickle.dumps(("bug", f"{type(e).__name__}: {e}"))
    with open(write_fd, "wb") as pipe:
        pipe.write(data)


def _read_until(fd: int, deadline: float | None) -> bytes | None:
    """Everything written to ``fd`` until the writer closes it; None when ``deadline`` passes first."""
    import select

    chunks: list[bytes] = []
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLHUP)
    while True:
        left = None if deadline is None else max(0.0, deadline - time.monotonic())
        if not poller.poll(None if left is None else int(left * 1000) + 1):
            if deadline is not None and time.monotonic() >= deadline:
                return None
            continue
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def cap_address_space(max_memory: int) -> None:
    """Cap this process's address space at its size now plus ``max_memory`` (a worker's hard limit)."""
    try:
        import resource

        size = _virtual_bytes()
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if size is not None:
            cap = size + max_memory
            if hard == resource.RLIM_INFINITY or cap < hard:
                resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ImportError, ValueError, OSError):
        pass


def _virtual_bytes() -> int | None:
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[0]) * _PAGE
    except (OSError, ValueError, IndexError):
        return None


def died_error(code: int | None, max_memory: int | None, path: str | None) -> GovconvError:
    """The error for a child that ended without its result (``code``: its exit code, minus the signal
    that ended it): the kernel's kill (SIGKILL: memory) or a crash."""
    if code == -9:
        return memory_error(max_memory, path)
    return CorruptInput(f"读取该文件的进程异常退出（{code}），文件可能已损坏或是恶意构造的",
                        f"the process reading the file died ({code}); the file may be damaged or hostile", path=path)


def _reap(pid: int) -> None:
    """Make sure the child is gone: killed if it still runs, and waited for."""
    try:
        if os.waitpid(pid, os.WNOHANG) == (0, 0):
            os.kill(pid, 9)
            os.waitpid(pid, 0)
    except ChildProcessError:
        pass


class WorkerCrash(Exception):
    """The supervised function raised something that is not a GovconvError (a bug)."""


def run_supervised(fn: Callable[..., Any], *args: Any, timeout: float | None = DEFAULT_TIMEOUT,
                   max_memory: int | None = DEFAULT_MAX_MEMORY, path: str | None = None, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)`` in a child process, killed past ``timeout`` (+ a grace second).

    The child's address space is capped at its size when forked plus
    ``max_memory``.  Returns fn's result (it must pickle); raises the child's
    :class:`GovconvError`, or InputTimeout / MemoryLimit / CorruptInput when the
    child overran, ran out of memory or died (a crash of a reading library is
    the input's doing); a bug in the child raises :class:`WorkerCrash`.
    """
    import pickle

    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:                                        # the child: never returns into the caller's code
        code = 0
        try:
            os.close(read_fd)
            _child(write_fd, fn, args, kwargs, max_memory)
        except BaseException:                           # nothing may escape into the parent's stack
            code = 70
        finally:
            os._exit(code)
    os.close(write_fd)
    status = None
    try:
        deadline = None if not timeout or timeout <= 0 else time.monotonic() + timeout + GRACE
        data = _read_until(read_fd, deadline)
        if data is None:
            raise timeout_error(timeout, path)
        try:
            kind, value = pickle.loads(data)
        except Exception:                               # nothing, or a part: it died before it had said all
            status = os.waitpid(pid, 0)[1]
            raise died_error(os.waitstatus_to_exitcode(status), max_memory, path) from None
    finally:
        os.close(read_fd)
        if status is None:
            _reap(pid)
    if kind == "ok":
        return value
    if kind == "error":
        raise value
    raise WorkerCrash(value)
