"""PgStore: the Store interface (store/api.py) with its records in PostgreSQL.

Records, ids, counters and declared indexes live in the database (store/postgres/
schema.py); uploaded files stay in the data folder's _files (or object storage,
store/s3.py), as with TinyDB, and the association's own forms and the secret key stay
in the data folder. Everything returned is a copy: each
read parses the row anew.

Lookups (where) are answered by SQL whether or not the key is indexed; an index only
makes them fast. A predicate is Python, so it runs here on the rows where selected.
"""

from __future__ import annotations

import fnmatch
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import orjson
import psycopg
from psycopg import sql

from store import exchange
from store.api import _check_window, _hashable, _jsonable, _matcher
from store.blobs import Files, FolderFiles, StoredFiles
from store.errors import NotFoundError, StoreError
from store.indexes import TRIGRAM, Progress, counted_by
from store.layout import FILES_DIR, LIMITS_DIR, LOCKS_DIR, check_fields, check_id, check_name
from store.postgres import dump, queries, rows, schema, texts
from store.postgres.pool import Connections, connect, db_errors
from store.postgres.transaction import PgTransaction
from store.storage import ensure_dir
from store.windows import SlidingWindows

Predicate = Callable[[Mapping], bool]
BATCH = 1000


def _masked(url: str) -> str:
    """Return url without its password, for messages and repr."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.Error:
        return "postgresql://…"
    return " ".join(f"{k}={v}" for k, v in sorted(info.items()) if k != "password")


class PgStore(StoredFiles):
    """Collections of records and counters in PostgreSQL, files in one data folder."""

    def __init__(
        self,
        root: str | os.PathLike,
        url: str,
        *,
        pool_size: int | None = None,
        files: Files | None = None,
    ):
        self.root = Path(root).absolute()
        ensure_dir(self.root)
        self.url = url
        self.files = files or FolderFiles(self.root / FILES_DIR)
        # Sign-in lock-outs and rate limits stay in the data folder, as with TinyDB: shared
        # by the workers of this machine (each machine on one database counts its own).
        self.windows = SlidingWindows(self.root / LOCKS_DIR / LIMITS_DIR)
        self._local = threading.local()
        conn = connect(url)  # fails here, with the server's reason, if it cannot connect
        try:
            with db_errors():
                self.schema = schema.migrate(conn)
        finally:
            conn.close()
        self._write_key = schema.lock_key(self.schema, schema.WRITE_LOCK)
        self._db = Connections(url, pool_size) if pool_size else Connections(url)

    def __repr__(self) -> str:
        return f"PgStore({str(self.root)!r}, {_masked(self.url)!r}, schema={self.schema!r})"

    def close(self) -> None:
        """Give the connections back to the server (a later call opens new ones)."""
        self._db.close()

    # --- writing -----------------------------------------------------------------------

    @contextmanager
    def _writing(self) -> Iterator[psycopg.Connection]:
        if getattr(self._local, "writing", False):
            raise StoreError("a write inside a transaction must go through the transaction")
        with self._db.connection() as conn, conn.transaction():
            yield conn

    @contextmanager
    def transaction(self) -> Iterator[PgTransaction]:
        """Insert, update and delete in several collections; all of it is stored or none.

        Reads through the transaction see its own changes; the store's other readers
        see them once the block ends.
        """
        with self._writing() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", [self._write_key])
            self._local.writing = True
            try:
                yield PgTransaction(conn, self.schema)
            finally:
                self._local.writing = False

    def insert(self, collection: str, record: dict) -> int:
        """Store record under a new id and return the id."""
        return self.insert_many(collection, [record])[0]

    def insert_many(self, collection: str, records: Iterable[dict]) -> list[int]:
        """Store records under new consecutive ids, in one database transaction."""
        check_name(collection)
        docs = [_jsonable(record, "record") for record in records]
        if not docs:
            return []
        with self._writing() as conn:
            fields = texts.begin(conn, self.schema, collection)
            ids = rows.allocate(conn, collection, len(docs))
            bodies = [
                (rid, {"id": rid} | {k: v for k, v in doc.items() if k != "id"})
                for rid, doc in zip(ids, docs, strict=True)
            ]
            rows.insert(conn, collection, bodies)
            texts.follow(conn, collection, fields, bodies)
        return ids

    def get(self, collection: str, rid: int) -> dict | None:
        """Return record rid, or None if there is none."""
        check_name(collection)
        with self._db.connection() as conn:
            return rows.read(conn, collection, check_id(rid))

    def update(self, collection: str, rid: int, changes: dict) -> dict:
        """Merge changes into the top level of record rid and return the new record."""
        check_name(collection)
        check_id(rid)
        changes = _jsonable(changes, "changes")
        if changes.pop("id", rid) != rid:
            raise StoreError("a record's id cannot change")
        with self._writing() as conn:
            fields = texts.begin(conn, self.schema, collection)
            current = rows.read(conn, collection, rid, lock=True)
            if current is None:
                raise NotFoundError(f"no record {rid} in {collection}")
            record = current | changes | {"id": rid}
            rows.write(conn, collection, rid, record)
            texts.follow(conn, collection, fields, [(rid, record)])
        return record

    def replace(self, collection: str, rid: int, record: dict) -> dict:
        """Replace record rid whole (keys it no longer has are gone) and return it."""
        check_name(collection)
        check_id(rid)
        record = _jsonable(record, "record")
        record.pop("id", None)
        found = {"id": rid} | record
        with self._writing() as conn:
            fields = texts.begin(conn, self.schema, collection)
            if not rows.write(conn, collection, rid, found):
                raise NotFoundError(f"no record {rid} in {collection}")
            texts.follow(conn, collection, fields, [(rid, found)])
        return found

    def delete(self, collection: str, rid: int) -> bool:
        """Delete record rid; return False if there was none. Its id is never reused."""
        check_name(collection)
        check_id(rid)
        with self._writing() as conn:
            fields = texts.begin(conn, self.schema, collection)
            if not rows.delete(conn, collection, rid):
                return False
            texts.follow(conn, collection, fields, [(rid, None)])
            return True

    def ensure_index(self, pattern: str, field: str, progress: Progress | None = None) -> None:
        """Keep an index of field ("state", "answers.national_id", "people[]") for the
        collections whose names match pattern ("cases", "submissions/*").

        The index serves every collection, present and future; progress hears of the
        collections it covered when it is first made.
        """
        self.ensure_indexes([(pattern, field)], progress)

    def ensure_indexes(
        self, wanted: Iterable[tuple[str, str]], progress: Progress | None = None
    ) -> None:
        """ensure_index for each (pattern, field), in one transaction."""
        wanted = list(wanted)
        check_fields(wanted)
        with self._db.connection() as conn:
            made = schema.ensure_indexes(conn, self.schema, wanted)
        if made and progress:
            names = self.collections()
            for pattern, field in made:
                for collection in names:
                    if fnmatch.fnmatchcase(collection, pattern):
                        total = self.count(collection)
                        progress(f"{collection}.{field}", total, total)

    def ensure_text_index(self, pattern: str, fields: list[str]) -> None:
        """Keep a text index of the values under fields (["ref", "answers"]) of the
        collections matching pattern: text_search then finds any part of them (3
        characters or more) without reading the records."""
        with self._db.connection() as conn:
            texts.declare(conn, self.schema, pattern, list(fields))

    def text_search(
        self, collection: str, needles: Iterable[str], **window
    ) -> tuple[list[int], int] | None:
        """Return (ids newest first, how many) of the records whose indexed text holds any
        of needles, as the TinyDB store's text_search (offset, limit, most) gives them."""
        check_name(collection)
        wanted = sorted({n for n in needles if n})
        if not wanted or any(len(n) < TRIGRAM or "\n" in n for n in wanted):
            return None
        with self._db.connection() as conn:
            return texts.search(conn, collection, wanted, **window)

    def _fields_of(self, conn: psycopg.Connection, collection: str) -> set[str]:
        found = conn.execute("SELECT pattern, field FROM rifd_indexes").fetchall()
        return {f for p, f in found if fnmatch.fnmatchcase(collection, p)}

    # --- reading -----------------------------------------------------------------------

    def iter(
        self, collection: str, *, reverse: bool = False, stream: bool = False
    ) -> Iterator[dict]:
        """Yield all records in id order (newest first if reverse), a batch at a time
        (stream: always, here; the argument is the TinyDB store's)."""
        check_name(collection)
        return self._batches(collection, reverse)

    def _batches(self, collection: str, reverse: bool) -> Iterator[dict]:
        # Keyset pages: no connection is held while the caller works on a batch.
        step, order = ("<", "DESC") if reverse else (">", "ASC")
        query = sql.SQL(
            "SELECT id, body FROM rifd_records WHERE collection = %s AND id {} %s "
            "ORDER BY id {} LIMIT %s"
        ).format(sql.SQL(step), sql.SQL(order))
        last = 2**63 - 1 if reverse else 0
        while True:
            with self._db.connection() as conn:
                batch = conn.execute(query, [collection, last, BATCH]).fetchall()
            yield from (body for _rid, body in batch)
            if len(batch) < BATCH:
                return
            last = batch[-1][0]

    def _select(
        self, collection: str, where: Mapping | None, *, newest_first=False, window=None
    ) -> list[dict]:
        condition, params = rows.matching(check_name(collection), where)
        query = sql.SQL("SELECT body FROM rifd_records WHERE {} ORDER BY id {}").format(
            condition, sql.SQL("DESC" if newest_first else "ASC")
        )
        if window is not None:
            query += sql.SQL(" LIMIT %s OFFSET %s")
            params = [*params, window[1], window[0]]
        with self._db.connection() as conn:
            return [body for (body,) in conn.execute(query, params)]

    def find(
        self,
        collection: str,
        predicate: Predicate | None = None,
        *,
        where: Mapping | None = None,
    ) -> list[dict]:
        """Return the records that equal where on its keys and satisfy predicate, by id."""
        found = self._select(collection, where)
        if predicate is None:
            return found
        matches = _matcher(predicate, None)
        return [record for record in found if matches(record)]

    def page(
        self,
        collection: str,
        *,
        offset: int = 0,
        limit: int = 20,
        predicate: Predicate | None = None,
        where: Mapping | None = None,
        newest_first: bool = True,
    ) -> tuple[list[dict], int]:
        """Return one page of matching records and how many match in all."""
        _check_window(offset, limit)
        if predicate is None:
            found = self._select(
                collection, where, newest_first=newest_first, window=(offset, limit)
            )
            return found, self.count(collection, where=where)
        matches = _matcher(predicate, None)
        found = self._select(collection, where, newest_first=newest_first)
        found = [record for record in found if matches(record)]
        return found[offset : offset + limit], len(found)

    def count(self, collection: str, *, where: Mapping | None = None) -> int:
        """Return the number of records in collection (that equal where on its keys)."""
        condition, params = rows.matching(check_name(collection), where)
        query = sql.SQL("SELECT count(*) FROM rifd_records WHERE {}").format(condition)
        with self._db.connection() as conn:
            if not where:  # kept by a trigger (store/postgres/schema.py, rifd_sizes)
                row = conn.execute(
                    "SELECT n FROM rifd_sizes WHERE collection = %s", [collection]
                ).fetchone()
                return row[0] if row else 0
            counted = counted_by(where)
            if counted and counted[0] in self._fields_of(conn, collection):
                return sum(n for _value, n in queries.counted(conn, collection, *counted))
            return conn.execute(query, params).fetchone()[0]

    def distinct(self, collection: str, key: str) -> list:
        """Return the different values of a top-level key, in the order first seen (an
        indexed key: sorted, as the TinyDB backend's index gives them)."""
        check_name(collection)
        with self._db.connection() as conn:
            if key in self._fields_of(conn, collection):
                return queries.sorted_values(conn, collection, key)
            return queries.first_values(conn, collection, key)

    def tally(self, collection: str, key: str, *, where: Mapping | None = None) -> dict:
        """Return {value: how many records hold it} for a top-level or dotted key."""
        check_name(collection)
        with self._db.connection() as conn:
            indexed = key in self._fields_of(conn, collection)
            if indexed and not where:  # the kept counts: one row per value
                return {_hashable(v): n for v, n in queries.counted(conn, collection, key)}
            return queries.tally(conn, collection, key, where)

    def ids_between(
        self, collection: str, key: str, low: object = None, high: object = None
    ) -> list[tuple[object, int]]:
        """Return (value, id) of records whose indexed key is in [low, high), by value."""
        check_name(collection)
        with self._db.connection() as conn:
            if key not in self._fields_of(conn, collection):
                raise StoreError(f"{collection}.{key} is not indexed")
            return queries.between(conn, collection, key, low, high)

    def get_many(self, collection: str, ids: Iterable[int]) -> list[dict]:
        """Return the records with these ids that exist, in the order given."""
        check_name(collection)
        wanted = [check_id(rid) for rid in ids]
        with self._db.connection() as conn:
            found = conn.execute(
                "SELECT id, body::text FROM rifd_records WHERE collection = %s AND id = ANY(%s)",
                [collection, wanted],
            )
            found = dict(found.fetchall())
        return [orjson.loads(found[rid]) for rid in wanted if rid in found]

    def collections(self) -> list[str]:
        """Return the names of the collections that have records or had some."""
        with self._db.connection() as conn:
            return sorted(name for (name,) in conn.execute("SELECT name FROM rifd_collections"))

    # --- backups and copies ------------------------------------------------------------

    def holds_data(self) -> bool:
        """Tell whether the database holds any record or counter."""
        with self._db.connection() as conn:
            return dump.has_data(conn)

    def dump(self) -> dict[str, bytes]:
        """Return the records and counters as data-folder files (store/exchange.py)."""
        with self._db.connection() as conn:
            return dump.read(conn)

    def load(self, files: dict[str, bytes], *, replace: bool = False) -> None:
        """Put records and counters given as data-folder files in the database.

        Without replace the database must hold none yet.
        """
        contents = exchange.parse(files.items())
        with self._db.connection() as conn:
            dump.load(conn, contents, self.schema, replace)

    def backup(self, dest: str | os.PathLike, *, now=None) -> dict:
        """Write records, counters and the data folder to dest (.tar.gz)."""
        return dump.backup(self, dest, now=now)

    def restore(self, archive: str | os.PathLike, *, force: bool = False, now=None):
        """Replace records, counters and folder with a backup's; return the manifest and
        where what was there is kept."""
        return dump.restore(self, archive, force=force, now=now)

    # --- counters, locks, files --------------------------------------------------------

    def next_number(self, counter: str) -> int:
        """Return the counter's next value (from 1); no value is ever given twice."""
        check_name(counter, "counter")
        with self._db.connection() as conn:
            return conn.execute(
                """INSERT INTO rifd_counters AS c VALUES (%s, 1)
                   ON CONFLICT (name) DO UPDATE SET value = c.value + 1 RETURNING value""",
                [counter],
            ).fetchone()[0]

    @contextmanager
    def lock(self, name: str) -> Iterator[None]:
        """Hold a named lock shared by every process using this database and schema.

        A session-level advisory lock: a process that dies frees it with its connection.
        """
        check_name(name, "lock")
        key = schema.lock_key(self.schema, name)
        with self._db.connection() as conn:
            conn.execute("SELECT pg_advisory_lock(%s)", [key])
            try:
                yield
            finally:
                try:
                    conn.execute("SELECT pg_advisory_unlock(%s)", [key])
                except psycopg.Error:
                    conn.close()  # the pool drops it, and the server frees its locks
