"""Requests (cases): opened from a support request, moved through the policy's states.

A case points at its submission (the answers stay there, with the form
version they were given in) and at its beneficiary. Every move is checked
against cases.workflow, records who, when and a note, and is made under one
lock so that two people moving the same request cannot both win.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l

from cases import beneficiaries
from cases.calendar import HOLIDAYS, add_days, days_off
from cases.workflow import DECIDED, DEFAULT_CHECKLIST, MOVES, OPEN, Move
from forms.dates import saudi_day, saudi_today
from letters.issue import REGISTER
from submissions.service import collection

CASES = "cases"
REGISTRATION_FORM = "program_registration"  # whose submissions count as taking part
NAME_PARTS = ("first_name", "father_name", "grandfather_name", "family_name")
# letter kind -> the committee's decision a request must carry for it (None: any time)
LETTER_OUTCOME = {"declaration": None, "acceptance": "accepted", "rejection": "rejected"}


class CaseError(ValueError):
    """A move the policy does not allow now, with the reason a person can act on."""


def applicant_name(answers: dict) -> str:
    return answers.get("full_name") or " ".join(
        str(answers[p]) for p in NAME_PARTS if answers.get(p)
    )


def checklist(profile: dict) -> list[str]:
    return list(profile.get("verification_checklist") or DEFAULT_CHECKLIST)


def open_case(store, profile: dict, form, record: dict, *, by: str) -> dict:
    """Open the case of a saved request and register (or find) its beneficiary."""
    answers = record["answers"]
    person, _new = beneficiaries.register(
        store,
        answers["national_id"],
        {
            "name": applicant_name(answers),
            "mobile": answers.get("mobile"),
            "gender": answers.get("gender"),
        },
    )
    case = {
        "ref": record["ref"],
        "form_id": form.id,
        "submission_id": record["id"],
        "beneficiary_id": person["id"],
        "national_id": person["national_id"],
        "name": person.get("name", ""),
        "channel": record.get("channel", ""),
        "state": "received",
        "opened_at": record["created_at"],
        "opened_on": saudi_day(record["created_at"]).isoformat(),
        "opened_by": by,
        "deadline": dict(profile["decision_deadline"]),
        "history": [],
        "services": [],
    }
    case["id"] = store.insert(CASES, case)
    return case


def due_of(case: dict, off: frozenset[dt.date]) -> dt.date:
    """Return the day the committee's decision is due, given the days off."""
    # The rule in force when the request came stays its rule; holidays are read
    # now, so an Eid announced later still moves a work-day deadline.
    rule = case["deadline"]
    return add_days(dt.date.fromisoformat(case["opened_on"]), rule["days"], rule["count"], off)


def due_date(store, case: dict) -> dt.date:
    return due_of(case, days_off(store.iter(HOLIDAYS)))


def declaration_letters(store, case: dict) -> list[dict]:
    link = {"form_id": case["form_id"], "submission_id": case["submission_id"], "ref": case["ref"]}
    return [
        letter
        for letter in store.find(REGISTER, where={"answers": link})
        if letter.get("letter_type") == "declaration"
    ]


def _needs(store, case: dict, move: Move, data: dict, profile: dict) -> None:
    if "checklist" in move.needs:
        ticked = set(data.get("checklist") or ())
        if not set(checklist(profile)) <= ticked:
            raise CaseError(_l("أكّد كل بند في قائمة التحقق قبل المتابعة."))
    if "research" in move.needs and not case.get("research"):
        raise CaseError(_l("لم يُعبّأ نموذج البحث الاجتماعي لهذا الطلب بعد."))
    if "declaration" in move.needs:
        if not declaration_letters(store, case):
            raise CaseError(_l("أصدر إقرار صحة البيانات أولًا ليوقعه المستفيد."))
        if not data.get("signed"):
            raise CaseError(_l("أكّد أن المستفيد وقّع الإقرار."))
    if move.needs_note and not data.get("note"):
        raise CaseError(_l("اكتب ملاحظة توضح سبب هذا الإجراء."))


def _target(case: dict, move: Move) -> str:
    # research_done goes back to where the request was referred from.
    return move.target or case.get("referred_from") or "received"


def _changes(case: dict, move: Move, data: dict, step: dict) -> dict:
    changes: dict = {"state": step["to"], "history": [*case["history"], step]}
    if step["to"] == "research":
        changes["referred_from"] = case["state"] if case["state"] != "committee" else "declared"
    if move.name in ("accept", "reject"):
        decision = {k: data.get(k) for k in move.fields if data.get(k) not in (None, "", [])}
        outcome = "accepted" if move.name == "accept" else "rejected"
        changes["decision"] = {**decision, "outcome": outcome, "date": step["on"], "by": step["by"]}
    if move.name == "serve":
        service = {k: data.get(k) for k in ("proof", "service_date", "service_note", "file")}
        changes["services"] = [*case["services"], {**service, "by": step["by"], "at": step["at"]}]
    if move.name == "verify":
        changes["checklist"] = list(data.get("checklist") or ())
    return changes


def move(store, profile: dict, case_id: int, name: str, data: dict, *, by: str, can) -> tuple:
    """Make move `name` on the case; return (before, after). CaseError when not allowed.

    `can(permission)` tells whether the person may make it; `data` holds what he
    entered (already cleaned by the page: note, checklist, decision fields, ...).
    """
    step_move = MOVES.get(name)
    if step_move is None:
        raise CaseError(_l("إجراء غير معروف."))
    if not can(step_move.permission):
        raise PermissionError(step_move.permission)
    with store.lock(CASES):
        case = store.get(CASES, case_id)
        if case is None:
            raise LookupError(case_id)
        if case["state"] not in step_move.sources:
            raise CaseError(_l("لا تسمح السياسة بهذا الإجراء في حالة الطلب الحالية."))
        _needs(store, case, step_move, data, profile)
        now = dt.datetime.now(dt.UTC)
        step = {
            "move": name,
            "from": case["state"],
            "to": _target(case, step_move),
            "at": now.isoformat(timespec="seconds"),
            "on": saudi_today().isoformat(),
            "by": by,
            "note": data.get("note", ""),
        }
        after = store.update(CASES, case_id, _changes(case, step_move, data, step))
    return case, after


def link_research(store, case_id: int, record: dict, form_id: str) -> dict:
    """Attach the social research the researcher saved to the case."""
    with store.lock(CASES):
        link = {"form_id": form_id, "submission_id": record["id"], "ref": record["ref"]}
        return store.update(CASES, case_id, {"research": link})


def refused_letters(store, form_id: str, submission_ids, kind: str) -> list[int]:
    """Return the submissions whose request's decision does not allow a `kind` letter."""
    # Only submissions that opened a request follow the policy; any other takes any letter.
    needed = LETTER_OUTCOME.get(kind)
    if needed is None:
        return []
    found = {c["submission_id"]: c for c in store.find(CASES, where={"form_id": form_id})}
    return [
        sid
        for sid in submission_ids
        if sid in found and (found[sid].get("decision") or {}).get("outcome") != needed
    ]


def for_submission(store, form_id: str, submission_id: int) -> dict | None:
    found = store.find(CASES, where={"form_id": form_id, "submission_id": submission_id})
    return found[0] if found else None


def history_counts(store, case: dict) -> dict:
    """Return what eligibility rules know of the beneficiary's earlier requests."""
    nid = case["national_id"]
    registrations = store.find(
        collection(REGISTRATION_FORM),
        lambda record: (record.get("answers") or {}).get("national_id") == nid,
    )
    earlier = [
        c
        for c in store.find(CASES, where={"beneficiary_id": case["beneficiary_id"]})
        if c["id"] < case["id"]
    ]
    return {
        "previous_requests": len(earlier),
        "accepted_requests": sum(
            1 for c in earlier if (c.get("decision") or {}).get("outcome") == "accepted"
        ),
        "program_registrations": len(registrations) if nid else 0,
    }


def is_open(case: dict) -> bool:
    return case["state"] in OPEN


def decided(case: dict) -> bool:
    return case["state"] in DECIDED and bool(case.get("decision"))
