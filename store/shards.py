"""Writes to a collection: each one under the collection's lock, on fresh state.

A collection is a folder of shard files, each a TinyDB database holding SHARD_SIZE ids.
An insert reads and rewrites only the highest shard, so its cost does not grow with the
collection. The next id comes from that shard (its highest id, or the high-water mark
kept in its "meta" table once its newest record was deleted): there is no separate
counter file that a crash could leave behind the data, so no id is ever given twice.

TinyDB objects live for one locked operation only. A long-lived Table caches its next
id and its query results, which go stale as soon as another process writes.
"""

from collections.abc import Iterable, Iterator
from itertools import groupby
from pathlib import Path

from tinydb import TinyDB
from tinydb.table import Document, Table

from store import storage
from store.cache import META, META_ID, RECORDS, high_water
from store.layout import LOCK_NAME, list_shards, shard_of, shard_path
from store.places import Places, encode
from store.storage import AtomicJSONStorage, FileKey, ensure_dir, locked, remove_stale_temps


def _open(path: Path) -> TinyDB:
    # memo: under the lock the file is ours, so one parse serves the whole operation.
    return TinyDB(path, storage=AtomicJSONStorage, memo=True)


def _with_id(record: dict, rid: int) -> Document:
    body = {"id": rid} | {key: value for key, value in record.items() if key != "id"}
    return Document(body, doc_id=rid)


def append(folder: Path, records: Iterable[dict]) -> list[int]:
    """Store records under new ids in one locked pass, one write per shard touched."""
    ensure_dir(folder)
    ids: list[int] = []
    with locked(folder / LOCK_NAME):
        remove_stale_temps(folder)
        shards = list_shards(folder)
        last = _open(shard_path(folder, shards[-1])) if shards else None
        next_id = high_water(last.storage.read()) + 1 if last is not None else 1
        for number, batch in _batches(records, next_id):
            db = last if shards and number == shards[-1] else _open(shard_path(folder, number))
            db.table(RECORDS).insert_multiple(batch)
            ids.extend(doc.doc_id for doc in batch)
    return ids


def next_id(folder: Path) -> int:
    """Return the id the next insert into the collection gets; the caller holds its lock."""
    shards = list_shards(folder)
    if not shards:
        return 1
    return high_water(AtomicJSONStorage(shard_path(folder, shards[-1])).read()) + 1


def read(folder: Path, rid: int) -> dict | None:
    """Return record rid read from its shard file now (no cache), or None."""
    found = read_shard(folder, shard_of(rid)).get(str(rid))
    return None if found is None else dict(found)


def read_shard(folder: Path, number: int) -> dict[str, dict]:
    """Return the records of shard `number` by their id as text, read now (no cache)."""
    state = AtomicJSONStorage(shard_path(folder, number)).read() or {}
    return state.get(RECORDS) or {}


def put(folder: Path, records: dict[int, dict | None]) -> list[tuple[int, FileKey, Places | None]]:
    """Write whole records under their ids (new or not; None deletes), one write per shard.

    Return, for each shard written, its number, the version of its file and where its
    records lie in it (store/places.py)."""
    ensure_dir(folder)
    written = []
    with locked(folder / LOCK_NAME):
        remove_stale_temps(folder)
        for number, group in groupby(sorted(records), key=shard_of):
            path = shard_path(folder, number)
            state = AtomicJSONStorage(path).read() or {}
            last = high_water(state)
            table = state.setdefault(RECORDS, {})
            for rid in group:
                record = records[rid]
                if record is None:
                    table.pop(str(rid), None)
                else:
                    body = {k: v for k, v in record.items() if k != "id"}
                    table[str(rid)] = {"id": rid} | body
            # Deleting the newest record must not let the next insert reuse its id.
            present = max((int(k) for k in table), default=0)
            if last > present:
                state.setdefault(META, {})[str(META_ID)] = {"last_id": last}
            data, places = encode(state)
            # Through the module: storage.atomic_write is where every byte reaches the disk.
            written.append((number, storage.atomic_write(path, data), places))
    return written


def _batches(records: Iterable[dict], first_id: int) -> Iterator[tuple[int, list[Document]]]:
    docs = (_with_id(record, rid) for rid, record in enumerate(records, start=first_id))
    for number, group in groupby(docs, key=lambda doc: shard_of(doc.doc_id)):
        yield number, list(group)


def update(folder: Path, rid: int, changes: dict, *, replace: bool = False) -> dict | None:
    """Merge changes into record rid (or replace it whole) and return it; None if absent."""
    path = shard_path(folder, shard_of(rid))
    if not path.exists():
        return None
    with locked(folder / LOCK_NAME):
        remove_stale_temps(folder)
        table = _open(path).table(RECORDS)
        if not table.contains(doc_id=rid):
            return None
        table.update(_replacing({"id": rid} | changes) if replace else changes, doc_ids=[rid])
        return dict(table.get(doc_id=rid))


def _replacing(body: dict):
    def replace(doc: dict) -> None:
        doc.clear()
        doc.update(body)

    return replace


def remove(folder: Path, rid: int) -> bool:
    """Delete record rid; return whether it existed."""
    path = shard_path(folder, shard_of(rid))
    if not path.exists():
        return False
    with locked(folder / LOCK_NAME):
        remove_stale_temps(folder)
        db = _open(path)
        table = db.table(RECORDS)
        if not table.contains(doc_id=rid):
            return False
        if shard_of(rid) == list_shards(folder)[-1] and high_water(db.storage.read()) == rid:
            # Deleting the newest record would let the next insert reuse its id: record
            # the high-water mark first, so a crash between the writes loses nothing.
            _set_last_id(db.table(META), rid)
        table.remove(doc_ids=[rid])
        return True


def _set_last_id(meta: Table, rid: int) -> None:
    if meta.contains(doc_id=META_ID):
        meta.update({"last_id": rid}, doc_ids=[META_ID])
    else:
        meta.insert(Document({"last_id": rid}, doc_id=META_ID))
