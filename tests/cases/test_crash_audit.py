"""Writers killed at random moments leave no stored record without its audit entry.

Before the store's transactions, one such run left 20 of 708 records without theirs:
the record was written, then the process died before the audit trail was. Here real
operations run (a submission saved, its request opened, a move made) in processes
killed with SIGKILL; the next process to open the data folder must find an audit
entry for every submission, every request and every request's current state.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time

import pytest

from accounts import audit as trail
from app import create_app
from association.profile import current as current_profile
from cases import operations
from store import Store
from submissions import service
from tests.test_library import _support_request

FORK = multiprocessing.get_context("fork")
FORM = "support_request"

pytestmark = pytest.mark.slow


def _answers() -> dict:
    # The answers as the page stores them: the same person each time (one beneficiary).
    raw = _support_request()
    return {k: v for k, v in raw.items() if isinstance(v, str | int | float | list)}


def _writer(root: str, started) -> None:
    app = create_app({"TESTING": True, "DATA_DIR": root, "SECRET_KEY": "t"})
    who = trail.Actor("crash", "", trail.everything)
    with app.app_context():
        data = app.extensions["rifd_store"]
        form = app.extensions["rifd_forms"].get(FORM)
        profile = current_profile(data)
        answers = _answers()
        while True:
            record = service.save(
                data,
                form,
                answers,
                channel="interview",
                entered_by="crash",
                audit=lambda tx, r: trail.write(tx, who, "create", f"submission:{FORM}", r["id"]),
            )
            case = operations.open_request(data, profile, form, record, who)
            operations.move(data, profile, case["id"], "refer", {"note": "بحث ميداني"}, who)
            started.set()  # one whole round written: the kill may now come at any moment


def test_killed_writers_leave_an_audit_entry_for_every_record(tmp_path):
    root = str(tmp_path / "data")
    app = create_app({"TESTING": True, "DATA_DIR": root, "SECRET_KEY": "t"})
    assert app.test_cli_runner().invoke(args=["seed"]).exit_code == 0
    # Each kill comes at a random moment once the child has written one whole round, so
    # every round adds records whatever the machine's load (a kill at a fixed time after
    # the start often came before the child had written anything).
    for _ in range(12):
        started = FORK.Event()
        child = FORK.Process(target=_writer, args=(root, started))
        child.start()
        assert started.wait(60), "the writer wrote nothing in a minute"
        time.sleep(random.uniform(0.0, 0.25))
        os.kill(child.pid, signal.SIGKILL)
        child.join()
    data = Store(root)  # as the next process: it finishes what was half-written
    entries = {(e["entity"], e["entity_id"], e["action"]) for e in data.iter(trail.COLLECTION)}
    submissions = list(data.iter(service.collection(FORM)))
    cases = list(data.iter("cases"))
    assert len(submissions) > 10 and len(cases) > 10
    missing = [
        s["id"]
        for s in submissions
        if (f"submission:{FORM}", str(s["id"]), "create") not in entries
    ]
    missing += [c["id"] for c in cases if ("case", str(c["id"]), "open") not in entries]
    missing += [
        c["id"]
        for c in cases
        if c["state"] == "research" and ("case", str(c["id"]), "case.refer") not in entries
    ]
    assert missing == []
    # And nothing is audited that was not stored: each audited request exists.
    audited_cases = {int(i) for e, i, a in entries if e == "case" and a == "open"}
    assert audited_cases == {c["id"] for c in cases}
