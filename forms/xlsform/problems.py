"""Collect every problem of a spreadsheet, each one naming its sheet, row and column.

An import reads the whole workbook and reports all it cannot take in one go, so a
quality officer fixes the spreadsheet once rather than once per message.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SHEET_ORDER = ("file", "settings", "choices", "survey")


@dataclass(frozen=True)
class Problem:
    """One problem in parts: where it is and what it is, for saying it in another language."""

    source: str
    sheet: str = ""  # "" for the whole file, DEFINITION for a line of the definition check
    row: int | None = None
    column: str = ""
    text: str = ""


DEFINITION = "definition"


class XLSFormError(ValueError):
    """A spreadsheet Rifd cannot take; `messages` holds one line per problem.

    `problems` holds the same problems in parts (forms.xlsform.arabic says them in
    Arabic from those), in the order of `messages`.
    """

    def __init__(self, messages: list[str], problems: list[Problem] | None = None):
        super().__init__("\n".join(messages))
        self.messages = messages
        self.problems = problems or []


@dataclass
class Problems:
    """The problems found so far, ready to be raised as one XLSFormError."""

    source: str
    found: list[tuple[int, int, str, Problem]] = field(default_factory=list)

    def add(self, sheet: str, row: int | None, column: str | None, problem: str) -> None:
        place = sheet if row is None else f"{sheet} row {row}"
        if column:
            place += f", column {column}"
        rank = SHEET_ORDER.index(sheet) if sheet in SHEET_ORDER else len(SHEET_ORDER)
        parts = Problem(self.source, sheet, row, column or "", problem)
        self.found.append((rank, row or 0, f"{self.source}: {place}: {problem}", parts))

    def file(self, problem: str) -> None:
        """Record a problem of the whole file (not a zip, no survey sheet)."""
        self.found.append((0, 0, f"{self.source}: {problem}", Problem(self.source, text=problem)))

    def lines(self, lines: list[str]) -> None:
        """Record lines that already name their place (from parse_definition)."""
        prefix = f"{self.source}: "
        for line in lines:
            text = line.removeprefix(prefix)
            parts = Problem(self.source, DEFINITION, text=text)
            self.found.append((len(SHEET_ORDER), 0, line, parts))

    def __bool__(self) -> bool:
        return bool(self.found)

    def raise_if_any(self) -> None:
        if self.found:
            # Sorted by sheet then row, so the list reads top to bottom like the file.
            ordered = sorted(self.found, key=lambda item: (item[0], item[1]))
            unique: dict[str, Problem] = {}
            for _rank, _row, line, parts in ordered:
                unique.setdefault(line, parts)
            raise XLSFormError(list(unique), list(unique.values()))
