"""A session's attendance sheet: data in, bytes out, as Word (in the letterhead) or Excel.

The Word sheet is doc_templates/sheets/attendance_sheet.docx (built by
doc_templates/attendance.py) rendered by the letters' own renderer: sandboxed and
autoescaped. Identifiers print masked; the mobile in its local form (05XXXXXXXX).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from forms.dates import format_date
from forms.saudi import mask
from letters.context import association, logo_image
from letters.pdf import get_converter
from letters.render import render_letter

TEMPLATE = Path(__file__).resolve().parent.parent / "doc_templates/sheets/attendance_sheet.docx"
MODES = {"in_person": "حضوري", "remote": "عن بعد"}
HEADERS = ("م", "الاسم", "رقم الهوية", "الجوال", "التوقيع")


def local_mobile(mobile: str) -> str:
    """Return +9665XXXXXXXX as 05XXXXXXXX; anything else as it is."""
    return "0" + mobile[4:] if mobile.startswith("+966") else mobile


def rows(people: list[dict]) -> list[dict]:
    """Return the sheet's rows: number, name, masked ID, local mobile."""
    return [
        {
            "number": number,
            "name": person.get("name") or "",
            "national_id": mask(person["national_id"]) if person.get("national_id") else "",
            "mobile": local_mobile(person.get("mobile") or ""),
        }
        for number, person in enumerate(people, start=1)
    ]


def heading(program: dict, number: int, session: dict, today: dt.date) -> dict:
    """Return what the sheet says above its table."""
    place = session.get("place") or program.get("place") or ""
    mode = MODES.get(session.get("mode", "in_person"), "")
    return {
        "program": program["name"],
        "session": number,
        "day": format_date(session.get("day") or ""),
        "time": session.get("time") or "",
        "place": f"{place} ({mode})" if place else mode,
        "printed": format_date(today),
    }


def docx(profile: dict, program: dict, number: int, session: dict, people, read_file) -> bytes:
    """Return the Word attendance sheet of session `number`."""
    sheet = heading(program, number, session, dt.date.today())
    sheet["total"] = len(people)
    context = {
        "association": {**association(profile), "logo": logo_image(profile, read_file)},
        "sheet": sheet,
        "people": rows(people),
    }
    return render_letter(TEMPLATE.read_bytes(), context).data


def xlsx(program: dict, number: int, session: dict, people) -> bytes:
    """Return the same sheet as an Excel workbook, right to left."""
    sheet = heading(program, number, session, dt.date.today())
    book = Workbook()
    ws = book.active
    ws.title = "كشف الحضور"
    ws.sheet_view.rightToLeft = True
    ws.append([f"كشف حضور: {sheet['program']}"])
    ws.append([f"الجلسة {number}: {sheet['day']} {sheet['time']}".strip(), sheet["place"]])
    ws.append([])
    ws.append(list(HEADERS))
    shade = PatternFill("solid", fgColor="E7F0EC")
    for cell in ws[4]:
        cell.font, cell.fill = Font(bold=True), shade
    for row in rows(people):
        ws.append([row["number"], row["name"], row["national_id"], row["mobile"], ""])
    ws.append([])
    ws.append(["المجموع", len(people)])
    ws["A1"].font = Font(bold=True, size=14)
    for column, width in zip("ABCDE", (6, 36, 16, 16, 24), strict=True):
        ws.column_dimensions[column].width = width
    for line in ws.iter_rows(min_row=5):
        for cell in line:
            cell.alignment = Alignment(horizontal="right", vertical="center")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def render(kind: str, profile: dict, program: dict, number: int, session: dict, people, read_file):
    """Return the sheet as `kind`: docx, pdf (through LibreOffice) or xlsx."""
    if kind == "xlsx":
        return xlsx(program, number, session, people)
    word = docx(profile, program, number, session, people, read_file)
    return get_converter().convert(word) if kind == "pdf" else word
