"""Registrations in a program: made from its link, reviewed by staff, one home per action.

A registration joins the person to the beneficiary registry when he gives an ID (one
person, one record: cases.beneficiaries.register) and keeps the outcome of each of the
program's conditions. Staff accept, wait-list (in order) or decline registrations; the
accepted never outnumber the seats, and a seat freed goes to the first on the waiting
list. Each review takes the program's lock, checks, changes and audits in one step, and
queues the acceptance message in the same transaction; the acceptance notice is then
issued through the letters machinery (cases/program_notices.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from accounts import audit
from accounts.audit import Actor
from cases import beneficiaries, outbox, programs
from cases.service import CaseError, person_details
from forms.saudi import clean_national_id

REGISTRATIONS = "program_registrations"
PENDING, ACCEPTED, WAITLISTED, DECLINED = "pending", "accepted", "waitlisted", "declined"
STATUSES = (PENDING, ACCEPTED, WAITLISTED, DECLINED)
MANAGE = programs.MANAGE
# action -> (the status it gives, the statuses it may start from)
ACTIONS = {
    "accept": (ACCEPTED, (PENDING, WAITLISTED)),
    "waitlist": (WAITLISTED, (PENDING,)),
    "decline": (DECLINED, (PENDING, WAITLISTED, ACCEPTED)),
}


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def lock_name(pid: int) -> str:
    return f"program_{pid}"


@contextmanager
def locked_program(store, pid: int, who: Actor) -> Iterator[dict]:
    """Check that `who` may manage programs, hold program `pid`'s lock, give the program.

    Raises PermissionError, or LookupError when there is no such program.
    """
    if not who.can(MANAGE):
        raise PermissionError(MANAGE)
    with store.lock(lock_name(pid)):
        program = store.get(programs.PROGRAMS, pid)
        if program is None:
            raise LookupError(pid)
        yield program


def counts(store, pid: int) -> dict:
    """Return how many registrations of the program are in each status (from the index)."""
    found = store.tally(REGISTRATIONS, "status", where={"program_id": pid})
    return {status: found.get(status, 0) for status in STATUSES}


def seats_left(program: dict, accepted: int) -> int | None:
    """Return the seats not taken yet (None: the program has no limit)."""
    if not program.get("capacity"):
        return None
    return max(program["capacity"] - accepted, 0)


def _national_id(answers: dict) -> str:
    try:
        return clean_national_id(str(answers.get("national_id") or ""))
    except ValueError:
        return ""


def _person(store, tx, nid: str, details: dict) -> dict | None:
    if not nid:
        return None
    person, _new = beneficiaries.register(store, tx, nid, details)
    return person


def _new(tx, store, program: dict, details: dict, nid: str, **more) -> dict:
    person = _person(store, tx, nid, details)
    registration = {
        "program_id": program["id"],
        "national_id": nid,
        "beneficiary_id": person["id"] if person else None,
        "name": details.get("name", ""),
        "mobile": details.get("mobile", ""),
        "created_at": now(),
        **more,
    }
    registration["id"] = tx.insert(REGISTRATIONS, registration)
    return registration


def register(store, profile: dict, program: dict, form, record: dict, who: Actor, today):
    """Register the person of a saved submission in the program; return the registration.

    A second registration of the same ID in the same program gives back the first.
    """
    answers = record["answers"]
    nid = _national_id(answers)
    with store.lock(lock_name(program["id"])):
        if nid:
            found = store.find(
                REGISTRATIONS, where={"program_id": program["id"], "national_id": nid}
            )
            if found:
                return found[0]
        earlier = store.count(REGISTRATIONS, where={"national_id": nid}) if nid else 0
        history = {"program_registrations": earlier}
        outcomes = programs.check_conditions(profile, program, answers, history, today)
        checked = [
            {"id": o.id, "text": o.text, "status": o.status, "rule": o.rule} for o in outcomes
        ]
        with store.transaction() as tx:
            registration = _new(
                tx,
                store,
                program,
                person_details(answers),
                nid,
                form_id=form.id,
                submission_id=record["id"],
                ref=record["ref"],
                status=PENDING,
                conditions=checked,
                failed=sum(1 for c in checked if c["status"] == "failed"),
            )
            after = {"program": program["id"], "ref": record["ref"], "status": PENDING}
            audit.write(
                tx, who, "register", "program_registration", registration["id"], after=after
            )
    return registration


def walk_in(store, pid: int, details: dict, national_id: str, who: Actor) -> dict:
    """Register a person who came without registering: accepted at once, seats or not
    (he is in the room), marked as a walk-in; return the registration."""
    if not details.get("name"):
        raise CaseError(_l("اكتب اسم الحاضر."))
    nid = clean_national_id(national_id) if national_id else ""  # ValueError: not an ID
    with locked_program(store, pid, who) as program:
        found = store.find(REGISTRATIONS, where={"program_id": pid, "national_id": nid})
        if nid and found and found[0]["status"] == ACCEPTED:
            return found[0]
        with store.transaction() as tx:
            if nid and found:  # registered before, not accepted: he is in the room now
                more = {"decided_at": now(), "decided_by": who.username, "walk_in": True}
                return _change(tx, found[0], ACCEPTED, more, who, None)
            registration = _new(
                tx,
                store,
                program,
                details,
                nid,
                status=ACCEPTED,
                walk_in=True,
                decided_by=who.username,
            )
            after = {"program": pid, "name": registration["name"], "status": ACCEPTED}
            audit.write(tx, who, "walk_in", "program_registration", registration["id"], after=after)
    return registration


@dataclass
class Plan:
    """What a review of the chosen registrations would do, before it does it."""

    action: str
    change: list[dict] = field(default_factory=list)
    refused: list[tuple[dict, str]] = field(default_factory=list)


def plan(store, program: dict, chosen: list[dict], action: str) -> Plan:
    """Sort the chosen registrations (oldest first): those the action changes, those refused.

    The confirmation page shows this plan and the review carries out the same one.
    """
    if action not in ACTIONS:
        raise CaseError(_l("إجراء غير معروف."))
    target, sources = ACTIONS[action]
    out = Plan(action)
    left = seats_left(program, counts(store, program["id"])[ACCEPTED])
    for registration in sorted(chosen, key=lambda r: r["id"]):
        if registration.get("program_id") != program["id"]:
            continue
        if registration["status"] == target or registration["status"] not in sources:
            out.refused.append((registration, str(_l("لا ينطبق هذا الإجراء على حالته الحالية."))))
        elif target == ACCEPTED and left is not None and left <= 0:
            out.refused.append((registration, str(_l("اكتملت المقاعد: لا مقعد شاغر له."))))
        else:
            out.change.append(registration)
            if target == ACCEPTED and left is not None:
                left -= 1
    return out


def _waiting(store, pid: int, skip: set[int]) -> list[dict]:
    found = store.find(REGISTRATIONS, where={"program_id": pid, "status": WAITLISTED})
    return sorted((r for r in found if r["id"] not in skip), key=lambda r: r["position"])


@dataclass
class Review:
    """What a review did: the registrations it changed, those moved up from the waiting
    list, and those it refused, with the reason."""

    changed: list[dict] = field(default_factory=list)
    promoted: list[dict] = field(default_factory=list)
    refused: list[tuple[dict, str]] = field(default_factory=list)

    @property
    def accepted(self) -> list[dict]:
        return [r for r in self.changed + self.promoted if r["status"] == ACCEPTED]


def review(store, pid: int, ids: list[int], action: str, who: Actor, message) -> Review:
    """Accept, wait-list or decline the chosen registrations of program `pid` in one step.

    `message(registration)` returns (mobile, text) of the acceptance message, queued with
    each acceptance. A declined acceptance frees its seat: the first on the waiting list
    takes it. Raises PermissionError, LookupError (no such program), CaseError.
    """
    with locked_program(store, pid, who) as program:
        chosen = store.get_many(REGISTRATIONS, ids)
        found = plan(store, program, chosen, action)
        result = Review(refused=found.refused)
        target = ACTIONS[action][0]
        accepted = counts(store, pid)[ACCEPTED]
        freed = 0
        with store.transaction() as tx:
            for registration in found.change:
                more = {"decided_at": now(), "decided_by": who.username}
                if target == WAITLISTED:
                    more["position"] = store.next_number(f"waitlist_{pid}")
                freed += registration["status"] == ACCEPTED
                accepted += (target == ACCEPTED) - (registration["status"] == ACCEPTED)
                result.changed.append(_change(tx, registration, target, more, who, message))
            # Only a seat this review freed moves the list: one left empty on purpose stays.
            left = seats_left(program, accepted)
            room = freed if left is None else min(freed, left)
            moved = {r["id"] for r in found.change}
            for registration in _waiting(store, pid, moved)[:room]:
                more = {"decided_at": now(), "decided_by": who.username, "moved_up": True}
                result.promoted.append(_change(tx, registration, ACCEPTED, more, who, message))
    return result


def promote(store, pid: int, who: Actor, message) -> list[dict]:
    """Give the seats left (after the capacity grew) to the first on the waiting list, in
    order; return those moved up. `message` as for review."""
    with locked_program(store, pid, who) as program:
        left = seats_left(program, counts(store, pid)[ACCEPTED])
        waiting = _waiting(store, pid, set())
        waiting = waiting if left is None else waiting[:left]
        moved = []
        with store.transaction() as tx:
            for registration in waiting:
                more = {"decided_at": now(), "decided_by": who.username, "moved_up": True}
                moved.append(_change(tx, registration, ACCEPTED, more, who, message))
    return moved


def _change(tx, registration: dict, status: str, more: dict, who: Actor, message) -> dict:
    """Change one registration's status and audit it; an acceptance queues its message
    (`message` None: none, as for a walk-in)."""
    after = tx.update(REGISTRATIONS, registration["id"], {"status": status, **more})
    audit.write(
        tx,
        who,
        "review",
        "program_registration",
        registration["id"],
        before={"status": registration["status"]},
        after={"status": status, **{k: v for k, v in more.items() if k != "decided_at"}},
    )
    if status == ACCEPTED and message is not None:
        mobile, text = message(after)
        after["message_id"] = queue_message(tx, after, mobile, text)
    return after


def queue_message(tx, registration: dict, mobile: str, text: str) -> int:
    return outbox.queue(
        tx,
        mobile,
        text,
        "program_acceptance",
        program_id=registration["program_id"],
        registration_id=registration["id"],
    )["id"]
