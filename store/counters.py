"""Counters for human reference numbers (requests, letters): atomic, never reused.

The new value reaches the disk before it is returned. A crash after the write loses one
number (a gap), never hands the same number out twice.
"""

from pathlib import Path

import orjson

from store.layout import check_name
from store.storage import atomic_write, ensure_dir, locked, read_json, remove_stale_temps


class Counters:
    """One small JSON file and one lock file per counter, in one folder."""

    def __init__(self, folder: Path):
        self._folder = folder

    def next(self, name: str) -> int:
        """Return the counter's next value, starting at 1."""
        stem = check_name(name, "counter").replace("/", ".")
        path = self._folder / f"{stem}.json"
        ensure_dir(self._folder)
        with locked(self._folder / f"{stem}.lock"):
            remove_stale_temps(self._folder, prefix=f".{path.name}.")
            loaded = read_json(path)
            value = (loaded[1]["value"] if loaded else 0) + 1
            atomic_write(path, orjson.dumps({"value": value}))
        return value
