"""What a store holds, compared across backends and installations by the tests."""

from __future__ import annotations

import os
from pathlib import Path

from store.exchange import parse
from store.transfer import folder_files


def tree(root: Path) -> dict[str, bytes]:
    """Map each data file under root to its bytes, leaving out locks, temp leftovers and
    the indexes (derived from the records, built again on start)."""
    found = {}
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d not in ("_locks", "_index")]
        for name in names:
            if not name.endswith((".lock", ".tmp")):
                path = Path(folder, name)
                found[path.relative_to(root).as_posix()] = path.read_bytes()
    return found


def state(store) -> dict:
    """Return what a store holds, whichever its backend: its records, each collection's
    count and highest id, its counters, and the data folder's own files."""
    return {
        "records": {name: list(store.iter(name)) for name in store.collections()},
        "summary": parse(store.dump().items()).summary(),
        "files": {rel: (store.root / rel).read_bytes() for rel in folder_files(store.root)},
    }
