"""Places: a record read where it lies in its shard, never from a stale place; kept counts."""

from __future__ import annotations

import sqlite3
from collections import Counter

import orjson
import pytest

from store import AnyOf, Store
from store import layout as store_layout
from store.cache import Shard
from store.places import encode, places_of
from store.storage import atomic_write

C = "cases"
STATES = ("received", "verified", "committee", "closed")


@pytest.fixture
def parses(monkeypatch):
    """Count the shards parsed whole (by the parse cache or a reader)."""
    seen = []
    real = Shard.from_tables.__func__

    def counting(cls, tables, nbytes):
        seen.append(sorted(tables.get("records") or {}))
        return real(cls, tables, nbytes)

    monkeypatch.setattr(Shard, "from_tables", classmethod(counting))
    return seen


def _index_db(root) -> sqlite3.Connection:
    return sqlite3.connect(root / store_layout.INDEX_DIR / "index.sqlite3")


@pytest.mark.parametrize(
    "state",
    [
        {},
        {"records": {}},
        {"records": {"1": {"id": 1, "name": 'عائلة "محمد"\n', "n": [1.5, None, True]}}},
        {
            "records": {"3": {"id": 3}, "2": {"id": 2, "x": {"y": "\\"}}},
            "meta": {"1": {"last_id": 9}},
        },
    ],
)
def test_a_shard_is_encoded_as_orjson_encodes_it_with_every_record_located(state):
    data, places = encode(state)
    assert data == orjson.dumps(state)
    for key, record in (state.get("records") or {}).items():
        start, length = places.span(int(key))
        assert orjson.loads(data[start : start + length]) == record
    assert places.count == len(state.get("records") or {})
    assert places_of(data, state) == places
    assert places_of(data + b" ", state) is None


@pytest.mark.backends("tinydb")
def test_a_record_is_read_without_parsing_its_shard(store, small_shards, parses):
    ids = store.insert_many(C, [{"n": n, "state": STATES[n % 4]} for n in range(35)])
    fresh = Store(store.root)  # as another process: nothing cached
    parses.clear()
    assert fresh.get(C, ids[17]) == {"id": ids[17], "n": 17, "state": "verified"}
    assert [r["n"] for r in fresh.get_many(C, [ids[30], ids[2], 999])] == [30, 2]
    page, total = fresh.page(C, offset=3, limit=4)
    assert [r["n"] for r in page] == [31, 30, 29, 28] and total == 35
    assert fresh.count(C) == 35
    assert parses == []
    fresh.delete(C, ids[17])
    assert Store(store.root).get(C, ids[17]) is None


@pytest.mark.backends("tinydb")
def test_a_shard_changed_behind_the_places_is_parsed_and_its_places_recorded_again(
    store, small_shards, parses
):
    ids = store.insert_many(C, [{"n": n} for n in range(25)])
    path = store_layout.shard_path(store.root / C, 1)
    state = orjson.loads(path.read_bytes())
    state["records"][str(ids[12])]["n"] = "changed, and longer than before"
    atomic_write(path, orjson.dumps(state))  # as a restore would: no places written
    parses.clear()
    assert Store(store.root).get(C, ids[12])["n"] == "changed, and longer than before"
    assert len(parses) == 1
    assert Store(store.root).get(C, ids[13])["n"] == 13
    assert len(parses) == 1  # the reader recorded the places of the new version


@pytest.mark.backends("tinydb")
def test_places_that_point_to_another_record_are_not_followed(store, small_shards):
    ids = store.insert_many(C, [{"n": n} for n in range(9)])  # ids 1..9: shard 0
    with _index_db(store.root) as db:
        spans = db.execute("SELECT spans FROM places WHERE collection = 'cases'").fetchone()[0]
        swapped = spans[:8] + spans[16:24] + spans[8:16] + spans[24:]  # ids 1 and 2
        db.execute("UPDATE places SET spans = ?", (swapped,))
    fresh = Store(store.root)
    assert [fresh.get(C, rid)["n"] for rid in ids[:3]] == [0, 1, 2]


@pytest.mark.backends("tinydb")
def test_a_folder_without_places_reads_the_same(store, small_shards):
    ids = store.insert_many(C, [{"n": n} for n in range(25)])
    with _index_db(store.root) as db:
        db.execute("DELETE FROM places")
    fresh = Store(store.root)
    assert [r["n"] for r in fresh.get_many(C, ids[::-1])] == list(range(24, -1, -1))
    assert fresh.count(C) == 25
    with _index_db(store.root) as db:
        assert db.execute("SELECT count(*) FROM places").fetchone()[0] == 3


def test_counts_and_tallies_follow_every_write(store):
    store.ensure_index(C, "state")
    store.ensure_index(C, "tags[]")
    ids = store.insert_many(
        C, [{"state": STATES[n % 4], "tags": ["a", "b"][: n % 3]} for n in range(40)]
    )
    store.update(C, ids[0], {"state": "closed"})
    store.delete(C, ids[1])
    store.replace(C, ids[2], {"tags": ["b", "b"]})
    with store.transaction() as tx:
        tx.insert(C, {"state": "received"})
        tx.update(C, ids[3], {"state": "received", "tags": []})
    every = list(store.iter(C))
    expected = Counter(r["state"] for r in every if "state" in r)
    assert store.tally(C, "state") == dict(expected)
    assert store.count(C, where={"state": "closed"}) == expected["closed"]
    assert store.count(C, where={"state": AnyOf(["closed", "received"])}) == (
        expected["closed"] + expected["received"]
    )
    assert store.count(C, where={"state": "nowhere"}) == 0
    tags = Counter(t for r in every for t in set(r.get("tags", [])))
    assert store.count(C, where={"tags[]": "a"}) == tags["a"]


@pytest.mark.backends("tinydb")
def test_an_index_file_made_before_counts_gets_them_counted(tmp_path):
    store = Store(tmp_path / "data")
    store.ensure_index(C, "state")
    store.insert_many(C, [{"state": STATES[n % 4]} for n in range(10)])
    with _index_db(store.root) as db:
        db.execute("DROP TABLE counts")
        db.execute("PRAGMA user_version = 0")
    assert Store(tmp_path / "data").tally(C, "state") == {
        s: 3 if s in STATES[:2] else 2 for s in STATES
    }


def test_a_late_or_second_declaration_counts_what_is_stored_once(store):
    store.insert_many(C, [{"state": STATES[n % 4]} for n in range(20)])
    store.ensure_index(C, "state")
    store.ensure_index("ca*", "state")  # a second pattern for the same field
    store.insert(C, {"state": "closed"})
    store.update(C, 1, {"state": "closed"})  # it was "received"
    assert store.tally(C, "state") == {"received": 4, "verified": 5, "committee": 5, "closed": 7}
    assert store.count(C, where={"state": "closed"}) == 7


@pytest.mark.backends("tinydb")
def test_a_write_whose_places_cannot_be_recorded_is_stored_all_the_same(store, monkeypatch):
    from store.indexfile import IndexFile

    def full(self, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(IndexFile, "step", full)
    rid = store.insert("audit", {"action": "x"})  # nothing indexed: places alone
    monkeypatch.undo()
    assert Store(store.root).get("audit", rid) == {"id": rid, "action": "x"}
