"""The Store: Rifd's only door to its data folder, with no TinyDB type in sight.

Records are JSON objects with an integer "id" given by the store. Everything returned is
a copy: changing it changes neither the data nor the cache. The PostgreSQL backend
(store/postgres/store.py) stands behind the same methods.
"""

import contextlib
import fnmatch
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import MappingProxyType

import orjson

from store import exchange, shards
from store.backup import create_backup, restore_backup
from store.blobs import Files, FolderFiles, StoredFiles
from store.cache import ShardCache
from store.collection import Collection
from store.counters import Counters
from store.errors import DiskFull, NotFoundError, StoreError, disk_full
from store.indexes import MISSING, TRIGRAM, AnyOf, Indexes, Progress, path_of, text_of
from store.indexfile import IndexFile
from store.layout import (
    COUNTERS_DIR,
    FILES_DIR,
    LIMITS_DIR,
    LOCKS_DIR,
    WRITE_LOCK,
    check_fields,
    check_id,
    check_name,
    collection_dir,
    collection_names,
    shard_of,
)
from store.places import PlaceBook
from store.storage import ensure_dir, locked
from store.transaction import Transaction, apply, finish, recover, write_journal
from store.windows import SlidingWindows

Predicate = Callable[[Mapping], bool]


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

    def holds(record: dict, key: str, value: object) -> bool:
        if isinstance(value, AnyOf):
            return any(holds(record, key, one) for one in value)
        if key.endswith("[]"):  # the list at key holds value
            items = path_value(record, key[:-2])
            return isinstance(items, list) and value in items
        return path_value(record, key) == value

    def matches(record: dict) -> bool:
        if not all(holds(record, key, value) for key, value in conditions.items()):
            return False
        # A read-only view: a predicate must not be able to alter the cached record.
        return predicate is None or bool(predicate(MappingProxyType(record)))

    return matches


path_value = path_of  # a dotted path into a record (store/indexes.py)


def _hashable(value: object) -> object:
    return value if isinstance(value, str | int | float | bool | type(None)) else repr(value)


def _check_window(offset: object, limit: object) -> None:
    for name, value in (("offset", offset), ("limit", limit)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise StoreError(f"{name} must be a non-negative integer, not {value!r}")


class Store(StoredFiles):
    """Collections of records, counters and files in one data folder."""

    def __init__(self, root: str | os.PathLike, *, files: Files | None = None):
        self.root = Path(root).absolute()
        ensure_dir(self.root)
        self._cache = ShardCache()
        self.files = files or FolderFiles(self.root / FILES_DIR)
        self._counters = Counters(self.root / COUNTERS_DIR)
        # Sign-in lock-outs and rate limits, seen alike by every worker process.
        self.windows = SlidingWindows(self.root / LOCKS_DIR / LIMITS_DIR)
        self._local = threading.local()
        self._index_file = IndexFile(self.root)
        self._indexes = Indexes(self._index_file)
        self._places = PlaceBook(self._index_file)
        with self._writing():
            pass  # finishes what a writer killed before we opened left half-written

    def __repr__(self) -> str:
        return f"Store({str(self.root)!r})"

    def _collection(self, collection: str) -> Collection:
        return Collection(
            collection, collection_dir(self.root, collection), self._cache, self._places
        )

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
                recover(self.root, self._apply)
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
                [collection, rid, None if record is None else _jsonable(record, "record")]
                for collection, rid, record in tx.entries()
            ]
            self._commit(entries)

    def _commit(self, entries: list[list]) -> None:
        """Write entries through the journal (the caller holds the write lock).

        A write that replaces one shard file and no index row is atomic by itself (the
        file is replaced whole): it needs no journal, and saves its two fsyncs.
        """
        if not entries:
            return
        places = {(c, shard_of(rid)) for c, rid, _record in entries}
        (collection, _shard), *_more = places
        derived = self._indexes.fields_of(collection) or self._indexes.text_fields(collection)
        if len(places) == 1 and not derived:
            self._apply(entries)
            return
        journal = write_journal(self.root, entries)  # a full disk here: nothing kept
        try:
            self._apply(entries)
        except (OSError, sqlite3.Error) as exc:
            if disk_full(exc):
                # The journal holds the whole change: the next write finishes it.
                touched = frozenset(collection for collection, _rid, _record in entries)
                raise DiskFull(pending=True, collections=touched) from exc
            raise
        finish(journal)

    def _apply(self, entries: list[list]) -> None:
        """Write entries to the shards, their index rows and places (again, after a crash).

        The rows of what changes go first and the new rows last, so that an index never
        points to a record that is not (yet, or any more) there. The places of the shards
        written go with the new rows: until then, readers find them stale and parse.
        """
        touched = sorted({collection for collection, _rid, _record in entries})
        fields = {c: self._indexes.fields_of(c) for c in touched}
        texts = {c: self._indexes.text_fields(c) for c in touched}
        built = {c: self._indexes.built(c) for c in touched if fields[c]}
        tables = {c: self._indexes.text_table(c) for c in touched if texts[c]}
        if built or any(tables.values()):
            with self._index_file.step() as db:
                self._indexes.forget(db, ((c, rid) for c, rid, _record in entries if c in built))
                for c, tab in tables.items():
                    if tab:
                        gone = [rid for name, rid, _record in entries if name == c]
                        self._indexes.change_text(db, tab, gone, [])
        written = apply(self.root, entries)
        if not built and not tables:
            # Only places to record: readers check them, so they may be lost (a power
            # cut, a full disk) without failing a write whose shards are stored.
            with (
                contextlib.suppress(sqlite3.Error, OSError),
                self._index_file.step(durable=False) as db,
            ):
                self._places.save(db, written)
            return
        with self._index_file.step() as db:
            self._indexes.add(
                db,
                ((c, rid, rec) for c, rid, rec in entries if c in built and rec is not None),
                lambda collection: sorted(built[collection]),
            )
            for c, tab in tables.items():
                if tab:
                    added = [
                        (rid, text_of(record, texts[c]))
                        for name, rid, record in entries
                        if name == c and record is not None
                    ]
                    self._indexes.change_text(db, tab, [], added)
            self._places.save(db, written)
        for c, tab in tables.items():
            if not tab:
                self._build_text(c, texts[c])
        for collection, done in built.items():
            for field in sorted(set(fields[collection]) - done):
                self._build(collection, field)

    def _build_text(self, collection: str, fields: list[str]) -> None:
        self._indexes.build_text(collection, self._collection(collection).records(), fields)

    def ensure_text_index(self, pattern: str, fields: list[str]) -> None:
        """Keep a text index of the values under fields (["ref", "answers"]) of the
        collections matching pattern: text_search then finds any part of them (3
        characters or more) without reading the records."""
        self._indexes.declare_text(pattern, list(fields))
        names = [c for c in collection_names(self.root) if self._indexes.text_fields(c)]
        missing = [c for c in names if self._indexes.text_table(c) is None]
        if missing:
            with self._writing():
                for collection in missing:
                    if self._indexes.text_table(collection) is None:
                        self._build_text(collection, self._indexes.text_fields(collection))

    def text_search(
        self,
        collection: str,
        needles: Iterable[str],
        *,
        offset: int = 0,
        limit: int | None = None,
        most: int | None = None,
    ) -> tuple[list[int], int] | None:
        """Return (ids newest first, how many) of the records whose indexed text holds any
        of needles (as normalize_text gives them), or None when the index cannot answer
        (none built, or a needle under 3 characters or spanning lines).

        most: count no further than that (a name most records hold is counted in time
        that grows with them; a page needs to know only that there are many)."""
        wanted = sorted({n for n in needles if n})
        tab = self._indexes.text_table(collection)
        if tab is None or not wanted:
            return None
        if any(len(n) < TRIGRAM or "\n" in n for n in wanted):
            return None
        return self._indexes.text_ids(tab, wanted, offset=offset, limit=limit, most=most)

    def _build(self, collection: str, field: str, progress: Progress | None = None) -> None:
        reader = self._collection(collection)
        self._indexes.build(collection, field, reader.records(), reader.count(), progress)

    def ensure_index(self, pattern: str, field: str, progress: Progress | None = None) -> None:
        """Keep an index of field ("state", "answers.national_id") for the collections whose
        names match pattern ("cases", "submissions/*"), building what is missing.

        Then find, page, count and tally answer equalities on it without reading every
        record. Every process writing to this folder keeps the index up to date.
        """
        self.ensure_indexes([(pattern, field)], progress)

    def ensure_indexes(
        self, wanted: Iterable[tuple[str, str]], progress: Progress | None = None
    ) -> None:
        """ensure_index for each (pattern, field), looking at the folder's collections once
        (every process start declares all of Rifd's indexes: one look each cost a second
        on a folder with a few forms)."""
        wanted = list(wanted)
        check_fields(wanted)
        self._indexes.declare_many(wanted)
        present = collection_names(self.root)
        missing = []
        for field in dict.fromkeys(field for _pattern, field in wanted):
            patterns, built = self._indexes.patterns_of(field), self._indexes.built_for(field)
            missing += [
                (c, field)
                for c in present
                if c not in built and any(fnmatch.fnmatchcase(c, p) for p in patterns)
            ]
        if missing:
            with self._writing():
                for collection, field in missing:
                    if field not in self._indexes.built(collection):
                        self._build(collection, field, progress)

    def _lookup(self, collection: str, where: Mapping | None) -> dict | None:
        """Return the part of where an index answers (None: none does)."""
        if not where:
            return None
        built = self._indexes.built(collection)
        usable = {k: v for k, v in where.items() if k in built}
        return usable or None

    def _records(self, collection: str, ids: Iterable[int]) -> Iterator[dict]:
        ids = list(ids)
        found = self._collection(collection).get_many(ids)
        # Missing: deleted since the index was read.
        return (found[rid] for rid in ids if rid in found)

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
            first = shards.next_id(folder)
            ids = list(range(first, first + len(docs)))
            self._commit([[collection, rid, doc] for rid, doc in zip(ids, docs, strict=True)])
            return ids

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
            current = shards.read(folder, rid)
            if current is None:
                raise NotFoundError(f"no record {rid} in {collection}")
            record = current | changes | {"id": rid}
            self._commit([[collection, rid, record]])
        return record

    def replace(self, collection: str, rid: int, record: dict) -> dict:
        """Replace record rid whole (keys it no longer has are gone) and return it."""
        folder = collection_dir(self.root, collection)
        check_id(rid)
        record = _jsonable(record, "record")
        record.pop("id", None)
        with self._writing():
            if shards.read(folder, rid) is None:
                raise NotFoundError(f"no record {rid} in {collection}")
            found = {"id": rid} | record
            self._commit([[collection, rid, found]])
        return found

    def delete(self, collection: str, rid: int) -> bool:
        """Delete record rid; return False if there was none. Its id is never reused."""
        folder = collection_dir(self.root, collection)
        check_id(rid)
        with self._writing():
            if shards.read(folder, rid) is None:
                return False
            self._commit([[collection, rid, None]])
            return True

    def iter(
        self, collection: str, *, reverse: bool = False, stream: bool = False
    ) -> Iterator[dict]:
        """Yield copies of all records in id order (newest first if reverse).

        stream=True for a read of the whole collection once (an export): the shards it
        parses are not kept in the cache, so memory stays flat however large it is.
        """
        records = self._collection(collection).records(reverse, keep=not stream)
        return (_copy(record) for record in records)

    def find(
        self,
        collection: str,
        predicate: Predicate | None = None,
        *,
        where: Mapping | None = None,
    ) -> list[dict]:
        """Return the records that equal where on its keys and satisfy predicate, by id.

        Keys of where that are indexed (ensure_index) are answered by the index: only the
        records found there are read.
        """
        matches = _matcher(predicate, where)
        usable = self._lookup(collection, where)
        if usable is None:
            records = self._collection(collection).records()
        else:
            records = self._records(collection, self._indexes.ids(collection, usable))
        return [_copy(record) for record in records if matches(record)]

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
        """Return one page of matching records and how many match in all.

        With where on indexed keys and no predicate, only the page's records are read.
        """
        _check_window(offset, limit)
        reader = self._collection(collection)
        usable = self._lookup(collection, where)
        if usable is not None and usable == dict(where) and predicate is None:
            ids = self._indexes.ids(
                collection, usable, newest_first=newest_first, offset=offset, limit=limit
            )
            total = self._indexes.count(collection, usable)
            return [_copy(record) for record in self._records(collection, ids)], total
        if usable is not None:
            ids = self._indexes.ids(collection, usable, newest_first=newest_first)
            matches = _matcher(predicate, where)  # the keys no index answers, the predicate
            found = [record for record in self._records(collection, ids) if matches(record)]
            return [_copy(record) for record in found[offset : offset + limit]], len(found)
        if predicate is None and not where:
            items, total = reader.page(offset, limit, reverse=newest_first)
            return [_copy(record) for record in items], total
        matches = _matcher(predicate, where)
        found = [record for record in reader.records(reverse=newest_first) if matches(record)]
        return [_copy(record) for record in found[offset : offset + limit]], len(found)

    def distinct(self, collection: str, key: str) -> list:
        """Return the different values of a top-level key, in the order first seen.

        Records without the key are skipped. No record is copied, so this is cheap
        enough to run before a large export (which versions do its records use?); an
        indexed key is answered by its index (its values sorted, then).
        """
        if key in self._indexes.built(collection):
            values = list(self._indexes.tally(collection, key))
            if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
                return sorted(values)
            return sorted(values, key=orjson.dumps)
        seen: dict[bytes, object] = {}
        for record in self._collection(collection).records():
            if key in record:
                seen.setdefault(orjson.dumps(record[key]), record[key])
        return [orjson.loads(orjson.dumps(value)) for value in seen.values()]

    def count(self, collection: str, *, where: Mapping | None = None) -> int:
        """Return the number of records in collection (that equal where on its keys)."""
        if not where:
            return self._collection(collection).count()
        usable = self._lookup(collection, where)
        if usable is not None and usable == dict(where):
            return self._indexes.count(collection, usable)
        return len(self.find(collection, where=where))

    def tally(self, collection: str, key: str, *, where: Mapping | None = None) -> dict:
        """Return {value: how many records hold it} for a top-level or dotted key.

        Answered by the index when key and where are indexed; otherwise by reading.
        """
        usable = self._lookup(collection, where)
        exact = not where or (usable is not None and usable == dict(where))
        if key in self._indexes.built(collection) and exact:
            return self._indexes.tally(collection, key, usable)
        counts: dict = {}
        seen: dict[bytes, object] = {}
        for record in self.find(collection, where=where):
            value = path_value(record, key)
            if value is MISSING:
                continue
            token = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
            seen.setdefault(token, value)
            counts[token] = counts.get(token, 0) + 1
        return {_hashable(seen[t]): n for t, n in counts.items()}

    def ids_between(
        self, collection: str, key: str, low: object = None, high: object = None
    ) -> list[tuple[object, int]]:
        """Return (value, id) of records whose indexed key is in [low, high), by value."""
        if key not in self._indexes.built(collection):
            raise StoreError(f"{collection}.{key} is not indexed")
        return list(self._indexes.between(collection, key, low, high))

    def get_many(self, collection: str, ids: Iterable[int]) -> list[dict]:
        """Return the records with these ids that exist, in the order given."""
        return [_copy(record) for record in self._records(collection, map(check_id, ids))]

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

    def collections(self) -> list[str]:
        """Return the names of the collections that have records or had some."""
        return collection_names(self.root)

    # --- backups and copies (the same methods as store/postgres/store.py's) --------------

    def close(self) -> None:
        """Nothing to give back: files are opened for one operation at a time."""

    def holds_data(self) -> bool:
        """Tell whether the data folder holds any record or counter."""
        return exchange.has_store_files(self.root)

    def dump(self) -> dict[str, bytes]:
        """Return the shard and counter files, the shards read as one moment."""
        return exchange.folder_dump(self.root)

    def load(self, files: dict[str, bytes]) -> None:
        """Write shard and counter files into this folder, which must hold none yet."""
        exchange.folder_load(self.root, files)

    def backup(self, dest: str | os.PathLike, *, now=None) -> dict:
        """Write the data folder to dest (.tar.gz) and return the manifest (store/backup.py)."""
        return create_backup(self.root, dest, now=now, files=self.outside_files())

    def restore(self, archive: str | os.PathLike, *, force: bool = False, now=None):
        """Replace the data folder with a backup's; return the manifest and where the
        folder as it was is kept."""
        manifest, aside = restore_backup(
            archive, self.root, force=force, now=now, files=self.outside_files()
        )
        return manifest, [aside] if aside is not None else []
