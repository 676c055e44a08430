"""Indexes: lookups read only what they find, stay true through every write and any crash."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import sqlite3
import time
from collections import Counter

import orjson
import pytest

from store import AnyOf, Store, StoreError, indexes, normalize_text
from store import layout as store_layout
from store.backup import create_backup, restore_backup
from store.cache import ShardCache
from store.collection import Collection
from store.places import Places
from store.storage import file_key

FORK = multiprocessing.get_context("fork")
STATES = ("received", "verified", "committee", "accepted", "closed")


def _seed(store, n=60):
    records = [
        {"state": STATES[i % 5], "nid": f"10{i % 7:08d}", "answers": {"national_id": str(i % 3)}}
        for i in range(n)
    ]
    return store.insert_many("cases", records)


def _scan(store, where):
    return [r["id"] for r in store.iter("cases") if all(r.get(k) == v for k, v in where.items())]


@pytest.fixture
def shard_reads(monkeypatch):
    """Count the shard files read: parsed whole, or opened to read records where they lie."""
    read = []
    load, opened = ShardCache.load, Collection._opened

    def counted_load(self, path, **kwargs):
        read.append(path.name)
        return load(self, path, **kwargs)

    def counted_open(self, number):
        read.append(store_layout.shard_path(self._folder, number).name)
        return opened(self, number)

    monkeypatch.setattr(ShardCache, "load", counted_load)
    monkeypatch.setattr(Collection, "_opened", counted_open)
    return read


@pytest.mark.backends("tinydb")
def test_an_indexed_lookup_finds_what_a_scan_finds_reading_only_its_shards(
    store, small_shards, shard_reads
):
    _seed(store)
    store.ensure_index("cases", "nid")
    store.ensure_index("cases", "state")
    shard_reads.clear()
    found = store.find("cases", where={"nid": "1000000003"})
    assert [r["id"] for r in found] == _scan(store, {"nid": "1000000003"})
    shard_reads.clear()
    one = store.find("cases", where={"nid": "1000000003", "state": "received"})
    assert [r["id"] for r in one] == [11, 46]  # the 11th and 46th records: i = 10, 45
    assert set(shard_reads) == {"000001.json", "000004.json"}


@pytest.mark.backends("tinydb")
def test_pages_counts_and_tallies_come_from_the_index(store, small_shards, shard_reads):
    _seed(store)
    store.ensure_index("cases", "state")
    shard_reads.clear()
    page, total = store.page("cases", where={"state": "closed"}, limit=3)
    assert [r["id"] for r in page] == [60, 55, 50] and total == 12
    assert set(shard_reads) == {"000006.json", "000005.json"}  # ids 50-60 only
    shard_reads.clear()
    assert store.count("cases", where={"state": "closed"}) == 12
    assert store.tally("cases", "state") == dict.fromkeys(STATES, 12)
    assert shard_reads == []


def test_updates_replacements_and_deletions_keep_the_index_true(store):
    ids = _seed(store, 10)
    store.ensure_index("cases", "state")
    store.update("cases", ids[0], {"state": "closed"})
    store.replace("cases", ids[1], {"note": "no state any more"})
    store.delete("cases", ids[4])
    with store.transaction() as tx:
        tx.update("cases", ids[2], {"state": "closed"})
        tx.insert("cases", {"state": "closed"})
    for state in (*STATES, "nothing"):
        indexed = [r["id"] for r in store.find("cases", where={"state": state})]
        assert indexed == _scan(store, {"state": state}), state


def test_nested_fields_and_values_of_every_type(store):
    store.insert_many(
        "submissions/program_registration",
        [
            {"answers": {"national_id": "1000000008"}, "n": 1, "flag": True, "link": {"a": 1}},
            {"answers": {"national_id": "1000000016"}, "n": "1", "flag": 1, "link": {"a": 1}},
        ],
    )
    for field in ("answers.national_id", "n", "flag", "link"):
        store.ensure_index("submissions/*", field)
    c = "submissions/program_registration"
    assert [r["id"] for r in store.find(c, where={"answers.national_id": "1000000016"})] == [2]
    assert [r["id"] for r in store.find(c, where={"n": 1})] == [1]  # 1 is not "1"
    assert [r["id"] for r in store.find(c, where={"flag": True})] == [1]  # True is not 1
    assert len(store.find(c, where={"link": {"a": 1}})) == 2
    # A collection made after the declaration is indexed from its first record.
    rid = store.insert("submissions/other_form", {"answers": {"national_id": "1000000024"}})
    other = store.ids_between("submissions/other_form", "answers.national_id")
    assert other == [("1000000024", rid)]
    with pytest.raises(StoreError, match="not indexed"):
        store.ids_between("submissions/other_form", "n_not_declared")


def test_another_process_writing_keeps_the_index_it_never_declared(open_store):
    first = open_store()
    _seed(first, 10)
    first.ensure_index("cases", "state")
    other = open_store()  # a CLI command, a second worker: it declares nothing
    rid = other.insert("cases", {"state": "received"})
    other.update("cases", 1, {"state": "closed"})
    assert rid in [r["id"] for r in first.find("cases", where={"state": "received"})]
    assert 1 in [r["id"] for r in first.find("cases", where={"state": "closed"})]


def test_a_folder_indexed_later_is_built_with_progress(store, small_shards):
    _seed(store, 45)
    seen = []
    store.ensure_index("cases", "state", lambda name, done, total: seen.append((name, total)))
    assert seen and seen[-1] == ("cases.state", 45)
    assert store.count("cases", where={"state": "received"}) == 9


def test_a_bad_field_is_refused(store):
    with pytest.raises(StoreError):
        store.ensure_index("cases", "a..b")


@pytest.mark.backends("tinydb")
def test_a_backup_leaves_the_index_out_and_a_restored_folder_builds_it_again(store, tmp_path):
    _seed(store, 20)
    store.ensure_index("cases", "state")
    archive = tmp_path / "backup.tar.gz"
    create_backup(store.root, archive)
    target = tmp_path / "restored"
    restore_backup(archive, target)
    assert not (target / store_layout.INDEX_DIR).exists()
    again = Store(target)
    assert again.find("cases", where={"state": "closed"})  # correct, by reading
    again.ensure_index("cases", "state")
    assert again.count("cases", where={"state": "closed"}) == 4


def _writer(root):
    store_layout.SHARD_SIZE = 20
    store = Store(root)
    rng = random.Random(os.getpid())
    for n in range(1_000_000):
        kind = n % 4
        if kind == 0:
            store.insert_many("cases", [{"state": rng.choice(STATES)} for _ in range(3)])
        elif kind == 1:
            rid = rng.randint(1, max(1, n))
            if store.get("cases", rid):
                store.update("cases", rid, {"state": rng.choice(STATES)})
        elif kind == 2:
            rid = rng.randint(1, max(1, n))
            if store.get("cases", rid):
                store.delete("cases", rid)
        else:
            with store.transaction() as tx:
                tx.insert("cases", {"state": rng.choice(STATES)})
                tx.insert("audit", {"action": "x"})


def _rows(root) -> dict[int, str]:
    path = root / store_layout.INDEX_DIR / "index.sqlite3"
    with sqlite3.connect(path) as db:
        found = db.execute("SELECT id, value FROM rows WHERE collection='cases' AND field='state'")
        return dict(found.fetchall())


def _counts(root) -> Counter:
    path = root / store_layout.INDEX_DIR / "index.sqlite3"
    with sqlite3.connect(path) as db:
        found = db.execute("SELECT value, n FROM counts WHERE collection='cases'")
        return Counter(dict(found.fetchall()))


def _check_places(root) -> None:
    """Every row of places whose file version is on disk locates each record in it."""
    path = root / store_layout.INDEX_DIR / "index.sqlite3"
    with sqlite3.connect(path) as db:
        found = db.execute("SELECT shard, mtime, size, inode, records, spans FROM places")
        rows = found.fetchall()
    for shard, *key, count, spans in rows:
        file = store_layout.shard_path(root / "cases", shard)
        if not file.exists() or file_key(file.stat()) != tuple(key):
            continue  # stale: never followed
        data = file.read_bytes()
        records = orjson.loads(data).get("records") or {}
        places = Places(count, spans)
        assert count == len(records)
        assert {shard * store_layout.SHARD_SIZE + s for s in places.slots()} == set(
            map(int, records)
        )
        for rid, record in records.items():
            start, length = places.span(int(rid) - shard * store_layout.SHARD_SIZE)
            assert orjson.loads(data[start : start + length]) == record


def _shards(root) -> dict[int, str]:
    records = {}
    for shard in (root / "cases").glob("*.json"):
        for rid, record in (orjson.loads(shard.read_bytes()).get("records") or {}).items():
            records[int(rid)] = record.get("state")
    return records


@pytest.mark.slow
def test_writers_killed_at_random_never_leave_an_index_pointing_nowhere(tmp_path, monkeypatch):
    monkeypatch.setattr(store_layout, "SHARD_SIZE", 20)
    root = tmp_path / "data"
    Store(root).ensure_index("cases", "state")
    rng = random.Random(20261207)
    rounds = 0
    while rounds < 25 or (len(_shards(root)) <= 25 and rounds < 100):  # a busy machine
        rounds += 1
        child = FORK.Process(target=_writer, args=(root,))
        child.start()
        time.sleep(rng.uniform(0.02, 0.15))
        os.kill(child.pid, signal.SIGKILL)
        child.join()
        rows, stored = _rows(root), _shards(root)
        # Before anyone finishes the dead writer's journal: every row names a stored
        # record holding that value (a row may be missing, never wrong).
        assert all(rid in stored and stored[rid] == value for rid, value in rows.items())
        assert _counts(root) == Counter(rows.values())  # kept in the rows' own step
        _check_places(root)  # a row of places is never wrong for the file it names
        reader = Store(root)  # opening finishes the journal
        rows, stored = _rows(root), _shards(root)
        assert rows == {rid: state for rid, state in stored.items() if state is not None}
        assert _counts(root) == Counter(rows.values())
        _check_places(root)
        found = reader.get_many("cases", sorted(stored))
        assert {r["id"]: r.get("state") for r in found} == stored
    assert len(_shards(root)) > 25


def test_a_text_index_finds_any_part_of_any_answer_and_follows_every_write(store):
    ids = store.insert_many(
        "submissions/f",
        [
            {"ref": "SR-1", "answers": {"name": "محمد عبدالله", "kids": [{"n": "سارة"}]}},
            {"ref": "SR-2", "answers": {"name": "Khalid", "mobile": "+966501234567"}},
            {"ref": "SR-3", "answers": {"note": "رقم ٩٨٧٦٥"}},
        ],
    )
    store.ensure_text_index("submissions/*", ["ref", "answers"])
    assert store.text_search("submissions/f", ["عبدال"]) == ([ids[0]], 1)
    assert store.text_search("submissions/f", ["سار"]) == ([ids[0]], 1)  # inside a repeat
    assert store.text_search("submissions/f", ["khal"]) == ([ids[1]], 1)  # case folded
    assert store.text_search("submissions/f", ["KHAL"]) == ([ids[1]], 1)  # the needle too
    assert store.text_search("submissions/f", ["98765"]) == ([ids[2]], 1)  # digits
    assert store.text_search("submissions/f", ["sr-"], limit=2) == ([ids[2], ids[1]], 3)
    assert store.text_search("submissions/f", ["sr-"], limit=1, most=2) == ([ids[2]], 2)
    assert store.text_search("submissions/f", ["ab"]) is None  # too short: read instead
    store.update("submissions/f", ids[0], {"answers": {"name": "فاطمة"}})
    store.delete("submissions/f", ids[1])
    new = store.insert("submissions/f", {"ref": "SR-4", "answers": {"name": "عبدالرحمن"}})
    assert store.text_search("submissions/f", ["عبدال"]) == ([new], 1)
    assert store.text_search("submissions/f", ["khal"]) == ([], 0)
    # A collection made later is indexed from its first record.
    other = store.insert("submissions/g", {"ref": "X-1", "answers": {"a": "نص جديد"}})
    assert store.text_search("submissions/g", ["جديد"]) == ([other], 1)


def test_a_text_index_folds_the_spellings_of_an_arabic_name(store):
    ids = store.insert_many(
        "submissions/f",
        [
            {"ref": "SR-1", "answers": {"name": "أحمد عبدالله"}},
            {"ref": "SR-2", "answers": {"name": "فاطِمَة الزهراء"}},
            {"ref": "SR-3", "answers": {"name": "مصطفـــى‏ إبراهيم"}},
        ],
    )
    store.ensure_text_index("submissions/*", ["ref", "answers"])
    search = normalize_text
    assert store.text_search("submissions/f", [search("احمد")]) == ([ids[0]], 1)
    assert store.text_search("submissions/f", [search("إحمد")]) == ([ids[0]], 1)
    assert store.text_search("submissions/f", [search("فاطمه")]) == ([ids[1]], 1)
    assert store.text_search("submissions/f", [search("مصطفي ابراهيم")]) == ([ids[2]], 1)
    assert store.text_search("submissions/f", [search("عبدالله")]) == ([ids[0]], 1)


def test_a_text_index_made_by_an_older_normalisation_is_built_again(store, monkeypatch):
    first = store.insert("submissions/f", {"ref": "SR-1", "answers": {"name": "أحمد"}})
    monkeypatch.setattr(indexes, "TEXT_FORM", 1)
    monkeypatch.setattr(indexes, "_FOLD", str.maketrans("", ""))
    store.ensure_text_index("submissions/*", ["ref", "answers"])
    assert store.text_search("submissions/f", ["احمد"]) == ([], 0)  # made unfolded
    monkeypatch.undo()
    store.ensure_text_index("submissions/*", ["ref", "answers"])  # as the next start does
    assert store.text_search("submissions/f", ["احمد"]) == ([first], 1)


# --- what every backend answers the same, indexed or not -------------------------------


@pytest.fixture(params=["indexed", "not indexed"])
def people(request, store, small_shards):
    """Submissions naming people, with the fields indexed or not."""
    store.insert_many(
        "submissions/intake",
        [
            {"people": ["1000000008", "2172323137"], "state": "a", "on_time": True, "n": 1},
            {"people": ["1000000016"], "state": "b", "on_time": False, "n": 2},
            {"people": [], "state": "a", "on_time": "yes", "n": 3},
            {"people": "1000000008", "state": "c", "n": 4},  # not a list: names nobody
            {"people": [{"a": 1}, ["x"]], "state": "b", "n": 5},
            {"state": None, "n": 6},
        ],
    )
    if request.param == "indexed":
        for field in ("people[]", "state", "on_time", "n"):
            store.ensure_index("submissions/*", field)
    return store


def _ids(found):
    return [r["id"] for r in found]


def test_list_items_any_of_and_types(people):
    c = "submissions/intake"
    assert _ids(people.find(c, where={"people[]": "1000000008"})) == [1]
    assert _ids(people.find(c, where={"people[]": AnyOf(["2172323137", "1000000016"])})) == [1, 2]
    assert _ids(people.find(c, where={"people[]": {"a": 1}})) == [5]
    assert _ids(people.find(c, where={"people[]": "x"})) == []  # an item is ["x"], not "x"
    assert _ids(people.find(c, where={"people[]": ["x"]})) == [5]
    assert _ids(people.find(c, where={"state": AnyOf(["a", "c"])})) == [1, 3, 4]
    assert _ids(people.find(c, where={"state": AnyOf([])})) == []
    assert _ids(people.find(c, where={"state": None})) == [6]
    assert people.count(c, where={"state": AnyOf(["b", None])}) == 3
    page, total = people.page(c, where={"state": AnyOf(["a", "b"])}, limit=2, offset=1)
    assert _ids(page) == [3, 2] and total == 4


def test_tally_and_distinct(people):
    c = "submissions/intake"
    assert people.tally(c, "state") == {"a": 2, "b": 2, "c": 1, None: 1}
    assert people.tally(c, "state", where={"people[]": "1000000008"}) == {"a": 1}
    assert people.tally(c, "on_time") == {True: 1, False: 1, "yes": 1}
    assert people.tally("submissions/none", "state") == {}
    assert sorted(people.distinct(c, "n")) == [1, 2, 3, 4, 5, 6]


def test_get_many_keeps_the_order_given(people):
    c = "submissions/intake"
    found = people.get_many(c, [5, 1, 99, 5])
    assert _ids(found) == [5, 1, 5]
    found[0]["state"] = "changed"
    assert found[2]["state"] == "b"  # each one a copy
    with pytest.raises(StoreError):
        people.get_many(c, [1, 0])


def test_ids_between_gives_a_range_by_value(store):
    c = "letters"
    dates = ["2024-03-01", "2024-01-15", "2024-02-29", "2024-01-15", "2023-12-31"]
    store.insert_many(c, [{"issued": d} for d in dates])
    store.ensure_index(c, "issued")
    assert store.ids_between(c, "issued", "2024-01-01", "2024-03-01") == [
        ("2024-01-15", 2),
        ("2024-01-15", 4),
        ("2024-02-29", 3),
    ]
    assert store.ids_between(c, "issued", high="2024-01-01") == [("2023-12-31", 5)]
    assert [rid for _v, rid in store.ids_between(c, "issued", "2024-02-01")] == [3, 1]
    with pytest.raises(StoreError):
        store.ids_between(c, "other")


def test_the_text_index_follows_transactions_and_a_late_declaration(store):
    c = "submissions/f"
    first = store.insert(c, {"ref": "SR-1", "answers": {"name": "نورة"}})
    with store.transaction() as tx:
        second = tx.insert(c, {"ref": "SR-2", "answers": {"name": "Hessa_100%"}})
    store.ensure_text_index("submissions/*", ["answers"])  # after the records: built now
    assert store.text_search(c, ["hessa_100%"]) == ([second], 1)
    assert store.text_search(c, ["a_1", "نور"]) == ([second, first], 2)
    assert store.text_search(c, ["a%1"]) == ([], 0)  # % and _ are plain characters
    assert store.text_search(c, ["sr-"]) == ([], 0)  # ref is not among the fields
    with store.transaction() as tx:
        tx.update(c, first, {"answers": {"name": "سارة"}})
        tx.delete(c, second)
        third = tx.insert(c, {"answers": {"name": "نورة"}})
    assert store.text_search(c, ["نور"]) == ([third], 1)
    assert store.text_search(c, ["سار"]) == ([first], 1)
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.insert(c, {"answers": {"name": "rolled back"}})
        raise RuntimeError
    assert store.text_search(c, ["rolled"]) == ([], 0)
    assert store.text_search("nothing_declared", ["abc"]) is None
