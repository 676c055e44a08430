"""Reading the follow-ups: the list (open first, oldest first), the home section, the counts.

Only what is shown is read: a page of the list is found through the state index,
the open ones oldest first and then the closed ones newest first; the counts come
from the indexes' kept counts and the open messages (those whose deadline runs).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from cases.home import SHOWN, Section
from quality.followups import CLOSED, COLLECTION, OPEN, PERMISSION, due_of, holidays, queue
from store.periods import count_between

SOON_DAYS = 1  # a message this close to its reply deadline is flagged "due soon"


@dataclass(frozen=True)
class Row:
    item: dict
    age: int  # days since it opened (until it closed, for a closed one)
    due: dt.date | None  # a message's reply deadline
    days_left: int | None  # to the deadline, while open (negative: overdue)
    status: str  # overdue | due_soon | on_track | on_time | late | "" (no deadline)


def _status(item: dict, due: dt.date | None, today: dt.date) -> str:
    if due is None:
        return ""
    if item["state"] == OPEN:
        left = (due - today).days
        return "overdue" if left < 0 else ("due_soon" if left <= SOON_DAYS else "on_track")
    return "on_time" if item.get("on_time") else "late"


def row(item: dict, off, today: dt.date) -> Row:
    """Return how old a follow-up is and where it stands against its deadline."""
    opened = dt.date.fromisoformat(item["opened_on"])
    end = today
    if item["state"] == CLOSED and item.get("closure"):
        end = dt.date.fromisoformat(item["closure"]["on"])
    due = due_of(item, off)
    left = (due - today).days if due is not None and item["state"] == OPEN else None
    return Row(item, (end - opened).days, due, left, _status(item, due, today))


def view(
    store, today: dt.date, *, kind: str = "", offset: int = 0, limit: int = 20
) -> tuple[list[Row], int]:
    """Return one page of follow-ups and how many there are: open ones first, oldest
    first, then the closed ones, newest first. Only the page's records are read."""
    if kind:
        open_where, closed_where = {"queue": queue(OPEN, kind)}, {"queue": queue(CLOSED, kind)}
    else:
        open_where, closed_where = {"state": OPEN}, {"state": CLOSED}
    n_open = store.count(COLLECTION, where=open_where)
    total = n_open + store.count(COLLECTION, where=closed_where)
    found: list[dict] = []
    if offset < n_open:
        found, _n = store.page(
            COLLECTION, where=open_where, offset=offset, limit=limit, newest_first=False
        )
    if len(found) < limit and offset + len(found) < total:
        skip = max(0, offset - n_open)
        more, _n = store.page(COLLECTION, where=closed_where, offset=skip, limit=limit - len(found))
        found += more
    off = holidays(store)
    return [row(item, off, today) for item in found], total


def home_section(store, can, today: dt.date) -> list[Section]:
    """The open follow-ups, oldest first with their age, for who follows them up."""
    if not can(PERMISSION):
        return []
    where = {"state": OPEN}
    found, total = store.page(COLLECTION, where=where, limit=SHOWN, newest_first=False)
    off = holidays(store)
    rows = [row(item, off, today) for item in found]
    return [Section("followups", _l("متابعات مفتوحة"), rows, total, ("followups.index", {}))]


def complaint_counts(store, today: dt.date, period: tuple[str, str] | None = None) -> dict:
    """Return how many complaints and suggestions are open, overdue, closed and closed on
    time (for the reports): the open ones are read, the closed ones counted by index.

    With a period (ISO days, both included), closed and on_time count those closed in it,
    and "received" those that came in it; open and overdue stay as of today.
    """
    open_items = store.find(COLLECTION, where={"queue": queue(OPEN, "message")})
    off = holidays(store)
    overdue = sum(1 for item in open_items if row(item, off, today).status == "overdue")
    counts = {"open": len(open_items), "overdue": overdue}
    if period is None:
        closed = store.count(COLLECTION, where={"queue": queue(CLOSED, "message")})
        # Only a message has a deadline, so only a message is closed on time or late.
        on_time = store.count(COLLECTION, where={"on_time": True})
        return {**counts, "closed": closed, "on_time": on_time}
    start, end = period
    closed_in = {"queue": queue(CLOSED, "message")}
    return {
        **counts,
        "received": count_between(store, COLLECTION, "opened_on", start, end, {"kind": "message"}),
        "closed": count_between(store, COLLECTION, "closure.on", start, end, closed_in),
        "on_time": count_between(store, COLLECTION, "closure.on", start, end, {"on_time": True}),
    }
