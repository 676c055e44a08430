"""A delivery record: what was delivered, to whom, when, by whom, how much, and its proofs.

Kept in its own collection and pointing at what it fulfils: a request (and the
committee's decision it carries out) or a program by its id. The request's served move
writes one in its own transaction (cases/operations.py), so this module knows nothing
of requests beyond the fields it copies.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l

from accounts import audit
from accounts.audit import Actor
from submissions.service import get as get_submission

DELIVERIES = "deliveries"
KINDS: dict[str, object] = {
    "cash": _l("دعم نقدي"),
    "in_kind": _l("دعم عيني"),
    "service": _l("خدمة"),
    "session": _l("جلسة برنامج"),
}
# A transfer the bank refused delivered nothing: it does not count as a delivery.
TRANSFER_STATES: dict[str, object] = {
    "pending": _l("بانتظار التحويل"),
    "sent": _l("أُرسل إلى البنك"),
    "done": _l("تم التحويل"),
    "failed": _l("تعذر التحويل"),
}
DEFAULT_PROOFS = (
    {"value": "attendance", "label": {"ar": "كشف الحضور", "en": "Attendance sheet"}},
    {"value": "bank_transfer", "label": {"ar": "تحويل بنكي", "en": "Bank transfer"}},
    {"value": "receipt", "label": {"ar": "سند قبض أو صرف", "en": "Receipt or voucher"}},
)
BANK_TRANSFER = "bank_transfer"  # the proof method that makes a cash delivery a transfer
MAX_NUMBER = 10_000_000


def proofs(profile: dict) -> list[dict]:
    """Return the ways the association documents a delivery (its policy's list)."""
    return list(profile.get("proof_of_delivery") or DEFAULT_PROOFS)


class DeliveryError(ValueError):
    """A delivery the rules refuse, with the reason a person can act on."""


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def check(entry: dict) -> None:
    """Raise DeliveryError when the entry cannot be a delivery record."""
    if entry.get("kind") not in KINDS:
        raise DeliveryError(_l("اختر نوع ما قُدّم."))
    if not entry.get("date"):
        raise DeliveryError(_l("تاريخ التسليم مطلوب."))
    if entry["kind"] == "cash" and not entry.get("amount"):
        raise DeliveryError(_l("اكتب مبلغ الدعم النقدي."))
    for key in ("amount", "quantity"):
        value = entry.get(key)
        if value is not None and not 0 < value <= MAX_NUMBER:
            raise DeliveryError(_l("المبلغ أو الكمية خارج الحد المسموح."))
    if not (entry.get("case_id") or entry.get("program_id") or entry.get("beneficiary_id")):
        raise DeliveryError(_l("اربط التسليم بطلب أو ببرنامج أو بمستفيد."))
    if not (entry.get("beneficiary_id") or entry.get("group")):
        raise DeliveryError(_l("حدد المستفيد أو اكتب وصف المجموعة المستفيدة."))


def transfer_of(entry: dict, iban: str) -> dict | None:
    """Return the bank transfer a cash delivery by bank transfer waits for, else None."""
    if entry["kind"] != "cash" or entry.get("method") != BANK_TRANSFER:
        return None
    return {"status": "pending", "iban": iban, "batch_id": None, "reference": "", "reason": ""}


def for_case(store, case: dict, fields: dict) -> dict:
    """Return a delivery entry for a request: its beneficiary, its reference and the
    committee's decision it carries out, with `fields` (kind, date, amount...)."""
    decision = case.get("decision") or {}
    record = get_submission(store, case["form_id"], case["submission_id"]) or {}
    entry = {
        **fields,
        "case_id": case["id"],
        "case_ref": case["ref"],
        "beneficiary_id": case["beneficiary_id"],
        "name": case.get("name", ""),
        "national_id": case.get("national_id", ""),
        "decision": {
            k: decision[k] for k in ("meeting_number", "date", "amount") if decision.get(k)
        },
    }
    entry["transfer"] = transfer_of(entry, str(record.get("answers", {}).get("iban") or ""))
    return entry


def write(tx, who: Actor, entry: dict) -> dict:
    """Insert a checked delivery record and its audit entry in transaction `tx`."""
    check(entry)
    record = {
        "proofs": [],
        "vouchers": [],
        "transfer": None,
        **entry,
        "recorded_by": who.username,
        "recorded_at": now(),
    }
    record["id"] = tx.insert(DELIVERIES, record)
    shown = ("kind", "date", "amount", "quantity", "case_id", "program_id", "beneficiary_id")
    after = {k: record[k] for k in shown if record.get(k) not in (None, "")}
    after["proofs"] = [p["name"] for p in record["proofs"]]
    audit.write(tx, who, "record", "delivery", record["id"], after=after)
    return record


def counts(record: dict) -> bool:
    """Tell whether a delivery record shows a delivery (a failed transfer shows none)."""
    return (record.get("transfer") or {}).get("status") != "failed"


def of_case(store, case_id: int) -> list[dict]:
    """Return the delivery records of a request, oldest first."""
    return store.find(DELIVERIES, where={"case_id": case_id})


def latest(store, key: str, value: int, limit: int = 50) -> tuple[list[dict], int]:
    """Return the newest delivery records whose `key` (case_id, beneficiary_id) is value."""
    return store.page(DELIVERIES, where={key: value}, limit=limit)
