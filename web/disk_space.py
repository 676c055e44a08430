"""Refuse a write before it starts when the data folder's disk is nearly full.

A request that fails half-way on a full disk cannot always say what it kept:
a transaction (a record and its audit entry) is all or nothing, but some pages
write twice. So a request that may write (anything but GET, HEAD, OPTIONS) is
refused up front, with nothing attempted, while less than RIFD_MIN_FREE_MB
(default 50) megabytes are free. What still fails mid-way is caught by
web.errors, which says whether the change was kept.
"""

from __future__ import annotations

import os
import shutil

from flask import current_app, request

from web.errors import disk_full_page

DEFAULT_MIN_FREE_MB = 50
_READS = frozenset({"GET", "HEAD", "OPTIONS"})


def min_free_bytes() -> int:
    """Return the free bytes below which writes are refused (RIFD_MIN_FREE_MB)."""
    configured = current_app.config.get("MIN_FREE_MB") or os.environ.get("RIFD_MIN_FREE_MB")
    try:
        megabytes = float(configured) if configured not in (None, "") else DEFAULT_MIN_FREE_MB
    except ValueError:
        megabytes = DEFAULT_MIN_FREE_MB
    return int(max(megabytes, 0) * 1024 * 1024)


def _refuse_when_full():
    if request.method in _READS or request.endpoint in (None, "static"):
        return None
    try:
        free = shutil.disk_usage(current_app.config["DATA_DIR"]).free
    except OSError:
        return None  # a data folder not made yet: the write itself will say
    return disk_full_page() if free < min_free_bytes() else None


def init_app(app) -> None:
    app.before_request(_refuse_when_full)
