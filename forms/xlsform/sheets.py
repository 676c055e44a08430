"""Read an .xlsx XLSForm into plain sheets: column headers and rows of text.

openpyxl opens the file read-only (it streams rows and never runs formulas; cached
formula values are read). Every cell becomes text the way a person typed it: Excel
stores 3 as a number and TRUE as a boolean, XLSForm means the text "3" and "true".
Headers are split as pyxform splits them: `label::Arabic (ar)`, or the older
`label:Arabic` when no header of the sheet uses `::`.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field

import openpyxl

from forms.xlsform.package import package_problem
from forms.xlsform.problems import Problems

MAX_ROWS = {"survey": 3000, "choices": 20000, "settings": 10}
# How far down a sheet may hold real rows. Empty or formatted-only rows past the last
# real one are ignored, but streaming stops at SCAN_ROWS: a sheet of a million
# formatted rows costs seconds to read, and rows past it are reported, never skipped.
LAST_ROW = {"survey": 10000, "choices": 40000, "settings": 100}
SCAN_ROWS = 100_000
# Column names XLSForm accepts for the same thing; the left side is snake_case.
ALIASES = {
    "relevance": "relevant",
    "caption": "label",
    "constraining_message": "constraint_message",
    "jr:constraintmsg": "constraint_message",
    "jr:requiredmsg": "required_message",
    "requiredmsg": "required_message",
    "calculate": "calculation",
    "readonly": "read_only",
    "jr:count": "repeat_count",
    "count": "repeat_count",
    "command": "type",
    "tag": "name",
    "value": "name",
}
# Media columns: `image::English (en)` is `media::image` in English, as pyxform reads it.
_MEDIA = {"image", "big-image", "audio", "video"}
# Prefixes whose second part is part of the column's name, not a language.
_PREFIXES = ("body", "bind", "instance", "media", "control")
# The older spellings of columns, as the XForm attribute they fill (bind::relevant).
_SPELLED_AS_XFORM = {
    "bind::relevant": "relevant",
    "bind::required": "required",
    "bind::constraint": "constraint",
    "bind::readonly": "read_only",
    "bind::calculate": "calculation",
    "bind::jr:constraintmsg": "constraint_message",
    "bind::jr:requiredmsg": "required_message",
    "control::appearance": "appearance",
}


@dataclass(frozen=True)
class Header:
    text: str  # as written in the sheet
    base: str  # dealiased snake_case name: label, relevant, body::accept
    lang: str | None  # "Arabic (ar)", "Arabic", or None


@dataclass
class Row:
    number: int  # the row number Excel shows
    cells: dict[str, str]  # header text -> non-empty cell text
    sheet: Sheet

    def get(self, base: str) -> str:
        """Return the text of the column `base` written without a language, or ''."""
        for header in self.sheet.headers:
            if header.base == base and header.lang is None and header.text in self.cells:
                return self.cells[header.text]
        return ""


@dataclass
class Sheet:
    name: str  # survey, choices or settings
    headers: list[Header] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)

    def header_text(self, base: str) -> str:
        """Return how the sheet spells the column `base` (for messages)."""
        for header in self.headers:
            if header.base == base and header.lang is None:
                return header.text
        return base

    def with_base(self, base: str) -> list[Header]:
        return [h for h in self.headers if h.base == base]


def cell_text(value: object) -> str:
    """Return a cell as the text a person typed into it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def parse_header(text: str, double_colon: bool) -> Header:
    """Split a header into its column name and language, as pyxform does."""
    tokens = [t.strip() for t in text.split("::" if double_colon else ":")]
    if not double_colon and "jr" in tokens[:-1]:
        at = tokens.index("jr")
        tokens[at : at + 2] = [f"jr:{tokens[at + 1]}"]
    base = "_".join(tokens[0].split()).lower()
    base = ALIASES.get(base, base)
    rest = tokens[1:]
    if base in _MEDIA:
        base = f"media::{base}"
    elif base in _PREFIXES and rest:
        base, rest = f"{base}::{rest[0]}", rest[1:]
        base = _SPELLED_AS_XFORM.get(base.lower(), base)
    return Header(text=text, base=base, lang=rest[0] if rest and rest[0] else None)


def read_workbook(data: bytes, problems: Problems) -> dict[str, Sheet] | None:
    """Return the XLSForm sheets by lower-case name, or None when the file is unreadable."""
    if data[:4] == b"\xd0\xcf\x11\xe0":
        problems.file("is an old Excel 97-2003 (.xls) workbook: save it as .xlsx and try again")
        return None
    if not zipfile.is_zipfile(io.BytesIO(data)):
        problems.file("is not an .xlsx workbook (it is not a zip file)")
        return None
    refused = package_problem(data)
    if refused:
        problems.file(refused)
        return None
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # any damage in an uploaded file is reported, never raised
        problems.file(f"is not a readable .xlsx workbook ({type(exc).__name__})")
        return None
    try:
        # Read only now, row by row: a sheet's damaged XML is met here, not above.
        return _read_sheets(book, problems)
    except Exception as exc:  # as above: reported, never raised
        problems.file(f"is not a readable .xlsx workbook ({type(exc).__name__})")
        return None
    finally:
        book.close()


def _read_sheets(book, problems: Problems) -> dict[str, Sheet]:
    sheets = {}
    for worksheet in book.worksheets:
        key = worksheet.title.strip().lower()
        if key in MAX_ROWS and key not in sheets:
            sheets[key] = _read_sheet(key, worksheet, problems)
        elif key in ("external_choices", "entities") and _has_data(worksheet):
            problems.add(key, None, None, f'the "{key}" sheet is not supported by Rifd')
    return sheets


def _has_data(worksheet) -> bool:
    rows = worksheet.iter_rows(min_row=2, max_row=50, values_only=True)
    return any(cell_text(v) for row in rows for v in row)


def _read_sheet(key: str, worksheet, problems: Problems) -> Sheet:
    sheet = Sheet(key)
    rows = worksheet.iter_rows(values_only=True)
    first = next(rows, ())
    texts = [cell_text(v) for v in first]
    double_colon = any("::" in t for t in texts)
    columns = []
    for index, text in enumerate(texts):
        if not text:
            continue
        if any(h.text == text for h in sheet.headers):
            problems.add(key, 1, text, "this column appears twice")
            continue
        sheet.headers.append(parse_header(text, double_colon))
        columns.append((index, text))
    for number, values in enumerate(rows, start=2):
        if number > SCAN_ROWS:
            problems.add(
                key,
                number,
                None,
                f"the sheet goes on past row {SCAN_ROWS} (empty rows count too):"
                " delete the rows below the last one in use",
            )
            break
        cells = {}
        for index, text in columns:
            value = cell_text(values[index]) if index < len(values) else ""
            if value:
                cells[text] = value
        if not cells:
            continue  # an empty or formatted-only row: nothing to read, nothing to report
        if number > LAST_ROW[key]:
            problems.add(key, number, None, f"the sheet has rows past row {LAST_ROW[key]}")
            break
        if len(sheet.rows) >= MAX_ROWS[key]:
            problems.add(key, number, None, f"the sheet has more than {MAX_ROWS[key]} rows")
            break
        sheet.rows.append(Row(number, cells, sheet))
    return sheet
