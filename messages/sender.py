"""The sender: takes queued messages through the gateway, once each.

A message is claimed under the store's lock (status "sending", a lease and a claim
token) before anything is sent, so two senders never take the same one. If a sender dies
between the gateway's answer and writing it down, the outcome is unknown: the gateway may
have sent the SMS. When its lease runs out the message is marked "check", not sent again:
a second SMS to a beneficiary (an acceptance, a decision) confuses and costs more than a
person looking at the gateway's log and pressing "send again" (requeue) when it was not sent.

Temporary failures (network, 5xx, "too many requests") come back after a back-off;
permanent ones (a bad number, no credit, wrong credentials) fail at once.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets

from accounts import audit as trail
from cases.outbox import (
    CHECK,
    DELIVERED,
    EMAIL,
    FAILED,
    NOT_DUE,
    OUTBOX,
    QUEUED,
    SENDING,
    SENT,
    SMS,
    due,
    now_iso,
)
from messages import deadlines, respect
from messages import settings as gateway_settings
from messages.drivers import DRIVERS
from messages.email import Smtp
from messages.result import PERMANENT, TEMPORARY, Result

log = logging.getLogger("rifd.messages")
LEASE = dt.timedelta(minutes=3)  # longer than a gateway's timeouts (25 s) with room
BACKOFF = (60, 300, 900, 3600, 3 * 3600)  # seconds before the 2nd, 3rd ... try
MAX_TRIES = len(BACKOFF) + 1
SCAN = 100
KEEP_ANSWERS = 10


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or dt.datetime.now(dt.UTC)


def channels(settings: dict) -> list[str]:
    """Return the channels this installation sends itself (the others wait for staff)."""
    out = []
    if settings["provider"] in DRIVERS:
        out.append(SMS)
    if settings["smtp_url"]:
        out.append(EMAIL)
    return out


def deliver(settings: dict, message: dict) -> Result:
    """Send one message through the configured gateway; return its answer."""
    if message.get("channel", SMS) == EMAIL:
        return Smtp(settings["smtp_url"]).send(
            message.get("email", ""), message.get("subject", ""), message["text"]
        )
    return DRIVERS[settings["provider"]](settings).send(message["mobile"], message["text"])


def _due(store, settings: dict, moment: str) -> list[dict]:
    """Return the messages due now, oldest first (read without the lock: a hint): those
    the index of their due time finds (however many wait for the morning or a number's
    limit), and the oldest queued (messages queued before that index existed)."""
    found: dict[int, dict] = {}
    for channel in channels(settings):
        ids = [
            rid
            for _k, rid in store.ids_between(OUTBOX, "due", f"{channel}|", f"{channel}|{moment}~")
        ]
        for message in store.get_many(OUTBOX, ids[:SCAN]):
            found[message["id"]] = message
        page, _total = store.page(
            OUTBOX, limit=SCAN, where={"status": QUEUED, "channel": channel}, newest_first=False
        )
        for message in page:
            if message.get("next_try_at", "") <= moment:
                found.setdefault(message["id"], message)
    return sorted(found.values(), key=lambda m: (m.get("next_try_at", ""), m["id"]))


def _due_after(message: dict, held: dict) -> str:
    """Return a held message's place in the queue: its new time, or none if refused."""
    if held.get("status", QUEUED) != QUEUED:
        return NOT_DUE
    return due(message.get("channel", SMS), held["next_try_at"])


def claim(store, settings: dict, now: dt.datetime | None = None) -> dict | None:
    """Take the oldest message due, under the store's lock; None when none is due."""
    moment = now_iso(_now(now))
    due = _due(store, settings, moment)
    if not due:
        return None  # the usual round: no lock taken
    lease = now_iso(_now(now) + LEASE)
    rules = respect.rules(gateway_settings.stored(store))
    with store.transaction() as tx:
        for candidate in due:
            fresh = tx.get(OUTBOX, candidate["id"])  # read again under the lock
            if fresh and fresh["status"] != QUEUED and fresh.get("due", NOT_DUE) != NOT_DUE:
                tx.update(OUTBOX, fresh["id"], {"due": NOT_DUE})  # no longer in the queue
                continue
            if fresh and fresh["status"] == QUEUED and fresh.get("next_try_at", "") <= moment:
                held = respect.hold(store, tx, rules, fresh, _now(now))
                if held:  # refused, or waits for the morning or the number's limit
                    tx.update(OUTBOX, fresh["id"], {**held, "due": _due_after(fresh, held)})
                    continue
                changes = {
                    "due": NOT_DUE,
                    "status": SENDING,
                    "lease_until": lease,
                    "claim": secrets.token_hex(8),
                    "claimed_at": moment,
                    "attempts": fresh.get("attempts", 0) + 1,
                }
                return tx.update(OUTBOX, fresh["id"], changes)
    return None


def record(store, message: dict, result: Result, now: dt.datetime | None = None) -> dict | None:
    """Write down the gateway's answer for a claimed message; None if the claim was lost."""
    moment = _now(now)
    with store.transaction() as tx:
        fresh = tx.get(OUTBOX, message["id"])
        if (
            not fresh
            or fresh.get("claim") != message["claim"]
            or fresh["status"]
            not in (
                SENDING,
                CHECK,
            )
        ):
            return None
        answers = [*fresh.get("answers", []), {"at": now_iso(moment), "answer": result.answer}]
        changes = {"answer": result.answer, "answers": answers[-KEEP_ANSWERS:]}
        tries = fresh.get("attempts", 1)
        if result.ok:
            changes |= {
                "status": SENT,
                "sent_at": now_iso(moment),
                "provider_id": result.provider_id,
            }
        elif result.outcome == TEMPORARY and tries < MAX_TRIES:
            wait = dt.timedelta(seconds=BACKOFF[tries - 1])
            later = now_iso(moment + wait)
            changes |= {"status": QUEUED, "next_try_at": later, "due": due(fresh["channel"], later)}
        else:
            changes |= {"status": FAILED, "failed_at": now_iso(moment)}
        return tx.update(OUTBOX, fresh["id"], changes)


def expire(store, now: dt.datetime | None = None) -> int:
    """Mark "check" each message whose sender's lease ran out; return how many."""
    moment = now_iso(_now(now))
    stale = store.find(
        OUTBOX, lambda m: m.get("lease_until", "") < moment, where={"status": SENDING}
    )
    if not stale:
        return 0
    with store.transaction() as tx:
        for message in stale:
            fresh = tx.get(OUTBOX, message["id"])
            if fresh and fresh["status"] == SENDING and fresh.get("lease_until", "") < moment:
                tx.update(OUTBOX, fresh["id"], {"status": CHECK, "answer": "lease expired"})
    return len(stale)


def send_one(store, now: dt.datetime | None = None) -> dict | None:
    """Claim, send and record one due message; return it as recorded (None: none due)."""
    settings = gateway_settings.gateway(store)
    message = claim(store, settings, now)
    if message is None:
        return None
    try:
        result = deliver(settings, message)
    except Exception as exc:  # a driver's bug must not leave the message "sending"
        log.exception("message %s: the gateway driver failed", message["id"])
        result = Result(PERMANENT, f"driver error: {type(exc).__name__}")
    log.info("message %s: %s", message["id"], result.outcome)
    return record(store, message, result, now)


def send_due(store, now: dt.datetime | None = None, limit: int = 1000) -> int:
    """Send every message due now (at most `limit`); return how many were tried."""
    expire(store, now)
    deadlines.daily(store)
    count = 0
    while count < limit and send_one(store, now) is not None:
        count += 1
    return count


def requeue(store, message_id: int, who) -> dict:
    """Send a message again (a person checked the gateway: it was not sent), audited."""
    with store.transaction() as tx:
        fresh = tx.get(OUTBOX, message_id)
        if not fresh or fresh["status"] not in (CHECK, FAILED):
            raise LookupError("not a message waiting for a check")
        again = now_iso()
        changes = {"status": QUEUED, "next_try_at": again, "claim": ""}
        after = tx.update(OUTBOX, message_id, changes | {"due": due(fresh["channel"], again)})
        trail.write(
            tx,
            who,
            "requeue",
            "message",
            message_id,
            before={"status": fresh["status"]},
            after={"status": QUEUED},
        )
    return after


def delivered(store, provider_id: str, status: str) -> bool:
    """Record a gateway's delivery report for the message it numbered; False if unknown."""
    if not provider_id:
        return False
    found = store.find(OUTBOX, where={"provider_id": provider_id})
    if not found:
        return False
    final = {"delivered": DELIVERED, "failed": FAILED, "rejected": FAILED, "undelivered": FAILED}
    new = final.get(status.strip().lower())
    if new is None:
        return True  # "Sent", "Queued": nothing new
    with store.transaction() as tx:
        tx.update(OUTBOX, found[0]["id"], {"status": new, "delivery": status[:40]})
    return True
