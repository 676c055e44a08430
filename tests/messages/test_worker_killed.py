"""A sender process killed in the middle of a send: nothing is sent twice."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys

import pytest

from cases import outbox
from messages import sender
from messages import settings as gateway_settings


@pytest.mark.parametrize("provider", ["taqnyat"])
def test_a_worker_killed_mid_send_sends_nothing_twice(app, store, configured):
    gateway = configured
    with store.transaction() as tx:  # the worker runs on the real clock: at any hour
        tx.insert(
            gateway_settings.SETTINGS,
            {"quiet_from": "00:00", "quiet_until": "00:00", "sms_per_day": "1000"},
        )
        ids = [outbox.queue(tx, "+966512345678", f"رسالة {n}", "test")["id"] for n in range(3)]
    # The gateway's settings come from the environment (the `configured` fixture).
    env = os.environ | {"RIFD_DATA": app.config["DATA_DIR"], "RIFD_SECRET_KEY": "test"}
    gateway.hold.clear()  # the gateway takes the first message and does not answer yet
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "messages", "worker", "--poll", "0.2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert gateway.arrived.wait(60), "the worker sent nothing"
        worker.send_signal(signal.SIGKILL)  # dies between the send and writing its answer
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
    gateway.hold.set()
    first = store.get(outbox.OUTBOX, ids[0])
    assert first["status"] == outbox.SENDING
    # Another sender, after the dead one's lease: sends the rest, not the one in flight.
    later = dt.datetime.now(dt.UTC) + sender.LEASE + dt.timedelta(seconds=5)
    assert sender.send_due(store, later) == 2
    statuses = [store.get(outbox.OUTBOX, i)["status"] for i in ids]
    assert statuses == [outbox.CHECK, outbox.SENT, outbox.SENT]
    assert sorted(gateway.texts()) == sorted(f"رسالة {n}" for n in range(3))  # each once
