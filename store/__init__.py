"""Rifd's storage: the only package that touches TinyDB.

    store = get_store()
    rid = store.insert("submissions/support_request", {"name": "..."})

The interface names no TinyDB type so that another backend can stand behind it. The
Flask glue follows flaskr/db.py: init_app(app) in the factory, get_store() in views.
"""

from flask import Flask, current_app

from store.api import Store
from store.errors import NotFoundError, StoreError
from store.indexes import AnyOf

__all__ = ["AnyOf", "NotFoundError", "Store", "StoreError", "get_store", "init_app"]

EXTENSION_KEY = "rifd_store"


def init_app(app: Flask) -> None:
    """Open the store in app.config["DATA_DIR"] (creating the folder) and attach it to app."""
    data_dir = app.config.get("DATA_DIR")
    if not data_dir:
        raise StoreError('app.config["DATA_DIR"] is not set')
    app.extensions[EXTENSION_KEY] = Store(data_dir)


def get_store() -> Store:
    """Return the store of the current Flask app."""
    try:
        return current_app.extensions[EXTENSION_KEY]
    except KeyError:
        raise StoreError("the store is not initialised: call store.init_app(app)") from None
