"""Programs and their announcements, checked against their category's lead time.

The policy asks that a program be announced a number of work days before it
starts (e.g. one work week for open programs, ten work days when people must
register). A late announcement is saved, since the program may still go ahead,
but flagged, with the numbers, so the quality officer sees it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cases.calendar import HOLIDAYS, days_off, work_days_before

PROGRAMS = "programs"


@dataclass(frozen=True)
class LeadCheck:
    required: int
    given: int

    @property
    def too_late(self) -> bool:
        return self.given < self.required


def category(profile: dict, category_id: str) -> dict | None:
    for item in profile.get("program_categories") or ():
        if item["id"] == category_id:
            return item
    return None


def lead_check(store, profile: dict, program: dict) -> LeadCheck:
    """Compare the work days between announcement and start with the category's lead time."""
    found = category(profile, program["category"]) or {}
    off = days_off(store.iter(HOLIDAYS))
    given = work_days_before(
        dt.date.fromisoformat(program["announced_on"]),
        dt.date.fromisoformat(program["starts_on"]),
        off,
    )
    return LeadCheck(found.get("lead_work_days", 0), given)


def save(store, profile: dict, program: dict, *, by: str, program_id: int | None = None) -> dict:
    """Store a new or changed program with its lead-time check; return the record."""
    check = lead_check(store, profile, program)
    record = {
        **program,
        "lead_required": check.required,
        "lead_given": check.given,
        "too_late": check.too_late,
        "updated_by": by,
        "updated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    if program_id is None:
        record["id"] = store.insert(PROGRAMS, record)
        return record
    return store.update(PROGRAMS, program_id, record)
