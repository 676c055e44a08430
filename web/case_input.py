"""What staff enter with a move on a request: read from the page, cleaned, or refused.

Each move names its fields (cases.workflow.Move.fields); this reads only those,
turns Arabic-Indic digits into ASCII, and says in Arabic what is wrong.
"""

from __future__ import annotations

import re

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from deliveries import inputs as delivery_inputs
from deliveries.records import KINDS, proofs
from forms.dates import read_day, saudi_today
from forms.invisible import strip_invisible
from forms.messages import message
from forms.saudi import normalize_digits, normalize_number
from forms.types import FieldError, get_field_type
from web.i18n import current_lang

MAX_TEXT = 2000
PROOF_FILE = {"accept": ["pdf", "jpg", "png"], "max_size_mb": 10}
_MEETING = re.compile(r"[0-9A-Za-z/\-]{1,20}")


FIELD_NAMES = {
    "note": _l("الملاحظة"),
    "meeting_number": _l("رقم الاجتماع"),
    "reasons": _l("الأسباب"),
}


class InputError(ValueError):
    """What the person entered cannot be used; the message says why."""


def _text(name: str, required: bool = False) -> str:
    value = strip_invisible(request.form.get(name) or "").strip()
    if len(value) > MAX_TEXT:
        raise InputError(_("النص أطول من المسموح (%(n)s حرف).", n=MAX_TEXT))
    if required and not value:
        raise InputError(_("هذا الحقل مطلوب: %(name)s", name=FIELD_NAMES.get(name, name)))
    return value


def _amount() -> float | None:
    text = normalize_number(request.form.get("amount") or "").replace(",", "")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise InputError(_("المبلغ يجب أن يكون رقمًا.")) from None
    if not 0 <= value <= 10_000_000:
        raise InputError(_("المبلغ خارج الحد المسموح."))
    return round(value, 2)


def _meeting() -> str:
    value = normalize_digits(_text("meeting_number", required=True))
    if not _MEETING.fullmatch(value):
        raise InputError(_("رقم الاجتماع غير صحيح."))
    return value


def _service_date() -> str:
    text = (request.form.get("service_date") or "").strip()
    if not text:
        return saudi_today().isoformat()
    day = read_day(text)
    if day is None:
        raise InputError(_("تاريخ الخدمة غير صحيح."))
    if day > saudi_today():
        raise InputError(_("تاريخ الخدمة لا يكون في المستقبل."))
    return day.isoformat()


def _proof_file(store) -> dict | None:
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return None
    try:
        pending = get_field_type("file").clean(upload, PROOF_FILE, None)
    except FieldError as exc:
        raise InputError(message(exc.key, current_lang(), **exc.params)) from None
    digest = store.put_file(pending.data)
    return {"sha256": digest, "name": pending.filename, "type": pending.ext}


def move_data(move, *, store, profile: dict, support_choices: set[str]) -> dict:
    """Return the cleaned input of `move`; raise InputError naming what is wrong."""
    data = {"note": _text("note", required=move.needs_note)}
    data["checklist"] = request.form.getlist("checklist")[:50]
    data["signed"] = request.form.get("signed") == "yes"
    fields = set(move.fields)
    if "meeting_number" in fields:
        data["meeting_number"] = _meeting()
        data["reasons"] = _text("reasons", required=move.name == "reject")
    if "support_types" in fields:
        chosen = request.form.getlist("support_types")
        if not set(chosen) <= support_choices:
            raise InputError(_("نوع دعم غير معروف."))
        data["support_types"] = chosen
        data["amount"] = _amount()
    if "appeal" in fields:
        data["reapply_after"] = _text("reapply_after")
        data["appeal"] = _text("appeal")
    if "proof" in fields:
        proof = request.form.get("proof", "")
        if proof not in {p["value"] for p in proofs(profile)}:
            raise InputError(_("اختر طريقة توثيق وصول الخدمة."))
        data.update(proof=proof, service_date=_service_date(), service_note=_text("service_note"))
        data["file"] = _proof_file(store)
        data["delivery"] = _served_delivery(data)
    return data


def _served_delivery(data: dict) -> dict | None:
    """Return the delivery record the served move writes, or None when no kind was chosen
    (the request must then hold one already: cases.service.check_needs)."""
    kind = request.form.get("kind", "")
    if not kind:
        return None
    if kind not in KINDS:
        raise InputError(_("اختر نوع ما قُدّم."))
    try:
        amount, quantity = delivery_inputs.number("amount"), delivery_inputs.number("quantity")
    except delivery_inputs.InputError as exc:
        raise InputError(str(exc)) from None
    if kind == "cash" and amount is None:
        raise InputError(_("اكتب مبلغ الدعم النقدي."))
    return {
        "kind": kind,
        "method": data["proof"],
        "date": data["service_date"],
        "amount": amount,
        "quantity": quantity,
        "description": data["service_note"],
        "proofs": [data["file"]] if data["file"] else [],
    }
