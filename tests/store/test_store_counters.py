"""next_number: human reference numbers, from 1, never given twice."""

import pytest

from store import StoreError


def test_starts_at_one_and_counts_up(store):
    assert [store.next_number("requests") for _ in range(3)] == [1, 2, 3]


def test_counters_are_independent(store):
    store.next_number("requests")
    store.next_number("requests")
    assert store.next_number("letters/outgoing") == 1
    assert store.next_number("letters") == 1
    assert store.next_number("requests") == 3


def test_counters_persist(open_store):
    open_store().next_number("letters")
    assert open_store().next_number("letters") == 2


def test_counters_do_not_show_as_collections(store):
    store.next_number("letters")
    assert store.collections() == []


@pytest.mark.parametrize("bad", ["", "../x", "Letters", "a/b/c", "a.b", None])
def test_bad_counter_names_are_refused(store, bad):
    with pytest.raises(StoreError):
        store.next_number(bad)
