"""Backups, restores and copies of the PostgreSQL backend, in the TinyDB backend's format.

A backup is the archive store/backup.py writes for a data folder, its records and
counters read from the database in one snapshot and laid out as the TinyDB backend's
shard and counter files (store/exchange.py). Either backend restores either's archive.

A restore checks the whole archive first (store/backup.py), then replaces the
database's records and counters in one transaction and puts the archive's other files
(uploads, forms, key) in place of the data folder. What was there is kept, never
deleted: the database's content and the folder as a backup archive beside the folder,
and the folder itself moved aside as the TinyDB backend does.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from itertools import groupby
from pathlib import Path

import psycopg

from store import exchange
from store.backup import (
    ASIDE,
    NOT_DATA,
    BackupError,
    _extract,
    _now,
    _swap,
    create_backup,
    holds_data,
    send_files,
)
from store.errors import StoreError
from store.postgres import rows, texts
from store.postgres.schema import WRITE_LOCK, lock_key

NOT_DATA_COLLECTIONS = [top for (top, *_rest) in NOT_DATA if not top.startswith("_")]


def has_data(conn: psycopg.Connection) -> bool:
    """Tell whether the database holds any counter or collection, but the notes a start on
    an empty database makes (store/backup.py: NOT_DATA)."""
    return conn.execute(
        """SELECT EXISTS (SELECT FROM rifd_collections WHERE split_part(name, '/', 1) <> ALL(%s))
           OR EXISTS (SELECT FROM rifd_counters)""",
        [NOT_DATA_COLLECTIONS],
    ).fetchone()[0]


def read(conn: psycopg.Connection) -> dict[str, bytes]:
    """Return the records and counters as data-folder files, all read in one snapshot."""
    files: dict[str, bytes] = {}
    with conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        last = dict(conn.execute("SELECT name, last_id FROM rifd_collections").fetchall())
        for name, value in conn.execute("SELECT name, value FROM rifd_counters"):
            rel, data = exchange.counter_file(name, value)
            files[rel] = data
        with conn.cursor(name="rifd_dump") as cursor:
            cursor.itersize = 2000
            cursor.execute("SELECT collection, id, body FROM rifd_records ORDER BY collection, id")
            for name, group in groupby(cursor, key=lambda row: row[0]):
                records = ((rid, body) for _name, rid, body in group)
                files.update(exchange.shard_files(name, records, last.pop(name, 0)))
    for name, last_id in last.items():  # every record deleted: the shard of its last id
        files.update(exchange.shard_files(name, [], last_id))
    return files


def load(conn: psycopg.Connection, contents: exchange.Contents, schema: str, replace: bool):
    """Put records and counters in the database in one transaction, in place of all it
    holds; unless replace, it must hold no data (store/backup.py: NOT_DATA) yet."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [lock_key(schema, WRITE_LOCK)])
        if not replace and has_data(conn):
            raise StoreError("the database already holds records or counters")
        # What a start on an empty database wrote (upgrade notes) goes too.
        conn.execute(
            "TRUNCATE rifd_records, rifd_collections, rifd_counters, rifd_texts, rifd_text_built,"
            " rifd_counts, rifd_sizes"  # a TRUNCATE fires no trigger: counts go with records
        )
        for name, collection in contents.collections.items():
            last = max([collection.last_id, *collection.records])
            conn.execute("INSERT INTO rifd_collections VALUES (%s, %s)", [name, last])
            records = (
                (rid, {"id": rid} | {k: v for k, v in record.items() if k != "id"})
                for rid, record in collection.records.items()
            )
            rows.insert(conn, name, records)
        for name, value in contents.counters.items():
            conn.execute("INSERT INTO rifd_counters VALUES (%s, %s)", [name, value])
        for name in contents.collections:
            fields = texts.begin(conn, schema, name)
            if fields:
                texts.build(conn, name, fields)


def backup(store, dest, *, now=None) -> dict:
    """Write the store (database and data folder) to dest (.tar.gz); return the manifest."""
    return create_backup(
        store.root, dest, now=now, database=store.dump, files=store.outside_files()
    )


def _take_store_files(staging: Path, manifest: dict) -> list[tuple[str, bytes]]:
    """Read the record and counter files out of an extracted archive, removing them."""
    taken = []
    for entry in manifest["files"]:
        rel = entry["path"]
        if exchange.is_store_file(rel):
            path = staging.joinpath(*rel.split("/"))
            taken.append((rel, path.read_bytes()))
            path.unlink()
    for folder, dirs, names in os.walk(staging, topdown=False):
        if not dirs and not names and Path(folder) != staging:
            with contextlib.suppress(OSError):
                os.rmdir(folder)
    return taken


def _aside_archive(store, stamp) -> Path:
    root = store.root
    path = root.with_name(f"{root.name}{ASIDE}{stamp:%Y%m%d-%H%M%S}.tar.gz")
    n = 1
    while path.exists():
        path = root.with_name(f"{root.name}{ASIDE}{stamp:%Y%m%d-%H%M%S}-{n}.tar.gz")
        n += 1
    backup(store, path, now=stamp)
    return path


def restore(store, archive, *, force: bool = False, now=None) -> tuple[dict, list[Path]]:
    """Replace the store's records, counters and folder with a backup's.

    Return the manifest and where what was there is kept.
    """
    archive, root, stamp = Path(archive), store.root, _now(now)
    in_db = store.holds_data()
    if (in_db or (root.exists() and holds_data(root))) and not force:
        where = f"the database (schema {store.schema})" if in_db else str(root)
        raise BackupError(
            f"{where} already holds data: restore with --force to replace it "
            "(what it holds is then kept aside, not deleted)"
        )
    try:
        staging = Path(tempfile.mkdtemp(dir=root.parent, prefix=f".{root.name}.restore-"))
    except OSError as exc:
        raise BackupError(f"cannot write beside {root}: {exc.strerror or exc}") from None
    kept: list[Path] = []
    try:
        manifest = _extract(archive, staging)
        files = dict(_take_store_files(staging, manifest))
        exchange.parse(files.items())  # refuses a malformed file before anything changes
        send_files(staging, store.outside_files())  # before any record names them
        if in_db:
            kept.append(_aside_archive(store, stamp))
        store.load(files, replace=True)
        aside = _swap(staging, root, stamp)
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError):
            raise BackupError(f"cannot restore into {root}: {exc.strerror or exc}") from None
        raise
    return manifest, kept + ([aside] if aside else [])
