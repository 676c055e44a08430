"""Programs and their announcements, checked against their category's lead time.

The policy asks that a program be announced a number of work days before it
starts (e.g. one work week for open programs, ten work days when people must
register). A late announcement is saved, since the program may still go ahead,
but flagged, with the numbers, so the quality officer sees it.

A program also has its sessions (a day, a time, a place, in person or remote), a
capacity, the arrangements and what to bring, the form people register with and the
conditions of registration, written in the condition language of the eligibility
rules and checked on each registration, rule by rule (cases/registrations.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from accounts import audit
from accounts.audit import Actor
from cases import eligibility
from cases.calendar import HOLIDAYS, days_off, work_days_before

PROGRAMS = "programs"
DEFAULT_FORM = "program_registration"
MANAGE = "programs.manage"
MODES = ("in_person", "remote")
# Why a program's registration link does not take registrations now (None: it does).
NOT_NEEDED, NOT_YET, CLOSED, FULL = "not_needed", "not_yet", "closed", "full"


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


def save(store, profile: dict, program: dict, *, who: Actor, program_id: int | None = None):
    """Store a new or changed program with its lead-time check and its audit entry;
    return the record. Raises PermissionError, LookupError (no such program)."""
    if not who.can(MANAGE):
        raise PermissionError(MANAGE)
    check = lead_check(store, profile, program)
    record = {
        **program,
        "lead_required": check.required,
        "lead_given": check.given,
        "too_late": check.too_late,
        "updated_by": who.username,
        "updated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    with store.transaction() as tx:
        before = tx.get(PROGRAMS, program_id) if program_id is not None else None
        if program_id is None:
            record["id"] = tx.insert(PROGRAMS, record)
        elif before is None:
            raise LookupError(program_id)
        else:
            record = tx.update(PROGRAMS, program_id, record)
        action = "update" if before else "create"
        audit.write(tx, who, action, "program", record["id"], before=before, after=record)
    return record


def needs_registration(profile: dict, program: dict) -> bool:
    return bool((category(profile, program.get("category", "")) or {}).get("needs_registration"))


def last_day(program: dict) -> str:
    """Return the last day registrations are taken: the closing date, else the start."""
    return program.get("closes_on") or program["starts_on"]


def registration_closed(profile: dict, program: dict, accepted: int, today: dt.date) -> str | None:
    """Tell why the registration link takes no registration today (None: it does).

    It opens on the day the program is announced and closes after its closing date (the
    first day when none is set) or once the accepted fill the capacity.
    """
    if not needs_registration(profile, program):
        return NOT_NEEDED
    if today.isoformat() < program["announced_on"]:
        return NOT_YET
    if today.isoformat() > last_day(program):
        return CLOSED
    if program.get("capacity") and accepted >= program["capacity"]:
        return FULL
    return None


def session(program: dict, number: int) -> dict | None:
    """Return the program's session `number` (its id, kept when others are added), or None."""
    for found in program.get("sessions") or ():
        if found.get("id") == number:
            return found
    return None


def check_conditions(profile: dict, program: dict, answers: dict, history: dict, today):
    """Return the outcome of each of the program's conditions on one registration."""
    values = eligibility.variables(profile, answers, history, today)
    return eligibility.check_rules(program.get("conditions"), "program", values)
