"""Reading collections: iter, find, page, count, collections, names."""

import pytest

from store import StoreError

C = "cases"


@pytest.fixture
def filled(store, small_shards):
    """35 records over four shard files; n is the insertion order, kind cycles a/b/c."""
    store.insert_many(C, [{"n": n, "kind": "abc"[n % 3]} for n in range(35)])
    return store


def test_iter_in_id_order_and_reverse(filled):
    assert [r["id"] for r in filled.iter(C)] == list(range(1, 36))
    assert [r["id"] for r in filled.iter(C, reverse=True)] == list(range(35, 0, -1))


def test_iter_of_an_empty_collection(store):
    assert list(store.iter("empty")) == []
    assert store.find("empty") == []
    assert store.page("empty") == ([], 0)
    assert store.count("empty") == 0


def test_find_with_predicate_where_and_both(filled):
    assert [r["n"] for r in filled.find(C, lambda r: r["n"] >= 32)] == [32, 33, 34]
    assert len(filled.find(C, where={"kind": "a"})) == 12
    found = filled.find(C, lambda r: r["n"] > 20, where={"kind": "b"})
    assert [r["n"] for r in found] == [22, 25, 28, 31, 34]
    assert len(filled.find(C)) == 35


def test_where_on_a_missing_key_does_not_match_none(store):
    store.insert(C, {"a": None})
    store.insert(C, {})
    assert [r["id"] for r in store.find(C, where={"a": None})] == [1]


def test_a_predicate_cannot_alter_stored_records(filled):
    def mutate(record):
        record["n"] = -1
        return True

    with pytest.raises(TypeError):
        filled.find(C, mutate)
    assert filled.get(C, 1)["n"] == 0


def test_page_newest_first_by_default(filled):
    items, total = filled.page(C, limit=5)
    assert total == 35
    assert [r["id"] for r in items] == [35, 34, 33, 32, 31]


@pytest.mark.parametrize(
    ("offset", "limit", "ids"),
    [
        (0, 3, [1, 2, 3]),
        (8, 4, [9, 10, 11, 12]),  # across a shard boundary
        (5, 30, list(range(6, 36))),  # across several
        (33, 10, [34, 35]),
        (35, 5, []),
        (100, 5, []),
        (3, 0, []),
    ],
)
def test_page_oldest_first(filled, offset, limit, ids):
    items, total = filled.page(C, offset=offset, limit=limit, newest_first=False)
    assert [r["id"] for r in items] == ids
    assert total == 35


def test_page_with_predicate_counts_matches(filled):
    items, total = filled.page(C, offset=2, limit=3, predicate=lambda r: r["kind"] == "c")
    assert total == 11
    assert [r["n"] for r in items] == [26, 23, 20]


def test_page_after_deletes(filled):
    for rid in (35, 34, 20):
        filled.delete(C, rid)
    items, total = filled.page(C, offset=12, limit=3)
    assert total == 32
    assert [r["id"] for r in items] == [21, 19, 18]


@pytest.mark.parametrize("bad", [{"offset": -1}, {"limit": -5}, {"offset": "1"}, {"limit": None}])
def test_page_refuses_bad_windows(store, bad):
    with pytest.raises(StoreError):
        store.page(C, **bad)


def test_count(filled):
    assert filled.count(C) == 35
    filled.delete(C, 3)
    assert filled.count(C) == 34


def test_collections(store):
    assert store.collections() == []
    store.insert("submissions", {})
    store.insert("submissions/support_request", {})
    store.insert("submissions/satisfaction_survey", {})
    store.insert("audit", {})
    store.next_number("letters")
    store.put_file(b"x")
    assert store.collections() == [
        "audit",
        "submissions",
        "submissions/satisfaction_survey",
        "submissions/support_request",
    ]


@pytest.mark.backends("tinydb")
def test_namespaced_collection_is_a_nested_folder(store):
    store.insert("submissions/support_request", {})
    assert (store.root / "submissions" / "support_request" / "000000.json").is_file()


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "Cases",
        "1cases",
        "_files",
        "_counters",
        ".hidden",
        "a-b",
        "a b",
        "a/b/c",
        "../outside",
        "a/../b",
        "/abs",
        "a/",
        "a//b",
        "a\n",
        "حالات",
        None,
        42,
    ],
)
def test_bad_collection_names_are_refused(store, bad):
    calls = [
        lambda: store.insert(bad, {}),
        lambda: store.insert_many(bad, [{}]),
        lambda: store.get(bad, 1),
        lambda: store.update(bad, 1, {}),
        lambda: store.delete(bad, 1),
        lambda: store.iter(bad),
        lambda: store.find(bad),
        lambda: store.page(bad),
        lambda: store.count(bad),
    ]
    for call in calls:
        with pytest.raises(StoreError):
            call()
    assert not (store.root.parent / "outside").exists()


def test_distinct_values_in_the_order_first_seen(store, small_shards):
    for n in range(25):
        store.insert("subs", {"v": [3, 1, 2][n % 3] if n < 24 else {"a": 1}, "n": n})
    store.insert("subs", {"other": 1})
    found = store.distinct("subs", "v")
    assert found == [3, 1, 2, {"a": 1}]
    found[3]["a"] = 2  # a copy: the stored record is untouched
    assert store.distinct("subs", "v")[3] == {"a": 1}
    assert store.distinct("subs", "missing") == []
    assert store.distinct("empty", "v") == []
