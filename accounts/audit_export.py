"""The audit trail as an Excel sheet, right to left, every value written as text."""

from __future__ import annotations

import json

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from forms.dates import format_date

HEADERS = {
    "ar": ["الوقت", "التاريخ", "الشخص", "العنوان", "الإجراء", "الكيان", "المعرّف", "قبل", "بعد"],
    "en": ["Time (UTC)", "Date", "Person", "Address", "Action", "Entity", "ID", "Before", "After"],
}


def compact(value) -> str:
    """Return `value` as one line of JSON, Arabic kept readable; "" for nothing."""
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _text(ws, value) -> WriteOnlyCell:
    # Actors, entities and answers are typed by people: never let one become a formula.
    cell = WriteOnlyCell(ws, value="" if value is None else str(value))
    cell.data_type = "s"
    return cell


def export_audit(entries, out, lang: str = "ar") -> int:
    """Write `entries` to `out` (path or binary file); return how many were written."""
    book = Workbook(write_only=True)
    ws = book.create_sheet("سجل التدقيق" if lang == "ar" else "Audit trail")
    ws.sheet_view.rightToLeft = lang == "ar"
    header = []
    for title in HEADERS.get(lang, HEADERS["ar"]):
        cell = WriteOnlyCell(ws, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    count = 0
    for entry in entries:
        row = [
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
        ws.append([_text(ws, value) for value in row])
        count += 1
    book.save(out)
    return count
