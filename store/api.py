"""The Store: Rifd's only door to its data folder, with no TinyDB type in sight.

Records are JSON objects with an integer "id" given by the store. Everything returned is
a copy: changing it changes neither the data nor the cache. A PostgreSQL backend can
stand behind the same methods later.
"""

import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import MappingProxyType

import orjson

from store import shards
from store.blobs import Blobs
from store.cache import ShardCache
from store.collection import Collection
from store.counters import Counters
from store.errors import DISK_FULL_ERRNOS, DiskFull, NotFoundError, StoreError
from store.layout import (
    COUNTERS_DIR,
    FILES_DIR,
    LOCKS_DIR,
    WRITE_LOCK,
    check_id,
    check_name,
    collection_dir,
    collection_names,
)
from store.storage import ensure_dir, locked
from store.transaction import Transaction, apply, finish, recover, write_journal

Predicate = Callable[[Mapping], bool]
_MISSING = object()


def _jsonable(value: object, what: str) -> dict:
    # One round trip through orjson both checks the value and detaches it from the
    # caller's objects. Values come back as JSON has them (tuples as lists, datetimes
    # as ISO strings).
    if not isinstance(value, Mapping):
        raise StoreError(f"{what} must be a mapping, not {type(value).__name__}")
    try:
        return orjson.loads(orjson.dumps(dict(value)))
    except orjson.JSONEncodeError as exc:
        raise StoreError(f"{what} is not JSON-able: {exc}") from exc


def _copy(record: dict) -> dict:
    # Measured faster than a recursive copy for ~1 KB records, and deep.
    return orjson.loads(orjson.dumps(record))


def _matcher(predicate: Predicate | None, where: Mapping | None) -> Callable[[dict], bool]:
    conditions = dict(where or {})

    def matches(record: dict) -> bool:
        if any(record.get(key, _MISSING) != value for key, value in conditions.items()):
            return False
        # A read-only view: a predicate must not be able to alter the cached record.
        return predicate is None or bool(predicate(MappingProxyType(record)))

    return matches


def _check_window(offset: object, limit: object) -> None:
    for name, value in (("offset", offset), ("limit", limit)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise StoreError(f"{name} must be a non-negative integer, not {value!r}")


class Store:
    """Collections of records, counters and files in one data folder."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root).absolute()
        ensure_dir(self.root)
        self._cache = ShardCache()
        self._blobs = Blobs(self.root / FILES_DIR)
        self._counters = Counters(self.root / COUNTERS_DIR)
        self._local = threading.local()
        with self._writing():
            pass  # finishes what a writer killed before we opened left half-written

    def __repr__(self) -> str:
        return f"Store({str(self.root)!r})"

    def _collection(self, collection: str) -> Collection:
        return Collection(collection_dir(self.root, collection), self._cache)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Hold the store's write lock, having finished any transaction a dead writer left."""
        if getattr(self._local, "writing", False):
            # flock is per open file: taking it again here would wait for ourselves.
            raise StoreError("a write inside a transaction must go through the transaction")
        ensure_dir(self.root / LOCKS_DIR)
        with locked(self.root / LOCKS_DIR / WRITE_LOCK):
            self._local.writing = True
            try:
                recover(self.root)
                yield
            finally:
                self._local.writing = False

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Queue inserts and updates in several collections; write them as one at the end.

        Either all of them are stored or, if the block raises, none: a record and its
        audit entry are written together. Reads through the transaction see its own
        queued changes; the store's other readers see them once the block ends.
        """
        with self._writing():
            tx = Transaction(self.root)
            yield tx
            entries = [
                [collection, rid, _jsonable(record, "record")]
                for collection, rid, record in tx.entries()
            ]
            if entries:
                journal = write_journal(self.root, entries)  # a full disk here: nothing kept
                try:
                    apply(self.root, entries)
                except OSError as exc:
                    if exc.errno in DISK_FULL_ERRNOS:
                        # The journal holds the whole change: the next write finishes it.
                        raise DiskFull(pending=True) from exc
                    raise
                finish(journal)

    def insert(self, collection: str, record: dict) -> int:
        """Store record under a new id and return the id."""
        return self.insert_many(collection, [record])[0]

    def insert_many(self, collection: str, records: Iterable[dict]) -> list[int]:
        """Store records under new consecutive ids, writing each shard once."""
        folder = collection_dir(self.root, collection)
        # Check every record before writing any.
        docs = [_jsonable(record, "record") for record in records]
        if not docs:
            return []
        with self._writing():
            return shards.append(folder, docs)

    def get(self, collection: str, rid: int) -> dict | None:
        """Return record rid, or None if there is none."""
        record = self._collection(collection).get(check_id(rid))
        return None if record is None else _copy(record)

    def update(self, collection: str, rid: int, changes: dict) -> dict:
        """Merge changes into the top level of record rid and return the new record."""
        folder = collection_dir(self.root, collection)
        check_id(rid)
        changes = _jsonable(changes, "changes")
        if changes.pop("id", rid) != rid:
            raise StoreError("a record's id cannot change")
        with self._writing():
            record = shards.update(folder, rid, changes)
        if record is None:
            raise NotFoundError(f"no record {rid} in {collection}")
        return record

    def replace(self, collection: str, rid: int, record: dict) -> dict:
        """Replace record rid whole (keys it no longer has are gone) and return it."""
        folder = collection_dir(self.root, collection)
        check_id(rid)
        record = _jsonable(record, "record")
        record.pop("id", None)
        with self._writing():
            found = shards.update(folder, rid, record, replace=True)
        if found is None:
            raise NotFoundError(f"no record {rid} in {collection}")
        return found

    def delete(self, collection: str, rid: int) -> bool:
        """Delete record rid; return False if there was none. Its id is never reused."""
        folder = collection_dir(self.root, collection)
        check_id(rid)
        with self._writing():
            return shards.remove(folder, rid)

    def iter(self, collection: str, *, reverse: bool = False) -> Iterator[dict]:
        """Yield copies of all records in id order (newest first if reverse)."""
        records = self._collection(collection).records(reverse)
        return (_copy(record) for record in records)

    def find(
        self,
        collection: str,
        predicate: Predicate | None = None,
        *,
        where: Mapping | None = None,
    ) -> list[dict]:
        """Return the records that equal where on its keys and satisfy predicate, by id."""
        matches = _matcher(predicate, where)
        records = self._collection(collection).records()
        return [_copy(record) for record in records if matches(record)]

    def page(
        self,
        collection: str,
        *,
        offset: int = 0,
        limit: int = 20,
        predicate: Predicate | None = None,
        newest_first: bool = True,
    ) -> tuple[list[dict], int]:
        """Return one page of matching records and how many match in all."""
        _check_window(offset, limit)
        reader = self._collection(collection)
        if predicate is None:
            items = reader.window(offset, limit, reverse=newest_first)
            return [_copy(record) for record in items], reader.count()
        matches = _matcher(predicate, None)
        found = [record for record in reader.records(reverse=newest_first) if matches(record)]
        return [_copy(record) for record in found[offset : offset + limit]], len(found)

    def distinct(self, collection: str, key: str) -> list:
        """Return the different values of a top-level key, in the order first seen.

        Records without the key are skipped. No record is copied, so this is cheap
        enough to run before a large export (which versions do its records use?).
        """
        seen: dict[bytes, object] = {}
        for record in self._collection(collection).records():
            if key in record:
                seen.setdefault(orjson.dumps(record[key]), record[key])
        return [orjson.loads(orjson.dumps(value)) for value in seen.values()]

    def count(self, collection: str) -> int:
        """Return the number of records in collection."""
        return self._collection(collection).count()

    def next_number(self, counter: str) -> int:
        """Return the counter's next value (from 1); no value is ever given twice."""
        return self._counters.next(counter)

    @contextmanager
    def lock(self, name: str) -> Iterator[None]:
        """Hold a named inter-process lock for a step made of several operations.

        For what must happen as one (take the next letter number, archive, record
        it): the per-collection locks only cover one operation each.
        """
        check_name(name, "lock")
        folder = self.root / LOCKS_DIR
        ensure_dir(folder)
        with locked(folder / f"{name.replace('/', '.')}.lock"):
            yield

    def put_file(self, data: bytes) -> str:
        """Store file content and return its sha256 hex digest (the same bytes, the same file)."""
        return self._blobs.put(data)

    def file_path(self, digest: str) -> Path:
        """Return the path of a stored file; refuse anything but 64 lowercase hex digits."""
        return self._blobs.path(digest)

    def read_file(self, digest: str) -> bytes:
        """Return the content of a stored file (NotFoundError if there is none)."""
        return self._blobs.read(digest)

    def delete_file(self, digest: str) -> bool:
        """Delete a stored file; return False if there was none.

        Files are shared by content: the caller checks first that no record still
        refers to this digest (privacy.erase does, for erasure on request).
        """
        return self._blobs.delete(digest)

    def collections(self) -> list[str]:
        """Return the names of the collections that have records or had some."""
        return collection_names(self.root)
