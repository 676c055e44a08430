"""The parse cache: an unchanged shard is parsed once, a changed one again."""

import pytest

from store import cache as cache_module
from store.cache import ShardCache

C = "cases"
# The parse cache belongs to the TinyDB backend: PostgreSQL parses each row it sends.
pytestmark = pytest.mark.backends("tinydb")


@pytest.fixture
def parses(monkeypatch):
    """Count the shard files the cache parses."""
    seen = []
    real = cache_module.read_json

    def counting(path):
        seen.append(path.name)
        return real(path)

    monkeypatch.setattr(cache_module, "read_json", counting)
    return seen


def test_unchanged_shards_are_parsed_once(store, small_shards, parses):
    store.insert_many(C, [{"n": n} for n in range(25)])
    assert len(list(store.iter(C))) == 25
    assert len(parses) == 3
    assert len(store.find(C, where={"n": 3})) == 1
    assert store.count(C) == 25
    assert len(parses) == 3


def test_a_write_invalidates_only_its_shard(store, small_shards, parses):
    store.insert_many(C, [{"n": n} for n in range(25)])
    list(store.iter(C))
    parses.clear()
    store.update(C, 3, {"n": -3})
    assert [r["n"] for r in store.iter(C)][2] == -3
    assert parses == ["000000.json"]


def test_count_needs_no_parse_once_known(store, small_shards, parses):
    store.insert_many(C, [{"n": n} for n in range(25)])
    store.count(C)
    parses.clear()
    assert store.count(C) == 25
    assert parses == []


def test_eviction_keeps_within_the_budget(store, small_shards):
    store.insert_many(C, [{"text": "x" * 100} for _ in range(50)])
    paths = sorted((store.root / C).glob("*.json"))
    budget = 2 * paths[1].stat().st_size + 10
    cache = ShardCache(budget=budget)
    assert sum(len(cache.load(path).records) for path in paths) == 50
    assert cache._used <= budget
    assert len(cache._shards) == 2
    # Counts outlive eviction.
    assert sum(cache.count(path) for path in paths) == 50


def test_a_streamed_read_leaves_the_cache_as_it_was(store, small_shards, parses):
    store.insert_many(C, [{"n": n} for n in range(25)])
    assert [r["n"] for r in store.iter(C, stream=True)] == list(range(25))
    assert len(parses) == 3
    parses.clear()
    list(store.iter(C, stream=True))  # nothing kept: parsed again
    assert len(parses) == 3
    list(store.iter(C))
    parses.clear()
    list(store.iter(C, stream=True))  # what is cached already is used
    assert parses == []
