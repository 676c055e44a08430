"""The delivery register as a printed report (Word, and PDF through LibreOffice).

The sheet (doc_templates/sheets/delivery_register.docx, built by
doc_templates.delivery_register) is rendered by the letters' own sandboxed renderer. It is
printed in Arabic, as the letters are. A printed register holds at most MAX_PRINTED lines,
read a chunk at a time through the register's indexes; the Excel export holds them all.
"""

from __future__ import annotations

import datetime as dt
from itertools import islice
from pathlib import Path

from deliveries import register
from deliveries.records import KINDS, TRANSFER_STATES
from forms.dates import format_date
from letters.context import association, logo_image
from letters.filters import code
from letters.render import render_letter

TEMPLATE = Path(__file__).resolve().parent.parent / "doc_templates/sheets/delivery_register.docx"
MAX_PRINTED = 2000


def _amount(value) -> str:
    return f"{value:,.2f}".removesuffix(".00") if isinstance(value, int | float) else ""


def line(record: dict) -> dict:
    """Return one printed line: what was given, to whom, when, for what, with which proof."""
    transfer = record.get("transfer") or {}
    # References print as the letters print them: left to right, in one piece on one line
    # (a narrow column broke SR-1448-00001 at its hyphen).
    proofs = [code(v["number"]) for v in record.get("vouchers") or ()]
    if transfer:
        proofs.append(f"{TRANSFER_STATES[transfer['status']]} {code(transfer.get('reference'))}")
    if record.get("proofs"):
        proofs.append(f"مرفقات: {len(record['proofs'])}")
    amount = record.get("amount")
    quantity = record.get("quantity")
    return {
        "id": record["id"],
        "date": format_date(record.get("date"), "ar").partition(" (")[0],
        "name": record.get("name") or record.get("group", ""),
        "what": str(KINDS.get(record.get("kind"), record.get("kind", ""))),
        "amount": f"{_amount(amount)} ريال" if _amount(amount) else str(quantity or ""),
        "for": code(record["case_ref"])
        if record.get("case_ref")
        else record.get("program_name", ""),
        "proofs": "، ".join(p.strip() for p in proofs),
    }


def period(filters: register.Filters) -> str:
    start = format_date(filters.start, "ar") if filters.start else ""
    end = format_date(filters.end, "ar") if filters.end else ""
    if start and end:
        return f"من {start} إلى {end}"
    if start or end:
        return f"من {start}" if start else f"حتى {end}"
    return "كل الفترات"


def docx(store, profile: dict, filters: register.Filters) -> bytes:
    """Return the printed register of what `filters` choose, newest delivery first."""
    _first, total = register.page(store, filters, 0, 1)  # the count, from the indexes
    records = list(islice(register.all_of(store, filters), MAX_PRINTED))
    lines = [line(r) for r in records]
    about = []
    if filters.program_id is not None and lines:
        about.append(f"البرنامج: {lines[0]['for']}")
    if filters.beneficiary_id is not None and lines:
        about.append(f"المستفيد: {lines[0]['name']}")
    amounts = [r.get("amount") for r in records]
    more = ""
    if total > len(lines):
        more = (
            f"يعرض هذا السجل المطبوع أحدث {len(lines):,} عملية من {total:,}؛ "
            "السجل كاملًا في ملف Excel."
        )
    sheet = {
        "period": period(filters),
        "about": "، ".join(about),
        "total": f"{total:,}",
        "amount": _amount(sum(a for a in amounts if isinstance(a, int | float))) or "0",
        "more": more,
        "printed": format_date(dt.date.today(), "ar"),
    }
    context = {
        "association": {**association(profile), "logo": logo_image(profile, store.read_file)},
        "sheet": sheet,
        "deliveries": lines,
    }
    return render_letter(TEMPLATE.read_bytes(), context).data
