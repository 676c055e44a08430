"""Reads of a collection: its shard files, in id order, through the parse cache.

Reads take no lock. Each shard file is replaced whole, so each one is read in a
consistent state; a read spanning several shards is not a snapshot of the collection
while another process writes to it.
"""

from collections.abc import Iterator
from pathlib import Path

from store.cache import ShardCache
from store.layout import list_shards, shard_of, shard_path


class Collection:
    """Read side of one collection folder. Returns the cached records themselves."""

    def __init__(self, folder: Path, cache: ShardCache):
        self._folder = folder
        self._cache = cache

    def _paths(self, reverse: bool = False) -> list[Path]:
        numbers = list_shards(self._folder)
        if reverse:
            numbers.reverse()
        return [shard_path(self._folder, number) for number in numbers]

    def records(self, reverse: bool = False, *, keep: bool = True) -> Iterator[dict]:
        """Yield every record in id order (newest first if reverse); keep=False: through
        the cache without filling it."""
        for path in self._paths(reverse):
            shard = self._cache.load(path, keep=keep)
            yield from reversed(shard.records) if reverse else shard.records

    def get(self, rid: int) -> dict | None:
        """Return record rid, or None."""
        return self._cache.load(shard_path(self._folder, shard_of(rid))).by_id.get(rid)

    def count(self) -> int:
        """Return the number of records."""
        return sum(self._cache.count(path) for path in self._paths())

    def window(self, offset: int, limit: int, reverse: bool) -> list[dict]:
        """Return records offset .. offset+limit in id order, parsing only the shards needed."""
        found: list[dict] = []
        for path in self._paths(reverse):
            if len(found) >= limit:
                break
            # Skip whole shards on their cached count; most pages never parse them.
            size = self._cache.count(path)
            if offset >= size:
                offset -= size
                continue
            records = self._cache.load(path).records
            if reverse:
                records = records[::-1]
            found.extend(records[offset : offset + limit - len(found)])
            offset = max(0, offset - len(records))
        return found
