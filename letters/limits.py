"""The time and memory one letter's render may spend, wherever it runs.

A template is a quality officer's work, checked at upload, but Jinja is a
language: nested loops, string doubling or big numbers pass any static check.
So every render runs inside `guarded()`:

- the sandbox (letters/sandbox.py) charges what it builds (text, lists, loop
  items, output) to a budget of RIFD_RENDER_MB megabytes, and checks the clock
  at every call, loop item and operator: the cheap guard that catches the
  known cases first;
- a watchdog timer raises `Overrun` inside the rendering thread itself when
  RIFD_RENDER_SECONDS have passed (CPython's asynchronous exception), so a
  request thread, a bulk job's background thread and the command line are
  all stopped, even in code the sandbox does not see.

The budget counts what the template makes, not the process's memory: an
operating-system limit (RLIMIT_AS) would need the render in a child process.
"""

from __future__ import annotations

import ctypes
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

DEFAULT_SECONDS = 3.0
DEFAULT_MB = 32
MB = 1024 * 1024


class Overrun(Exception):  # noqa: N818  (a state, raised into a thread: not an "...Error")
    """The render went over its time or memory budget."""


def _setting(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, "") or default)
    except ValueError:
        return default
    return value if value > 0 else default


def seconds() -> float:
    """Return the wall-clock seconds a render may take (RIFD_RENDER_SECONDS)."""
    return _setting("RIFD_RENDER_SECONDS", DEFAULT_SECONDS)


def megabytes() -> float:
    """Return the megabytes a render may build (RIFD_RENDER_MB)."""
    return _setting("RIFD_RENDER_MB", DEFAULT_MB)


@dataclass
class Budget:
    """What is left of one render's allowance: a deadline and a number of bytes."""

    deadline: float
    left: int

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise Overrun("time")

    def charge(self, size: int) -> None:
        """Count `size` bytes about to be built; refuse once the allowance is spent."""
        self.left -= max(size, 0)
        if self.left < 0:
            raise Overrun("memory")
        self.tick()


_LOCAL = threading.local()


def current() -> Budget | None:
    """Return the budget of the render running on this thread, if any."""
    return getattr(_LOCAL, "budget", None)


class _Watchdog:
    """Raise Overrun in thread `ident` once `after` seconds have passed, unless stopped."""

    def __init__(self, ident: int, after: float):
        self._ident = ident
        self._lock = threading.Lock()
        self._armed = True
        self._fired = False
        self._timer = threading.Timer(after, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _raise_in_thread(self, exc) -> None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self._ident), exc)

    def _fire(self) -> None:
        with self._lock:
            if self._armed:
                self._fired = True
                self._raise_in_thread(ctypes.py_object(Overrun))

    def stop(self) -> None:
        # Under the lock: after this nothing is raised, and one already pending is
        # cleared, so the exception can never surface outside the render.
        with self._lock:
            self._armed = False
            if self._fired:
                self._raise_in_thread(None)
        self._timer.cancel()


@contextmanager
def guarded() -> Iterator[Budget]:
    """Run the block under a fresh budget; it raises Overrun when the budget is spent."""
    if current() is not None:  # already inside a render: one budget for the whole
        yield current()
        return
    allowed = seconds()
    budget = Budget(time.monotonic() + allowed, int(megabytes() * MB))
    _LOCAL.budget = budget
    # A little after the deadline: the sandbox's own checks say it first when they can.
    watchdog = _Watchdog(threading.get_ident(), allowed + 0.25)
    try:
        yield budget
    finally:
        # The budget goes first: a watchdog firing while stop() is entered raises
        # here, and the thread's next render must not inherit a spent budget.
        _LOCAL.budget = None
        watchdog.stop()
