"""The store's records and counters as the files of a TinyDB data folder: what backups and
copies between backends exchange.

    {"beneficiaries/000000.json": b'{"records": {...}}', "_counters/letters.json": ...}

A backup of either backend holds these files (store/backup.py), so an archive made with
one backend restores into the other; `flask store copy` moves them the same way. Each
collection's highest id ever given travels with it (a shard's "meta"), so a deleted
record's id is not given again after the move.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from store import layout
from store.backup import NOT_DATA, BackupError, _snapshot
from store.cache import META, META_ID, RECORDS, high_water
from store.errors import StoreError
from store.layout import COUNTERS_DIR, INDEX_DIR, check_name, shard_path
from store.storage import atomic_write, ensure_dir, read_json

_SHARD = re.compile(r"(?P<collection>.+)/(?P<number>\d{6,})\.json")
_COUNTER = re.compile(rf"{COUNTERS_DIR}/(?P<stem>[^/]+)\.json")


@dataclass
class Collection:
    """One collection read from its shard files: its records by id, its highest id ever."""

    records: dict[int, dict] = field(default_factory=dict)
    last_id: int = 0


@dataclass
class Contents:
    """Records and counters of a store, whichever backend they came from."""

    collections: dict[str, Collection] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)

    def summary(self) -> dict:
        """Return what a copy must give back: each collection's count and highest id,
        and each counter's value."""
        return {
            "collections": {
                name: (len(c.records), c.last_id) for name, c in sorted(self.collections.items())
            },
            "counters": dict(sorted(self.counters.items())),
        }


def is_store_file(rel: str) -> bool:
    """Tell whether a data-folder path holds records or a counter (not a user's file)."""
    found = _SHARD.fullmatch(rel)
    if found:
        try:
            check_name(found["collection"])
        except StoreError:
            return False
        return True
    return _COUNTER.fullmatch(rel) is not None


def _loads(rel: str, data: bytes) -> object:
    try:
        return orjson.loads(data) if data else None
    except orjson.JSONDecodeError as exc:
        raise BackupError(f"{rel} is not valid JSON: {exc}") from None


def parse(files: Iterable[tuple[str, bytes]]) -> Contents:
    """Read records and counters from (path, bytes) of a data folder; skip other files."""
    contents = Contents()
    for rel, data in files:
        if not is_store_file(rel):
            continue
        loaded = _loads(rel, data)
        shard = _SHARD.fullmatch(rel)
        if shard:
            tables = loaded or {}
            target = contents.collections.setdefault(shard["collection"], Collection())
            for key, record in (tables.get(RECORDS) or {}).items():
                target.records[int(key)] = record
            target.last_id = max(target.last_id, high_water(tables))
        else:
            name = check_name(_COUNTER.fullmatch(rel)["stem"].replace(".", "/"), "counter")
            contents.counters[name] = int((loaded or {}).get("value", 0))
    for target in contents.collections.values():
        target.records = dict(sorted(target.records.items()))
    return contents


def shard_files(name: str, records: Iterable[tuple[int, dict]], last_id: int) -> Iterator:
    """Yield (path, bytes) of a collection's shard files, as the TinyDB backend writes them.

    The shard of the highest id ever given is written even when empty, with that id in
    its meta, so the TinyDB backend goes on from there (store/shards.py).
    """
    folder = Path(*name.split("/"))
    shards: dict[int, dict] = {}
    for rid, record in records:
        shards.setdefault(layout.shard_of(rid), {})[str(rid)] = record
    newest = layout.shard_of(last_id) if last_id else None
    if newest is not None:
        shards.setdefault(newest, {})
    for number in sorted(shards):
        tables: dict = {RECORDS: shards[number]}
        present = max((int(key) for key in shards[number]), default=0)
        if number == newest and last_id > present:
            tables[META] = {str(META_ID): {"last_id": last_id}}
        yield shard_path(folder, number).as_posix(), orjson.dumps(tables)


def counter_file(name: str, value: int) -> tuple[str, bytes]:
    """Return (path, bytes) of a counter file, as store/counters.py writes it."""
    stem = name.replace("/", ".")
    return f"{COUNTERS_DIR}/{stem}.json", orjson.dumps({"value": value})


# --- the TinyDB backend's side ---------------------------------------------------------


def folder_dump(root: Path) -> dict[str, bytes]:
    """Return the store files of a TinyDB data folder, its shards read as one moment."""
    files = dict(_snapshot(root))
    folder = root / COUNTERS_DIR
    for name in sorted(os.listdir(folder)) if folder.is_dir() else []:
        rel = f"{COUNTERS_DIR}/{name}"
        if is_store_file(rel):
            loaded = read_json(folder / name)
            if loaded is not None:
                files[rel] = orjson.dumps(loaded[1])
    return files


def folder_load(root: Path, files: dict[str, bytes]) -> None:
    """Write store files into a TinyDB data folder that holds no records or counters.

    What an app's start on the empty folder made goes first: its upgrade notes (the
    copied ones replace them) and its indexes (built again from the new records).
    """
    if has_store_files(root):
        raise StoreError(f"{root} already holds records or counters")
    for top, *_rest in NOT_DATA:
        for number in layout.list_shards(root / top):
            (shard_path(root / top, number)).unlink()
    shutil.rmtree(root / INDEX_DIR, ignore_errors=True)
    for rel, data in sorted(files.items()):
        if not is_store_file(rel):
            continue
        target = root.joinpath(*rel.split("/"))
        ensure_dir(target.parent)
        atomic_write(target, data)


def has_store_files(root: Path) -> bool:
    """Tell whether a data folder holds any shard or counter file, but the upgrade notes
    of a start on the empty folder (store/backup.py: NOT_DATA)."""
    skipped = {top for top, *_rest in NOT_DATA}
    if any(name.split("/")[0] not in skipped for name in layout.collection_names(root)):
        return True
    folder = root / COUNTERS_DIR
    return folder.is_dir() and any(n.endswith(".json") for n in os.listdir(folder))
