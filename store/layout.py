"""Where things live inside the data folder, and the checks that keep them there.

    <root>/<collection>/000000.json   shard 0: ids 1..999 (a TinyDB database)
    <root>/<collection>/000001.json   shard 1: ids 1000..1999
    <root>/<collection>/.lock         the collection's inter-process lock
    <root>/_counters/<name>.json      reference-number counters
    <root>/_files/ab/cdef...          uploaded files by sha256
    <root>/_locks/<name>.lock         named locks for multi-step operations (Store.lock)
    <root>/_locks/_write.lock         the store's write lock (store/transaction.py)
    <root>/_locks/limits/windows.sqlite3  sign-in and rate-limit hit counts (store/windows.py)
    <root>/_journal/<uuid>.json       a transaction being written (store/transaction.py)
    <root>/_index/index.sqlite3       derived from the shards: secondary indexes and their counts
                                      (store/indexes.py), where each record lies (store/places.py)
    <root>/_exports/<job>.xlsx        exports made in the background (sheets/jobs.py)

Internal folders start with "_", which no collection name can, so the two never meet.
"""

import os
import re
from pathlib import Path

from store.errors import StoreError

# Part of the on-disk format: changing it needs the shards of existing data rewritten.
SHARD_SIZE = 1000
COUNTERS_DIR = "_counters"
FILES_DIR = "_files"
LOCKS_DIR = "_locks"
LIMITS_DIR = "limits"  # inside LOCKS_DIR: short-lived, left out of backups like the locks
JOURNAL_DIR = "_journal"
INDEX_DIR = "_index"
EXPORTS_DIR = "_exports"
# Not a valid lock name for Store.lock (those start with a letter): the two never meet.
WRITE_LOCK = "_write.lock"
LOCK_NAME = ".lock"

_SEGMENT = r"[a-z][a-z0-9_]*"
_NAME_RE = re.compile(rf"{_SEGMENT}(?:/{_SEGMENT})?")
_SEGMENT_RE = re.compile(_SEGMENT)
_DIGEST_RE = re.compile(r"[0-9a-f]{64}")
_SHARD_RE = re.compile(r"(\d{6,})\.json")


def check_name(name: object, what: str = "collection") -> str:
    """Return name if it is a valid collection or counter name, else raise StoreError."""
    # fullmatch, not match with $: "$" would accept a trailing newline.
    if not isinstance(name, str) or not _NAME_RE.fullmatch(name):
        raise StoreError(f"invalid {what} name: {name!r}")
    return name


def check_fields(wanted: list[tuple[str, str]]) -> None:
    """Raise StoreError unless each (pattern, field) names a field to index ("state",
    "answers.national_id", "people[]"): no empty part."""
    for _pattern, field in wanted:
        if not field or any(not part for part in field.split(".")):
            raise StoreError(f"invalid field to index: {field!r}")


def check_id(rid: object) -> int:
    """Return rid if it is a positive integer id, else raise StoreError."""
    if isinstance(rid, bool) or not isinstance(rid, int) or rid < 1:
        raise StoreError(f"invalid record id: {rid!r}")
    return rid


def check_digest(digest: object) -> str:
    """Return digest if it is 64 lowercase hex characters, else raise StoreError."""
    if not isinstance(digest, str) or not _DIGEST_RE.fullmatch(digest):
        raise StoreError(f"invalid file digest: {digest!r}")
    return digest


def collection_dir(root: Path, name: str) -> Path:
    """Return the folder of a (checked) collection name."""
    return root.joinpath(*check_name(name).split("/"))


def shard_of(rid: int) -> int:
    """Return the number of the shard that holds record rid."""
    return rid // SHARD_SIZE


def shard_path(folder: Path, number: int) -> Path:
    """Return the file of shard number in a collection folder."""
    return folder / shard_name(number)


def shard_name(number: int) -> str:
    """Return the file name of shard number."""
    return f"{number:06d}.json"


def list_shards(folder: Path) -> list[int]:
    """Return the shard numbers present in a collection folder, ascending."""
    try:
        names = os.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return []
    found = (_SHARD_RE.fullmatch(name) for name in names)
    return sorted(int(match.group(1)) for match in found if match)


def collection_names(root: Path) -> list[str]:
    """Return the names of the collections that hold at least one shard."""
    names = []
    for top in _subdirs(root):
        if list_shards(root / top):
            names.append(top)
        names.extend(
            f"{top}/{sub}" for sub in _subdirs(root / top) if list_shards(root / top / sub)
        )
    return sorted(names)


def _subdirs(folder: Path) -> list[str]:
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return []
    return [e.name for e in entries if e.is_dir() and _SEGMENT_RE.fullmatch(e.name)]
