"""Export one person's data as a zip: an Excel workbook, his documents and his letters.

The workbook has a sheet per form (and per repeat group) written by the
submissions export, plus a sheet of his letters. Documents are named by
reference and field (IN-1448-00012/id_copy.pdf), never by the name the
uploader gave, so no path from outside reaches the archive.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

from openpyxl import Workbook

from forms.dates import format_date
from letters.context import LETTER_TYPES
from letters.register import HEADERS as LETTER_HEADERS
from privacy.person import Person
from store import FilesUnavailable, StoreError
from submissions.export import fill_workbook, to_cell

WORKBOOK = "data.xlsx"
LETTERS_SHEET = {"ar": "الخطابات", "en": "Letters"}
REQUESTS_SHEET = {"ar": "الطلبات", "en": "Requests"}
REQUEST_HEADERS = {
    "ar": [
        "الرقم المرجعي",
        "تاريخ الاستلام",
        "قناة الاستقبال",
        "الحالة",
        "القرار",
        "رقم الاجتماع",
        "تاريخ القرار",
        "الخدمات المقدمة",
    ],
    "en": [
        "Reference",
        "Received",
        "Channel",
        "State",
        "Decision",
        "Meeting",
        "Decided on",
        "Services",
    ],
}
DELIVERIES_SHEET = {"ar": "التسليمات", "en": "Deliveries"}
DELIVERY_HEADERS = {
    "ar": ["رقم التسليم", "التاريخ", "النوع", "المبلغ", "الكمية", "البيان", "الطلب", "البرنامج",
           "السندات", "التحويل البنكي"],
    "en": ["Delivery", "Date", "Kind", "Amount", "Quantity", "Description", "Request", "Program",
           "Vouchers", "Bank transfer"],
}  # fmt: skip
REGISTRATIONS_SHEET = {"ar": "التسجيل في البرامج", "en": "Program registrations"}
REGISTRATION_HEADERS = {
    "ar": ["البرنامج", "الحالة", "الاسم", "الجوال", "تاريخ التسجيل", "تاريخ البت"],
    "en": ["Program", "Status", "Name", "Mobile", "Registered", "Decided"],
}
MESSAGES_SHEET = {"ar": "الرسائل", "en": "Messages"}
MESSAGE_HEADERS = {
    "ar": ["التاريخ", "القناة", "الحدث", "الحالة", "إلى", "النص"],
    "en": ["Date", "Channel", "Event", "Status", "To", "Text"],
}
_UNSAFE = re.compile(r"[^\w\-]+")


def safe(text: str) -> str:
    """Return `text` as one harmless path part: word characters and dashes only."""
    return _UNSAFE.sub("_", str(text)).strip("_.") or "_"


def is_file_ref(value) -> bool:
    return isinstance(value, dict) and isinstance(value.get("sha256"), str) and "size" in value


def documents(record: dict) -> Iterator[tuple[str, dict]]:
    """Yield (archive path, file reference) for each upload or signature of a submission."""
    ref = safe(record.get("ref") or record.get("id"))
    for name, value in (record.get("answers") or {}).items():
        yield from _files(f"{ref}/{safe(name)}", value)


def _files(path: str, value) -> Iterator[tuple[str, dict]]:
    """Yield the files in one answer: itself, a field's several files ("-2"), a repeat's
    rows ("-2-field"), and so on down inner repeats ("family-2-illnesses-1-report")."""
    if is_file_ref(value):
        yield path, value
    elif isinstance(value, list):
        for n, item in enumerate(value, 1):
            yield from _files(f"{path}-{n}", item)
    elif isinstance(value, dict):
        for sub, item in value.items():
            yield from _files(f"{path}-{safe(sub)}", item)


def workbook(person: Person, lang: str = "ar") -> bytes:
    """Return the .xlsx of the person's submissions (a sheet per form) and letters."""
    book = Workbook(write_only=True)
    by_form: dict[str, tuple[dict, list]] = {}
    for form, record in person.submissions:
        forms, records = by_form.setdefault(form.id, ({}, []))
        forms[form.version] = form
        records.append(record)
    for forms, records in by_form.values():
        # Each submission is written with the version it was filled with.
        fill_workbook(book, forms[max(forms)], records, lang, versions=forms)
    _text_sheet(book, LETTERS_SHEET, LETTER_HEADERS, _letter_rows(person.letters), lang)
    _text_sheet(book, REQUESTS_SHEET, REQUEST_HEADERS, _request_rows(person.cases), lang)
    rows = _delivery_rows(person.deliveries)
    _text_sheet(book, DELIVERIES_SHEET, DELIVERY_HEADERS, rows, lang)
    rows = _registration_rows(person.registrations)
    _text_sheet(book, REGISTRATIONS_SHEET, REGISTRATION_HEADERS, rows, lang)
    _text_sheet(book, MESSAGES_SHEET, MESSAGE_HEADERS, _message_rows(person.messages), lang)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text_sheet(book: Workbook, titles: dict, headers: dict, rows, lang: str) -> None:
    """Add one right-to-left (in Arabic) sheet whose every value is text, never a formula."""
    lang = "en" if lang == "en" else "ar"
    ws = book.create_sheet(titles[lang])
    ws.sheet_view.rightToLeft = lang == "ar"
    ws.append(headers[lang])
    for row in rows(lang):
        ws.append([to_cell(ws, "" if v is None else str(v)) for v in row])


def _letter_rows(letters: list[dict]):
    def rows(lang: str):
        for rec in letters:
            template = rec.get("template") or {}
            yield [
                rec.get("number"),
                format_date(rec.get("date"), lang),
                LETTER_TYPES.get(rec.get("letter_type"), {}).get(lang, rec.get("letter_type")),
                f"{template.get('name', '')} v{template.get('version', '')}",
                rec.get("recipient"),
                rec.get("issued_by"),
                (rec.get("answers") or {}).get("ref", ""),
                rec.get("sha256"),
            ]

    return rows


def _request_rows(cases: list[dict]):
    def rows(lang: str):
        for case in cases:
            decision = case.get("decision") or {}
            services = "; ".join(
                " ".join(str(s.get(k) or "") for k in ("service_date", "proof", "service_note"))
                for s in case.get("services", [])
            )
            yield [
                case.get("ref"),
                format_date(case.get("opened_on"), lang),
                case.get("channel"),
                case.get("state"),
                decision.get("outcome"),
                decision.get("meeting_number"),
                format_date(decision.get("date"), lang),
                services,
            ]

    return rows


def _delivery_rows(deliveries: list[dict]):
    def rows(lang: str):
        for d in deliveries:
            transfer = d.get("transfer") or {}
            yield [
                d["id"],
                format_date(d.get("date"), lang),
                d.get("kind"),
                d.get("amount"),
                d.get("quantity"),
                d.get("description"),
                d.get("case_ref"),
                d.get("program_name"),
                " ".join(v["number"] for v in d.get("vouchers") or ()),
                " ".join(str(transfer.get(k) or "") for k in ("status", "reference")).strip(),
            ]

    return rows


def _registration_rows(registrations: list[dict]):
    def rows(lang: str):
        for r in registrations:
            yield [
                r.get("program_name"),
                r.get("status"),
                r.get("name"),
                r.get("mobile"),
                format_date((r.get("created_at") or "")[:10] or None, lang),
                format_date((r.get("decided_at") or "")[:10] or None, lang),
            ]

    return rows


def _message_rows(messages: list[dict]):
    def rows(lang: str):
        for m in messages:
            yield [
                format_date((m.get("created_at") or "")[:10] or None, lang),
                m.get("channel"),
                m.get("event"),
                m.get("status"),
                m.get("email") if m.get("channel") == "email" else m.get("mobile"),
                m.get("text"),
            ]

    return rows


def _put(zf: zipfile.ZipFile, store, path: str, digest: str | None) -> bool:
    if not digest:
        return False
    try:
        zf.writestr(path, store.read_file(digest))
    except FilesUnavailable:
        raise  # an export without the files it should hold would mislead: refuse it
    except StoreError:  # erased, or not a digest at all
        return False
    return True


def export_person(store, forms, person: Person, lang: str = "ar") -> bytes:
    """Return the zip of everything held about `person`."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(WORKBOOK, workbook(person, lang))
        for _form, record in person.submissions:
            for path, ref in documents(record):
                ext = safe(ref.get("type") or "bin")
                _put(zf, store, f"documents/{path}.{ext}", ref["sha256"])
        for case in person.cases:
            for n, service in enumerate(case.get("services", []), 1):
                proof = service.get("file") or {}
                path = (
                    f"documents/{safe(case.get('ref'))}/service-{n}.{safe(proof.get('type', ''))}"
                )
                _put(zf, store, path, proof.get("sha256"))
        for d in person.deliveries:
            for n, proof in enumerate(d.get("proofs") or (), 1):
                path = f"documents/delivery-{d['id']}/proof-{n}.{safe(proof.get('type', ''))}"
                _put(zf, store, path, proof.get("sha256"))
        for letter in person.letters:
            name = f"letters/{safe(letter.get('number') or letter.get('id'))}"
            _put(zf, store, f"{name}.docx", letter.get("sha256"))
            _put(zf, store, f"{name}.pdf", letter.get("pdf_sha256"))
    return out.getvalue()
