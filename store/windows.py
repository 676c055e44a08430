"""Sliding-window hit counts that every worker process sees: sign-in lock-outs, rate limits.

A count kept in one process's memory is a count per gunicorn worker: with four
workers a name took 20 wrong passwords before its lock. These counts live in the
data folder instead, in one SQLite file under _locks/limits/ (left out of backups,
like the locks): a row per hit let through, with its key stored only as a hash.

They need not survive a power cut: a count lost then costs a client at most one
window's hits again. So the file is written without waiting for the disk (WAL,
synchronous=NORMAL: a commit is a write to the log, no fsync; SQLite still keeps
the file whole through a crash, and at worst forgets the last commits). Sixteen
JSON files, each replaced and fsynced twice per public answer, cost four of the
thirteen fsyncs of a survey's answer (docs/performance.md).

Each hit drops the hits that have left their window, so the file holds the hits
of the last window (an hour at most), never the whole history.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from store.sqlite_wal import connect_wal
from store.storage import ensure_dir

FILE = "windows.sqlite3"
WAIT_S = 30.0
_SCHEMA = """
CREATE TABLE IF NOT EXISTS hits (key TEXT NOT NULL, at REAL NOT NULL, until REAL NOT NULL);
CREATE INDEX IF NOT EXISTS hits_of_key ON hits (key, at);
CREATE INDEX IF NOT EXISTS hits_ending ON hits (until);
"""


class SlidingWindows:
    """Count hits per key over a sliding window, shared by every process on one folder."""

    def __init__(self, folder: Path, clock: Callable[[], float] = time.time) -> None:
        # Wall-clock time, not monotonic: the stamps are compared across processes.
        self._folder = folder
        self._clock = clock
        self._local = threading.local()

    def hit(self, key: str, limit: int, per_seconds: int) -> bool:
        """Record a hit on `key` and return True, or return False if it is over the limit.

        Refused hits are not recorded, so a client that waits regains access as its
        earlier hits leave the window, however often it was refused meanwhile.
        """
        now, name = self._clock(), _hashed(key)
        with self._step(now) as db:
            (seen,) = db.execute(
                "SELECT count(*) FROM hits WHERE key = ? AND at > ?", (name, now - per_seconds)
            ).fetchone()
            allowed = seen < limit
            if allowed:
                db.execute("INSERT INTO hits VALUES (?, ?, ?)", (name, now, now + per_seconds))
        return allowed

    def reset(self, key: str) -> None:
        """Forget every hit on `key` (after a successful sign-in, say)."""
        with self._step(self._clock()) as db:
            db.execute("DELETE FROM hits WHERE key = ?", (_hashed(key),))

    @contextmanager
    def _step(self, now: float) -> Iterator[sqlite3.Connection]:
        """Yield the connection in one write transaction, the hits past their window gone."""
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("DELETE FROM hits WHERE until <= ?", (now,))
            yield db
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _db(self) -> sqlite3.Connection:
        # One connection per process and thread: gunicorn forks after the app is made.
        held = getattr(self._local, "db", None)
        if held is not None and held[0] == os.getpid():
            return held[1]
        ensure_dir(self._folder)
        db = connect_wal(self._folder / FILE, WAIT_S, "NORMAL")
        db.executescript(_SCHEMA)
        self._local.db = (os.getpid(), db)
        return db


def _hashed(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
