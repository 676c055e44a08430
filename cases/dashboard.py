"""The deadlines dashboard: open requests by how close their decision is, and counts.

Each row says when the decision is due and how many days are left (negative:
overdue). Decided requests say whether the decision came on time.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from cases.calendar import HOLIDAYS, days_off
from cases.service import CASES, due_of
from cases.workflow import OPEN, STATES
from store import AnyOf

SOON_DAYS = 3  # a request this close to its deadline is flagged "due soon"
STATUS_NAMES = {
    "overdue": _l("متأخر عن الموعد"),
    "due_soon": _l("يقترب موعده"),
    "on_track": _l("في الموعد"),
    "on_time": _l("قُرر في الموعد"),
    "late": _l("قُرر بعد الموعد"),
}


@dataclass(frozen=True)
class Row:
    case: dict
    due: dt.date
    days_left: int
    status: str  # overdue | due_soon | on_track | on_time | late


def _status(case: dict, due: dt.date, today: dt.date) -> str:
    if case["state"] in OPEN:
        left = (due - today).days
        return "overdue" if left < 0 else ("due_soon" if left <= SOON_DAYS else "on_track")
    decided_on = (case.get("decision") or {}).get("date")
    if not decided_on:
        return ""  # closed without a decision (withdrawn)
    return "on_time" if dt.date.fromisoformat(decided_on) <= due else "late"


def _row(case: dict, off, today: dt.date) -> Row:
    due = due_of(case, off)
    return Row(case, due, (due - today).days, _status(case, due, today))


def open_rows(store, off, today: dt.date) -> list[Row]:
    """Every open request, nearest deadline first: as many as a few weeks' intake,
    however many years of requests are kept."""
    found = store.find(CASES, where={"state": AnyOf(sorted(OPEN))})
    return sorted((_row(c, off, today) for c in found), key=lambda r: r.due)


def view(
    store, today: dt.date, *, state: str = "", channel: str = "", offset: int = 0, limit: int = 50
) -> tuple[list[Row], int, dict[str, Counter]]:
    """Return one page of the requests (filtered), how many match in all, and the counts.

    Open ones come first, nearest deadline first; then the rest, newest first. Only the
    open requests and the page's others are read (the store's indexes find them), each
    once for the page and the counts alike.
    """
    off = days_off(store.iter(HOLIDAYS))
    every_open = open_rows(store, off, today)
    shown = [
        r
        for r in every_open
        if (not state or r.case["state"] == state)
        and (not channel or r.case.get("channel") == channel)
    ]
    out = shown[offset : offset + limit]
    others = sorted(set(STATES) - OPEN if not state else {state} - OPEN)
    rest = {**({"channel": channel} if channel else {}), "state": AnyOf(others)}
    counts = _counts(store, every_open)
    if channel:
        total = len(shown) + (store.count(CASES, where=rest) if others else 0)
    else:  # the counts by state hold them already (a count over 100,000 was 130 ms)
        total = len(shown) + sum(counts["state"][s] for s in others)
    if others and len(out) < limit:
        skip = max(0, offset - len(shown))
        found, _n = store.page(CASES, where=rest, offset=skip, limit=limit - len(out))
        out += [_row(c, off, today) for c in found]
    return out, total, counts


def all_rows(store, today: dt.date) -> Iterator[Row]:
    """Yield every request in the dashboard's order, reading the closed ones as they come
    (for the export: 100,000 requests are never all in memory at once)."""
    off = days_off(store.iter(HOLIDAYS))
    yield from open_rows(store, off, today)
    for case in store.iter(CASES, reverse=True, stream=True):
        if case["state"] not in OPEN:
            yield _row(case, off, today)


def _counts(store, open_rows: list[Row]) -> dict[str, Counter]:
    """Return how many requests there are per channel, per state and per deadline status:
    from the indexes, and the open requests (those whose deadline still runs)."""
    status = Counter(r.status for r in open_rows)
    decided = store.tally(CASES, "decision.on_time")
    status.update({"on_time": decided.get(True, 0), "late": decided.get(False, 0)})
    return {
        "channel": Counter(store.tally(CASES, "channel")),
        "state": Counter(store.tally(CASES, "state")),
        "status": +status,
    }
