"""Writes to several collections that land together or not at all (a record and its audit).

Shard files are replaced one at a time, so a writer killed between two of them would
leave a record without its audit entry. A transaction therefore writes ahead: under the
store's write lock it computes each record's final content and id, writes the whole set
to one journal file, then to the shards, then deletes the journal. Every write of the
store takes that lock and first finishes any journal it finds: one found there belongs
to a writer that died, and writing it again is harmless, since each entry is a whole
record under a known id. A store also finishes them when it opens, so no reader after a
restart sees half of a transaction.

Every write now carries its audit entry, and the audit collection has one lock, so the
write lock costs no concurrency the audit lock did not already take.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import orjson

from store import shards
from store.layout import JOURNAL_DIR, check_id, collection_dir, shard_of
from store.places import Written
from store.storage import atomic_write, ensure_dir, fsync_dir, read_json


class Transaction:
    """Inserts and updates to the named collections, written as one when the block ends."""

    def __init__(self, root: Path):
        self._root = root
        self._puts: dict[tuple[str, int], dict] = {}
        self._next: dict[str, int] = {}
        # Shards parsed by get, each once: the transaction holds the store's write lock, so
        # no other writer changes them before it ends (its own changes are in _puts). A
        # step updating 1,000 records of one shard parsed it 1,000 times (22 s).
        self._shards: dict[tuple[str, int], dict[str, dict]] = {}

    def _folder(self, collection: str) -> Path:
        return collection_dir(self._root, collection)

    def insert(self, collection: str, record: dict) -> int:
        """Queue record under the collection's next id and return that id."""
        folder = self._folder(collection)
        rid = self._next.get(collection) or shards.next_id(folder)
        self._next[collection] = rid + 1
        self._puts[(collection, rid)] = {"id": rid} | {k: v for k, v in record.items() if k != "id"}
        return rid

    def get(self, collection: str, rid: int) -> dict | None:
        """Return record rid as this transaction leaves it (read fresh from its shard)."""
        if (collection, rid) in self._puts:
            return orjson.loads(orjson.dumps(self._puts[(collection, rid)]))  # None: deleted
        place = (collection, shard_of(check_id(rid)))
        if place not in self._shards:
            self._shards[place] = shards.read_shard(self._folder(collection), place[1])
        found = self._shards[place].get(str(rid))
        return None if found is None else orjson.loads(orjson.dumps(found))

    def update(self, collection: str, rid: int, changes: dict) -> dict:
        """Queue changes merged into the top level of record rid; return the new record."""
        current = self.get(collection, rid)
        if current is None:
            raise LookupError(f"no record {rid} in {collection}")
        record = current | {k: v for k, v in changes.items() if k != "id"}
        self._puts[(collection, rid)] = record
        return orjson.loads(orjson.dumps(record))

    def delete(self, collection: str, rid: int) -> bool:
        """Queue the deletion of record rid; return whether there was one."""
        if self.get(collection, rid) is None:
            return False
        self._puts[(collection, rid)] = None
        return True

    def entries(self) -> list[list]:
        return [[c, rid, record] for (c, rid), record in self._puts.items()]


def apply(root: Path, entries: list[list]) -> list[Written]:
    """Write whole records to their shards (None: delete it); the caller holds the lock.

    Return what was written, shard by shard, with where its records lie."""
    by_collection: dict[str, dict[int, dict | None]] = {}
    for collection, rid, record in entries:
        by_collection.setdefault(collection, {})[rid] = record
    written: list[Written] = []
    for collection, records in sorted(by_collection.items()):
        for shard, key, places in shards.put(collection_dir(root, collection), records):
            written.append((collection, shard, key, places))
    return written


def journal_dir(root: Path) -> Path:
    return root / JOURNAL_DIR


def write_journal(root: Path, entries: list[list]) -> Path:
    folder = journal_dir(root)
    ensure_dir(folder)
    path = folder / f"{uuid.uuid4().hex}.json"
    atomic_write(path, orjson.dumps({"entries": entries}))
    return path


def finish(journal: Path) -> None:
    """Delete a journal whose entries are all written, for good (a power cut included)."""
    journal.unlink()
    fsync_dir(journal.parent)


def pending(root: Path) -> list[Path]:
    try:
        names = os.listdir(journal_dir(root))
    except FileNotFoundError:
        return []
    return sorted(journal_dir(root) / n for n in names if n.endswith(".json"))


def recover(root: Path, commit=apply) -> int:
    """Finish the transactions whose writers died; the caller holds the write lock.

    commit(entries) writes them again (the store's writes the index rows too)."""
    finished = 0
    for path in pending(root):
        loaded = read_json(path)
        if loaded is not None:  # an empty file: the journal itself was never written
            commit(loaded[1]["entries"])
            finished += 1
        path.unlink()
    return finished
