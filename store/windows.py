"""Sliding-window hit counts that every worker process sees: sign-in lock-outs, rate limits.

A count kept in one process's memory is a count per gunicorn worker: with four
workers a name took 20 wrong passwords before its lock. These counts live in the
data folder instead, under _locks/limits/ (left out of backups, like the locks):
16 small JSON files, each with its own file lock, a key going to one of them by
its hash. Keys (a user name, an address) are stored only as that hash.

Each write drops the keys whose last hit has left its window, so a file holds
the keys active in the last window (an hour at most), never the whole history.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import orjson

from store.storage import atomic_write, ensure_dir, locked, read_json, remove_stale_temps

BUCKETS = 16


class SlidingWindows:
    """Count hits per key over a sliding window, shared by every process on one folder."""

    def __init__(self, folder: Path, clock: Callable[[], float] = time.time) -> None:
        # Wall-clock time, not monotonic: the stamps are compared across processes.
        self._folder = folder
        self._clock = clock

    def hit(self, key: str, limit: int, per_seconds: int) -> bool:
        """Record a hit on `key` and return True, or return False if it is over the limit.

        Refused hits are not recorded, so a client that waits regains access as its
        earlier hits leave the window, however often it was refused meanwhile.
        """
        now = self._clock()
        name, path = self._where(key)
        with _bucket(path) as hits:
            stamps = [s for s in hits.get(name, (0, []))[1] if s > now - per_seconds]
            allowed = len(stamps) < limit
            if allowed:
                stamps.append(now)
            hits[name] = (per_seconds, stamps)
            _sweep(hits, now)
        return allowed

    def reset(self, key: str) -> None:
        """Forget every hit on `key` (after a successful sign-in, say)."""
        name, path = self._where(key)
        with _bucket(path) as hits:
            hits.pop(name, None)
            _sweep(hits, self._clock())

    def _where(self, key: str) -> tuple[str, Path]:
        name = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
        return name, self._folder / f"{int(name[0], 16) % BUCKETS:02d}.json"


@contextmanager
def _bucket(path: Path) -> Iterator[dict]:
    """Yield one bucket's hits, read under its lock and written back if the block succeeds."""
    ensure_dir(path.parent)
    with locked(path.with_suffix(".lock")):
        remove_stale_temps(path.parent, prefix=f".{path.name}.")
        loaded = read_json(path)
        hits = dict(loaded[1]) if loaded and isinstance(loaded[1], dict) else {}
        yield hits
        atomic_write(path, orjson.dumps(hits))


def _sweep(hits: dict, now: float) -> None:
    idle = [k for k, (window, stamps) in hits.items() if not stamps or stamps[-1] <= now - window]
    for key in idle:
        del hits[key]
