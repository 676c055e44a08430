"""The outgoing register (سجل الصادر) as an Excel sheet, right to left, voided letters marked."""

from __future__ import annotations

from forms.dates import format_date
from letters.context import LETTER_TYPES
from letters.issue import REGISTER
from sheets import write_table
from store import normalize_text

HEADERS = {
    "ar": [
        "الرقم",
        "التاريخ",
        "نوع الخطاب",
        "إصدار القالب",
        "المستلم",
        "أصدره",
        "ردًا على",
        "SHA-256",
        "الحالة",
        "سبب الإلغاء",
    ],
    "en": [
        "Number",
        "Date",
        "Letter type",
        "Template version",
        "Recipient",
        "Issued by",
        "Answers",
        "SHA-256",
        "Status",
        "Reason voided",
    ],
}
# A voided letter keeps its row and its number: the register says it stands for nothing.
STATUS = {"ar": ("ساري", "ملغى"), "en": ("Valid", "Void")}


def _row(rec: dict, lang: str) -> list:
    void = rec.get("void") or {}
    valid, voided = STATUS.get(lang, STATUS["ar"])
    kind = LETTER_TYPES.get(rec.get("letter_type"), {}).get(lang, rec.get("letter_type"))
    template = rec.get("template", {})
    return [
        rec.get("number"),
        format_date(rec.get("date"), lang),
        kind,
        f"{template.get('name', '')} v{template.get('version', '')}",
        rec.get("recipient"),
        rec.get("issued_by"),
        (rec.get("answers") or {}).get("ref", ""),
        rec.get("sha256"),
        f"{voided} {format_date(void.get('on'), lang)}" if void else valid,
        void.get("reason", ""),
    ]


SEARCH_CAP = 1000  # letters a search may match before a type filter narrows them


def register_page(store, query: str, kind: str, offset: int, limit: int) -> tuple[list, int]:
    """Return one page of the register, newest first, and how many match: of one letter
    type (kind), holding `query` in its number, recipient or reference (ValueError when
    the query is too short for the text index)."""
    where = {"letter_type": kind} if kind else None
    if not query:
        return store.page(REGISTER, where=where, offset=offset, limit=limit)
    found = store.text_search(REGISTER, [normalize_text(query)], limit=SEARCH_CAP)
    if found is None:
        raise ValueError(query)
    letters = store.get_many(REGISTER, found[0])
    if kind:
        letters = [x for x in letters if x.get("letter_type") == kind]
    return letters[offset : offset + limit], len(letters)


def export_register(records, out, lang: str = "ar") -> int:
    """Write the register to `out` (path or binary file); return the number of letters."""
    title = "سجل الصادر" if lang == "ar" else "Outgoing register"
    rows = (_row(rec, lang) for rec in records)
    return write_table(title, HEADERS.get(lang, HEADERS["ar"]), rows, out, rtl=lang == "ar")
