"""Connections to PostgreSQL: a psycopg pool per process, never shared across a fork.

gunicorn makes the app (and its store) once, then forks its workers; tests fork writers.
A connection is a socket: a child writing to its parent's would interleave their
messages. So a child drops every connection it inherited, and opens its own pool on
first use. Dropping means pointing the inherited socket at /dev/null first, so that
closing it later tells the server nothing and the parent's session goes on.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
import weakref
from collections.abc import Iterator

import orjson
import psycopg
from psycopg.types.json import set_json_loads
from psycopg_pool import ConnectionPool

from store.errors import DiskFull, StoreError

POOL_SIZE = 10
# A connection given back less than this many seconds ago is lent again unchecked: the
# check is a round trip, and a page borrows a connection several times (a third of the
# public form's statements were checks). One used longer ago is checked, as the server
# may have closed it meanwhile.
CHECK_AFTER_IDLE = 5.0
# The same patience as the TinyDB backend's file locks (store/storage.py).
LOCK_TIMEOUT = "60s"

_LIVE: weakref.WeakSet[Connections] = weakref.WeakSet()
_ORPHANS: list[object] = []  # inherited pools, kept so that nothing tears them down
_hooked = False


def _after_fork_in_child() -> None:
    for connections in list(_LIVE):
        connections.forget_inherited()


def _hook_fork() -> None:
    global _hooked
    if not _hooked:
        os.register_at_fork(after_in_child=_after_fork_in_child)
        _hooked = True


def _detach(conn: psycopg.Connection) -> None:
    with contextlib.suppress(Exception):
        fd = conn.pgconn.socket
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(devnull, fd)
        os.close(devnull)


@contextlib.contextmanager
def db_errors() -> Iterator[None]:
    """Turn the driver's errors into StoreError: callers never see a psycopg type."""
    try:
        yield
    except psycopg.errors.DiskFull as exc:  # the server's disk: its transaction is undone
        raise DiskFull(pending=False) from exc
    except psycopg.errors.LockNotAvailable as exc:
        raise StoreError(f"could not get a lock within {LOCK_TIMEOUT}: {exc}") from exc
    except psycopg.Error as exc:
        raise StoreError(f"PostgreSQL: {exc}") from exc


def connect(url: str) -> psycopg.Connection:
    """Open one connection outside any pool (start-up, migrations): errors say why."""
    with db_errors():
        conn = psycopg.connect(url, autocommit=True, connect_timeout=10)
    _configure(conn)
    return conn


def _configure(conn: psycopg.Connection) -> None:
    set_json_loads(orjson.loads, conn)
    conn.execute(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
    # JIT compiles any plan estimated past jit_above_cost: the index look-ups of a tally
    # (queries._skip_scan), estimated in millions, spent 0.6 s compiling to run in 60 ms.
    conn.execute("SET jit = off")


def close_all() -> None:
    """Close every pool this process opened (the tests' teardown; a process exiting)."""
    for connections in list(_LIVE):
        connections.close()


class Connections:
    """The pool of one store in the current process."""

    def __init__(self, url: str, size: int = POOL_SIZE):
        self._url = url
        self._size = size
        self._pool: ConnectionPool | None = None
        self._pid = 0
        self._made: weakref.WeakSet[psycopg.Connection] = weakref.WeakSet()
        self._returned: weakref.WeakKeyDictionary[psycopg.Connection, float] = (
            weakref.WeakKeyDictionary()
        )
        self._lock = threading.Lock()
        _LIVE.add(self)
        _hook_fork()

    def _on_connect(self, conn: psycopg.Connection) -> None:
        _configure(conn)
        self._made.add(conn)

    def _check(self, conn: psycopg.Connection) -> None:
        if time.monotonic() - self._returned.get(conn, -CHECK_AFTER_IDLE) < CHECK_AFTER_IDLE:
            return
        ConnectionPool.check_connection(conn)

    def _current(self) -> ConnectionPool:
        with self._lock:
            if self._pool is None or self._pid != os.getpid():
                self._pool = ConnectionPool(
                    self._url,
                    min_size=1,
                    max_size=self._size,
                    kwargs={"autocommit": True},
                    configure=self._on_connect,
                    check=self._check,
                    name="rifd",
                    open=True,
                )
                self._pid = os.getpid()
            return self._pool

    @contextlib.contextmanager
    def connection(self) -> Iterator[psycopg.Connection]:
        """Lend a connection (autocommit) for the block, driver errors as StoreError."""
        with db_errors(), self._current().connection() as conn:
            try:
                yield conn
            finally:
                self._returned[conn] = time.monotonic()

    def forget_inherited(self) -> None:
        """In a forked child: let go of the parent's connections without closing them."""
        for conn in list(self._made):
            _detach(conn)
        if self._pool is not None:
            _ORPHANS.append(self._pool)
        self._pool, self._pid = None, 0
        self._made = weakref.WeakSet()
        self._returned = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def close(self) -> None:
        """Close this process's pool (the store opens a new one if used again)."""
        with self._lock:
            if self._pool is not None and self._pid == os.getpid():
                self._pool.close()
            self._pool = None
