"""XLSForm dynamic defaults (today(), now(), ${x} + ${y}) <-> default_calculation.

Rifd computes a field's default_calculation as a new page opens and, when it reads
other answers, again as they change until the person types in the field
(forms.computed_defaults): today() or now() on a date is the day the page opens, and
a default reading answers (${income_sum}) is that expression, translated like any
other. A text whose default is ODK's username metadata (${username}) starts with the
signed-in staff member's user name (default_username; empty on the public page). A
question whose default is its own answer in the last saved record
(${last-saved#street} on street) starts with the answer of the last submission the
signed-in staff member saved (default_last_saved). A default from another question's
last saved answer, now() on a time, or one reading other ODK metadata stays reported.
"""

from __future__ import annotations

import re

ONE_REFERENCE = re.compile(r"\s*\$\{\s*([^{}]*?)\s*\}\s*")
_DAY = re.compile(r"\s*(today|now)\s*\(\s*\)\s*")
_DAY_KINDS = {"date"}


def read(kind: str, cell: str) -> str | None:
    """Return the Rifd default_calculation of a default cell, or None if Rifd has none."""
    if kind in _DAY_KINDS and _DAY.fullmatch(cell):
        return "today()"
    return None


def from_answers(kind: str, cell: str) -> bool:
    """Say whether a default cell is an expression over answers Rifd may compute."""
    return "${" in cell and "last-saved#" not in cell and kind not in _NO_DEFAULT


_NO_DEFAULT = {"file", "signature", "note", "image", "acknowledge"}
_LAST_SAVED = re.compile(r"\s*\$\{\s*last-saved#\s*([^{}]*?)\s*\}\s*")


def last_saved_own(kind: str, cell: str, name: str) -> bool:
    """Say whether a default cell is the question's own answer of the last saved record."""
    found = _LAST_SAVED.fullmatch(cell)
    return found is not None and found.group(1) == name and kind not in _NO_DEFAULT


def problem(cell: str) -> str:
    """Say why a computed default cell is refused."""
    if "last-saved#" in cell:
        return (
            "a default from the last saved record (last-saved) is supported by Rifd only as"
            " the question's own answer: ${last-saved#<its name>}"
        )
    return "a calculated default other than today() on a date is not supported by Rifd"
