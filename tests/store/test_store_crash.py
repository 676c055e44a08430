"""A writer killed with SIGKILL at random moments never costs an acknowledged write.

The child acknowledges each write through a pipe only after the store call returned, so
every acknowledged id must be in the store after the kill, the files must parse, and no
id or reference number may be given twice.
"""

import multiprocessing
import os
import random
import select
import signal
import time

import orjson
import pytest

from store import layout as store_layout

C = "cases"
ROUNDS = 40
SHARD_SIZE = 50  # crosses a shard boundary every few rounds
FORK = multiprocessing.get_context("fork")

pytestmark = pytest.mark.slow


def _writer(open_store, fd):
    store_layout.SHARD_SIZE = SHARD_SIZE
    store = open_store()
    record = {"name": "عائلة محمد", "notes": "ملاحظات الباحث الاجتماعي " * 30}
    for n in range(1_000_000):
        if n % 4 == 3:
            lines = [f"i {rid}" for rid in store.insert_many(C, [record] * 3)]
        else:
            lines = [f"i {store.insert(C, record)}"]
        if n % 5 == 0:
            lines.append(f"n {store.next_number('letters')}")
        if n % 7 == 0:
            rid = int(lines[0].split()[1])
            store.update(C, rid, {"checked": True})
            lines.append(f"u {rid}")
        os.write(fd, ("\n".join(lines) + "\n").encode())


def _run_and_kill(open_store, delay, after_first_write):
    """Kill the child delay seconds after it started, or after its first acknowledged write
    (so that the round adds writes however slow the machine is, yet some kills still come
    while it opens the store and finishes what the last one left)."""
    read_end, write_end = os.pipe()
    child = FORK.Process(target=_writer, args=(open_store, write_end))
    child.start()
    os.close(write_end)
    first = b""
    if after_first_write and select.select([read_end], [], [], 60)[0]:
        first = os.read(read_end, 1 << 16)
    time.sleep(delay)
    os.kill(child.pid, signal.SIGKILL)
    child.join()
    with os.fdopen(read_end, "rb") as pipe:
        acks = (first + pipe.read()).decode().split("\n")
    # The last line may be cut short by the kill: only whole lines count.
    return [line.split() for line in acks[:-1]]


def _check(open_store, inserted, updated, numbers):
    store = open_store()
    try:
        for shard in (store.root / C).glob("*.json"):  # TinyDB's files: each one whole
            orjson.loads(shard.read_bytes())
        records = {r["id"]: r for r in store.iter(C)}
        assert len(records) == store.count(C)
        assert inserted <= records.keys()
        assert all(records[rid].get("checked") for rid in updated)
        assert len(numbers) == len(set(numbers))
    finally:
        # A store left open each round kept a connection each: PostgreSQL once ran out
        # of connections.
        store.close()


def test_killed_writer_loses_no_acknowledged_write(open_store, backend, monkeypatch):
    monkeypatch.setattr(store_layout, "SHARD_SIZE", SHARD_SIZE)
    rng = random.Random(20240611)
    inserted, updated, numbers = set(), set(), []
    for rounds in range(ROUNDS):
        acks = _run_and_kill(open_store, rng.uniform(0.01, 0.12), rounds % 4 != 0)
        for kind, value in acks:
            {"i": inserted.add, "u": updated.add, "n": numbers.append}[kind](int(value))
        _check(open_store, inserted, updated, numbers)
    assert len(inserted) > ROUNDS  # the child did get to write in most rounds
    store = open_store()
    assert store.next_number("letters") > max(numbers)
    store.insert(C, {})
    if backend == "tinydb":  # the next write clears any temp file a kill left behind
        assert not [name for name in os.listdir(store.root / C) if name.endswith(".tmp")]
