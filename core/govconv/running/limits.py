"""A time limit for reading one file, so that a hostile input ends with a message, not a hang."""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager

from govconv.errors import InputTimeout


@contextmanager
def time_limit(seconds: float | None, path: str | None = None):
    """Raise :class:`InputTimeout` when the body runs longer than ``seconds``.

    Uses SIGALRM, so it works in the main thread of a POSIX process (the CLI);
    elsewhere (an embedding app's worker thread) the body runs unlimited.
    """
    usable = (seconds and seconds > 0 and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return

    def expire(signum, frame):
        raise InputTimeout(f"读取超过 {seconds:g} 秒的时间限制，已停止",
                           f"reading took longer than the {seconds:g} s time limit and was stopped", path=path)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
