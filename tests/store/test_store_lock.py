"""Store.lock: a named inter-process lock for steps made of several operations."""

import multiprocessing as mp

import pytest

from store import Store, StoreError


def _bump(root: str, path: str, times: int) -> None:
    data = Store(root)
    for _ in range(times):
        with data.lock("letters"):
            # Read, then write: without the lock, processes would overwrite each other.
            with open(path) as fh:
                value = int(fh.read())
            with open(path, "w") as fh:
                fh.write(str(value + 1))


def test_lock_serialises_processes(tmp_path):
    counter = tmp_path / "n.txt"
    counter.write_text("0")
    ctx = mp.get_context("fork")
    procs = [
        ctx.Process(target=_bump, args=(str(tmp_path / "d"), str(counter), 50)) for _ in range(4)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    assert counter.read_text() == "200"


def test_lock_names_are_checked(tmp_path):
    data = Store(tmp_path)
    with pytest.raises(StoreError), data.lock("../evil"):
        pass
    with data.lock("letters/register"):
        pass
    assert data.collections() == []
