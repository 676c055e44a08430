"""The outbox: messages to beneficiaries waiting to be sent.

Until Rifd sends text messages itself (issue 15), a message is queued here and staff
copy it from the outbox page into the association's official mobile. The record is
kept simple so that the sender can take it over as it is: the recipient's mobile, the
text, the event that made it, its status and when it was made.
"""

from __future__ import annotations

import datetime as dt

OUTBOX = "outbox"
QUEUED = "queued"
MAX_TEXT = 1000


def message(mobile: str, text: str, event: str, **links) -> dict:
    """Return a queued message; `links` name what it is about (program_id, ...)."""
    return {
        "mobile": mobile or "",
        "text": text[:MAX_TEXT],
        "event": event,
        "status": QUEUED,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        **links,
    }


def queue(tx, mobile: str, text: str, event: str, **links) -> dict:
    """Queue one message in the transaction `tx` (with the change that made it)."""
    record = message(mobile, text, event, **links)
    record["id"] = tx.insert(OUTBOX, record)
    return record


def queued_page(store, offset: int, limit: int) -> tuple[list[dict], int]:
    """Return one page of the queued messages, newest first, and how many are queued."""
    return store.page(OUTBOX, offset=offset, limit=limit, where={"status": QUEUED})
