"""Scripts and styles under a version of their content: /static/js/page.js?v=3f2a9c1b5d0e.

Without it every page asked again for each of its scripts and styles (a 304 each): on a
beneficiary's phone on a slow network, a round trip each. An address that carries the
file's version changes when the file does, so the browser keeps it for a year without
asking; an address without one is served as before, checked on every use.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from flask import Flask, request
from werkzeug.security import safe_join

YEAR = 365 * 24 * 3600


@functools.lru_cache(maxsize=512)
def _digest(path: str, _changed: tuple[int, int]) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def version(folder: str, filename: str) -> str | None:
    """Return the version of a file of the static folder, or None if there is none."""
    path = safe_join(folder, filename)
    try:
        found = Path(path).stat() if path else None
    except OSError:
        return None
    return None if found is None else _digest(path, (found.st_mtime_ns, found.st_size))


def init_app(app: Flask) -> None:
    """Version the addresses url_for gives static files; cache versioned answers a year."""

    @app.url_defaults
    def _versioned(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            found = version(app.static_folder, values["filename"])
            if found:
                values["v"] = found

    unversioned = app.get_send_file_max_age

    def max_age(filename: str | None) -> int | None:
        return YEAR if request.args.get("v") else unversioned(filename)

    app.get_send_file_max_age = max_age
