"""The outgoing register (سجل الصادر) as an Excel sheet, right to left."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from forms.dates import format_date
from letters.context import LETTER_TYPES

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
    ],
}


def _text(ws, value) -> WriteOnlyCell:
    # Everything here is text a person typed or Rifd wrote: never a formula.
    cell = WriteOnlyCell(ws, value=str(value or ""))
    cell.data_type = "s"
    return cell


def export_register(records, out, lang: str = "ar") -> int:
    """Write the register to `out` (path or binary file); return the number of letters."""
    book = Workbook(write_only=True)
    ws = book.create_sheet("سجل الصادر" if lang == "ar" else "Outgoing register")
    ws.sheet_view.rightToLeft = lang == "ar"
    header = []
    for title in HEADERS.get(lang, HEADERS["ar"]):
        cell = WriteOnlyCell(ws, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    count = 0
    for rec in records:
        kind = LETTER_TYPES.get(rec.get("letter_type"), {}).get(lang, rec.get("letter_type"))
        template = rec.get("template", {})
        row = [
            rec.get("number"),
            format_date(rec.get("date"), lang),
            kind,
            f"{template.get('name', '')} v{template.get('version', '')}",
            rec.get("recipient"),
            rec.get("issued_by"),
            (rec.get("answers") or {}).get("ref", ""),
            rec.get("sha256"),
        ]
        ws.append([_text(ws, v) for v in row])
        count += 1
    book.save(out)
    return count
