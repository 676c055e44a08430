"""Rifd's storage: the only package that touches TinyDB or PostgreSQL.

    store = get_store()
    rid = store.insert("submissions/support_request", {"name": "..."})

The interface names no TinyDB or psycopg type, so that either backend stands behind it:
TinyDB in the data folder (the default), or PostgreSQL when a database URL is set
(RIFD_DATABASE_URL); files stay in the data folder either way. The Flask glue follows
flaskr/db.py: init_app(app) in the factory, get_store() in views.
"""

from __future__ import annotations

import os

from flask import Flask, current_app

from store.api import Store
from store.errors import NotFoundError, StoreError
from store.indexes import AnyOf, normalize_text

__all__ = [
    "AnyOf",
    "NotFoundError",
    "Store",
    "StoreError",
    "get_store",
    "init_app",
    "is_database_url",
    "normalize_text",
    "open_store",
]

EXTENSION_KEY = "rifd_store"
URL_SCHEMES = ("postgresql://", "postgres://")


def is_database_url(target: str) -> bool:
    """Tell whether target names a PostgreSQL database rather than a folder."""
    return target.startswith(URL_SCHEMES)


def open_store(data_dir: str | os.PathLike, url: str | None = None):
    """Open the store of a data folder: records in PostgreSQL if url is given, else TinyDB."""
    if not url:
        return Store(data_dir)
    if not is_database_url(url):
        raise StoreError("a database URL starts with postgresql:// (or postgres://)")
    # Imported here, not at the top: the driver costs ~0.15 s to import, which an
    # installation on the TinyDB default never needs to pay.
    from store.postgres import PgStore

    return PgStore(data_dir, url)


def init_app(app: Flask) -> None:
    """Open the store of app.config["DATA_DIR"] (creating the folder) and attach it to app.

    Records go to PostgreSQL when app.config["DATABASE_URL"] or RIFD_DATABASE_URL is set.
    """
    data_dir = app.config.get("DATA_DIR")
    if not data_dir:
        raise StoreError('app.config["DATA_DIR"] is not set')
    url = app.config.get("DATABASE_URL") or os.environ.get("RIFD_DATABASE_URL")
    app.extensions[EXTENSION_KEY] = open_store(data_dir, url)


def get_store():
    """Return the store of the current Flask app."""
    try:
        return current_app.extensions[EXTENSION_KEY]
    except KeyError:
        raise StoreError("the store is not initialised: call store.init_app(app)") from None
