"""Staff are told by e-mail, once a day, of the requests nearing (or past) their deadline.

The day's digest is queued once, whichever sender runs first that day: the day it was
queued is kept in the settings record, checked and written under the store's lock.
"""

from __future__ import annotations

from cases import outbox
from cases.calendar import HOLIDAYS, days_off
from cases.dashboard import open_rows
from forms.dates import saudi_today
from messages import events
from messages.settings import SETTINGS, SETTINGS_ID, stored

EVENT = "deadline_digest"
SUBJECT = "رفد: طلبات قرب موعد قرارها"


def recipients(store) -> list[str]:
    """Return the staff addresses the digest goes to (set on the settings page)."""
    return [a.strip() for a in stored(store).get("staff_emails", "").split(",") if a.strip()]


def due(store, today) -> list[dict]:
    """Return the open requests due soon or overdue, nearest first, as the digest lists them."""
    rows = open_rows(store, days_off(store.iter(HOLIDAYS)), today)
    return [
        {"ref": r.case.get("ref", ""), "due": r.due.isoformat(), "days_left": r.days_left}
        for r in rows
        if r.status in ("due_soon", "overdue")
    ]


def daily(store, today=None) -> int:
    """Queue today's digest to each staff address if not queued yet; return how many."""
    today = today or saudi_today()
    to = recipients(store)
    if not to or not events.enabled(store, EVENT) or stored(store).get("digest_on") == str(today):
        return 0
    requests = due(store, today)
    with store.transaction() as tx:
        kept = tx.get(SETTINGS, SETTINGS_ID)
        if kept is None or kept.get("digest_on") == str(today):
            return 0
        tx.update(SETTINGS, SETTINGS_ID, {"digest_on": str(today)})
        if not requests:
            return 0
        text = events.text(store, EVENT, {"requests": requests})
        for address in to:
            outbox.queue(tx, "", text, EVENT, channel=outbox.EMAIL, email=address, subject=SUBJECT)
    return len(to)
