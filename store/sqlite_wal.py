"""Opening a SQLite file in WAL mode while other processes may be opening it too."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path


def connect_wal(path: Path, timeout_s: float, synchronous: str) -> sqlite3.Connection:
    """Return an autocommit connection to `path`, in WAL mode, with `synchronous` set.

    Processes that open a new file at once (gunicorn's workers on a first start) race to
    switch it to WAL, and SQLite may answer "database is locked" at once, without waiting
    for the busy timeout: the switch is tried again until timeout_s has passed.
    """
    db = sqlite3.connect(path, timeout=timeout_s, isolation_level=None)
    deadline = time.monotonic() + timeout_s
    pause = 0.005
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                db.close()
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.1)
    db.execute(f"PRAGMA synchronous={synchronous}")
    return db
