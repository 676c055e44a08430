"""The outbox as the one path: claim, send, back off, fail, and never send twice."""

from __future__ import annotations

import datetime as dt
import logging

from accounts.audit import COLLECTION as AUDIT
from cases import outbox
from messages import sender
from tests.messages.conftest import SECRET
from tests.messages.fake_gateway import NO_BALANCE


def soon() -> dt.datetime:
    """A moment just after the test's messages are queued (they are due from then on)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(minutes=1)


def queue(store, text="نص", mobile="+966512345678", **links):
    with store.transaction() as tx:
        return outbox.queue(tx, mobile, text, "test", **links)


def test_a_queued_message_is_sent_once_with_the_providers_answer(store, configured, caplog):
    T0 = soon()  # noqa: N806
    caplog.set_level(logging.DEBUG)
    message = queue(store, "رسالة أولى")
    assert sender.send_due(store, T0) == 1
    after = store.get(outbox.OUTBOX, message["id"])
    assert after["status"] == outbox.SENT and after["attempts"] == 1
    assert after["answer"].startswith("HTTP 20")
    assert configured.texts() == ["رسالة أولى"]
    assert sender.send_due(store, T0 + dt.timedelta(hours=1)) == 0  # nothing sent twice
    assert len(configured.requests) == 1
    assert SECRET not in caplog.text and SECRET not in str(after)


def test_a_temporary_failure_comes_back_after_its_back_off(store, configured):
    T0 = soon()  # noqa: N806
    configured.script.append((503, {"message": "Service Unavailable"}))
    message = queue(store)
    sender.send_due(store, T0)
    after = store.get(outbox.OUTBOX, message["id"])
    assert after["status"] == outbox.QUEUED
    assert after["next_try_at"] == outbox.now_iso(T0 + dt.timedelta(seconds=sender.BACKOFF[0]))
    sender.send_due(store, T0 + dt.timedelta(seconds=30))  # too early: not tried
    assert len(configured.requests) == 1
    sender.send_due(store, T0 + dt.timedelta(seconds=61))
    after = store.get(outbox.OUTBOX, message["id"])
    assert after["status"] == outbox.SENT and after["attempts"] == 2
    assert len(after["answers"]) == 2


def test_temporary_failures_give_up_after_the_last_try(store, configured):
    T0 = soon()  # noqa: N806
    configured.script.extend([(500, {"message": "down"})] * sender.MAX_TRIES)
    message = queue(store)
    moment = T0
    for _ in range(sender.MAX_TRIES):
        sender.send_due(store, moment)
        moment += dt.timedelta(hours=4)
    assert store.get(outbox.OUTBOX, message["id"])["status"] == outbox.FAILED
    assert len(configured.requests) == sender.MAX_TRIES


def test_a_permanent_failure_is_not_retried(store, configured):
    T0 = soon()  # noqa: N806
    configured.script.append(NO_BALANCE[configured.provider])
    message = queue(store)
    sender.send_due(store, T0)
    sender.send_due(store, T0 + dt.timedelta(days=1))
    after = store.get(outbox.OUTBOX, message["id"])
    assert after["status"] == outbox.FAILED
    assert NO_BALANCE[configured.provider][1]["message"] in after["answer"]
    assert len(configured.requests) == 1


def test_outbox_only_sends_nothing(store, monkeypatch):
    T0 = soon()  # noqa: N806
    monkeypatch.delenv("RIFD_SMS_PROVIDER", raising=False)
    message = queue(store)
    assert sender.send_due(store, T0) == 0
    assert store.get(outbox.OUTBOX, message["id"])["status"] == outbox.QUEUED


def test_a_claim_lost_to_an_expired_lease_is_checked_not_resent(store, configured):
    """A sender that claimed a message and vanished: after its lease, a person checks."""
    T0 = soon()  # noqa: N806
    message = queue(store, "في الطريق")
    claimed = sender.claim(store, sender.gateway_settings.gateway(store), T0)
    assert claimed["id"] == message["id"] and claimed["status"] == outbox.SENDING
    # Another sender finds nothing to take while the lease holds...
    assert sender.send_due(store, T0 + dt.timedelta(minutes=1)) == 0
    # ...and, once it ran out, marks it for a person instead of sending it again.
    sender.send_due(store, T0 + sender.LEASE + dt.timedelta(seconds=1))
    assert store.get(outbox.OUTBOX, message["id"])["status"] == outbox.CHECK
    assert configured.requests == []


def test_the_audit_never_holds_the_secret(client, store, configured):
    T0 = soon()  # noqa: N806
    message = queue(store)
    sender.send_due(store, T0)
    assert store.get(outbox.OUTBOX, message["id"])["status"] == outbox.SENT
    assert all(SECRET not in str(entry) for entry in store.iter(AUDIT))
