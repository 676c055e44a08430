"""The Flask glue: init_app attaches a Store, get_store finds it."""

import pytest
from flask import Flask

from store import Store, StoreError, get_store, init_app


def test_init_app_and_get_store(tmp_path):
    app = Flask("throwaway")
    app.config["DATA_DIR"] = str(tmp_path / "instance" / "data")
    init_app(app)
    assert (tmp_path / "instance" / "data").is_dir()
    with app.app_context():
        store = get_store()
        assert isinstance(store, Store)
        assert get_store() is store
        rid = store.insert("audit", {"who": "admin"})
    with app.test_request_context():
        assert get_store().get("audit", rid)["who"] == "admin"


def test_init_app_needs_a_data_dir():
    with pytest.raises(StoreError):
        init_app(Flask("throwaway"))


def test_get_store_before_init_app():
    with Flask("throwaway").app_context(), pytest.raises(StoreError):
        get_store()
