"""Exports that run in the background: the records stream from the store into a file.

A large export (100,000 submissions) takes longer than a browser or a proxy waits for
one answer, so the page starts a job and follows it: the job's record (collection
"jobs", kind "export") holds how far it got, and the file is written beside the data
in <data>/_exports/<job id>.xlsx, renamed into place only once complete. Export files
hold personal data and are made again on demand: they are left out of backups and
deleted after a day.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from store.layout import EXPORTS_DIR
from store.storage import ensure_dir

JOBS = "jobs"
KIND = "export"
KEEP = dt.timedelta(days=1)
EVERY = 500  # records between two progress updates
log = logging.getLogger(__name__)

# write(out, counted) writes the file to out (a path, or a buffer for a small export)
# from the records (or rows) it passes through counted(), and returns how many rows it
# wrote. counted() keeps the job's progress.
Writer = Callable[[Path, Callable[[Iterable], Iterator]], int]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def new(store, *, what: str, name: str, total: int, by: str, lang: str, **shown) -> dict:
    """Record an export about to start and return it (`shown`: what its page shows)."""
    job = {
        **shown,
        "kind": KIND,
        "what": what,
        "name": name,
        "status": "running",
        "done": 0,
        "total": total,
        "by": by,
        "lang": lang,
        "rows": 0,
        "error": "",
        "created_at": _now().isoformat(timespec="seconds"),
    }
    job["id"] = store.insert(JOBS, job)
    return job


def path_of(store, job: dict) -> Path:
    return store.root / EXPORTS_DIR / f"{job['id']}.xlsx"


def run(store, job_id: int, write: Writer) -> dict:
    """Write the export of job `job_id`, keeping its progress in the store."""
    job = store.get(JOBS, job_id)
    final = path_of(store, job)
    ensure_dir(final.parent)
    partial = final.with_suffix(".xlsx.part")

    def counted(records: Iterable) -> Iterator:
        done = 0
        for done, record in enumerate(records, start=1):
            if done % EVERY == 0:
                store.update(JOBS, job_id, {"done": done})
            yield record
        store.update(JOBS, job_id, {"done": done})

    try:
        rows = write(partial, counted)
        os.replace(partial, final)
        return store.update(JOBS, job_id, {"status": "done", "rows": rows})
    except Exception as exc:  # noqa: BLE001  (the last stop of a background thread)
        log.exception("export job %s failed", job_id)
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
        return store.update(JOBS, job_id, {"status": "failed", "error": type(exc).__name__})


def sweep(store, now: dt.datetime | None = None) -> int:
    """Delete export files older than KEEP; return how many."""
    folder = store.root / EXPORTS_DIR
    limit = ((now or _now()) - KEEP).timestamp()
    removed = 0
    with contextlib.suppress(FileNotFoundError):
        for entry in os.scandir(folder):
            if entry.is_file() and entry.stat().st_mtime < limit:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)
                    removed += 1
    return removed
