"""Several processes (and threads) writing one store at once: nothing lost, nothing doubled."""

import multiprocessing
import threading

import orjson
import pytest

from store import layout as store_layout

C = "submissions/support_request"
WORKERS = 4
PER_WORKER = 200
SHARD_SIZE = 64  # 800 records over 13 shard files: many inserts open a new shard
FORK = multiprocessing.get_context("fork")

pytestmark = pytest.mark.slow


def _insert_worker(open_store, worker, barrier, results):
    store_layout.SHARD_SIZE = SHARD_SIZE
    store = open_store()
    barrier.wait()
    acked = []
    for i in range(PER_WORKER):
        record = {"worker": worker, "i": i, "note": "طلب مساعدة " * 20}
        acked.append((worker, i, store.insert(C, record)))
    results.put(acked)


def _number_worker(open_store, barrier, results):
    store = open_store()
    barrier.wait()
    results.put([store.next_number("letters") for _ in range(100)])


def _run(target, args_for):
    barrier = FORK.Barrier(WORKERS)
    results = FORK.Queue()
    procs = [
        FORK.Process(target=target, args=(*args_for(w), barrier, results)) for w in range(WORKERS)
    ]
    for proc in procs:
        proc.start()
    collected = [results.get(timeout=60) for _ in procs]
    for proc in procs:
        proc.join(timeout=60)
        assert proc.exitcode == 0
    return collected


def test_processes_inserting_together(open_store, backend, monkeypatch):
    monkeypatch.setattr(store_layout, "SHARD_SIZE", SHARD_SIZE)
    acked = [row for rows in _run(_insert_worker, lambda w: (open_store, w)) for row in rows]

    store = open_store()
    records = list(store.iter(C))
    total = WORKERS * PER_WORKER
    assert [r["id"] for r in records] == list(range(1, total + 1))
    assert {(r["worker"], r["i"]) for r in records} == {(w, i) for w, i, _ in acked}
    for worker, i, rid in acked:
        assert (store.get(C, rid)["worker"], store.get(C, rid)["i"]) == (worker, i)
    assert store.count(C) == total
    for shard in (store.root / C).glob("*.json"):  # TinyDB's files: each one whole
        orjson.loads(shard.read_bytes())


def test_processes_taking_numbers_together(open_store):
    per_worker = _run(_number_worker, lambda w: (open_store,))
    numbers = sorted(n for seq in per_worker for n in seq)
    assert numbers == list(range(1, WORKERS * 100 + 1))
    assert all(seq == sorted(seq) for seq in per_worker)
    assert open_store().next_number("letters") == WORKERS * 100 + 1


def test_threads_sharing_one_store(store, small_shards):
    errors = []

    def insert(worker):
        try:
            for i in range(50):
                store.insert(C, {"worker": worker, "i": i})
                store.count(C)
        except Exception as exc:  # handed to the main thread
            errors.append(exc)

    threads = [threading.Thread(target=insert, args=(w,)) for w in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert [r["id"] for r in store.iter(C)] == list(range(1, WORKERS * 50 + 1))
