"""The outbox: every message to a beneficiary (or to staff) goes through it.

A message is queued in the same transaction as the change that made it; the sender
(messages/sender.py) then takes it through its statuses. With the "outbox only" gateway
(the default) nothing is sent: staff copy queued text messages from the outbox page into
the association's official mobile.

    queued ──claim──> sending ──> sent ──(provider's callback)──> delivered
       ^                 │  └────> failed       (a permanent refusal, or too many tries)
       └── back-off ─────┘  └────> check        (its lease ran out: outcome unknown)
"""

from __future__ import annotations

import datetime as dt

OUTBOX = "outbox"
QUEUED = "queued"
SENDING = "sending"
SENT = "sent"
DELIVERED = "delivered"
FAILED = "failed"
CHECK = "check"  # a sender died mid-send: a person looks at the gateway before resending
STATUSES = (QUEUED, SENDING, SENT, DELIVERED, FAILED, CHECK)
SMS = "sms"
EMAIL = "email"
MAX_TEXT = 1000


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
    if channel == EMAIL:
        record |= {"email": email, "subject": subject[:200]}
    return record


def queue(tx, mobile: str, text: str, event: str, **options) -> dict:
    """Queue one message in the transaction `tx` (with the change that made it).

    options: channel ("sms" or "email"), email and subject for an e-mail, and links
    naming what the message is about (program_id=..., case_id=...).
    """
    record = message(mobile, text, event, **options)
    record["id"] = tx.insert(OUTBOX, record)
    return record


def queued_page(store, offset: int, limit: int) -> tuple[list[dict], int]:
    """Return one page of the queued messages, newest first, and how many are queued."""
    return store.page(OUTBOX, offset=offset, limit=limit, where={"status": QUEUED})


def status_page(store, status: str, offset: int, limit: int) -> tuple[list[dict], int]:
    """Return one page of the messages in one status, newest first, and how many there are."""
    return store.page(OUTBOX, offset=offset, limit=limit, where={"status": status})
