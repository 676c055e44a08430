"""The sender's loop: in its own process (`flask --app app messages worker`) or as a thread
inside the web server (gunicorn.conf.py). Only one runs at a time across processes: each
holds an exclusive lock file while it sends; the kernel frees it when its process dies,
and a waiting one takes over.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

import store
from messages import sender
from store.storage import try_lock

log = logging.getLogger("rifd.messages")
POLL = 10.0  # seconds between looks at the outbox
RETRY_LOCK = 30.0  # a waiting sender tries the lock this often
LOCK_NAME = "sender.lock"


def lock_path(data_dir: str | Path) -> Path:
    path = Path(data_dir) / LOCK_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def loop(store, stop: threading.Event, poll: float = POLL) -> None:
    """Send what is due, then wait `poll` seconds, until `stop` is set."""
    while not stop.is_set():
        try:
            sender.send_due(store)
        except Exception:  # a full disk or a broken record: try again next round
            log.exception("the sender's round failed")
        stop.wait(poll)


def run(store, data_dir, stop: threading.Event, poll: float = POLL, wait: float = RETRY_LOCK):
    """Be the one sender: wait for the lock, then loop until `stop` is set."""
    path = lock_path(data_dir)
    while not stop.is_set():
        held = try_lock(path)
        if held is None:
            stop.wait(wait)  # another process sends
            continue
        try:
            log.info("this process sends the outbox's messages")
            loop(store, stop, poll)
        finally:
            os.close(held)  # lets the lock go


def start_thread(app, poll: float = POLL) -> threading.Thread:
    """Start the sender as a daemon thread of this process (one per web worker; one sends)."""
    data = app.extensions[store.EXTENSION_KEY]
    thread = threading.Thread(
        target=run,
        args=(data, app.config["DATA_DIR"], threading.Event(), poll),
        name="rifd-sender",
        daemon=True,
    )
    thread.start()
    return thread
