"""The period of a report: a Hijri year or quarter (Umm al-Qura), or any two days."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from hijridate import Hijri

from forms.dates import HIJRI_YEARS, format_date, read_day


class PeriodError(ValueError):
    """The period asked for cannot be read (the message says why, in Arabic)."""


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # included
    label: str

    def as_text(self) -> str:
        return f"{self.label} ({format_date(self.start)} – {format_date(self.end)})"


def _first_of(year: int, month: int) -> dt.date:
    if month > 12:
        year, month = year + 1, month - 12
    try:
        return Hijri(year, month, 1).to_gregorian()
    except (ValueError, OverflowError):
        raise PeriodError(_l("سنة هجرية خارج التقويم: %(year)s", year=year)) from None


def hijri_period(year: int, quarter: int | None = None) -> Period:
    """Return a Hijri year, or its quarter 1-4 (three Hijri months each)."""
    if not HIJRI_YEARS[0] <= year < HIJRI_YEARS[1]:
        raise PeriodError(_l("سنة هجرية خارج التقويم: %(year)s", year=year))
    if quarter is not None and quarter not in (1, 2, 3, 4):
        raise PeriodError(_l("الربع من 1 إلى 4، لا %(quarter)s", quarter=quarter))
    first = 1 if quarter is None else 3 * quarter - 2
    span = 12 if quarter is None else 3
    start = _first_of(year, first)
    end = _first_of(year, first + span) - dt.timedelta(days=1)
    label = f"عام {year} هـ" if quarter is None else f"الربع {quarter} من عام {year} هـ"
    return Period(start, end, label)


def days_period(start_text: str, end_text: str) -> Period:
    """Return the period between two typed days (Gregorian or Hijri), both included."""
    start, end = read_day(start_text or ""), read_day(end_text or "")
    if start is None or end is None:
        raise PeriodError(_l("اكتب بداية الفترة ونهايتها بالصيغة YYYY-MM-DD هجريًا أو ميلاديًا."))
    if start > end:
        raise PeriodError(_l("بداية الفترة بعد نهايتها."))
    return Period(start, end, f"من {format_date(start)} إلى {format_date(end)}")


def read_period(args) -> Period:
    """Return the period a query string (or the command line) asks for."""
    year = str(args.get("year") or "").strip()
    if year:
        quarter = str(args.get("quarter") or "").strip()
        if not year.isdigit() or (quarter and not quarter.isdigit()):
            raise PeriodError(_l("اكتب السنة الهجرية والربع أرقامًا."))
        return hijri_period(int(year), int(quarter) if quarter else None)
    return days_period(str(args.get("from") or ""), str(args.get("to") or ""))
