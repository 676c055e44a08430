"""Requests (cases): what a request is, when it is due, and what a move needs and changes.

A case points at its submission (the answers stay there, with the form
version they were given in) and at its beneficiary. The actions people take on
it (open, move, letters) live in cases/operations.py, which uses these pieces.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l

from cases.calendar import HOLIDAYS, add_days, days_off
from cases.workflow import DECIDED, DEFAULT_CHECKLIST, OPEN, Move
from deliveries.records import counts, of_case
from letters.issue import REGISTER, is_void
from store import AnyOf
from submissions.service import collection

CASES = "cases"
REGISTRATION_FORM = "program_registration"  # whose submissions count as taking part
NAME_PARTS = ("first_name", "father_name", "grandfather_name", "family_name")


class CaseError(ValueError):
    """A move the policy does not allow now, with the reason a person can act on."""


def applicant_name(answers: dict) -> str:
    return answers.get("full_name") or " ".join(
        str(answers[p]) for p in NAME_PARTS if answers.get(p)
    )


def person_details(answers: dict) -> dict:
    """Return what the beneficiary registry keeps of a request's answers (the non-empty
    name, mobile, gender and e-mail): on opening a request and on correcting its answers."""
    details = {
        "name": applicant_name(answers),
        "mobile": answers.get("mobile"),
        "gender": answers.get("gender"),
        "email": answers.get("email"),  # his code goes there when he has no mobile
    }
    return {key: value for key, value in details.items() if value not in (None, "")}


def survey_about(store, link: dict) -> dict:
    """Return what a personal survey link's answers keep of its request: the beneficiary,
    the request, its channel and who served it last (the results are filtered by them)."""
    case = store.get(CASES, link["case"])
    if case is None or case.get("beneficiary_id") != link["beneficiary"]:
        return dict(link)
    services = case.get("services") or []
    found = {"channel": case.get("channel"), "staff": services[-1].get("by") if services else None}
    return dict(link) | {k: v for k, v in found.items() if v}


def checklist(profile: dict) -> list[str]:
    return list(profile.get("verification_checklist") or DEFAULT_CHECKLIST)


def due_of(case: dict, off: frozenset[dt.date]) -> dt.date:
    """Return the day the committee's decision is due, given the days off."""
    # The rule in force when the request came stays its rule; holidays are read
    # now, so an Eid announced later still moves a work-day deadline.
    rule = case["deadline"]
    return add_days(dt.date.fromisoformat(case["opened_on"]), rule["days"], rule["count"], off)


def due_date(store, case: dict) -> dt.date:
    return due_of(case, days_off(store.iter(HOLIDAYS)))


def on_time(store, case: dict, off: frozenset[dt.date] | None = None) -> bool | None:
    """Tell whether the committee decided within the deadline (None: no decision)."""
    decided_on = (case.get("decision") or {}).get("date")
    if not decided_on:
        return None
    if off is None:
        off = days_off(store.iter(HOLIDAYS))
    return dt.date.fromisoformat(decided_on) <= due_of(case, off)


def for_submissions(store, form_id: str, ids: list[int]) -> dict[int, dict]:
    """Return the requests these submissions opened, by submission id (one page's worth)."""
    if not ids:
        return {}
    found = store.find(CASES, where={"form_id": form_id, "submission_id": AnyOf(ids)})
    return {case["submission_id"]: case for case in found}


def declaration_letters(store, case: dict) -> list[dict]:
    link = {"form_id": case["form_id"], "submission_id": case["submission_id"], "ref": case["ref"]}
    return [
        letter
        for letter in store.find(REGISTER, where={"answers": link})
        if letter.get("letter_type") == "declaration" and not is_void(letter)
    ]


def check_needs(store, case: dict, move: Move, data: dict, profile: dict) -> None:
    """Raise CaseError when what `move` needs (checklist, research, declaration) is missing."""
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
    if "delivery" in move.needs and not data.get("delivery") and not delivered(store, case):
        raise CaseError(
            _l(
                "لا يُسجَّل الطلب مخدومًا دون سجل تسليم واحد على الأقل: "
                "اختر نوع ما قُدّم، أو سجّل التسليم أولًا."
            )
        )
    if move.needs_note and not data.get("note"):
        raise CaseError(_l("اكتب ملاحظة توضح سبب هذا الإجراء."))


def delivered(store, case: dict) -> bool:
    """Tell whether a delivery record shows that the request's service reached him."""
    return any(counts(record) for record in of_case(store, case["id"]))


def target_of(case: dict, move: Move) -> str:
    # research_done goes back to where the request was referred from; reopen to where
    # it was closed from (a request closed before history was kept opens as received).
    if move.name == "reopen":
        closing = [step for step in case["history"] if step["to"] == "closed"]
        return closing[-1]["from"] if closing else "received"
    return move.target or case.get("referred_from") or "received"


def changes_of(case: dict, move: Move, data: dict, step: dict) -> dict:
    """Return the changes a move makes to the request: state, history, what was entered."""
    changes: dict = {"state": step["to"], "history": [*case["history"], step]}
    if step["to"] == "research":
        changes["referred_from"] = case["state"] if case["state"] != "committee" else "declared"
    if move.name in ("accept", "reject"):
        decision = {k: data.get(k) for k in move.fields if data.get(k) not in (None, "", [])}
        outcome = "accepted" if move.name == "accept" else "rejected"
        if step["note"]:
            decision["notes"] = step["note"]
        changes["decision"] = {**decision, "outcome": outcome, "date": step["on"], "by": step["by"]}
    if move.name == "serve":
        kept = ("proof", "service_date", "service_note", "file", "delivery_id")
        service = {k: data.get(k) for k in kept}
        changes["services"] = [*case["services"], {**service, "by": step["by"], "at": step["at"]}]
    if move.name == "verify":
        changes["checklist"] = list(data.get("checklist") or ())
    return changes


def for_submission(store, form_id: str, submission_id: int) -> dict | None:
    found = store.find(CASES, where={"form_id": form_id, "submission_id": submission_id})
    return found[0] if found else None


def history_counts(store, case: dict) -> dict:
    """Return what eligibility rules know of the beneficiary's earlier requests."""
    nid = case["national_id"]
    registrations = store.find(collection(REGISTRATION_FORM), where={"answers.national_id": nid})
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
