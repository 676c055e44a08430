"""What staff enter about a delivery, read from the page and cleaned, or refused in Arabic.

The served move of a request (web/case_input.py) and the delivery page read the same
fields through here, so a delivery is entered alike wherever it is entered.
"""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from deliveries.records import KINDS, MAX_NUMBER
from forms.dates import read_day, saudi_today
from forms.invisible import strip_invisible
from forms.messages import message
from forms.saudi import normalize_number
from forms.types import FieldError, get_field_type
from web.i18n import current_lang

MAX_TEXT = 1000
MAX_PROOFS = 10
PROOF_FILE = {"accept": ["pdf", "jpg", "png"], "max_size_mb": 10}
SIGNATURE = {"type": "signature"}


class InputError(ValueError):
    """What the person entered cannot be used; the message says why."""


def text(name: str, limit: int = MAX_TEXT) -> str:
    value = strip_invisible(request.form.get(name) or "").strip()
    if len(value) > limit:
        raise InputError(_("النص أطول من المسموح (%(n)s حرف).", n=limit))
    return value


def number(name: str) -> float | None:
    raw = normalize_number(request.form.get(name) or "").replace(",", "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise InputError(_("المبلغ والكمية أرقام فقط.")) from None
    if not 0 < value <= MAX_NUMBER:
        raise InputError(_("المبلغ أو الكمية خارج الحد المسموح."))
    return round(value, 2)


def day(name: str) -> str:
    raw = (request.form.get(name) or "").strip()
    if not raw:
        return saudi_today().isoformat()
    found = read_day(raw)
    if found is None:
        raise InputError(_("تاريخ التسليم غير صحيح."))
    if found > saudi_today():
        raise InputError(_("تاريخ التسليم لا يكون في المستقبل."))
    return found.isoformat()


def files(store, name: str = "proofs") -> list[dict]:
    """Return the references of the uploaded proofs, each checked before any is stored."""
    uploads = [f for f in request.files.getlist(name) if f and f.filename][: MAX_PROOFS + 1]
    if len(uploads) > MAX_PROOFS:
        raise InputError(_("عدد المرفقات أكثر من المسموح (%(n)s).", n=MAX_PROOFS))
    pending = []
    for upload in uploads:
        try:
            pending.append(get_field_type("file").clean(upload, PROOF_FILE, None))
        except FieldError as exc:
            raise InputError(message(exc.key, current_lang(), **exc.params)) from None
    return [p.reference(store.put_file(p.data)) for p in pending]


def signature(store, name: str = "signature") -> dict | None:
    """Return the drawn signature's reference, or None when the pad was left empty."""
    raw = (request.form.get(name) or "").strip()
    if not raw:
        return None
    try:
        pending = get_field_type("signature").clean(raw, SIGNATURE, None)
    except FieldError:
        raise InputError(_("التوقيع المرسوم غير صالح؛ امسحه ووقّع مرة أخرى.")) from None
    return pending.reference(store.put_file(pending.data))


def delivery(store, *, methods: set[str], method: str | None = None) -> dict:
    """Return what was delivered as entered on the page (kind, date, amount, proofs...)."""
    kind = request.form.get("kind", "")
    if kind not in KINDS:
        raise InputError(_("اختر نوع ما قُدّم."))
    method = request.form.get("method", "") if method is None else method
    if method and method not in methods:
        raise InputError(_("اختر طريقة توثيق وصول الخدمة."))
    entry = {
        "kind": kind,
        "method": method,
        "date": day("date"),
        "amount": number("amount"),
        "quantity": number("quantity"),
        "description": text("description"),
        "delivered_by": text("delivered_by", 120),
        "note": text("note"),
    }
    if kind == "cash" and entry["amount"] is None:
        raise InputError(_("اكتب مبلغ الدعم النقدي."))
    entry["proofs"] = files(store)
    return entry
