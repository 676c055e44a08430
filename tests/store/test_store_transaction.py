"""Transactions: a record and its audit entry are stored together or not at all."""

import multiprocessing
import os
import random
import signal
import time

import pytest

from store import StoreError
from store import layout as store_layout
from store.transaction import pending, write_journal

FORK = multiprocessing.get_context("fork")


def test_a_transaction_writes_every_collection(store):
    with store.transaction() as tx:
        cid = tx.insert("cases", {"state": "received"})
        aid = tx.insert("audit", {"entity": "case", "entity_id": str(cid)})
        assert store.get("cases", cid) is None  # not before the block ends
    assert store.get("cases", cid) == {"id": cid, "state": "received"}
    assert store.get("audit", aid)["entity_id"] == str(cid)
    assert store.insert("cases", {"state": "x"}) == cid + 1


def test_ids_follow_each_other_within_one_transaction(store, small_shards):
    store.insert_many("cases", [{"n": n} for n in range(8)])
    with store.transaction() as tx:
        ids = [tx.insert("cases", {"n": n}) for n in range(5)]  # crosses into shard 1
    assert ids == [9, 10, 11, 12, 13]
    assert [r["n"] for r in store.iter("cases")] == [*range(8), *range(5)]
    assert store.count("cases") == 13


def test_an_update_merges_and_is_seen_by_the_transaction(store):
    rid = store.insert("cases", {"state": "received", "name": "سعد"})
    with store.transaction() as tx:
        after = tx.update("cases", rid, {"state": "verified"})
        assert tx.get("cases", rid) == after == {"id": rid, "state": "verified", "name": "سعد"}
    assert store.get("cases", rid)["state"] == "verified"


def test_an_update_of_a_missing_record_raises(store):
    with pytest.raises(LookupError), store.transaction() as tx:
        tx.update("cases", 7, {"state": "x"})


def test_a_failing_block_writes_nothing(store):
    store.insert("cases", {"state": "received"})
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.update("cases", 1, {"state": "verified"})
        tx.insert("audit", {"action": "verify"})
        raise RuntimeError("the check failed")
    assert store.get("cases", 1)["state"] == "received"
    assert store.count("audit") == 0


def test_a_plain_write_inside_a_transaction_is_refused(store):
    with pytest.raises(StoreError, match="through the transaction"), store.transaction():
        store.insert("cases", {})
    assert store.insert("cases", {}) == 1  # the lock was given back


def test_a_deletion_and_a_read_of_it(store):
    ids = store.insert_many("cases", [{"n": 1}, {"n": 2}])
    with store.transaction() as tx:
        assert tx.delete("cases", ids[1]) is True
        assert tx.get("cases", ids[1]) is None
        assert tx.delete("cases", ids[1]) is False
        assert tx.insert("cases", {"id": 99, "n": 3}) == 3  # never a deleted id, nor the caller's
        assert tx.get("cases", 3) == {"id": 3, "n": 3}
        assert store.get("cases", ids[1]) == {"id": 2, "n": 2}  # others: not yet
    assert [r["n"] for r in store.iter("cases")] == [1, 3]


def test_a_failing_block_gives_its_ids_back(store):
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.insert("cases", {})
        raise RuntimeError
    assert store.collections() == []
    assert store.insert("cases", {}) == 1


@pytest.mark.backends("tinydb")
def test_a_journal_left_by_a_dead_writer_is_finished_when_the_store_opens(open_store):
    store = open_store()
    store.insert("cases", {"state": "received"})
    # As a writer killed after its journal and before its shards would leave it:
    write_journal(
        store.root,
        [["cases", 2, {"state": "verified"}], ["audit", 1, {"entity_id": "2"}]],
    )
    assert store.get("cases", 2) is None
    again = open_store()
    assert again.get("cases", 2) == {"id": 2, "state": "verified"}
    assert again.get("audit", 1) == {"id": 1, "entity_id": "2"}
    assert pending(again.root) == []
    assert again.insert("cases", {}) == 3


@pytest.mark.backends("tinydb")
def test_the_next_write_finishes_a_journal_too(store):
    write_journal(store.root, [["cases", 1, {"state": "x"}]])
    assert store.insert("cases", {"state": "y"}) == 2  # id 1 was the journal's
    assert store.get("cases", 1)["state"] == "x"


@pytest.mark.backends("tinydb")
def test_a_backup_waits_for_a_transaction_being_written(store, tmp_path):
    import tarfile
    import threading

    from store.backup import create_backup

    done = []
    with store.transaction() as tx:
        tx.insert("cases", {"a": 1})
        tx.insert("audit", {"b": 2})
        backup = threading.Thread(
            target=lambda: done.append(create_backup(store.root, tmp_path / "b.tar.gz"))
        )
        backup.start()
        backup.join(0.3)
        assert not done  # it waits for the write lock
    backup.join(10)
    with tarfile.open(tmp_path / "b.tar.gz") as archive:
        names = archive.getnames()
    assert any(n.endswith("cases/000000.json") for n in names)
    assert any(n.endswith("audit/000000.json") for n in names)


# --- killed at random moments --------------------------------------------------


def _writer(open_store, fd):
    store_layout.SHARD_SIZE = 50  # crosses shard boundaries often
    store = open_store()
    for n in range(1_000_000):
        stored = store.count("cases")
        with store.transaction() as tx:
            if n % 3 == 2 and stored:
                rid = random.randint(1, stored)
                tx.update("cases", rid, {"state": f"s{n}"})
            else:
                rid = tx.insert("cases", {"state": "received", "note": "ملاحظة " * 40})
            tx.insert("audit", {"entity": "case", "entity_id": str(rid), "after": n})
        os.write(fd, f"{rid} {n}\n".encode())


@pytest.mark.slow
def test_writers_killed_at_random_moments_leave_an_audit_entry_for_every_record(
    open_store, backend
):
    acknowledged = []
    rounds = 0
    # At least 25 kills, and on until a hundred new records were acknowledged (every third
    # write is an update): on a busy machine a child gets fewer writes done before its kill.
    while rounds < 25 or (_inserts(acknowledged) <= 100 and rounds < 200):
        rounds += 1
        read_end, write_end = os.pipe()
        child = FORK.Process(target=_writer, args=(open_store, write_end))
        child.start()
        os.close(write_end)
        time.sleep(random.uniform(0.05, 0.4))
        os.kill(child.pid, signal.SIGKILL)
        child.join()
        with os.fdopen(read_end, "rb") as pipe:
            acknowledged += pipe.read().decode().split("\n")[:-1]
    store_layout.SHARD_SIZE = 50
    try:
        store = open_store()  # as the next process would: it finishes the journals
        audited = {}
        for entry in store.iter("audit"):
            audited.setdefault(int(entry["entity_id"]), []).append(entry["after"])
        cases = list(store.iter("cases"))
    finally:
        store_layout.SHARD_SIZE = 1000
    assert len(cases) > 100
    if backend == "tinydb":
        assert pending(store.root) == []
    assert [c["id"] for c in cases if c["id"] not in audited] == []
    for case in cases:  # the newest audit entry of each case is its last change
        if case["state"] != "received":
            assert case["state"] == f"s{audited[case['id']][-1]}"
    for line in acknowledged:  # and nothing acknowledged was lost
        rid, n = map(int, line.split())
        assert n in audited[rid]
    assert _inserts(acknowledged) > 100


def _inserts(acknowledged: list[str]) -> int:
    """Count the acknowledged writes that added a record (_writer updates every third)."""
    return sum(1 for line in acknowledged if int(line.split()[1]) % 3 != 2)


@pytest.mark.backends("postgres")
def test_a_backup_during_a_transaction_holds_all_of_it_or_none(store, store_at, tmp_path):
    # PostgreSQL reads a backup in one snapshot: it does not wait for the writer.
    store.insert("cases", {"a": 0})
    with store.transaction() as tx:
        tx.insert("cases", {"a": 1})
        tx.insert("audit", {"b": 2})
        store.backup(tmp_path / "during.tar.gz")
    store.backup(tmp_path / "after.tar.gz")
    during, after = store_at(tmp_path / "during"), store_at(tmp_path / "after")
    during.restore(tmp_path / "during.tar.gz")
    after.restore(tmp_path / "after.tar.gz")
    assert (during.count("cases"), during.count("audit")) == (1, 0)
    assert (after.count("cases"), after.count("audit")) == (2, 1)
