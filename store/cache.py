"""Parsed shards, kept per process and checked against the file on every use.

A read of a whole collection parses every shard; most of them have not changed since
the last read. Entries are keyed by (path, mtime_ns, size, inode): every write replaces
the file, which gives it a new inode, so a stale entry can never match. The parsed
records are shared: callers copy before handing anything out.
"""

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from store.storage import FileKey, file_key, read_json

RECORDS = "records"
META = "meta"
META_ID = 1
# Bytes of shard files whose parsed form is kept. Parsed, they take about three times
# as much memory: 32 MiB of files (~30,000 records of 1 KB) cost ~100 MB per process.
CACHE_BUDGET = 32 * 2**20


@dataclass(frozen=True)
class Shard:
    """One shard file, parsed: records in id order and the highest id ever given out."""

    records: tuple[dict, ...] = ()
    by_id: dict[int, dict] = field(default_factory=dict)
    high_water: int = 0
    nbytes: int = 0

    @classmethod
    def from_tables(cls, tables: dict, nbytes: int) -> "Shard":
        """Build a Shard from the content of a TinyDB file."""
        raw = tables.get(RECORDS) or {}
        by_id = {int(key): doc for key, doc in raw.items()}
        ordered = tuple(by_id[rid] for rid in sorted(by_id))
        return cls(ordered, by_id, high_water(tables), nbytes)


EMPTY = Shard()


def high_water(tables: dict | None) -> int:
    """Return the highest id a shard has ever held, deleted ones included."""
    if not tables:
        return 0
    ids = [int(key) for key in tables.get(RECORDS) or {}]
    meta = (tables.get(META) or {}).get(str(META_ID)) or {}
    return max([*ids, meta.get("last_id", 0)])


class ShardCache:
    """LRU of parsed shards within a byte budget, plus the record count of every shard."""

    def __init__(self, budget: int = CACHE_BUDGET):
        self._budget = budget
        self._used = 0
        self._shards: OrderedDict[Path, tuple[FileKey, Shard]] = OrderedDict()
        # Counts are tiny, so they outlive eviction: count() then needs only a stat.
        self._counts: dict[Path, tuple[FileKey, int]] = {}
        self._lock = threading.Lock()

    def load(self, path: Path, *, keep: bool = True) -> Shard:
        """Return the current content of the shard file at path (EMPTY if missing).

        keep=False parses a shard that is not cached without caching it: a read of a
        whole collection (an export) then does not fill the cache with shards nobody
        reads again, nor hold ~100 MB of them.
        """
        try:
            key = file_key(os.stat(path))
        except FileNotFoundError:
            return EMPTY
        hit = self.cached(path, key)
        if hit is not None:
            return hit
        loaded = read_json(path)
        if loaded is None:
            return EMPTY
        key, tables = loaded
        shard = Shard.from_tables(tables, key[1])
        if keep:
            self.remember(path, key, shard)
        return shard

    def cached(self, path: Path, key: FileKey) -> Shard | None:
        """Return the parsed shard at path if this version of it is cached."""
        with self._lock:
            hit = self._shards.get(path)
            if hit and hit[0] == key:
                self._shards.move_to_end(path)
                return hit[1]
        return None

    def count(self, path: Path) -> int:
        """Return the number of records in the shard file at path."""
        try:
            key = file_key(os.stat(path))
        except FileNotFoundError:
            return 0
        with self._lock:
            hit = self._counts.get(path)
            if hit and hit[0] == key:
                return hit[1]
        return len(self.load(path).records)

    def remember(self, path: Path, key: FileKey, shard: Shard) -> None:
        """Keep a shard just parsed from the version key of the file at path."""
        with self._lock:
            self._counts[path] = (key, len(shard.records))
            old = self._shards.pop(path, None)
            if old:
                self._used -= old[1].nbytes
            if shard.nbytes > self._budget:
                return
            self._shards[path] = (key, shard)
            self._used += shard.nbytes
            while self._used > self._budget:
                _, (_, evicted) = self._shards.popitem(last=False)
                self._used -= evicted.nbytes
