"""Store.lock: a named inter-process lock for steps made of several operations."""

import multiprocessing as mp
import threading

import pytest

from store import StoreError


def _bump(open_store, path: str, times: int) -> None:
    data = open_store()
    for _ in range(times):
        with data.lock("letters"):
            # Read, then write: without the lock, processes would overwrite each other.
            with open(path) as fh:
                value = int(fh.read())
            with open(path, "w") as fh:
                fh.write(str(value + 1))


def test_lock_serialises_processes(open_store, tmp_path):
    counter = tmp_path / "n.txt"
    counter.write_text("0")
    ctx = mp.get_context("fork")
    procs = [ctx.Process(target=_bump, args=(open_store, str(counter), 50)) for _ in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    assert counter.read_text() == "200"


def test_lock_names_are_checked(store):
    data = store
    with pytest.raises(StoreError), data.lock("../evil"):
        pass
    with data.lock("letters/register"):
        pass
    assert data.collections() == []


def test_a_lock_is_held_against_another_store_and_freed_after(open_store):
    first, second = open_store(), open_store()
    order = []

    def take():
        with second.lock("letters"):
            order.append("second")

    with first.lock("letters"):
        waiter = threading.Thread(target=take)
        waiter.start()
        waiter.join(0.3)
        order.append("first done")
    waiter.join(10)
    assert order == ["first done", "second"]
    with first.lock("letters"), first.lock("users"):  # other names: no wait
        pass
