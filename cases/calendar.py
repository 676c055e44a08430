"""Saudi work days: Sunday to Thursday, less the holidays the admin keeps.

Eid holidays follow the moon and are announced each year, so they are data
(the "holidays" collection: a name and a first and last day), never code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

HOLIDAYS = "holidays"
WEEKEND = frozenset({4, 5})  # Friday and Saturday (Monday is 0), since 2013
MAX_HOLIDAY_DAYS = 60  # one entry spans at most this many days
COUNTS = ("calendar_days", "work_days")


def days_off(holidays: Iterable[dict]) -> frozenset[dt.date]:
    """Return every day the holiday records cover (records that do not parse are skipped)."""
    out: set[dt.date] = set()
    for item in holidays:
        try:
            first = dt.date.fromisoformat(item["start"])
            last = dt.date.fromisoformat(item.get("end") or item["start"])
        except (KeyError, TypeError, ValueError):
            continue
        span = (last - first).days
        if 0 <= span < MAX_HOLIDAY_DAYS:
            out.update(first + dt.timedelta(days=i) for i in range(span + 1))
    return frozenset(out)


def is_work_day(day: dt.date, off: frozenset[dt.date] = frozenset()) -> bool:
    return day.weekday() not in WEEKEND and day not in off


def add_work_days(start: dt.date, days: int, off: frozenset[dt.date] = frozenset()) -> dt.date:
    """Return the `days`-th work day after `start` (start itself never counts)."""
    day, left = start, days
    while left > 0:
        day += dt.timedelta(days=1)
        if is_work_day(day, off):
            left -= 1
    return day


def add_days(
    start: dt.date, days: int, count: str, off: frozenset[dt.date] = frozenset()
) -> dt.date:
    """Return the day `days` calendar or work days after `start`, as `count` says."""
    if count == "work_days":
        return add_work_days(start, days, off)
    return start + dt.timedelta(days=days)


def work_days_before(first: dt.date, event: dt.date, off: frozenset[dt.date] = frozenset()) -> int:
    """Count the work days from `first` (included) up to `event` (excluded).

    An announcement made on Sunday for a program the next Sunday gives people
    Sunday to Thursday: five work days, one work week.
    """
    count, day = 0, first
    while day < event:
        count += is_work_day(day, off)
        day += dt.timedelta(days=1)
    return count
