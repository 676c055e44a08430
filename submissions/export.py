"""Export a form's submissions to Excel: one sheet of submissions, one per repeat group.

Exports can hold 100,000 submissions, so the workbook is write-only (openpyxl
streams each sheet's rows to a temporary file) and the records are read once,
as they come. Rows of every sheet are appended in turn, record by record:
write-only sheets accept interleaved appends, so repeat rows need no spooling.

Whatever people typed is data, never a formula: text that a spreadsheet could
read as one (=, +, -, @, or a leading tab/CR) is written as a text cell with
Excel's quote prefix, and characters XML cannot hold are replaced.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from forms.dates import SAUDI_TIME, hijri
from forms.definition import FormDefinition, localized
from submissions.columns import Column, Plan, plan

FIXED_HEADERS = {
    "ar": ("رقم المرجع", "التاريخ", "التاريخ الهجري", "قناة الاستقبال", "أدخله", "إصدار النموذج"),
    "en": ("Reference number", "Date", "Hijri date", "Channel", "Entered by", "Form version"),
}
FIXED_WIDTHS = (18, 18, 16, 16, 16, 12)
REPEAT_HEADERS = {"ar": ("رقم المرجع", "رقم الصف"), "en": ("Reference number", "Row")}
REPEAT_WIDTHS = (18, 10)
# An inner repeat's sheet (a member's illnesses) has a column per repeat around it, the
# number of the row it is in: filter "أفراد الأسرة" = 2 to see the second member's.
PARENT_HEADER = {"ar": "رقم الصف في: {label}", "en": "Row in: {label}"}
# Answers to fields the definition no longer has (removed in a later version).
# Their names are unknown until the records are read, so they share one column.
OTHER_HEADER = {"ar": "إجابات خارج النموذج", "en": "Answers outside the form"}

DATE_FORMAT = "yyyy/mm/dd"
DATETIME_FORMAT = "yyyy/mm/dd hh:mm"
BOLD = Font(bold=True)

# Everything outside the characters XML 1.0 allows (control characters, lone
# surrogates, U+FFFE/U+FFFF) would make openpyxl or lxml raise mid-export.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_FORMULA_START = ("=", "+", "-", "@")
_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_NUMERIC = (int, float)


def export_xlsx(
    form: FormDefinition,
    records: Iterable[dict],
    out: BinaryIO | str | Path,
    lang: str = "ar",
    channel_label: Callable[[str], str] | None = None,
    versions: Mapping[int, FormDefinition] | None = None,
) -> int:
    """Write the submissions of `form` as an .xlsx to `out`; return the submissions written.

    `versions` holds the older definitions the records were made with, by number:
    each record is read with its own, and their fields keep their columns.
    """
    wb = Workbook(write_only=True)
    count = fill_workbook(wb, form, records, lang, channel_label, versions)
    wb.save(out)
    return count


def fill_workbook(
    wb: Workbook,
    form: FormDefinition,
    records: Iterable[dict],
    lang: str = "ar",
    channel_label: Callable[[str], str] | None = None,
    versions: Mapping[int, FormDefinition] | None = None,
) -> int:
    """Add the submissions sheet and one sheet per repeat group to `wb`; return rows added."""
    # Kept apart from export_xlsx so the benchmark can fill a normal-mode workbook.
    label = channel_label or str
    versions = versions or {}
    layout = plan(form, versions.values())
    main, groups = _open_sheets(wb, form, layout, lang)
    count = 0
    for record in records:
        answers = record.get("answers") or {}
        own = versions.get(record.get("form_version"), form)
        main_cols, group_cols = layout.for_version(own)
        row = _fixed_values(record, lang, label)
        row += _answer_values(main_cols, answers, layout.known, lang)
        main.append([to_cell(main, v) for v in row])
        for (group, ws), cols in zip(groups, group_cols, strict=True):
            _append_repeat(ws, record, cols, group, answers, lang)
        count += 1
    return count


def _open_sheets(wb: Workbook, form: FormDefinition, layout: Plan, lang: str):
    """Create the submissions sheet and the repeat sheets, each with its header row."""
    taken = {"history"}  # Excel reserves this sheet name
    fixed = list(zip(FIXED_HEADERS[_lang(lang)], FIXED_WIDTHS, strict=True))
    title = sheet_title(form.title(lang), taken, form.id)
    main = _open_sheet(wb, title, _headers(fixed, layout.main, lang))
    ref_header, row_header = REPEAT_HEADERS[_lang(lang)]
    ref_width, row_width = REPEAT_WIDTHS
    groups = []
    for group in layout.groups:
        title = sheet_title(_label(group.fdef, lang), taken, group.name)
        parents = [
            (PARENT_HEADER[_lang(lang)].format(label=_label(p, lang)), row_width + 6)
            for p in group.parents
        ]
        fixed = [(ref_header, ref_width), *parents, (row_header, row_width)]
        groups.append((group, _open_sheet(wb, title, _headers(fixed, group.columns, lang))))
    return main, groups


def _label(fdef: dict, lang: str) -> str:
    return localized(fdef.get("label"), lang) or fdef["name"]


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "ar"


def _width(fdef: dict, lang: str) -> float:
    """Guess a column width from the field's type and label (rows are not seen in advance)."""
    kind = fdef["type"]
    if kind in {"date", "time", "integer", "decimal", "rating", "nps", "yes_no"}:
        return max(12, min(len(_label(fdef, lang)) + 4, 24))
    if kind == "textarea":
        return 40
    return max(14, min(len(_label(fdef, lang)) * 1.2 + 4, 40))


def _headers(fixed: list[tuple[str, float]], cols: list[Column], lang: str) -> list:
    """Return (header, width) pairs: the fixed columns, the fields, then other answers."""
    fields = [(_label(c.fdef, lang), _width(c.fdef, lang)) for c in cols]
    return fixed + fields + [(OTHER_HEADER[_lang(lang)], 30)]


def sheet_title(text: str, taken: set[str], fallback: str = "Sheet") -> str:
    """Make `text` a valid, unused sheet name: 31 characters at most, none of []:*?/\\."""
    base = " ".join(_TITLE_FORBIDDEN.sub(" ", clean_text(text)).split()).strip("'")
    base = base[:31].strip() or fallback[:31]
    title, n = base, 2
    while title.casefold() in taken:  # Excel compares sheet names ignoring case
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.casefold())
    return title


def _open_sheet(wb: Workbook, title: str, headers: list[tuple[str, float]]):
    """Create a right-to-left sheet with a bold, frozen header row."""
    ws = wb.create_sheet(title)
    # A write-only sheet takes its view and column widths only before its first row.
    ws.sheet_view.rightToLeft = True
    ws.freeze_panes = "A2"
    for index, (_text, width) in enumerate(headers, 1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.append([_header_cell(ws, text) for text, _width in headers])
    return ws


def _header_cell(ws, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=clean_text(text))
    cell.data_type = "s"  # a label such as "-" must not become a formula either
    cell.font = BOLD
    return cell


def clean_text(text: str) -> str:
    """Replace the characters XML cannot hold with U+FFFD, so saving never fails."""
    return _NOT_XML.sub("\ufffd", text)


def looks_like_formula(text: str) -> bool:
    """Tell whether a spreadsheet could take `text` for a formula (CSV/formula injection)."""
    return text[:1] in ("\t", "\r") or text.lstrip()[:1] in _FORMULA_START


def to_cell(ws, value):
    """Return what to append for `value`: numbers and plain text as they are, else a cell."""
    if value is None or (isinstance(value, _NUMERIC) and not isinstance(value, bool)):
        return value
    if isinstance(value, dt.datetime):
        return _formatted(ws, value.replace(tzinfo=None), DATETIME_FORMAT)
    if isinstance(value, dt.date):
        return _formatted(ws, value, DATE_FORMAT)
    if isinstance(value, dt.time):
        return _formatted(ws, value, "hh:mm")
    text = clean_text(value if isinstance(value, str) else str(value))
    if not looks_like_formula(text):
        return text
    cell = WriteOnlyCell(ws, value=text)
    # Forcing the type keeps the text out of the formula; the quote prefix keeps
    # Excel from turning it into one when someone edits the cell later.
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def _formatted(ws, value, number_format: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = number_format
    return cell


def _fixed_values(record: dict, lang: str, label: Callable[[str], str]) -> list:
    when = local_time(record.get("created_at"))
    channel = record.get("channel")
    return [
        record.get("ref") or "",
        when,
        hijri_text(when, lang),
        (label(channel) or "") if channel else "",
        record.get("entered_by") or "",
        record.get("form_version"),
    ]


def local_time(value) -> dt.datetime | str | None:
    """Return a stored timestamp as naive Saudi local time (Excel has no time zones)."""
    if not value:
        return None
    try:
        when = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return str(value)  # shown as it was stored rather than lost
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)  # the store writes UTC
    return when.astimezone(SAUDI_TIME).replace(tzinfo=None)


def hijri_text(when, lang: str) -> str:
    """Return the Umm al-Qura date of a local time as '1448/06/05 هـ'."""
    h = hijri(when.date()) if isinstance(when, dt.datetime) else None
    if h is None:
        return ""
    return f"{h.year:04d}/{h.month:02d}/{h.day:02d} {'AH' if lang == 'en' else 'هـ'}"


def _answer_values(cols: list[Column], answers: dict, known: set, lang: str) -> list:
    values = [answer_value(c, answers.get(c.name), lang) for c in cols]
    return values + [other_answers(answers, known, lang)]


def _rows_at(answers: dict, path: tuple[str, ...], numbers: tuple[int, ...] = ()):
    """Yield (numbers of the rows around, number, row) for each row of the repeat at `path`."""
    rows = answers.get(path[0])
    rows = [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []
    for index, row in enumerate(rows, 1):
        if len(path) == 1:
            yield numbers, index, row
        else:
            yield from _rows_at(row, path[1:], (*numbers, index))


def _append_repeat(ws, record: dict, cols: list[Column], group, answers: dict, lang: str) -> None:
    """Append one row per repeat row, linked to its submission by the reference number and,
    in an inner repeat's sheet, to the rows it is in by their numbers."""
    # An inner repeat's rows are on their own sheet, not among "other answers".
    known = {c.name for c in cols} | {s["name"] for s in group.fdef["fields"]}
    ref = record.get("ref") or ""
    for numbers, index, row in _rows_at(answers, group.path):
        values = [ref, *numbers, index, *_answer_values(cols, row, known, lang)]
        ws.append([to_cell(ws, v) for v in values])


def answer_value(col: Column, value, lang: str):
    """Return the spreadsheet value of one stored answer (None when unanswered)."""
    if value is None or value == "" or value == []:
        return None
    # The registry shows integers and decimals as text; a sheet needs numbers it can sum.
    if isinstance(value, _NUMERIC) and not isinstance(value, bool):
        return value
    try:
        return col.ftype.export(value, col.fdef, col.form, lang)
    except (AttributeError, KeyError, TypeError, ValueError):
        # Old or hand-edited data must not stop a large export: keep it as text.
        return plain_text(value, lang)


def other_answers(answers: dict, known: set, lang: str) -> str | None:
    """Return answers to fields not in the definition as 'name: value' lines."""
    lines = [f"{k}: {plain_text(v, lang)}" for k, v in answers.items() if k not in known]
    return "\n".join(lines) or None


def plain_text(value, lang: str) -> str:
    """Render a stored value with no field definition to guide it."""
    if isinstance(value, bool):
        return (
            {True: "Yes", False: "No"}[value] if lang == "en" else {True: "نعم", False: "لا"}[value]
        )
    if isinstance(value, list):
        return ("، " if lang != "en" else ", ").join(plain_text(v, lang) for v in value)
    if isinstance(value, dict):
        return str(value.get("name") or json.dumps(value, ensure_ascii=False, default=str))
    return "" if value is None else str(value)
