"""Follow-ups of low scores, complaints and suggestions: opening one, and each action on it.

An answer that a form's rule flags (quality/rules.py) opens a follow-up in the very
transaction that stores the answer, so an answer and its follow-up are kept together
or not at all, and one answer never opens two. Each later action (a note of what was
done, closing with the resolution, reopening) is one function here: it checks who
acts and the follow-up's state, makes the change and writes its audit record in one
transaction of the store. The pages and any command call only these functions.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l

from accounts import audit
from accounts.audit import Actor
from association.profile import current as current_profile
from cases.calendar import HOLIDAYS, add_days, days_off
from cases.service import CASES
from forms.dates import saudi_day, saudi_today
from forms.definition import FormDefinition
from quality import rules

COLLECTION = "followups"
PERMISSION = rules.PERMISSION
ENTITY = "followup"
TEXT_MAX = 2000  # a note, a resolution, a reason to reopen
OPEN, CLOSED = "open", "closed"
STATES = {OPEN: _l("مفتوحة"), CLOSED: _l("مغلقة")}
# What opened it: a low score, or a message (a complaint, a suggestion) awaiting a reply.
KINDS = {"low_score": _l("تقييم منخفض"), "message": _l("شكوى أو اقتراح")}
# Looked up by these: the list (state; state and kind as one value, which the index counts
# and pages as fast as one field: two fields took 0.6 s at 100,000), one answer's
# follow-up, the report's counts (the complaints received and closed in its period).
INDEXES = ("state", "queue", "answer", "on_time", "kind", "opened_on", "closure.on")
REQUEST_REF_FIELD = "request_ref"  # the complaint form's "request reference, if any"


class FollowupError(ValueError):
    """An action the follow-up's state or the input refuses, with the reason to show."""


def answer_key(form_id: str, submission_id: int) -> str:
    return f"{form_id}:{submission_id}"


def queue(state: str, kind: str) -> str:
    """Return the one indexed value that says both the state and the kind ("open:message")."""
    return f"{state}:{kind}"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _case_named(store, answers: dict) -> int | None:
    """Return the request a complaint names by its reference, if there is one."""
    ref = answers.get(REQUEST_REF_FIELD)
    if not isinstance(ref, str) or not ref.strip():
        return None
    found = store.find(CASES, where={"ref": ref.strip().upper()})
    return found[0]["id"] if found else None


def open_for_answer(tx, store, form: FormDefinition, record: dict, who: Actor) -> dict | None:
    """Open the follow-up an answer calls for, in the transaction `tx` that stores it.

    Returns the follow-up, or None when the form's rule finds nothing to follow up (or
    this answer has one already). Who answered is known only from a personal survey
    link (record["about"]); an anonymous answer stays anonymous.
    """
    rule = rules.rule_for(store, form)
    reasons = rules.triggers(rule, form, record["answers"])
    key = answer_key(form.id, record["id"])
    if reasons is None or store.count(COLLECTION, where={"answer": key}):
        return None
    about = record.get("about") or {}
    item = {
        "answer": key,
        "form_id": form.id,
        "submission_id": record["id"],
        "ref": record["ref"],
        "kind": "message" if rule.get("respond") else "low_score",
        "reasons": reasons,
        "beneficiary_id": about.get("beneficiary"),
        "case_id": about.get("case") or _case_named(store, record["answers"]),
        "state": OPEN,
        "opened_at": record["created_at"],
        "opened_on": saudi_day(record["created_at"]).isoformat(),
        "deadline": None,
        "notes": [],
        "history": [],
    }
    if rule.get("respond"):
        # The rule in force when it came stays its rule, as a request's deadline does.
        item["deadline"] = dict(current_profile(store)["complaint_deadline"])
    item["queue"] = queue(OPEN, item["kind"])
    item["id"] = tx.insert(COLLECTION, item)
    after = {"ref": item["ref"], "kind": item["kind"], "reasons": reasons}
    audit.write(tx, who, "followup.open", ENTITY, item["id"], after=after)
    return item


def due_of(item: dict, off: frozenset[dt.date]) -> dt.date | None:
    """Return the day a message must be answered by (None: a low score has no deadline)."""
    rule = item.get("deadline")
    if not rule:
        return None
    return add_days(dt.date.fromisoformat(item["opened_on"]), rule["days"], rule["count"], off)


def holidays(store) -> frozenset[dt.date]:
    return days_off(store.iter(HOLIDAYS))


def _text(value: object, missing) -> str:
    text = (value if isinstance(value, str) else "").strip()
    if not text:
        raise FollowupError(missing)
    if len(text) > TEXT_MAX:
        raise FollowupError(_l("النص أطول من المسموح (%(n)s حرف).", n=TEXT_MAX))
    return text


def _step(who: Actor, text: str) -> dict:
    return {"text": text, "at": _now(), "on": saudi_today().isoformat(), "by": who.username}


def _change(store, fid: int, who: Actor, check, change) -> dict:
    """Take the lock, find the follow-up, let `check` refuse, apply `change`; return it.

    `change(item)` returns (changes, action, before, after) for the update and its audit.
    """
    if not who.can(PERMISSION):
        raise PermissionError(PERMISSION)
    with store.transaction() as tx:
        item = tx.get(COLLECTION, fid)
        if item is None:
            raise LookupError(fid)
        check(item)
        changes, action, before, after = change(item)
        item = tx.update(COLLECTION, fid, changes)
        audit.write(tx, who, action, ENTITY, fid, before=before, after=after)
    return item


def _must_be(state: str, refusal):
    def check(item: dict) -> None:
        if item["state"] != state:
            raise FollowupError(refusal)

    return check


def add_note(store, fid: int, note: object, who: Actor) -> dict:
    """Record what was done (a call, a visit, a fix) on an open follow-up."""
    text = _text(note, _l("اكتب ما تم في هذه المتابعة."))

    def change(item):
        step = _step(who, text)
        return {"notes": [*item["notes"], step]}, "followup.note", None, {"note": text}

    return _change(store, fid, who, _must_be(OPEN, _l("المتابعة مغلقة: أعد فتحها أولًا.")), change)


def close(store, fid: int, resolution: object, who: Actor) -> dict:
    """Close an open follow-up with its resolution; a message says if it was on time."""
    text = _text(resolution, _l("اكتب ما انتهت إليه المتابعة قبل إغلاقها."))
    off = holidays(store)

    def change(item):
        closure = _step(who, text)
        changes: dict = {"state": CLOSED, "queue": queue(CLOSED, item["kind"]), "closure": closure}
        after: dict = {"followup_state": CLOSED, "resolution": text}
        due = due_of(item, off)
        if due is not None:  # kept, so the reports count without recomputing
            changes["on_time"] = after["on_time"] = dt.date.fromisoformat(closure["on"]) <= due
        return changes, "followup.close", {"followup_state": OPEN}, after

    refusal = _l("هذه المتابعة مغلقة من قبل.")
    return _change(store, fid, who, _must_be(OPEN, refusal), change)


def reopen(store, fid: int, reason: object, who: Actor) -> dict:
    """Open a closed follow-up again, with the reason; its earlier closing stays in history."""
    text = _text(reason, _l("اكتب سبب إعادة فتح المتابعة."))

    def change(item):
        step = {**_step(who, text), "closure": item.get("closure")}
        changes = {"state": OPEN, "queue": queue(OPEN, item["kind"]), "closure": None}
        changes["on_time"] = None
        changes["history"] = [*item.get("history", []), step]
        before = {"followup_state": CLOSED}
        return changes, "followup.reopen", before, {"followup_state": OPEN, "reason": text}

    return _change(store, fid, who, _must_be(CLOSED, _l("هذه المتابعة مفتوحة.")), change)
