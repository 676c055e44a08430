"""What a letter template can print: the placeholders and how they are filled.

SPEC lists every top-level name and its attributes; the linter checks
templates against it and docs/letters.md documents it. build_context()
fills it from the association's profile, a submission and its form.
"""

from __future__ import annotations

import datetime as dt

from forms.dates import format_date
from forms.definition import FormDefinition, localized
from forms.invisible import strip_invisible
from forms.saudi import mask
from forms.types import get_field_type
from letters.filters import amount, code, words
from letters.images import Image

# What a program's letter prints from what is entered (program_<name>); a template may
# also name program.contact, which nothing fills yet (the row is left out then).
PROGRAM_FIELDS = (
    "name",
    "place",
    "start_date",
    "end_date",
    "time",
    "arrangements",
    "what_to_bring",
)
# name -> allowed attributes (None: a value or a list printed as a whole)
SPEC: dict[str, set[str] | None] = {
    "association": {
        "name_ar",
        "name_en",
        "licence_number",
        "licence_sentence",
        "letterhead_lines",
        "address",
        "phone",
        "email",
        "website",
        "bank_name",
        "iban",
        "logo",
    },
    "letter": {
        "number",
        "date",
        "date_hijri",
        "date_gregorian",
        "type_name",
        "attachments",
        "verify_code",
        "verify_url",
    },
    "qr": None,
    "beneficiary": {
        "name",
        "title",
        "national_id",
        "national_id_masked",
        "mobile",
        "nationality",
        "gender",
    },
    "submission": {"ref", "date", "date_hijri", "date_gregorian", "form_title", "channel"},
    "answers": None,  # by field name of the chosen form: checked against the form
    "answer_rows": None,
    "decision": {
        "outcome",
        "outcome_text",
        "reasons",
        "meeting_number",
        "date",
        "date_hijri",
        "date_gregorian",
        "support_types",
        "amount",
        "amount_words",
        "reapply_after",
        "appeal",
        "notes",
        "decided_by",
    },
    "program": {*PROGRAM_FIELDS, "contact"},
    "voucher": {
        "kind_name",
        "what",
        "amount",
        "amount_words",
        "quantity",
        "description",
        "method",
        "date",
        "date_hijri",
        "date_gregorian",
        "delivered_by",
        "reference",
        "program",
        "note",
    },
    "commitments": None,
    "signature": None,
    "today": None,
}

LETTER_TYPES = {
    "acceptance": {"ar": "إشعار قبول", "en": "Acceptance notice"},
    "rejection": {"ar": "إشعار اعتذار", "en": "Rejection notice"},
    "declaration": {"ar": "إقرار صحة البيانات", "en": "Declaration of correct data"},
    "program_acceptance": {"ar": "إشعار قبول في برنامج", "en": "Program acceptance notice"},
    "disbursement_voucher": {"ar": "سند صرف", "en": "Disbursement voucher"},
    "receipt_voucher": {"ar": "سند قبض", "en": "Receipt voucher"},
}

_NAME_PARTS = ("first_name", "father_name", "grandfather_name", "family_name")


def dates(value) -> dict:
    """Return the three ways a date prints: both calendars, Hijri alone, Gregorian alone."""
    text = format_date(value, "ar")
    hijri, _, greg = text.partition(" (")
    return {"date": text, "date_hijri": hijri, "date_gregorian": greg.rstrip(")")}


_NOT_TEXT = ("repeat", "signature", "file", "note")


def _text(fdef: dict, value, form: FormDefinition) -> str:
    """Return an answer as a letter prints it (dates in both calendars)."""
    if fdef["type"] == "date":
        return format_date(value, "ar")
    return get_field_type(fdef["type"]).display(value, fdef, form, "ar")


def _display(form: FormDefinition, answers: dict) -> dict:
    shown = {
        fdef["name"]: _text(fdef, answers[fdef["name"]], form)
        for fdef in form.answer_fields()
        if fdef["name"] in answers and fdef["type"] not in _NOT_TEXT
    }
    for fdef in form.answer_fields():
        if fdef["type"] == "repeat":
            shown[fdef["name"]] = _rows_shown(fdef, answers.get(fdef["name"]), form)
    return shown


def _rows_shown(fdef: dict, items, form: FormDefinition) -> list[dict]:
    """Return a repeat's rows as a letter loops over them: each answer printed as text
    by its name, an inner repeat's rows as a list to loop over inside (a member's
    illnesses: {% for m in answers.members %} ... {% for i in m.illnesses %})."""
    rows = []
    for item in (item for item in items or () if isinstance(item, dict)):
        row = {}
        for sub in fdef.get("fields", ()):
            if sub["type"] == "repeat":
                row[sub["name"]] = _rows_shown(sub, item.get(sub["name"]), form)
            elif sub["type"] not in _NOT_TEXT:
                value = item.get(sub["name"])
                row[sub["name"]] = "" if value in (None, "", []) else _text(sub, value, form)
        rows.append(row)
    return rows


def _repeat_rows(fdef: dict, items, form: FormDefinition, around: str = "") -> list[dict]:
    """Return a table row per row of a repeat (a family member): its answers, each labelled;
    after it the rows of its inner repeats, numbered by both rows ("الأمراض (2، 1)")."""
    subs = [sub for sub in fdef.get("fields", ()) if sub["type"] not in _NOT_TEXT]
    inner = [sub for sub in fdef.get("fields", ()) if sub["type"] == "repeat"]
    label = localized(fdef.get("label"), "ar")
    rows = []
    for number, item in enumerate((i for i in items or () if isinstance(i, dict)), 1):
        parts = [
            f"{localized(sub.get('label'), 'ar')}: {text}"
            for sub in subs
            if item.get(sub["name"]) not in (None, "", [])
            and (text := _text(sub, item[sub["name"]], form))
        ]
        if parts:
            rows.append({"label": f"{label} ({around}{number})", "value": "، ".join(parts)})
        for sub in inner:
            rows += _repeat_rows(sub, item.get(sub["name"]), form, f"{around}{number}، ")
    return rows


def answer_rows(form: FormDefinition, answers: dict) -> list[dict]:
    """Return the answered fields in form order as label/value rows, a repeat's row by row."""
    shown = _display(form, answers)
    rows = []
    for fdef in form.answer_fields():
        name = fdef["name"]
        if fdef["type"] == "repeat":
            rows += _repeat_rows(fdef, answers.get(name), form)
        elif shown.get(name):
            rows.append({"label": localized(fdef.get("label"), "ar"), "value": shown[name]})
    return rows


def ltr(text: str) -> str:
    """Isolate a left-to-right run (IDs, masked numbers) so RTL text does not reorder it."""
    return f"\u2066{text}\u2069" if text else ""


def beneficiary(form: FormDefinition, answers: dict) -> dict:
    """Return the applicant as letters address him, from the usual field names."""
    shown = _display(form, answers)
    name = shown.get("full_name") or " ".join(shown[p] for p in _NAME_PARTS if shown.get(p))
    national_id = str(answers.get("national_id", ""))
    female = answers.get("gender") == "female"
    return {
        "name": name,
        "title": "المكرمة" if female else "المكرم",
        "national_id": ltr(national_id),
        "national_id_masked": ltr(mask(national_id)) if national_id else "",
        "mobile": shown.get("mobile", ""),
        "nationality": shown.get("nationality", ""),
        "gender": shown.get("gender", ""),
    }


DEFAULT_LICENCE_SENTENCE = (
    "مسجلة لدى المركز الوطني لتنمية القطاع غير الربحي برقم ترخيص {licence_number}"
)


def licence_sentence(profile: dict) -> str:
    """Return the licence as the letterhead prints it: the association's own sentence, or
    the usual one when it has a licence number; {licence_number} becomes the number, a code."""
    number = str(profile.get("licence_number") or "").strip()
    text = profile.get("licence_sentence") or (DEFAULT_LICENCE_SENTENCE if number else "")
    return text.replace("{licence_number}", code(number))


def association(profile: dict) -> dict:
    contact = profile.get("contact", {})
    bank = profile.get("bank", {})
    return {
        "name_ar": localized(profile.get("name"), "ar"),
        "name_en": (profile.get("name") or {}).get("en", ""),
        "licence_number": profile.get("licence_number", ""),
        "licence_sentence": licence_sentence(profile),
        "letterhead_lines": list(profile.get("letterhead_lines") or []),
        "address": contact.get("address", ""),
        "phone": contact.get("phone", ""),
        "email": contact.get("email", ""),
        "website": contact.get("website", ""),
        "bank_name": bank.get("name", ""),
        "iban": bank.get("iban", ""),
        "logo": "",
    }


def decision_context(decision: dict | None) -> dict:
    decision = dict(decision or {})
    outcome = decision.get("outcome", "")
    decision["outcome_text"] = {"accepted": "قبول", "rejected": "اعتذار"}.get(outcome, "")
    if decision.get("date"):
        decision.update(dates(decision["date"]))
    if decision.get("amount") not in (None, ""):
        decision["amount_words"] = words(decision["amount"])
        decision["amount"] = amount(decision["amount"])
    return decision


def signature_image(form: FormDefinition, record: dict, read_file) -> Image | str:
    """Return the applicant's drawn signature as a picture, or "" when there is none."""
    for fdef in form.answer_fields():
        ref = record.get("answers", {}).get(fdef["name"]) if fdef["type"] == "signature" else None
        if ref:
            return Image(read_file(ref["sha256"]), width_mm=40)
    return ""


def logo_image(profile: dict, read_file) -> Image | str:
    """Return the association's logo (a PNG kept in the store), or "" when it has none."""
    digest = profile.get("logo_sha256")
    if not digest:
        return ""
    try:
        return Image(read_file(digest), width_mm=25)
    except (OSError, ValueError, KeyError):
        return ""  # a missing or broken logo leaves the letterhead without it, not the letter


def build_context(
    profile: dict, form: FormDefinition, record: dict, *, decision=None, program=None
) -> dict:
    """Return everything a template may print for one submission (images added by the caller)."""
    # What people typed, stored before input was cleaned too: no direction override
    # or zero-width character reorders the letter. The isolates Rifd puts around
    # codes (ltr() below, the templates' code filter) come after this.
    profile, record = strip_invisible(profile), strip_invisible(record)
    decision, program = strip_invisible(decision), strip_invisible(program)
    answers = record.get("answers", {})
    return {
        "association": association(profile),
        "beneficiary": beneficiary(form, answers),
        "submission": {
            "ref": record.get("ref", ""),
            "form_title": form.title("ar"),
            "channel": record.get("channel") or "",
            **dates(record.get("created_at")),
        },
        "answers": _display(form, answers),
        "answer_rows": answer_rows(form, answers),
        "decision": decision_context(decision),
        "program": dict(program or {}),
        "voucher": {},
        "commitments": list(profile.get("commitments", [])),
        "signature": "",
        "qr": "",
        "today": format_date(dt.date.today(), "ar"),
    }
