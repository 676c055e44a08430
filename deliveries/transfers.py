"""Bank transfers of cash aid: a batch sheet for the bank, its confirmation read back.

A cash delivery by bank transfer waits "pending" until a batch takes it ("sent", with a
reference of its own); the bank's confirmation (its Excel sheet of reference and
status, or a document with each transfer marked on the page) makes it "done" or
"failed". A confirmation is checked whole before anything changes: one bad line and
nothing is applied, each problem named in Arabic with its line.
"""

from __future__ import annotations

import io
import zipfile

from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from accounts import audit
from accounts.audit import Actor
from deliveries.records import DELIVERIES, DeliveryError, now
from sheets import write_table

BATCHES = "transfer_batches"
MANAGE = "deliveries.transfers"
REVEAL = "pii.reveal"  # the sheet holds the IBANs in full
MAX_ROWS = 20_000
HEADERS = ["المرجع", "اسم المستفيد", "الآيبان", "المبلغ", "البيان"]
# What a bank writes in its status column, as Rifd reads it.
STATUS_WORDS = {
    "done": {"done", "success", "successful", "ok", "paid", "تم", "ناجح", "ناجحة", "منفذ", "منفذة"},
    "failed": {"failed", "fail", "rejected", "error", "فشل", "مرفوض", "مرفوضة", "متعذر", "لم يتم"},
}
REFERENCE_HEADERS = {"المرجع", "الرقم المرجعي", "reference", "ref"}
STATUS_HEADERS = {"الحالة", "status"}
REASON_HEADERS = {"السبب", "reason", "ملاحظات", "notes"}


class ConfirmationError(DeliveryError):
    """A confirmation file that cannot be applied; `problems` lists each line's problem."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def _need(who: Actor) -> None:
    for permission in (MANAGE, REVEAL):
        if not who.can(permission):
            raise PermissionError(permission)


def reference(batch_id: int, delivery_id: int) -> str:
    return f"RFD{batch_id:04d}-{delivery_id:06d}"


def pending(store, limit: int = 200) -> tuple[list[dict], int]:
    """Return the cash transfers waiting for a batch (newest first) and how many wait."""
    return store.page(DELIVERIES, where={"transfer.status": "pending"}, limit=limit)


def new_batch(store, who: Actor) -> dict:
    """Put every pending transfer that has an IBAN in a new batch; return the batch."""
    _need(who)
    with store.transaction() as tx:
        waiting = store.find(DELIVERIES, where={"transfer.status": "pending"})
        ready = [d for d in waiting if d["transfer"].get("iban")]
        if not ready:
            raise DeliveryError(_l("لا توجد تحويلات جاهزة لها آيبان لإدراجها في دفعة."))
        batch = {
            "created_at": now(),
            "created_by": who.username,
            "count": len(ready),
            "total": round(sum(d["amount"] for d in ready), 2),
            "confirmation": None,
            "confirmed_at": None,
        }
        batch["id"] = tx.insert(BATCHES, batch)
        for d in ready:
            sent = {**d["transfer"], "status": "sent", "batch_id": batch["id"]}
            sent["reference"] = reference(batch["id"], d["id"])
            tx.update(DELIVERIES, d["id"], {"transfer": sent})
        after = {"count": batch["count"], "total": batch["total"]}
        audit.write(tx, who, "create", "transfer_batch", batch["id"], after=after)
    return batch


def of_batch(store, batch_id: int) -> list[dict]:
    """Return the transfers of a batch, in the order of the bank's sheet."""
    return store.find(DELIVERIES, where={"transfer.batch_id": batch_id})


def batch_sheet(store, batch_id: int, who: Actor) -> bytes:
    """Return the batch as the Excel sheet the bank is given (right to left); audited."""
    _need(who)
    rows = [
        [
            d["transfer"]["reference"],
            d.get("name", ""),
            d["transfer"]["iban"],
            d["amount"],
            d.get("case_ref") or d.get("description", ""),
        ]
        for d in of_batch(store, batch_id)
    ]
    out = io.BytesIO()
    write_table("دفعة تحويلات", HEADERS, rows, out, rtl=True, numbers=frozenset({3}))
    audit.write(store, who, "export", "transfer_batch", batch_id, after={"rows": len(rows)})
    return out.getvalue()


def _status(text: str) -> str | None:
    word = " ".join(str(text or "").split()).casefold()
    return next((key for key, words in STATUS_WORDS.items() if word in words), None)


def _columns(header: tuple) -> tuple[int, int, int | None]:
    names = [" ".join(str(v or "").split()).casefold() for v in header]
    found = [
        next((i for i, n in enumerate(names) if n in wanted), None)
        for wanted in (REFERENCE_HEADERS, STATUS_HEADERS, REASON_HEADERS)
    ]
    if found[0] is None or found[1] is None:
        raise ConfirmationError([str(_l("لم نجد في الصف الأول عمودي «المرجع» و«الحالة»."))])
    return found[0], found[1], found[2]


def read_confirmation(data: bytes) -> list[tuple[int, str, str | None, str, str]]:
    """Return (line, reference, status, the status as written, reason) for each line."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ConfirmationError([str(_l("الملف ليس ملف Excel صالحًا (xlsx)."))]) from None
    lines = book.active.iter_rows(values_only=True, max_row=MAX_ROWS + 1)
    header = next(lines, None)
    if header is None:
        raise ConfirmationError([str(_l("ملف التأكيد فارغ."))])
    ref_col, status_col, reason_col = _columns(header)
    out = []
    for number, line in enumerate(lines, start=2):
        cells = [str(v).strip() if v is not None else "" for v in line]
        cells += [""] * (max(ref_col, status_col, reason_col or 0) + 1 - len(cells))
        if not any(cells):
            continue
        reason = cells[reason_col] if reason_col is not None else ""
        written = cells[status_col]
        out.append((number, cells[ref_col], _status(written), written, reason[:300]))
    return out


def results_of(lines, transfers: list[dict]) -> dict[int, tuple[str, str]]:
    """Return {delivery id: (status, reason)}; ConfirmationError lists every bad line."""
    by_ref = {d["transfer"]["reference"]: d for d in transfers}
    problems, results = [], {}
    for number, ref, status, written, reason in lines:
        delivery = by_ref.get(ref)
        if delivery is None:
            problems.append(
                _l("السطر %(n)s: المرجع «%(ref)s» ليس في هذه الدفعة.", n=number, ref=ref)
            )
        elif status is None:
            problems.append(
                _l("السطر %(n)s: حالة غير مفهومة «%(s)s» (اكتب تم أو فشل).", n=number, s=written)
            )
        elif delivery["id"] in results:
            problems.append(_l("السطر %(n)s: المرجع «%(ref)s» مكرر.", n=number, ref=ref))
        else:
            results[delivery["id"]] = (status, reason)
    if problems:
        raise ConfirmationError([str(p) for p in problems])
    if not results:
        raise ConfirmationError([str(_l("لا توجد في الملف أسطر لتحويلات هذه الدفعة."))])
    return results


def confirm(store, batch_id: int, results: dict, who: Actor, *, document: dict | None) -> dict:
    """Mark each transfer of `results` done or failed, keep the bank's document; audited."""
    _need(who)
    with store.transaction() as tx:
        batch = tx.get(BATCHES, batch_id)
        if batch is None:
            raise LookupError(batch_id)
        transfers = {d["id"]: d for d in of_batch(store, batch_id)}
        if not set(results) <= set(transfers):
            raise DeliveryError(_l("التحويل المختار ليس في هذه الدفعة."))
        for did, (status, reason) in results.items():
            marked = {**transfers[did]["transfer"], "status": status, "reason": reason}
            tx.update(DELIVERIES, did, {"transfer": marked})
        changes = {"confirmed_at": now(), "confirmed_by": who.username}
        if document is not None:
            changes["confirmation"] = document
        batch = tx.update(BATCHES, batch_id, changes)
        after = {str(did): status for did, (status, _reason) in results.items()}
        audit.write(tx, who, "confirm", "transfer_batch", batch_id, after=after)
    return batch


def import_confirmation(store, batch_id: int, data: bytes, name: str, who: Actor) -> dict:
    """Apply the bank's Excel confirmation whole, or nothing (ConfirmationError says why)."""
    _need(who)
    results = results_of(read_confirmation(data), of_batch(store, batch_id))
    document = {"sha256": store.put_file(data), "name": name, "type": "xlsx"}
    return confirm(store, batch_id, results, who, document=document)
