"""storage.locked: the kernel file lock every write of the TinyDB backend takes.

A waiter blocks in flock (woken when the holder lets go) instead of polling, and still
gives up after its time limit, handing its lock back if it gets it after that.
"""

import contextlib
import multiprocessing
import os
import signal
import threading
import time

import pytest

from store import StoreError
from store.storage import locked

FORK = multiprocessing.get_context("fork")


def _hold(path, held, release_fd):
    with locked(path):
        held.set()
        os.read(release_fd, 1)  # a pipe, not an Event: the test may kill this process


class Holder:
    """A process holding the lock at path until let go (or killed)."""

    def __init__(self, path):
        self.path = path
        held = FORK.Event()
        read_end, self._write_end = os.pipe()
        self.proc = FORK.Process(target=_hold, args=(path, held, read_end))
        self.proc.start()
        os.close(read_end)
        assert held.wait(30)

    def release(self):
        if self._write_end is not None:
            # A byte, not the pipe's end: the child holds a copy of the write end too.
            with contextlib.suppress(BrokenPipeError):  # killed already
                os.write(self._write_end, b"x")
            os.close(self._write_end)
            self._write_end = None
        self.proc.join(30)


@pytest.fixture
def holder(tmp_path):
    one = Holder(tmp_path / "x.lock")
    yield one
    one.release()


def test_a_waiter_gives_up_after_its_time_limit(holder):
    path = holder.path
    start = time.monotonic()
    with pytest.raises(StoreError, match="could not lock"), locked(path, timeout=0.3):
        pass
    assert 0.3 <= time.monotonic() - start < 5


def test_a_waiter_that_gave_up_does_not_keep_the_lock_it_gets_later(holder):
    path = holder.path
    with pytest.raises(StoreError), locked(path, timeout=0.2):
        pass
    holder.release()  # the abandoned helper now gets the lock, and must let it go at once
    taken = threading.Event()

    def take():
        with locked(path, timeout=5):
            taken.set()

    thread = threading.Thread(target=take)
    thread.start()
    thread.join(10)
    assert taken.is_set()


def test_a_killed_holder_frees_the_lock_for_a_waiter(holder):
    path = holder.path
    got = []

    def wait():
        with locked(path, timeout=20):
            got.append(time.monotonic())

    waiter = threading.Thread(target=wait)
    waiter.start()
    time.sleep(0.2)
    assert got == []
    os.kill(holder.proc.pid, signal.SIGKILL)
    waiter.join(20)
    assert len(got) == 1


def test_waiting_threads_spin_no_cpu(holder):
    # Twenty threads waiting a second, as twenty requests queue for the write lock: with
    # a poll every 2 ms they woke 10,000 times; blocked in flock they do not wake at all.
    path = holder.path
    done = []

    def wait():
        with locked(path, timeout=30):
            done.append(1)

    before = time.process_time()
    waiters = [threading.Thread(target=wait) for _ in range(20)]
    for waiter in waiters:
        waiter.start()
    time.sleep(1.0)
    spent = time.process_time() - before
    holder.release()
    for waiter in waiters:
        waiter.join(30)
    assert len(done) == 20
    assert spent < 0.15


def test_threads_and_processes_exclude_each_other(tmp_path):
    path, counter = tmp_path / "x.lock", tmp_path / "n.txt"
    counter.write_text("0")

    def bump(times):
        for _ in range(times):
            with locked(path):
                value = int(counter.read_text())
                counter.write_text(str(value + 1))

    procs = [FORK.Process(target=bump, args=(100,)) for _ in range(2)]
    threads = [threading.Thread(target=bump, args=(100,)) for _ in range(4)]
    for one in procs + threads:
        one.start()
    for thread in threads:
        thread.join(60)
    for proc in procs:
        proc.join(60)
        assert proc.exitcode == 0
    assert counter.read_text() == "600"
