"""Rifd's storage: the only package that touches TinyDB or PostgreSQL.

    store = get_store()
    rid = store.insert("submissions/support_request", {"name": "..."})

The interface names no TinyDB or psycopg type, so that either backend stands behind it:
TinyDB in the data folder (the default), or PostgreSQL when a database URL is set
(RIFD_DATABASE_URL). Files stay in the data folder, or go to S3-compatible object storage
when a files URL is set (RIFD_FILES_URL=s3://bucket/prefix, store/s3.py), with either
backend. The Flask glue follows flaskr/db.py: init_app(app) in the factory, get_store()
in views.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, current_app

from store.api import Store
from store.blobs import FILES_SCHEME, Files, FolderFiles
from store.errors import FilesUnavailable, NotFoundError, StoreError
from store.indexes import AnyOf, normalize_text
from store.layout import FILES_DIR

__all__ = [
    "AnyOf",
    "Files",
    "FilesUnavailable",
    "NotFoundError",
    "Store",
    "StoreError",
    "get_store",
    "init_app",
    "is_database_url",
    "is_files_url",
    "normalize_text",
    "open_files",
    "open_store",
    "settings_of",
]

EXTENSION_KEY = "rifd_store"
URL_SCHEMES = ("postgresql://", "postgres://")


def is_database_url(target: str) -> bool:
    """Tell whether target names a PostgreSQL database rather than a folder."""
    return target.startswith(URL_SCHEMES)


def is_files_url(target: str) -> bool:
    """Tell whether target names object storage (s3://bucket/prefix) rather than a folder."""
    return target.startswith(FILES_SCHEME)


def open_files(data_dir: str | os.PathLike, url: str | None = None, settings=None) -> Files:
    """Return where an installation keeps its files: the data folder's _files, or the
    object storage url names (s3://bucket/prefix), checked to be reachable.

    settings: where RIFD_S3_ENDPOINT_URL and RIFD_S3_REGION are read (the environment
    by default; app.config's S3_ENDPOINT_URL and S3_REGION win in init_app).
    """
    if not url:
        return FolderFiles(Path(data_dir).absolute() / FILES_DIR)
    if not is_files_url(url):
        raise StoreError("a files URL looks like s3://bucket/prefix")
    settings = os.environ if settings is None else settings
    # Imported here, not at the top: boto3 took 0.8 s to import on the busy 2-core
    # machine, which an installation keeping its files in the data folder never pays.
    from store.s3 import S3Files

    files = S3Files(
        url,
        endpoint_url=settings.get("RIFD_S3_ENDPOINT_URL"),
        region=settings.get("RIFD_S3_REGION"),
    )
    files.check()  # fails here, with the service's reason, if it cannot be reached
    return files


def open_store(data_dir: str | os.PathLike, url: str | None = None, files: Files | None = None):
    """Open the store of a data folder: records in PostgreSQL if url is given, else TinyDB;
    files where `files` keeps them (default: the data folder)."""
    if not url:
        return Store(data_dir, files=files)
    if not is_database_url(url):
        raise StoreError("a database URL starts with postgresql:// (or postgres://)")
    # Imported here, not at the top: the driver costs ~0.15 s to import, which an
    # installation on the TinyDB default never needs to pay.
    from store.postgres import PgStore

    return PgStore(data_dir, url, files=files)


def settings_of(app: Flask) -> dict:
    """Return the store's settings: app.config's, else the environment's RIFD_ ones."""
    names = ("DATABASE_URL", "FILES_URL", "S3_ENDPOINT_URL", "S3_REGION")
    return {f"RIFD_{n}": app.config.get(n) or os.environ.get(f"RIFD_{n}") for n in names}


def init_app(app: Flask) -> None:
    """Open the store of app.config["DATA_DIR"] (creating the folder) and attach it to app.

    Records go to PostgreSQL when app.config["DATABASE_URL"] or RIFD_DATABASE_URL is set;
    files to object storage when app.config["FILES_URL"] or RIFD_FILES_URL is set.
    """
    data_dir = app.config.get("DATA_DIR")
    if not data_dir:
        raise StoreError('app.config["DATA_DIR"] is not set')
    settings = settings_of(app)
    files = open_files(data_dir, settings["RIFD_FILES_URL"], settings)
    app.extensions[EXTENSION_KEY] = open_store(data_dir, settings["RIFD_DATABASE_URL"], files)


def get_store():
    """Return the store of the current Flask app."""
    try:
        return current_app.extensions[EXTENSION_KEY]
    except KeyError:
        raise StoreError("the store is not initialised: call store.init_app(app)") from None
