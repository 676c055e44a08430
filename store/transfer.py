"""Copy a whole store into another: a data folder into PostgreSQL, or back.

Records and counters travel as the TinyDB backend's files (store/exchange.py), ids and
highest ids included; the destination must hold none yet (what an app's start on it
wrote, its upgrade notes and a generated secret key, is replaced). The data folder's other
files (the association's forms, key) are copied too when the destination has a folder
of its own, and the stored files (uploads, archived letters) when the destination keeps
them elsewhere: another folder, or object storage (store/s3.py), streamed one by one and
checked against their names. At the end the destination is read back and must hold
exactly what was read from the source: each collection's count and highest id, each
counter, and every stored file.
"""

from __future__ import annotations

import os
from pathlib import Path

from store.backup import KEY_FILE
from store.blobs import Files, copy_files
from store.errors import StoreError
from store.exchange import is_store_file, parse
from store.layout import COUNTERS_DIR, EXPORTS_DIR, FILES_DIR, INDEX_DIR, JOURNAL_DIR, LOCKS_DIR
from store.storage import atomic_write, ensure_dir

# Derived or the store's own: never copied as files (the stored files go by copy_files).
_NOT_COPIED = (LOCKS_DIR, INDEX_DIR, EXPORTS_DIR, COUNTERS_DIR, JOURNAL_DIR, FILES_DIR)


def folder_files(root: Path) -> list[str]:
    """Return the paths of a data folder's own files: not records, counters or locks."""
    found = []
    for folder, dirs, names in os.walk(root):
        rel_dir = Path(folder).relative_to(root).as_posix()
        if rel_dir == ".":
            dirs[:] = [d for d in dirs if d not in _NOT_COPIED]
            rel_dir = ""
        dirs.sort()
        for name in sorted(names):
            rel = f"{rel_dir}/{name}".lstrip("/")
            if name.endswith((".lock", ".tmp")) or is_store_file(rel):
                continue
            if (Path(folder) / name).is_file() and not (Path(folder) / name).is_symlink():
                found.append(rel)
    return found


def _plan_files(source: Path, dest: Path) -> list[str]:
    """Return the files to copy; refuse if the destination has other ones at their paths."""
    wanted, clashes = [], []
    for rel in folder_files(source):
        target = dest.joinpath(*rel.split("/"))
        if not target.exists() or rel == KEY_FILE:
            wanted.append(rel)
        elif target.read_bytes() != source.joinpath(*rel.split("/")).read_bytes():
            clashes.append(rel)
    if clashes:
        shown = ", ".join(clashes[:5])
        raise StoreError(f"{dest} already holds different files: {shown}")
    return wanted


def copy(source, dest) -> dict:
    """Copy source's records, counters and files into dest; return what was copied.

    The summary returned: {"collections": {name: (records, highest id)}, "counters":
    {name: value}, "files": n} (n: the folder's files and the stored files copied).
    """
    if dest.holds_data():
        raise StoreError(
            f"{dest!r} already holds records or counters (was Rifd started on it?): "
            "copy into an empty one"
        )
    same_folder = Path(source.root).resolve() == Path(dest.root).resolve()
    files = [] if same_folder else _plan_files(source.root, dest.root)
    dumped = source.dump()
    expected = parse(dumped.items()).summary()
    dest.load(dumped)
    for rel in files:
        target = dest.root.joinpath(*rel.split("/"))
        ensure_dir(target.parent)
        atomic_write(target, source.root.joinpath(*rel.split("/")).read_bytes())
    stored = 0 if source.files.same_as(dest.files) else carry_files(source.files, dest.files)
    got = parse(dest.dump().items()).summary()
    if got != expected:
        wrong = sorted(
            name
            for name in expected["collections"].keys() | got["collections"].keys()
            if expected["collections"].get(name) != got["collections"].get(name)
        )
        raise StoreError(f"the copy does not match its source: {', '.join(wrong) or 'counters'}")
    return expected | {"files": len(files) + stored}


def carry_files(source: Files, dest: Files) -> int:
    """Copy every stored file dest lacks; check that dest then holds them all; return how
    many were copied."""
    copied, _had = copy_files(source, dest)
    held = dict(dest.listing())
    missing = [d for d, size in source.listing() if held.get(d) != size]
    if missing:
        raise StoreError(f"{len(missing)} files did not reach {dest.location}: {missing[0]}")
    return copied
