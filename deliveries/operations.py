"""Every action a person takes on deliveries, each the only home of its rule.

Each function checks who may act and whether the record's state allows it, makes the
change and writes its audit entry in one transaction of the store. The pages and the
command line call only these. A request's served move writes its delivery record
through cases/operations.py, in the move's own transaction.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from accounts import audit
from accounts.audit import Actor
from cases.beneficiaries import BENEFICIARIES
from cases.programs import PROGRAMS
from cases.service import CASES
from deliveries import records, vouchers
from deliveries.records import DELIVERIES, DeliveryError
from letters import templates
from letters.bulk import profile_of
from letters.context import LETTER_TYPES
from letters.issue import DEFAULT_PATTERN, SERIES, issue

READ = "deliveries.read"
RECORD = "deliveries.record"
ISSUE = "letters.issue"
# A request's services are delivered once the committee accepted it.
SERVABLE = frozenset({"accepted", "registered", "served"})


def _need(who: Actor, *permissions: str) -> None:
    for permission in permissions:
        if not who.can(permission):
            raise PermissionError(permission)


def _target(store, tx, entry: dict, case_id, beneficiary_id, program_id) -> dict:
    """Return the entry completed from what it is linked to (request, person, program)."""
    if case_id is not None:
        case = tx.get(CASES, case_id)
        if case is None:
            raise LookupError(case_id)
        accepted = (case.get("decision") or {}).get("outcome") == "accepted"
        if not accepted or case["state"] not in SERVABLE:
            raise DeliveryError(_l("لا يُسجَّل تسليم لطلب إلا بعد أن تقبله لجنة البحث."))
        entry = records.for_case(store, case, entry)
    elif beneficiary_id is not None:
        person = tx.get(BENEFICIARIES, beneficiary_id)
        if person is None:
            raise LookupError(beneficiary_id)
        entry = {**entry, "beneficiary_id": beneficiary_id, "name": person.get("name", "")}
        entry["national_id"] = person.get("national_id", "")
        entry["transfer"] = records.transfer_of(entry, "")
    if program_id is not None:
        program = tx.get(PROGRAMS, program_id)
        if program is None:
            raise DeliveryError(_l("لا يوجد برنامج بهذا الرقم."))
        entry = {**entry, "program_id": program_id, "program_name": program.get("name", "")}
    return entry


def record_delivery(
    store, entry: dict, who: Actor, *, case_id=None, beneficiary_id=None, program_id=None
) -> dict:
    """Record a delivery to a request's beneficiary, a person, or a program's group.

    `entry` holds what the page read (deliveries.inputs.delivery), and "group" for a
    delivery to a group. Raises DeliveryError with the reason, PermissionError,
    LookupError for a request or person that is not there.
    """
    _need(who, RECORD)
    with store.transaction() as tx:
        entry = _target(store, tx, entry, case_id, beneficiary_id, program_id)
        return records.write(tx, who, entry)


def attach_proofs(store, delivery_id: int, proofs: list[dict], who: Actor) -> dict:
    """Add proofs (photos, documents, scanned receipts) to a delivery record; audited."""
    _need(who, RECORD)
    if not proofs:
        raise DeliveryError(_l("اختر ملفًا واحدًا على الأقل."))
    with store.transaction() as tx:
        delivery = tx.get(DELIVERIES, delivery_id)
        if delivery is None:
            raise LookupError(delivery_id)
        after = tx.update(DELIVERIES, delivery_id, {"proofs": [*delivery["proofs"], *proofs]})
        names = [p["name"] for p in proofs]
        audit.write(tx, who, "attach", "delivery", delivery_id, after={"proofs": names})
    return after


def issue_voucher(
    store, delivery_id: int, kind: str, who: Actor, *, signature: dict | None, base_url: str
) -> dict:
    """Issue a disbursement or receipt voucher for a delivery; return the letter.

    The voucher takes the next number of its own series, is archived and registered
    as any letter (letters.issue), and the delivery record names it, in the
    transaction that registers it. `signature`: the recipient's drawn signature.
    """
    _need(who, RECORD, ISSUE)
    if kind not in SERIES:
        raise DeliveryError(_l("نوع السند غير معروف."))
    delivery = store.get(DELIVERIES, delivery_id)
    if delivery is None:
        raise LookupError(delivery_id)
    if not records.counts(delivery):
        raise DeliveryError(_l("تعذر هذا التحويل: لا يصدر له سند."))
    template = templates.get(store, kind)
    if template is None:
        raise DeliveryError(_l("نموذج الخطاب غير موجود."))
    profile = profile_of(store)
    drawn = store.read_file(signature["sha256"]) if signature else None
    kind_name = LETTER_TYPES[kind]["ar"]
    context = vouchers.context(
        profile, delivery, kind_name, signature=drawn, read_file=store.read_file
    )

    def write_audit(tx, letter: dict) -> None:
        current = tx.get(DELIVERIES, delivery_id)
        entry = {"letter_id": letter["id"], "number": letter["number"], "kind": kind}
        entry["signature"] = signature
        tx.update(DELIVERIES, delivery_id, {"vouchers": [*current["vouchers"], entry]})
        after = {"number": letter["number"], "template": kind, "delivery": delivery_id}
        audit.write(tx, who, "issue", "letter", letter["id"], after=after)

    return issue(
        store,
        template,
        context,
        letter_type=kind,
        recipient=context["beneficiary"]["name"],
        issued_by=who.username,
        answers={"delivery_id": delivery_id, "ref": delivery.get("case_ref", "")},
        base_url=base_url,
        pattern=DEFAULT_PATTERN,
        audit=write_audit,
    )


def attach_signed_voucher(store, delivery_id: int, letter_id: int, scan: dict, who: Actor):
    """Keep the scan of a voucher the recipient signed on paper with its delivery; audited."""
    _need(who, RECORD)
    with store.transaction() as tx:
        delivery = tx.get(DELIVERIES, delivery_id)
        if delivery is None:
            raise LookupError(delivery_id)
        kept = [dict(v) for v in delivery["vouchers"]]
        found = [v for v in kept if v["letter_id"] == letter_id]
        if not found:
            raise LookupError(letter_id)
        found[0]["signed_scan"] = scan
        after = tx.update(DELIVERIES, delivery_id, {"vouchers": kept})
        audit.write(tx, who, "sign", "delivery", delivery_id, after={"voucher": found[0]["number"]})
    return after
