"""The SQLite file of derived data: its schema, one connection per process and thread, its steps.

    <root>/_index/index.sqlite3

It holds what can be rebuilt from the shard files and is therefore left out of backups:
the index rows and the counts kept from them (store/indexes.py), and where each record
lies inside its shard (store/places.py). Every change is one step: a transaction that
commits whole or not at all.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from store.layout import INDEX_DIR
from store.sqlite_wal import connect_wal
from store.storage import ensure_dir

INDEX_FILE = "index.sqlite3"
WAIT_MS = 60_000
_SCHEMA = """
CREATE TABLE IF NOT EXISTS declared (pattern TEXT NOT NULL, field TEXT NOT NULL,
    PRIMARY KEY (pattern, field));
CREATE TABLE IF NOT EXISTS built (collection TEXT NOT NULL, field TEXT NOT NULL,
    PRIMARY KEY (collection, field));
CREATE TABLE IF NOT EXISTS rows (collection TEXT NOT NULL, field TEXT NOT NULL,
    value NOT NULL, id INTEGER NOT NULL,
    PRIMARY KEY (collection, field, value, id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS rows_by_id ON rows (collection, id);
CREATE INDEX IF NOT EXISTS rows_in_order ON rows (collection, field, id);
CREATE TABLE IF NOT EXISTS declared_text (pattern TEXT NOT NULL PRIMARY KEY, fields TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS built_text (collection TEXT NOT NULL PRIMARY KEY, tab TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS counts (collection TEXT NOT NULL, field TEXT NOT NULL,
    value NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY (collection, field, value)) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS row_added AFTER INSERT ON rows BEGIN
    INSERT INTO counts VALUES (new.collection, new.field, new.value, 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS row_removed AFTER DELETE ON rows BEGIN
    UPDATE counts SET n = n - 1
        WHERE collection = old.collection AND field = old.field AND value = old.value;
    DELETE FROM counts
        WHERE collection = old.collection AND field = old.field AND value = old.value
        AND n <= 0;
END;
CREATE TABLE IF NOT EXISTS places (collection TEXT NOT NULL, shard INTEGER NOT NULL,
    mtime INTEGER NOT NULL, size INTEGER NOT NULL, inode INTEGER NOT NULL,
    records INTEGER NOT NULL, spans BLOB NOT NULL,
    PRIMARY KEY (collection, shard)) WITHOUT ROWID;
"""
# The counts are kept by the triggers above, in the same transaction as the rows they
# count, so they always equal a GROUP BY of the rows. A file made before they existed
# has rows and no counts: they are counted once, when a process first opens it.
COUNTED = 1  # PRAGMA user_version once the counts hold every row


class IndexFile:
    """One data folder's SQLite file of derived data."""

    def __init__(self, root: Path):
        self.path = root / INDEX_DIR / INDEX_FILE
        self._local = threading.local()

    def db(self, create: bool = True) -> sqlite3.Connection | None:
        """Return this process and thread's connection; None if the file is not there
        and create is False (a folder no app opened keeps no index file)."""
        # A connection must not cross a fork (gunicorn forks after the app is made) nor,
        # by default, a thread: one per process and thread.
        held = getattr(self._local, "db", None)
        if held is not None and held[0] == os.getpid():
            return held[1]
        if not create and not self.path.exists():
            return None
        ensure_dir(self.path.parent)
        db = connect_wal(self.path, WAIT_MS / 1000, "FULL")
        db.executescript(_SCHEMA)
        if db.execute("PRAGMA user_version").fetchone()[0] < COUNTED:
            _count_rows(db)
        self._local.db = (os.getpid(), db)
        return db

    @contextmanager
    def step(self, *, durable: bool = True) -> Iterator[sqlite3.Connection]:
        """Yield the connection inside one write transaction, committed at the end.

        durable=False for a step that holds only what a reader checks before using it
        (the places): it may be lost in a power cut, so its commit skips the fsync.
        """
        db = self.db()
        with _transaction(db, durable=durable):
            yield db

    @contextmanager
    def try_step(self, wait_ms: int = 50) -> Iterator[sqlite3.Connection | None]:
        """Like step(durable=False), but yield None rather than wait for a writer longer
        than wait_ms (a reader's repair is not worth a wait), or if there is no file."""
        db = self.db(create=False)
        with ExitStack() as stack:
            try:
                if db is not None:
                    stack.enter_context(_transaction(db, durable=False, wait_ms=wait_ms))
            except sqlite3.OperationalError:  # the database is locked
                db = None
            yield db


@contextmanager
def _transaction(db: sqlite3.Connection, *, durable: bool, wait_ms: int = WAIT_MS):
    if not durable:
        db.execute("PRAGMA synchronous=NORMAL")
    try:
        db.execute(f"PRAGMA busy_timeout = {int(wait_ms)}")
        try:
            db.execute("BEGIN IMMEDIATE")
        finally:
            db.execute(f"PRAGMA busy_timeout = {WAIT_MS}")
        try:
            yield
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
    finally:
        if not durable:
            db.execute("PRAGMA synchronous=FULL")


def _count_rows(db: sqlite3.Connection) -> None:
    with _transaction(db, durable=True):
        if db.execute("PRAGMA user_version").fetchone()[0] < COUNTED:
            db.execute("DELETE FROM counts")
            db.execute(
                "INSERT INTO counts SELECT collection, field, value, count(*) FROM rows"
                " GROUP BY collection, field, value"
            )
            db.execute(f"PRAGMA user_version = {COUNTED}")
