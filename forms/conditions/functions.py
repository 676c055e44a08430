"""The functions forms compute with: text, dates and sums over a repeat's column.

Each mirrors its twin in static/js/conditions.js step by step; tests/condition_cases.json
holds the rows both must pass. A value these functions cannot use gives null, never an
error, as the rest of the language does.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime

from forms.conditions.syntax import MAX_TEXT
from forms.conditions.values import blank, numeric, tidy

_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ].*)?")


def number_text(number: int | float) -> str:
    """Return a number as JavaScript's String(number) writes it."""
    if isinstance(number, int):
        return str(number)
    # repr() and JavaScript agree on the shortest digits; only the layout differs.
    mantissa, _e, exponent = repr(abs(number)).partition("e")
    whole, _dot, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    point = len(whole) + int(exponent or 0) - (len(whole + fraction) - len(digits))
    fraction_digits = digits.rstrip("0") or "0"
    sign = "-" if number < 0 else ""
    return sign + _layout(fraction_digits, point)


def _layout(digits: str, point: int) -> str:
    # ECMAScript Number::toString: plain between 1e-7 and 1e21, else exponent form.
    k = len(digits)
    if k <= point <= 21:
        return digits + "0" * (point - k)
    if 0 < point <= 21:
        return digits[:point] + "." + digits[point:]
    if -6 < point <= 0:
        return "0." + "0" * -point + digits
    exponent = point - 1
    head = digits[0] + ("." + digits[1:] if k > 1 else "")
    return f"{head}e{'+' if exponent >= 0 else '-'}{abs(exponent)}"


def as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return number_text(value)
    if isinstance(value, list):
        return " ".join(as_text(item) for item in value)
    return value


def concat(args: list[object]) -> str | None:
    text = "".join(as_text(arg) for arg in args)
    return text if len(text) <= MAX_TEXT else None


def _numbers(args: list[object]) -> list[int | float] | None:
    """Return every non-blank item of the arguments (lists opened) as a number, or None."""
    found = []
    for arg in args:
        for item in arg if isinstance(arg, list) else [arg]:
            if blank(item):
                continue
            number = numeric(item)
            if number is None:
                return None
            found.append(number)
    return found


def aggregate(name: str, args: list[object]) -> int | float | None:
    numbers = _numbers(args)
    if numbers is None:
        return None
    if name == "sum":
        total = 0.0
        for number in numbers:
            total = tidy(total + number)
        return tidy(total)
    if not numbers:
        return None
    return min(numbers) if name == "min" else max(numbers)


def round_to(value: object, digits: object) -> int | float | None:
    """Round to `digits` decimal places (0 to 10), half up, as conditions.js does; else null."""
    number, places = numeric(value), numeric(digits)
    if number is None or not isinstance(places, int) or not 0 <= places <= 10:
        return None
    # The same float steps as JavaScript: scale, floor, half up, scale back.
    scale = 10**places
    scaled = number * scale
    if not math.isfinite(scaled) or abs(scaled) >= 2**52:
        return tidy(number)
    whole = math.floor(scaled)
    if scaled - whole >= 0.5:
        whole += 1
    return tidy(whole / scale)


def today() -> str:
    return date.today().isoformat()


def now() -> str:
    """Return the date and time to the minute, as a datetime field holds it (2026-03-15T10:05)."""
    return datetime.now().strftime("%Y-%m-%dT%H:%M")


def iso_date(value: object) -> date | None:
    """Return the date an ISO text (a date, or a date and time) stands for, or None."""
    match = _ISO_DATE.fullmatch(value) if isinstance(value, str) else None
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def age(value: object) -> int | None:
    """Return the whole years from a date to today, or None (not a date, or to come)."""
    born, now = iso_date(value), date.today()
    if born is None or born > now:
        return None
    return now.year - born.year - ((now.month, now.day) < (born.month, born.day))
