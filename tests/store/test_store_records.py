"""Records: insert, get, update, delete, and what comes back is a copy."""

import pytest

from store import NotFoundError, StoreError

C = "submissions/support_request"


def test_insert_gives_consecutive_ids_and_stores_the_id(store):
    assert store.insert(C, {"name": "a"}) == 1
    assert store.insert(C, {"name": "b"}) == 2
    assert store.get(C, 2) == {"id": 2, "name": "b"}


def test_insert_replaces_an_id_given_by_the_caller(store):
    rid = store.insert(C, {"id": 99, "name": "a"})
    assert rid == 1
    assert store.get(C, 1) == {"id": 1, "name": "a"}
    assert store.get(C, 99) is None


def test_insert_does_not_keep_the_callers_objects(store):
    record = {"answers": {"name": "a"}}
    rid = store.insert(C, record)
    record["answers"]["name"] = "changed"
    assert "id" not in record
    assert store.get(C, rid)["answers"] == {"name": "a"}


def test_insert_many_batches_consecutive_ids(store, small_shards):
    ids = store.insert_many(C, ({"n": n} for n in range(25)))
    assert ids == list(range(1, 26))
    assert store.insert(C, {"n": 25}) == 26
    assert [r["n"] for r in store.iter(C)] == list(range(26))


def test_insert_many_of_nothing(store):
    assert store.insert_many(C, []) == []
    assert store.collections() == []


@pytest.mark.parametrize(
    "bad",
    [{"s": {1, 2}}, {1: "non-string key"}, ["not", "a", "dict"], "text", {"o": object()}],
)
def test_records_must_be_json_objects(store, bad):
    with pytest.raises(StoreError):
        store.insert(C, bad)


def test_insert_many_writes_nothing_if_one_record_is_bad(store):
    with pytest.raises(StoreError):
        store.insert_many(C, [{"ok": 1}, {"bad": {1}}])
    assert store.count(C) == 0


def test_get_missing(store):
    assert store.get(C, 1) is None
    store.insert(C, {})
    assert store.get(C, 2) is None
    assert store.get(C, 5000) is None


@pytest.mark.parametrize("bad", [0, -1, "1", 1.0, True, None])
def test_bad_ids_are_refused(store, bad):
    store.insert(C, {})
    for call in (store.get, store.delete):
        with pytest.raises(StoreError):
            call(C, bad)
    with pytest.raises(StoreError):
        store.update(C, bad, {})


def test_update_merges_the_top_level(store):
    rid = store.insert(C, {"a": 1, "b": {"x": 1}})
    new = store.update(C, rid, {"b": {"y": 2}, "c": "ج"})
    assert new == {"id": rid, "a": 1, "b": {"y": 2}, "c": "ج"}
    assert store.get(C, rid) == new


def test_replace_drops_the_keys_the_new_record_lacks(store):
    rid = store.insert(C, {"a": 1, "b": 2})
    other = store.insert(C, {"a": 9})
    assert store.replace(C, rid, {"id": 77, "b": "ب"}) == {"id": rid, "b": "ب"}
    assert store.get(C, rid) == {"id": rid, "b": "ب"}
    assert store.get(C, other) == {"id": other, "a": 9}
    with pytest.raises(NotFoundError):
        store.replace(C, 99, {"a": 1})


def test_update_missing_raises_a_key_error(store):
    with pytest.raises(NotFoundError) as info:
        store.update(C, 1, {"a": 1})
    assert isinstance(info.value, StoreError)
    assert isinstance(info.value, KeyError)
    store.insert(C, {})
    with pytest.raises(NotFoundError):
        store.update(C, 2, {"a": 1})


def test_update_cannot_change_the_id(store):
    rid = store.insert(C, {"a": 1})
    with pytest.raises(StoreError):
        store.update(C, rid, {"id": rid + 1})
    assert store.update(C, rid, {"id": rid, "a": 2}) == {"id": rid, "a": 2}


def test_delete(store):
    rid = store.insert(C, {"a": 1})
    assert store.delete(C, rid) is True
    assert store.get(C, rid) is None
    assert store.delete(C, rid) is False
    assert store.delete("nothing_here", 1) is False


def test_ids_of_deleted_records_are_never_reused(open_store, small_shards):
    store = open_store()
    store.insert_many(C, [{}] * 12)
    assert store.delete(C, 12)
    assert store.delete(C, 11)
    assert store.delete(C, 10)  # the shard 10..19 is now empty
    # A new Store, as another process would open it, must still go on from 13.
    assert open_store().insert(C, {}) == 13


def test_returned_records_are_copies(store):
    rid = store.insert(C, {"answers": {"name": "a"}, "tags": ["x"]})
    views = [
        store.get(C, rid),
        next(store.iter(C)),
        store.find(C)[0],
        store.page(C)[0][0],
        store.update(C, rid, {"extra": 1}),
    ]
    for view in views:
        view["answers"]["name"] = "changed"
        view["tags"].append("y")
        view["new"] = True
    assert store.get(C, rid) == {"id": rid, "answers": {"name": "a"}, "tags": ["x"], "extra": 1}


def test_arabic_round_trip(store):
    text = "طلب دعم: أسرة محمد عبدالله، حي النسيم، الرياض"
    rid = store.insert(C, {"name": text, "answers": {text: text}})
    assert store.get(C, rid) == {"id": rid, "name": text, "answers": {text: text}}
    assert store.find(C, where={"name": text})[0]["id"] == rid
    assert store.find(C, where={f"answers.{text}": text})[0]["id"] == rid


def test_keys_come_back_in_the_order_written(store):
    # Forms and answers are shown in their keys' order; jsonb alone would sort them.
    record = {"zeta": 1, "alpha": {"يوم": 1, "b": 2, "a": 3}, "middle_long_key": [{"z": 0, "a": 1}]}
    rid = store.insert(C, record)
    assert list(store.get(C, rid)) == ["id", "zeta", "alpha", "middle_long_key"]
    assert list(store.get(C, rid)["alpha"]) == ["يوم", "b", "a"]
    store.update(C, rid, {"alpha": {"y": 1, "x": 2}, "new": 1})
    back = store.find(C, where={"zeta": 1})[0]
    assert list(back) == ["id", "zeta", "alpha", "middle_long_key", "new"]
    assert list(back["alpha"]) == ["y", "x"]
    assert list(back["middle_long_key"][0]) == ["z", "a"]


def test_a_nul_character_is_kept(store):
    rid = store.insert(C, {"name": "a\x00b", "tags": ["\x00"]})
    assert store.get(C, rid) == {"id": rid, "name": "a\x00b", "tags": ["\x00"]}
    assert [r["id"] for r in store.find(C, where={"name": "a\x00b"})] == [rid]


@pytest.mark.backends("tinydb")
def test_raw_utf8_on_disk(store):
    text = "طلب دعم: أسرة محمد عبدالله، حي النسيم، الرياض"
    store.insert(C, {"name": text})
    raw = (store.root / C / "000000.json").read_bytes()
    assert text.encode("utf-8") in raw
    assert b"\\u" not in raw


def test_records_survive_a_new_store_instance(open_store):
    open_store().insert(C, {"name": "أ"})
    assert open_store().get(C, 1) == {"id": 1, "name": "أ"}


def test_a_write_by_another_instance_is_seen_by_a_warm_cache(open_store):
    first, second = open_store(), open_store()
    rid = first.insert(C, {"v": 1})
    assert second.get(C, rid)["v"] == 1  # now cached in second
    first.update(C, rid, {"v": 2})
    assert second.get(C, rid)["v"] == 2
    first.insert(C, {"v": 3})
    assert second.count(C) == 2
