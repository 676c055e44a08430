"""Reads of a collection: its shard files, in id order, through the parse cache or the places.

Reads take no lock. Each shard file is replaced whole, and a file once open stays the
version that was opened, so each shard is read in a consistent state; a read spanning
several shards is not a snapshot of the collection while another process writes to it.

A few records of a shard that is not cached are read where they lie (store/places.py),
so that a random read costs the same in a collection of 1,000 records or of 1,000,000; a
shard whose places are unknown is parsed whole, as a read of every record parses each.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from store import layout
from store.cache import EMPTY, Shard, ShardCache
from store.layout import list_shards, shard_name, shard_of, shard_path
from store.places import PlaceBook, read_at
from store.storage import FileKey, file_key, parse_json


class Collection:
    """Read side of one collection folder. Returns the cached records themselves."""

    def __init__(self, name: str, folder: Path, cache: ShardCache, book: PlaceBook):
        self._name = name
        self._folder = folder
        self._cache = cache
        self._book = book

    def _numbers(self, reverse: bool = False) -> list[int]:
        numbers = list_shards(self._folder)
        if reverse:
            numbers.reverse()
        return numbers

    def records(self, reverse: bool = False, *, keep: bool = True) -> Iterator[dict]:
        """Yield every record in id order (newest first if reverse); keep=False: through
        the cache without filling it."""
        for number in self._numbers(reverse):
            shard = self._cache.load(shard_path(self._folder, number), keep=keep)
            yield from reversed(shard.records) if reverse else shard.records

    def get(self, rid: int) -> dict | None:
        """Return record rid, or None."""
        return self.get_many([rid]).get(rid)

    def get_many(self, ids: Iterable[int]) -> dict[int, dict]:
        """Return {id: record} for those of ids that exist, opening each shard once."""
        wanted: dict[int, list[int]] = {}
        for rid in ids:
            wanted.setdefault(shard_of(rid), []).append(rid)
        found: dict[int, dict] = {}
        for number, rids in wanted.items():
            with self._opened(number) as shard:
                found.update(shard.records(rids))
        return found

    def count(self) -> int:
        """Return the number of records."""
        return sum(n for _number, n in self._sizes())

    def _sizes(self, reverse: bool = False) -> list[tuple[int, int]]:
        """Return (shard, how many records) of every shard, from the places of the file
        versions there (one stat each), else from the parse cache."""
        known = self._book.counts(self._name)
        folder = str(self._folder)  # a string path: a hundred shards, a hundred stats
        sizes = []
        for number in self._numbers(reverse):
            try:
                key = file_key(os.stat(os.path.join(folder, shard_name(number))))
            except FileNotFoundError:
                continue
            hit = known.get(number)
            if hit and hit[0] == key:
                sizes.append((number, hit[1]))
            else:
                sizes.append((number, self._cache.count(shard_path(self._folder, number))))
        return sizes

    def page(self, offset: int, limit: int, reverse: bool) -> tuple[list[dict], int]:
        """Return records offset .. offset+limit in id order and how many there are in all,
        opening only the shards of the page."""
        found: list[dict] = []
        sizes = self._sizes(reverse)
        skip = offset
        for number, size in sizes:
            if len(found) >= limit:
                break
            if skip >= size:  # most pages never open most shards
                skip -= size
                continue
            with self._opened(number) as shard:
                ids = shard.ids()
                if reverse:
                    ids.reverse()
                wanted = ids[skip : skip + limit - len(found)]
                got = shard.records(wanted)
            found.extend(got[rid] for rid in wanted if rid in got)
            skip = 0
        return found, sum(n for _number, n in sizes)

    @contextmanager
    def _opened(self, number: int) -> Iterator[_OpenShard]:
        path = shard_path(self._folder, number)
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            yield _OpenShard(self, number, None, None)
            return
        try:
            yield _OpenShard(self, number, fd, file_key(os.fstat(fd)))
        finally:
            os.close(fd)


class _OpenShard:
    """One version of a shard file, open: its records from the parse cache, read where
    they lie, or else parsed (and then its places recorded for the next reader)."""

    def __init__(self, owner: Collection, number: int, fd: int | None, key: FileKey | None):
        self._owner = owner
        self._number = number
        self._fd = fd
        self._key = key
        self._path = shard_path(owner._folder, number)
        self._shard = None if key is None else owner._cache.cached(self._path, key)
        self._places = None
        if self._shard is None and key is not None:
            self._places = owner._book.find(owner._name, number, key)

    def ids(self) -> list[int]:
        """Return the ids of the shard's records, ascending."""
        if self._shard is None and self._places is not None:
            base = self._number * layout.SHARD_SIZE
            return [base + slot for slot in self._places.slots()]
        return [record["id"] for record in self._parsed().records]

    def records(self, rids: list[int]) -> dict[int, dict]:
        """Return {id: record} of those of rids that the shard holds."""
        if self._shard is None and self._places is not None:
            found = self._where_they_lie(rids)
            if found is not None:
                return found
        by_id = self._parsed().by_id
        return {rid: by_id[rid] for rid in rids if rid in by_id}

    def _where_they_lie(self, rids: list[int]) -> dict[int, dict] | None:
        found = {}
        for rid in rids:
            span = self._places.span(rid - self._number * layout.SHARD_SIZE)
            if span is None:
                return None
            if span[1]:
                record = read_at(self._fd, span, rid)
                if record is None:  # not what the places said: parse the shard instead
                    return None
                found[rid] = record
        return found

    def _parsed(self) -> Shard:
        if self._shard is not None:
            return self._shard
        if self._fd is None or not self._key[1]:
            return EMPTY
        owner = self._owner
        data = _read_all(self._fd, self._key[1])
        state = parse_json(self._path, data)
        self._shard = Shard.from_tables(state, len(data))
        owner._cache.remember(self._path, self._key, self._shard)
        owner._book.repair(owner._name, self._number, self._path, self._key, data, state)
        return self._shard


def _read_all(fd: int, size: int) -> bytes:
    chunks, done = [], 0
    while done < size:
        chunk = os.pread(fd, size - done, done)
        if not chunk:
            break
        chunks.append(chunk)
        done += len(chunk)
    return b"".join(chunks)
