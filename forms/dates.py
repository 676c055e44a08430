"""Dates as Saudi readers expect them: Hijri (Umm al-Qura) with the Gregorian beside.

Stored dates are ISO Gregorian; these functions only shape how they read.
Dates are written with slashes, since an ISO date inside right-to-left text
is displayed back to front (16-11-2023).
"""

from __future__ import annotations

import datetime as dt
import re

from hijridate import Gregorian, Hijri

from forms.saudi import normalize_digits

_ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
HIJRI_YEARS = (1343, 1500)  # the range of the Umm al-Qura calendar
_DAY = re.compile(r"(\d{4})\s*[-/]\s*(\d{1,2})\s*[-/]\s*(\d{1,2})")
_CALENDAR_MARKS = " \u0647\u0640\u0645."  # a trailing هـ or م typed after the date
# Saudi Arabia keeps UTC+3 all year; a fixed offset needs no time-zone database.
SAUDI_TIME = dt.timezone(dt.timedelta(hours=3))


def read_day(text: str) -> dt.date | None:
    """Return the date typed as YYYY-MM-DD or YYYY/MM/DD (any digits), Gregorian or Hijri
    (Umm al-Qura: a year from 1343 to 1500, as Saudi IDs print it), or None."""
    typed = _DAY.fullmatch(normalize_digits(str(text)).strip().rstrip(_CALENDAR_MARKS))
    if typed is None:
        return None
    year, month, day = (int(part) for part in typed.groups())
    try:
        if HIJRI_YEARS[0] <= year <= HIJRI_YEARS[1]:
            found = dt.date(*Hijri(year, month, day).to_gregorian().datetuple())
        else:
            found = dt.date(year, month, day)
    except (ValueError, OverflowError):
        return None
    return found if 1900 <= found.year <= 2100 else None


def saudi_today() -> dt.date:
    """Return today's date in Saudi Arabia (a request at 01:00 there is not yesterday's)."""
    return dt.datetime.now(SAUDI_TIME).date()


def saudi_day(timestamp: str) -> dt.date:
    """Return the Saudi date of a stored ISO timestamp (the store writes UTC)."""
    when = dt.datetime.fromisoformat(timestamp)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(SAUDI_TIME).date()


def arabic_digits(text: str) -> str:
    return str(text).translate(_ARABIC_DIGITS)


def as_date(value) -> dt.date | None:
    """Accept a date, a datetime or an ISO string (date or timestamp)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def hijri(day: dt.date):
    """Return the Umm al-Qura date, or None outside its range (1343-1500 AH)."""
    try:
        return Gregorian(day.year, day.month, day.day).to_hijri()
    except (ValueError, OverflowError):
        return None


def format_date(value, lang: str = "ar", *, arabic_numerals: bool = False) -> str:
    """Return e.g. '1445/05/02 هـ (2023/11/16 م)'; Gregorian alone outside the Hijri range."""
    day = as_date(value)
    if day is None:
        return "" if value in (None, "") else str(value)
    greg = f"{day.year:04d}/{day.month:02d}/{day.day:02d}"
    h = hijri(day)
    if lang == "en":
        text = f"{h.year:04d}/{h.month:02d}/{h.day:02d} AH ({greg})" if h else greg
    else:
        text = f"{h.year:04d}/{h.month:02d}/{h.day:02d} هـ ({greg} م)" if h else f"{greg} م"
    return arabic_digits(text) if arabic_numerals else text


def hijri_year(day: dt.date) -> int:
    h = hijri(day)
    return h.year if h else day.year
