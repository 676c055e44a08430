"""The evaluator's few value types: numbers as JavaScript holds them, blanks, truth."""

from __future__ import annotations

import math
import re
from datetime import date
from decimal import Decimal

from forms.conditions.syntax import SPACES, TO_ASCII

_NUMERIC = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
_SAFE_INTEGER = 2**53


def from_python(value: object) -> object:
    """Bring a caller's value into the evaluator's few types, or raise TypeError."""
    # Decimal and date are what WTForms' DecimalField and DateField hand back; a date
    # becomes the ISO text that the browser's <input type=date> would give.
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int | float | Decimal):
        return as_number(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        items = [from_python(item) for item in value]
        if any(isinstance(item, list) for item in items):
            raise TypeError("a condition cannot use a list inside a list")
        return items
    raise TypeError(f"a condition cannot use a value of type {type(value).__name__}")


def as_number(value: object) -> int | float | None:
    # JavaScript has only doubles: every number goes through float so both sides hold
    # the same value, and whole ones come back as int so 2 prints as 2, not 2.0.
    try:
        number = float(value)
    except (OverflowError, ValueError):
        return None
    if not math.isfinite(number):
        return None
    if number.is_integer() and abs(number) <= _SAFE_INTEGER:
        return int(number)
    return number


def tidy(number: float) -> int | float | None:
    """Round an arithmetic result to 10 decimal places, exactly as conditions.js does."""
    # Not round(): Python's and JavaScript's decimal rounding differ, so both sides
    # do the same float steps by hand (half rounds up, like Math.round).
    scaled = number * 1e10
    if math.isfinite(scaled) and abs(scaled) < 2**52:
        whole = math.floor(scaled)
        if scaled - whole >= 0.5:
            whole += 1
        number = whole / 1e10
    return as_number(number)


def truthy(value: object) -> bool:
    return len(value) > 0 if isinstance(value, list) else bool(value)


def blank(value: object) -> bool:
    return value is None or (isinstance(value, str | list) and len(value) == 0)


def numeric(value: object) -> int | float | None:
    """Return the number a value stands for: a number, or a string that reads as one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        text = value.translate(TO_ASCII).strip(SPACES)
        if _NUMERIC.fullmatch(text):
            return as_number(float(text))
    return None
