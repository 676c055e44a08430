"""The deadlines dashboard: open requests by how close their decision is, and counts.

Each row says when the decision is due and how many days are left (negative:
overdue). Decided requests say whether the decision came on time.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from cases.calendar import HOLIDAYS, days_off
from cases.service import CASES, due_of
from cases.workflow import OPEN

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


def rows(store, today: dt.date, *, state: str = "", channel: str = "") -> list[Row]:
    """Return the cases (filtered), open ones first by due date, then the rest newest first."""
    off = days_off(store.iter(HOLIDAYS))
    out = []
    for case in store.iter(CASES):
        if (state and case["state"] != state) or (channel and case.get("channel") != channel):
            continue
        due = due_of(case, off)
        out.append(Row(case, due, (due - today).days, _status(case, due, today)))
    open_rows = sorted((r for r in out if r.case["state"] in OPEN), key=lambda r: r.due)
    rest = sorted((r for r in out if r.case["state"] not in OPEN), key=lambda r: -r.case["id"])
    return open_rows + rest


def counts(all_rows: list[Row]) -> dict[str, Counter]:
    """Return how many requests there are per channel, per state and per deadline status."""
    return {
        "channel": Counter(r.case.get("channel", "") for r in all_rows),
        "state": Counter(r.case["state"] for r in all_rows),
        "status": Counter(r.status for r in all_rows if r.status),
    }
