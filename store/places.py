"""Where each record lies inside its shard file: one record read without parsing its shard.

    <root>/_index/index.sqlite3   table places: for each shard, the version of its file,
                                  its record count, the (start, length) of each record

A shard holds 1,000 records, about 1 MB: parsing it for one record costs 5-17 ms, and once
a collection outgrows the parse cache (store/cache.py) nearly every random read pays it.
Measured on the shared 2-core machine (2026-12-07): parsing a 1 MB shard 17 ms, a 100 KB
one (a shard of 100) 0.65 ms, this row plus a pread and parse of one record ~0.05 ms.

The writer learns where each record lies as it encodes the shard (encode() gives the
very bytes orjson.dumps gives, so the files do not change) and records the places once
the file is written, in the same SQLite step as the index rows. A row names the version
of the file it describes (mtime, size, inode: the parse cache's key), and a reader
follows it only into that version, and only to a record carrying the id it asked for: a
row left stale by a crash between the shard and the step, a restore or a copy, is never
followed. The reader then parses the shard, as before, and records its places for the
next one. The shard files stay the only truth; the places are derived, like the rows.
"""

from __future__ import annotations

import os
import sqlite3
import struct
import sys
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import compress
from pathlib import Path

import orjson

from store import layout
from store.cache import RECORDS
from store.indexfile import IndexFile
from store.storage import FileKey, file_key

SPAN = struct.Struct("<II")  # start, length in bytes; length 0: no record in that slot


@dataclass(frozen=True)
class Places:
    """Where the records of one version of a shard file lie: a span per slot (id % SHARD_SIZE)."""

    count: int
    spans: bytes

    def span(self, slot: int) -> tuple[int, int] | None:
        """Return (start, length) of the record in slot, (0, 0) if none; None if the slot
        is beyond these places (they were written with another SHARD_SIZE)."""
        if (slot + 1) * SPAN.size > len(self.spans):
            return None
        return SPAN.unpack_from(self.spans, slot * SPAN.size)

    def slots(self) -> list[int]:
        """Return the slots that hold a record, ascending (in id order)."""
        lengths = array("I", self.spans)  # start, length, start, length...
        if sys.byteorder != "little":
            lengths.byteswap()
        return list(compress(range(len(lengths) // 2), lengths[1::2]))


def encode(state: dict) -> tuple[bytes, Places | None]:
    """Return a shard's content as orjson.dumps(state) gives it, and where its records lie
    (None if a record's key is not an id)."""
    size = layout.SHARD_SIZE
    spans = bytearray(SPAN.size * size)
    parts: list[bytes] = []
    pos = count = 0

    def put(data: bytes) -> None:
        nonlocal pos
        parts.append(data)
        pos += len(data)

    put(b"{")
    for i, (name, table) in enumerate(state.items()):
        put((b"," if i else b"") + orjson.dumps(name) + b":")
        if name != RECORDS or not isinstance(table, dict) or not table:
            put(orjson.dumps(table))
            continue
        put(b"{")
        for j, (key, doc) in enumerate(table.items()):
            put((b"," if j else b"") + orjson.dumps(key) + b":")
            body = orjson.dumps(doc)
            if spans is not None and key.isascii() and key.isdigit():
                SPAN.pack_into(spans, int(key) % size * SPAN.size, pos, len(body))
            else:
                spans = None
            put(body)
            count += 1
        put(b"}")
    put(b"}")
    data = b"".join(parts)
    return data, None if spans is None else Places(count, bytes(spans))


def places_of(data: bytes, state: dict) -> Places | None:
    """Return where the records of a shard file lie, if it is as encode() writes it."""
    encoded, places = encode(state)
    return places if encoded == data else None


def read_at(fd: int, span: tuple[int, int], rid: int) -> dict | None:
    """Return record rid read at span of an open shard file, or None if it is not there."""
    start, length = span
    data = os.pread(fd, length, start)
    try:
        record = orjson.loads(data)
    except orjson.JSONDecodeError:
        return None
    return record if isinstance(record, dict) and record.get("id") == rid else None


Written = tuple[str, int, FileKey, "Places | None"]  # collection, shard, file version, places


class PlaceBook:
    """The places of every shard of a data folder, in its index file."""

    def __init__(self, file: IndexFile):
        self._file = file

    def find(self, collection: str, shard: int, key: FileKey) -> Places | None:
        """Return the places of this version of a shard file, or None if none are known."""
        db = self._file.db(create=False)
        if db is None:
            return None
        row = db.execute(
            "SELECT mtime, size, inode, records, spans FROM places"
            " WHERE collection = ? AND shard = ?",
            (collection, shard),
        ).fetchone()
        if row is None or tuple(row[:3]) != key:
            return None
        return Places(row[3], row[4])

    def counts(self, collection: str) -> dict[int, tuple[FileKey, int]]:
        """Return {shard: (file version, how many records)} of a collection."""
        db = self._file.db(create=False)
        if db is None:
            return {}
        found = db.execute(
            "SELECT shard, mtime, size, inode, records FROM places WHERE collection = ?",
            (collection,),
        )
        return {shard: ((m, s, i), n) for shard, m, s, i, n in found}

    @staticmethod
    def save(db: sqlite3.Connection, written: Iterable[Written]) -> None:
        """Record the places of shard files just written, in the caller's step (a shard
        whose places are unknown loses its row: its readers parse it)."""
        rows = []
        for collection, shard, key, places in written:
            if places is None:
                db.execute(
                    "DELETE FROM places WHERE collection = ? AND shard = ?", (collection, shard)
                )
            else:
                rows.append((collection, shard, *key, places.count, places.spans))
        db.executemany("INSERT OR REPLACE INTO places VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

    def repair(self, collection: str, shard: int, path: Path, key: FileKey, data: bytes, state):
        """Record the places of a shard file a reader parsed, if it is still that version
        and no writer holds the index file (the next reader tries again)."""
        places = places_of(data, state)
        if places is None:
            return
        with self._file.try_step() as db:
            if db is None:
                return
            try:
                current = file_key(os.stat(path))
            except FileNotFoundError:
                return
            if current == key:  # a writer replacing it now records its own places after
                self.save(db, [(collection, shard, key, places)])
