"""Fixtures for the store's tests: every test runs against every backend.

Only the TinyDB backend exists today; a PostgreSQL one joins BACKENDS when it lands.
"""

import pytest

from store import Store
from store import layout as store_layout

BACKENDS = {"tinydb": Store}


@pytest.fixture(params=sorted(BACKENDS))
def open_store(request, tmp_path):
    """Return a function that opens a store on one data folder, as a new process would."""
    backend = BACKENDS[request.param]
    root = tmp_path / "data"
    return lambda: backend(root)


@pytest.fixture
def store(open_store):
    return open_store()


@pytest.fixture
def small_shards(monkeypatch):
    """Make shards hold 10 ids, so a few dozen records cross several shard files."""
    monkeypatch.setattr(store_layout, "SHARD_SIZE", 10)
    return 10
