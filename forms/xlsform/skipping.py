"""Import without what Rifd cannot represent: the other choice to a refusal.

A refused spreadsheet lists its problems by sheet, row and column. A quality officer
may instead take the form without exactly those items: each problem of a row takes
out the cell it names, or the whole row when it names the row itself (its type, its
name, its label, or no column), and a group or repeat the whole block up to its end.
Taking an item out can raise a new problem (a relevant naming a question taken out),
so the import runs again until nothing is left to take out; every item taken out is
listed, first round and later rounds alike, never silently. Problems of the whole file
or of a sheet's header stay refusals: there is nothing left to import around them.
"""

from __future__ import annotations

from dataclasses import dataclass

from forms.xlsform import types
from forms.xlsform.problems import Problem, XLSFormError
from forms.xlsform.reader import build, read_sheets
from forms.xlsform.sheets import Header, Row, Sheet

MAX_ROUNDS = 20
# A problem named at one of these columns (or at none) takes the whole row out.
_ROW_COLUMNS = {"type", "name", "list_name", "label"}
_SHEETS = ("survey", "choices", "settings")


@dataclass(frozen=True)
class Skipped:
    """One item left out: the problem (where and why), its line, and the rows taken out."""

    problem: Problem
    line: str
    what: str  # cell, row, rows (a group or repeat with its questions) or column
    first: int = 0  # the rows taken out, for "rows"
    last: int = 0

    def english(self) -> str:
        taken = f"rows {self.first}-{self.last}" if self.what == "rows" else f"the {self.what}"
        return f"{self.line} (skipped: {taken})"


def import_skipping(data: bytes, source: str) -> tuple[dict, list[Skipped]]:
    """Return the definition without what cannot be represented, and what was left out.

    Raises XLSFormError when something cannot be left out (a problem of the file or
    of a sheet as a whole); its list then holds that and every item found before it.
    """
    sheets = read_sheets(data, source)
    skipped: list[Skipped] = []
    for _round in range(MAX_ROUNDS):
        try:
            return build(sheets, source), skipped
        except XLSFormError as exc:
            pairs = list(zip(exc.messages, exc.problems, strict=False))
            if not pairs or any(not _can_take_out(sheets, p) for _m, p in pairs):
                _refuse(skipped, pairs)
            for message, problem in pairs:
                skipped.append(Skipped(problem, message, *_take_out(sheets, problem)))
    _refuse(skipped, [])
    raise AssertionError("unreachable")


def _refuse(skipped: list[Skipped], fatal: list[tuple[str, Problem]]) -> None:
    pairs = [(s.line, s.problem) for s in skipped] + fatal
    raise XLSFormError([m for m, _p in pairs], [p for _m, p in pairs])


def _can_take_out(sheets: dict[str, Sheet], problem: Problem) -> bool:
    return _row(sheets, problem) is not None or _header(sheets, problem) is not None


def _header(sheets: dict[str, Sheet], problem: Problem) -> Header | None:
    """Return the language column a problem names as a whole (a third language), or None."""
    if problem.sheet not in _SHEETS or problem.sheet not in sheets or problem.row is not None:
        return None
    sheet = sheets[problem.sheet]
    found = next((h for h in sheet.headers if h.text == problem.column), None)
    return found if found is not None and found.lang is not None else None


def _row(sheets: dict[str, Sheet], problem: Problem) -> Row | None:
    """Return the row a problem names, or None when it names no row that can be left out."""
    if problem.sheet not in _SHEETS or problem.sheet not in sheets or not problem.row:
        return None
    return next((r for r in sheets[problem.sheet].rows if r.number == problem.row), None)


def _take_out(sheets: dict[str, Sheet], problem: Problem) -> tuple:
    """Take out the problem's column, cell or rows; return (what, first row, last row)."""
    header = _header(sheets, problem)
    if header is not None:
        sheet = sheets[problem.sheet]
        sheet.headers.remove(header)
        for row in sheet.rows:
            row.cells.pop(header.text, None)
        return ("column",)
    row = _row(sheets, problem)
    if row is None:
        return ("row",)  # taken out already, with its row or block, this round
    sheet = sheets[problem.sheet]
    base = next((h.base for h in sheet.headers if h.text == problem.column), "")
    if problem.column in row.cells and base not in _ROW_COLUMNS:
        del row.cells[problem.column]
        return ("cell",)
    block = _block(sheet, row) if problem.sheet == "survey" else [row]
    for taken in block:
        sheet.rows.remove(taken)
    if len(block) == 1:
        return ("row",)
    return "rows", block[0].number, block[-1].number


def _kind(row: Row) -> str:
    try:
        return types.read_type(row.get("type")).kind
    except types.TypeProblem:
        return ""


def _block(sheet: Sheet, row: Row) -> list[Row]:
    """Return a begin_group or begin_repeat row with everything up to its end; else the row."""
    if _kind(row) not in ("begin_group", "begin_repeat"):
        return [row]
    start = sheet.rows.index(row)
    depth = 0
    for at in range(start, len(sheet.rows)):
        kind = _kind(sheet.rows[at])
        depth += kind in ("begin_group", "begin_repeat")
        depth -= kind in ("end_group", "end_repeat")
        if depth == 0:
            return sheet.rows[start : at + 1]
    return [row]  # never closed: only the row that opens it
