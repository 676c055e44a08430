"""The audit trail as an Excel sheet, right to left, every value written as text."""

from __future__ import annotations

import json

from forms.dates import format_date
from sheets import write_table

HEADERS = {
    "ar": ["الوقت", "التاريخ", "الشخص", "العنوان", "الإجراء", "الكيان", "المعرّف", "قبل", "بعد"],
    "en": ["Time (UTC)", "Date", "Person", "Address", "Action", "Entity", "ID", "Before", "After"],
}


def compact(value) -> str:
    """Return `value` as one line of JSON, Arabic kept readable; "" for nothing."""
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def export_audit(entries, out, lang: str = "ar") -> int:
    """Write `entries` to `out` (path or binary file); return how many were written."""
    rows = (
        [
            entry.get("at"),
            format_date(entry.get("at"), lang),
            entry.get("actor"),
            entry.get("ip"),
            entry.get("action"),
            entry.get("entity"),
            entry.get("entity_id"),
            compact(entry.get("before")),
            compact(entry.get("after")),
        ]
        for entry in entries
    )
    title = "سجل التدقيق" if lang == "ar" else "Audit trail"
    return write_table(title, HEADERS.get(lang, HEADERS["ar"]), rows, out, rtl=lang == "ar")
