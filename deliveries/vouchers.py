"""What a disbursement or receipt voucher prints for one delivery record.

A voucher is a letter of the letters machinery (letters/issue.py): it takes its number
from its own series, is archived and QR-verifiable like any letter. The context holds
every name a letter template may use (letters.context.SPEC), those about a submission
left empty: a delivery to a program's participant has no request.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import force_locale

from deliveries.records import KINDS, proofs
from forms.dates import format_date
from forms.definition import localized
from forms.invisible import strip_invisible
from forms.saudi import mask
from letters.context import association, dates, logo_image, ltr
from letters.filters import amount, words
from letters.images import Image

EMPTY_SUBMISSION = {"ref": "", "form_title": "", "channel": "", **dict.fromkeys(dates(None), "")}


def _number(value) -> str:
    return "" if value in (None, "") else f"{value:g}"


def _recipient(delivery: dict) -> dict:
    nid = str(delivery.get("national_id") or "")
    return {
        "name": delivery.get("name") or delivery.get("group") or "",
        "title": "",
        "national_id": ltr(nid),
        "national_id_masked": ltr(mask(nid)) if nid else "",
        "mobile": "",
        "nationality": "",
        "gender": "",
    }


def voucher_fields(profile: dict, delivery: dict, kind_name: str) -> dict:
    """Return the voucher's own placeholders: what, how much, when, by whom."""
    methods = {p["value"]: localized(p["label"], "ar") for p in proofs(profile)}
    with force_locale("ar"):
        what = str(KINDS.get(delivery["kind"], delivery["kind"]))
    value = delivery.get("amount")
    return {
        "kind_name": kind_name,
        "what": what,
        "amount": amount(value) if value else "",
        "amount_words": words(value) if value else "",
        "quantity": _number(delivery.get("quantity")),
        "description": delivery.get("description", ""),
        "method": methods.get(delivery.get("method"), ""),
        **dates(delivery["date"]),
        "delivered_by": delivery.get("delivered_by", ""),
        "reference": delivery.get("case_ref")
        or (delivery.get("transfer") or {}).get("reference", ""),
        "program": delivery.get("program_name", ""),
        "note": delivery.get("note", ""),
    }


def context(profile: dict, delivery: dict, kind_name: str, *, signature: bytes | None, read_file):
    """Return the context of a voucher for `delivery`, signed with the drawn `signature`."""
    profile, delivery = strip_invisible(profile), strip_invisible(delivery)
    head = association(profile)
    head["logo"] = logo_image(profile, read_file)
    return {
        "association": head,
        "beneficiary": _recipient(delivery),
        "submission": dict(EMPTY_SUBMISSION),
        "answers": {},
        "answer_rows": [],
        "decision": {},
        "program": {},
        "voucher": voucher_fields(profile, delivery, kind_name),
        "commitments": [],
        "signature": Image(signature, width_mm=40) if signature else "",
        "qr": "",
        "today": format_date(dt.date.today(), "ar"),
    }
