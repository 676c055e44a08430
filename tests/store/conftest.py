"""Fixtures for the store's tests: every test runs against every backend.

A test that takes `store`, `open_store` or `store_at` (or `backend`) runs once per
backend; @pytest.mark.backends("tinydb") keeps one to the backends named, for what only
one of them has (the TinyDB backend's shard files, journal and parse cache).
"""

import pytest

from store import Store
from store import layout as store_layout
from store.postgres import PgStore


def _tinydb(request):
    return Store


def _postgres(request):
    cluster = request.getfixturevalue("postgres")  # skips where PostgreSQL is missing

    def make(root, **options):
        return PgStore(root, cluster.new_url(), **options)

    return make


# name: given the test's request, return a function that opens a new, empty store on a
# data folder (each call a separate installation; options: files=, where its files go).
BACKENDS = {"tinydb": _tinydb, "postgres": _postgres}


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames:
        marker = metafunc.definition.get_closest_marker("backends")
        names = list(marker.args) if marker else sorted(BACKENDS)
        metafunc.parametrize("backend", names)


@pytest.fixture
def store_at(request, backend):
    """Return a function that opens a new, empty store of this backend on a given folder."""
    make = BACKENDS[backend](request)
    opened = []

    def open_new(root, **options):
        opened.append(make(root, **options))
        return opened[-1]

    yield open_new
    for one in opened:
        one.close()


@pytest.fixture
def open_store(request, backend, tmp_path):
    """Return a function that opens the same store again, as a new process would."""
    root = tmp_path / "data"
    if backend == "tinydb":
        yield lambda: Store(root)
        return
    url = request.getfixturevalue("postgres").new_url()
    opened = []

    def reopen():
        opened.append(PgStore(root, url))
        return opened[-1]

    yield reopen
    for one in opened:
        one.close()


@pytest.fixture
def store(open_store):
    return open_store()


@pytest.fixture
def small_shards(monkeypatch):
    """Make shards hold 10 ids, so a few dozen records cross several shard files."""
    monkeypatch.setattr(store_layout, "SHARD_SIZE", 10)
    return 10
