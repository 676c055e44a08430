"""Sliding-window hit counts in the data folder: what sign-in lock-outs and rate limits count."""

import multiprocessing
import os
import signal
import sqlite3
import threading
import time

from store import Store
from store.windows import FILE, SlidingWindows


class Clock:
    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self):
        return self.now


def test_window_slides(tmp_path):
    clock = Clock()
    limiter = SlidingWindows(tmp_path, clock)
    assert [limiter.hit("k", 3, 60) for _ in range(4)] == [True, True, True, False]
    clock.now += 30
    assert limiter.hit("k", 3, 60) is False  # refused hits are not counted...
    clock.now += 30  # ...so the first three leave the window exactly 60 s after they came
    assert [limiter.hit("k", 3, 60) for _ in range(4)] == [True, True, True, False]
    clock.now += 59.9
    assert limiter.hit("k", 3, 60) is False
    clock.now += 0.1
    assert limiter.hit("k", 3, 60) is True


def test_a_window_slides_rather_than_resets(tmp_path):
    clock = Clock()
    limiter = SlidingWindows(tmp_path, clock)
    assert limiter.hit("k", 2, 60)
    clock.now += 40
    assert limiter.hit("k", 2, 60)
    clock.now += 30  # the first hit has left the window, the second has not
    assert limiter.hit("k", 2, 60) is True
    assert limiter.hit("k", 2, 60) is False


def test_keys_are_independent_and_reset_forgets_one(tmp_path):
    limiter = SlidingWindows(tmp_path, Clock())
    assert limiter.hit("a", 1, 60) and limiter.hit("b", 1, 60)
    assert not limiter.hit("a", 1, 60) and not limiter.hit("b", 1, 60)
    limiter.reset("a")
    assert limiter.hit("a", 1, 60)
    assert not limiter.hit("b", 1, 60)
    limiter.reset("never seen")  # no error


def _stored_keys(folder) -> list[str]:
    with sqlite3.connect(folder / FILE) as db:
        return [key for (key,) in db.execute("SELECT key FROM hits")]


def test_idle_keys_are_swept_and_keys_are_kept_only_as_hashes(tmp_path):
    clock = Clock()
    limiter = SlidingWindows(tmp_path, clock)
    for n in range(40):
        limiter.hit(f"login:user:sara{n}", 5, 60)
    assert len(_stored_keys(tmp_path)) == 40
    clock.now += 61
    for n in range(200):
        limiter.hit(f"fresh {n}", 5, 60)
    kept = _stored_keys(tmp_path)
    assert len(kept) == 200  # the forty idle keys are gone
    assert all(len(key) == 64 for key in kept)
    assert b"sara" not in b"".join(path.read_bytes() for path in tmp_path.iterdir())


def test_counts_survive_a_new_store_on_the_same_folder(tmp_path):
    # A worker that starts (or restarts) finds the counts the others made.
    for _ in range(3):
        assert Store(tmp_path / "data").windows.hit("login:user:sara", 3, 900)
    assert Store(tmp_path / "data").windows.hit("login:user:sara", 3, 900) is False


def test_thread_safe_under_concurrent_hits(tmp_path):
    limiter = SlidingWindows(tmp_path)
    allowed = []
    start = threading.Barrier(8)

    def worker():
        start.wait()
        mine = [limiter.hit("shared", 100, 3600) for _ in range(25)]
        allowed.append(sum(mine))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(allowed) == 100  # 200 tries, exactly the limit let through


def _hits_in_another_process(folder, count, out):
    limiter = SlidingWindows(folder)
    out.put(sum(limiter.hit("shared", 30, 3600) for _ in range(count)))


def test_processes_share_one_count(tmp_path):
    # The gunicorn case: separate processes, one data folder, one limit.
    out = multiprocessing.get_context("spawn").Queue()
    workers = [
        multiprocessing.get_context("spawn").Process(
            target=_hits_in_another_process, args=(tmp_path, 20, out)
        )
        for _ in range(3)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert sum(out.get(timeout=5) for _ in workers) == 30


def test_a_hit_waits_for_no_disk(tmp_path):
    # A count that may be lost in a power cut: committed to SQLite's log, never fsynced
    # per hit (four fsyncs of each public answer went to two windows' JSON files).
    limiter = SlidingWindows(tmp_path)
    limiter.hit("k", 5, 60)
    db = limiter._db()
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert db.execute("PRAGMA synchronous").fetchone() == (1,)  # NORMAL: no fsync on commit


def _hit_forever(folder):
    limiter = SlidingWindows(folder)
    while True:
        limiter.hit(f"key {time.monotonic()}", 5, 3600)


def test_a_writer_killed_mid_hit_leaves_the_counts_usable(tmp_path):
    for delay in (0.3, 0.45, 0.6):
        child = multiprocessing.get_context("fork").Process(target=_hit_forever, args=(tmp_path,))
        child.start()
        time.sleep(delay)
        os.kill(child.pid, signal.SIGKILL)
        child.join()
        limiter = SlidingWindows(tmp_path)
        assert [limiter.hit(f"after {delay}", 2, 60) for _ in range(3)] == [True, True, False]
    assert len(_stored_keys(tmp_path)) > 6  # the killed writers' hits are there too


def _open_at_once(folder, ready, out):
    ready.wait()
    try:
        SlidingWindows(folder).hit("first start", 100, 3600)
        out.put("ok")
    except Exception as exc:  # noqa: BLE001 (what the worker met is the test's answer)
        out.put(repr(exc))


def test_workers_opening_a_new_folder_at_once_all_count(tmp_path):
    # gunicorn's workers on a first start: each opens the new file and switches it to
    # WAL; SQLite answered "database is locked" at once to one of them, without waiting.
    fork = multiprocessing.get_context("fork")
    for attempt in range(8):
        folder, out, ready = tmp_path / str(attempt), fork.Queue(), fork.Event()
        workers = [fork.Process(target=_open_at_once, args=(folder, ready, out)) for _ in range(6)]
        for worker in workers:
            worker.start()
        ready.set()
        for worker in workers:
            worker.join(60)
        assert [out.get(timeout=5) for _ in workers] == ["ok"] * 6
