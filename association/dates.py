"""The policy's dates as people type them, and whether the approval's two dates agree.

A printed policy writes its dates year first (١٤٤٥/٠٤/٠٦ هـ, 2023/11/16 م), so the
page takes either calendar the same way: year, month, day, with / or - between
them, in Western or Arabic-Indic digits. Gregorian dates are stored ISO
(2023-11-16), like every date in Rifd; the Hijri date is stored 1445/04/06, as
it prints, since a dashed date inside right-to-left text reads backwards.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from hijridate import Gregorian, Hijri

from forms.saudi import normalize_digits

HIJRI_YEARS = (1343, 1500)  # the Umm al-Qura tables hijridate holds
_MARKS = re.compile(r"[\s\u200e\u200f\u202a-\u202e\u2066-\u2069]+")
_CALENDAR = re.compile(r"(هـ|ه|م|AH|AD)$", re.IGNORECASE)
_DATE = re.compile(r"(\d{4})([/-])(\d{1,2})\2(\d{1,2})")


def _parts(text: object) -> tuple[int, int, int]:
    """Return (year, month, day) of a date typed year first; ValueError otherwise."""
    clean = _CALENDAR.sub("", _MARKS.sub("", normalize_digits(str(text or ""))))
    found = _DATE.fullmatch(clean)
    if not found:
        raise ValueError(text)
    return int(found[1]), int(found[3]), int(found[4])


def read_gregorian(text: object) -> str:
    """Return the ISO date typed as 2023/11/16, 2023-11-16 or ٢٠٢٣/١١/١٦; ValueError if none."""
    day = dt.date(*_parts(text))
    if not 1900 <= day.year <= 2100:
        raise ValueError(text)
    return day.isoformat()


def read_hijri(text: object) -> str:
    """Return the Hijri date typed (1445/4/6, ١٤٤٥-٠٤-٠٦) as 1445/04/06; ValueError if none."""
    year, month, day = _parts(text)
    # Day 30 is let through even where Umm al-Qura counts 29: a printed policy may
    # follow another count, and the pair check below says so.
    if not (HIJRI_YEARS[0] <= year <= HIJRI_YEARS[1] and 1 <= month <= 12 and 1 <= day <= 30):
        raise ValueError(text)
    return f"{year:04d}/{month:02d}/{day:02d}"


def gregorian_shown(iso: object) -> str:
    """Return a stored ISO date as the page shows it, 2023/11/16 (anything else unchanged)."""
    text = "" if iso is None else str(iso)
    return text.replace("-", "/") if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else text


@dataclass(frozen=True)
class Mismatch:
    """An approval whose Hijri and Gregorian dates are not one day under Umm al-Qura."""

    hijri: str  # as stored: 1447/07/02
    gregorian: str  # ISO
    hijri_falls_on: str  # the ISO day the Hijri date is, "" when Umm al-Qura has no such day
    gregorian_falls_on: str  # the Hijri date (1447/07/03) of the Gregorian one, "" if out of range


def _hijri_to_gregorian(text: str) -> str:
    try:
        return Hijri(*_parts(text)).to_gregorian().isoformat()
    except (ValueError, OverflowError):
        return ""


def _gregorian_to_hijri(iso: str) -> str:
    try:
        found = Gregorian(*_parts(iso)).to_hijri()
    except (ValueError, OverflowError):
        return ""
    return f"{found.year:04d}/{found.month:02d}/{found.day:02d}"


def approval_mismatch(profile: dict) -> Mismatch | None:
    """Return how the approval's two dates disagree, or None when they agree or one is missing."""
    approval = profile.get("approval") or {}
    hijri, gregorian = approval.get("date_hijri"), approval.get("date_gregorian")
    if not hijri or not gregorian:
        return None
    falls_on = _hijri_to_gregorian(hijri)
    if falls_on == gregorian:
        return None
    return Mismatch(hijri, gregorian, falls_on, _gregorian_to_hijri(gregorian))
