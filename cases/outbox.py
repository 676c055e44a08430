"""The outbox: every message to a beneficiary (or to staff) goes through it.

A message is queued in the same transaction as the change that made it; the sender
(messages/sender.py) then takes it through its statuses. With the "outbox only" gateway
(the default) nothing is sent: staff copy queued text messages from the outbox page into
the association's official mobile.

    queued ──claim──> sending ──> sent ──(provider's callback)──> delivered
       ^                 │  └────> failed       (a permanent refusal, or too many tries)
       └── back-off ─────┘  └────> check        (its lease ran out: outcome unknown)
    queued ──> refused  (the beneficiary refuses messages: kept, never sent)

A message to a number whose owner refuses messages (cases/refusals.py) is still written
down, with status "refused": the file shows what he would have been told, and staff see
that he was not told. It is refused when queued, when he refuses (those still queued) and
again by the sender under the lock, so no path sends it. Quiet hours and the limit per
number (messages/respect.py) only move a queued SMS's next_try_at: it waits, never drops.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l

OUTBOX = "outbox"
QUEUED = "queued"
SENDING = "sending"
SENT = "sent"
DELIVERED = "delivered"
FAILED = "failed"
CHECK = "check"  # a sender died mid-send: a person looks at the gateway before resending
REFUSED = "refused"  # its beneficiary refuses messages
STATUSES = (QUEUED, SENDING, SENT, DELIVERED, FAILED, CHECK, REFUSED)
STATUS_NAMES = {
    QUEUED: _l("تنتظر الإرسال"),
    SENDING: _l("قيد الإرسال"),
    SENT: _l("أُرسلت"),
    DELIVERED: _l("سُلّمت"),
    FAILED: _l("فشلت"),
    CHECK: _l("تحتاج مراجعة"),
    REFUSED: _l("لم تُرسل: المستفيد يرفض الرسائل"),
}
REFUSALS = "message_refusals"  # one record: {"numbers": {mobile: beneficiary id}}
REFUSALS_ID = 1
SMS = "sms"
EMAIL = "email"
MAX_TEXT = 1000
# A queued message's place in the sender's queue: its channel and when it may go next
# ("sms|2026-12-07T20:00:00+00:00"), indexed, so the sender reads the messages due now
# whatever number wait for the morning; any other status is past the end ("~").
NOT_DUE = "~"


def due(channel: str, next_try_at: str) -> str:
    return f"{channel}|{next_try_at}"


def now_iso(moment: dt.datetime | None = None) -> str:
    return (moment or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")


def message(
    mobile: str,
    text: str,
    event: str,
    *,
    channel: str = SMS,
    email: str = "",
    subject: str = "",
    **links,
) -> dict:
    """Return a queued message; `links` name what it is about (program_id, case_id, ...)."""
    record = {
        "mobile": mobile or "",
        "text": text[:MAX_TEXT],
        "event": event,
        "channel": channel,
        "status": QUEUED,
        "attempts": 0,
        "created_at": now_iso(),
        "next_try_at": now_iso(),
        **links,
    }
    record["due"] = due(channel, record["next_try_at"])
    if channel == EMAIL:
        record |= {"email": email, "subject": subject[:200]}
    return record


def refuses(tx, mobile: str) -> bool:
    """Whether the owner of `mobile` refuses messages (read under the transaction's lock)."""
    if not mobile:
        return False
    kept = tx.get(REFUSALS, REFUSALS_ID) or {}
    return mobile in kept.get("numbers", {})


def queue(tx, mobile: str, text: str, event: str, **options) -> dict:
    """Queue one message in the transaction `tx` (with the change that made it).

    options: channel ("sms" or "email"), email and subject for an e-mail, and links
    naming what the message is about (program_id=..., case_id=...). A text message to a
    number that refuses messages is kept as "refused", not queued, unless the person asked
    for it himself this moment (asked=True: the code to his own page), which is neither
    refused nor held for the night or the daily limit (messages.respect).
    """
    record = message(mobile, text, event, **options)
    if record["channel"] == SMS and not record.get("asked") and refuses(tx, record["mobile"]):
        record |= {"status": REFUSED, "refused_at": record["created_at"], "due": NOT_DUE}
    record["id"] = tx.insert(OUTBOX, record)
    return record


def queued_page(store, offset: int, limit: int) -> tuple[list[dict], int]:
    """Return one page of the queued messages, newest first, and how many are queued."""
    return store.page(OUTBOX, offset=offset, limit=limit, where={"status": QUEUED})


def status_page(store, status: str, offset: int, limit: int) -> tuple[list[dict], int]:
    """Return one page of the messages in one status, newest first, and how many there are."""
    return store.page(OUTBOX, offset=offset, limit=limit, where={"status": status})


def of_mobile(store, mobile: str, offset: int, limit: int) -> tuple[list[dict], int]:
    """Return one page of the messages to one number, newest first, and how many there are."""
    if not mobile:
        return [], 0
    return store.page(OUTBOX, offset=offset, limit=limit, where={"mobile": mobile})


def mark_refusal(tx, mobile: str, beneficiary_id: int | None) -> None:
    """Add `mobile` to the refusing numbers (for beneficiary_id) or, with None, take it off."""
    if not mobile:
        return
    kept = tx.get(REFUSALS, REFUSALS_ID)
    numbers = dict((kept or {}).get("numbers", {}))
    if beneficiary_id is None:
        numbers.pop(mobile, None)
    else:
        numbers[mobile] = beneficiary_id
    if kept is None:
        tx.insert(REFUSALS, {"numbers": numbers})
    else:
        tx.update(REFUSALS, REFUSALS_ID, {"numbers": numbers})
