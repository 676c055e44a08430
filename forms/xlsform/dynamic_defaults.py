"""XLSForm defaults computed when the form opens (today(), now()) <-> default_calculation.

Rifd computes a field's default_calculation as a new page opens (forms.computed_defaults):
an XLSForm default that is today() or now() on a date is that, the day the page opens.
A default read from other answers (${...}), from the last saved record or a time of
day is not: it stays reported.
"""

from __future__ import annotations

import re

_DAY = re.compile(r"\s*(today|now)\s*\(\s*\)\s*")
_DAY_KINDS = {"date"}


def read(kind: str, cell: str) -> str | None:
    """Return the Rifd default_calculation of a default cell, or None if Rifd has none."""
    if kind in _DAY_KINDS and _DAY.fullmatch(cell):
        return "today()"
    return None


def problem(cell: str) -> str:
    """Say why a computed default cell is refused."""
    if "last-saved#" in cell:
        return "a default from the last saved record (last-saved) is not supported by Rifd"
    return "a calculated default other than today() on a date is not supported by Rifd"
