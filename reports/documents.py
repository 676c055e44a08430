"""A report as documents: data in, bytes out. Word in the letterhead (rendered by the
letters' own renderer: sandboxed, autoescaped), PDF from it through LibreOffice, and
Excel: a summary sheet of the same sections and the raw answers, streamed.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from doc_templates.board_report import PATH as TEMPLATE
from forms.definition import FormDefinition, localized
from letters.context import association, logo_image
from letters.images import Image
from letters.pdf import get_converter
from letters.render import render_letter

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
CHART_MM = 150
# A figure alone (-16.7, 53.1٪) is isolated left to right: in a right-to-left cell its
# sign would otherwise print after it (16.7-).
FIGURE = re.compile(r"[+-]?[\d.,]+٪?")
LRI, PDI = "\u2066", "\u2069"


def _isolated(value: str) -> str:
    return f"{LRI}{value}{PDI}" if FIGURE.fullmatch(value) else value


def docx(profile: dict, heading: dict, sections: list[dict], read_file) -> bytes:
    """Return the report in the association's letterhead as a .docx."""
    context = {
        "association": {**association(profile), "logo": logo_image(profile, read_file)},
        "report": heading,
        "sections": [
            {
                **s,
                "rows": [(label, _isolated(value)) for label, value in s["rows"]],
                "chart": Image(s["chart"], width_mm=CHART_MM) if s["chart"] else "",
            }
            for s in sections
        ],
    }
    return render_letter(Path(TEMPLATE).read_bytes(), context).data


def _summary(book: Workbook, heading: dict, sections: list[dict]) -> None:
    ws = book.create_sheet("الملخص")
    ws.sheet_view.rightToLeft = True
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 48, 40

    def bold(text: str, **look) -> WriteOnlyCell:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = Font(bold=True, **look)
        return cell

    ws.append([bold(heading["title"], size=14)])
    ws.append(["الفترة", heading["period"]])
    ws.append(["طُبع في", heading["printed"]])
    for s in sections:
        ws.append([])
        ws.append([bold(s["title"], color="1F5F4F")])
        for label, value in s["rows"]:
            ws.append([label, value])


def _answers(book: Workbook, form: FormDefinition, records: Iterable[dict]) -> int:
    """Write the raw answers a row each, as they come (never all in memory); return how
    many."""
    ws = book.create_sheet("الإجابات")
    ws.sheet_view.rightToLeft = True  # before the first row: a write-only sheet
    fields = [f for f in form.answer_fields() if f["type"] != "file"]
    ws.append(["المرجع", "اليوم", "القناة", *(localized(f.get("label"), "ar") for f in fields)])
    rows = 0
    for record in records:
        answers, facts = record.get("answers") or {}, record.get("facts") or {}
        values = [answers.get(f["name"]) for f in fields]
        values = [", ".join(map(str, v)) if isinstance(v, list) else v for v in values]
        values = ["" if isinstance(v, dict) or v is None else v for v in values]
        ws.append(
            [record.get("ref", ""), facts.get("day", ""), facts.get("channel") or "", *values]
        )
        rows += 1
    return rows


def write_xlsx(out, heading: dict, sections: list[dict], form: FormDefinition | None, records):
    """Write the workbook to out (a path or a buffer): the summary sheet, then the raw
    answers of `form` (if any); return how many answers it holds."""
    book = Workbook(write_only=True)
    _summary(book, heading, sections)
    rows = _answers(book, form, records) if form is not None else 0
    book.save(out)
    return rows


def xlsx(heading: dict, sections: list[dict], form: FormDefinition | None, records) -> bytes:
    """Return the workbook write_xlsx writes."""
    out = io.BytesIO()
    write_xlsx(out, heading, sections, form, records)
    return out.getvalue()


def render(kind: str, profile: dict, heading: dict, sections: list[dict], read_file, **answers):
    """Return the report as `kind` (docx, pdf, xlsx); answers: form= and records= for the
    workbook's sheet of raw answers."""
    if kind == "xlsx":
        return xlsx(heading, sections, answers.get("form"), answers.get("records") or ())
    word = docx(profile, heading, sections, read_file)
    return get_converter().convert(word) if kind == "pdf" else word
