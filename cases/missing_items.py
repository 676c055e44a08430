"""What a request lacks, as staff record it, and how it is settled.

Staff record on an undecided request what is missing (a document, or information they
need), with a short note the beneficiary reads. Recording it queues the "something
missing" message to him and shows the item on his own page (web/own_request.py), where a
missing document can be uploaded: the upload files the document, settles the item and
tells staff by e-mail (cases/own_access.py calls `settle_by_upload` in its transaction).
Staff settle an item themselves when it arrives another way (he brought it, he phoned).

Items are kept on the request (`missing`): {id, kind, note, state, asked_at, asked_by,
settled_at, settled_by, how}. Each step takes the lock, checks, changes and audits once.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l

from accounts import audit
from accounts.audit import Actor
from cases import outbox, tidings
from cases.service import CASES, CaseError
from cases.workflow import OPEN
from messages import deadlines, events

KINDS = {"document": _l("مستند"), "information": _l("معلومة")}
WAITING, SETTLED = "waiting", "settled"
STATES = {WAITING: _l("بانتظار المستفيد"), SETTLED: _l("وصل")}
HOW = {"upload": _l("رفعه المستفيد من صفحة طلبه"), "staff": _l("سجّل الموظف وصوله")}
PERMISSIONS = ("cases.intake", "cases.research")  # reception and the social researcher
MAX_NOTE = 200  # it goes in a text message: a short note, not a letter
MAX_WAITING = 10
STAFF_EVENT = "document_received"
STAFF_SUBJECT = "رفد: مستند وصل من مستفيد"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _allowed(who: Actor) -> None:
    if not any(who.can(p) for p in PERMISSIONS):
        raise PermissionError(PERMISSIONS[0])


def may_ask(case: dict, who: Actor) -> bool:
    """Whether `who` may record a missing item on the request now (the page asks this)."""
    return case["state"] in OPEN and any(who.can(p) for p in PERMISSIONS)


def waiting(case: dict) -> list[dict]:
    """Return the request's items still waiting for the beneficiary, oldest first."""
    return [i for i in case.get("missing") or [] if i.get("state") == WAITING]


def ask(store, profile: dict, case_id: int, kind: str, note: str, who: Actor, link="") -> dict:
    """Record that the request lacks `note` (a document or information); tell him by SMS.

    `link` is his own page's address (the page knows it), put in the message.
    Raises PermissionError, LookupError, or CaseError with the reason."""
    _allowed(who)
    note = " ".join((note or "").split())
    if kind not in KINDS:
        raise CaseError(_l("اختر نوع الناقص: مستند أو معلومة."))
    if not note:
        raise CaseError(_l("اكتب ما ينقص الطلب في ملاحظة قصيرة يقرؤها المستفيد."))
    if len(note) > MAX_NOTE:
        raise CaseError(_l("الملاحظة أطول من %(n)s حرفًا.", n=MAX_NOTE))
    with store.transaction() as tx:
        case = tx.get(CASES, case_id)
        if case is None:
            raise LookupError(case_id)
        if case["state"] not in OPEN:
            raise CaseError(_l("لا يُطلب ناقص بعد قرار اللجنة أو إغلاق الطلب."))
        if len(waiting(case)) >= MAX_WAITING:
            raise CaseError(
                _l("للطلب %(n)s نواقص تنتظر المستفيد: سجّل وصول بعضها أولًا.", n=MAX_WAITING)
            )
        items = case.get("missing") or []
        item = {
            "id": max((i["id"] for i in items), default=0) + 1,
            "kind": kind,
            "note": note,
            "state": WAITING,
            "asked_at": _now(),
            "asked_by": who.username,
        }
        after = tx.update(CASES, case_id, {"missing": [*items, item]})
        audit.write(tx, who, "ask_missing", "case", case_id, after={"kind": kind, "note": note})
        tidings.send(
            tx, store, profile, after, "something_missing", {"missing": note, "link": link}
        )
    return item


def _settled(case: dict, item_id: int, how: str, by: str, document: str = "") -> list[dict]:
    """Return the request's items with `item_id` settled; CaseError if it is not waiting."""
    items = case.get("missing") or []
    found = next((i for i in items if i["id"] == item_id), None)
    if found is None or found.get("state") != WAITING:
        raise CaseError(_l("هذا الناقص ليس بانتظار المستفيد."))
    done = {"state": SETTLED, "settled_at": _now(), "settled_by": by, "how": how}
    if document:
        done["document"] = document
    return [i | done if i["id"] == item_id else i for i in items]


def settle(store, case_id: int, item_id: int, who: Actor) -> dict:
    """Record that a missing item arrived another way (staff saw it); audited."""
    _allowed(who)
    with store.transaction() as tx:
        case = tx.get(CASES, case_id)
        if case is None:
            raise LookupError(case_id)
        after = tx.update(
            CASES, case_id, {"missing": _settled(case, item_id, "staff", who.username)}
        )
        audit.write(tx, who, "settle_missing", "case", case_id, after={"item": item_id})
    return after


def settle_by_upload(tx, case: dict, item_id: int, document: dict) -> list[dict]:
    """Return the request's items once the beneficiary's upload settles `item_id`
    (called inside the upload's transaction, cases/own_access.attach)."""
    return _settled(case, item_id, "upload", document["by"], document["sha256"])


def tell_staff(tx, store, case: dict, what: str, case_url: str) -> int:
    """Queue to the staff addresses (the messages settings) that a document arrived."""
    to = deadlines.recipients(store)
    if not to or not events.enabled(store, STAFF_EVENT):
        return 0
    made = {"ref": case.get("ref", ""), "what": what, "case_url": case_url}
    text = events.text(store, STAFF_EVENT, made)
    for address in to:
        outbox.queue(
            tx, "", text, STAFF_EVENT, channel=outbox.EMAIL, email=address,
            subject=STAFF_SUBJECT, case_id=case["id"],
        )  # fmt: skip
    return len(to)
