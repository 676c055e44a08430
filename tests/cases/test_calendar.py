"""Work days: Sunday to Thursday, less the holidays the admin keeps."""

import datetime as dt

import pytest

from cases.calendar import add_days, add_work_days, days_off, is_work_day, work_days_before

D = dt.date
EID = [{"name": "عيد الأضحى", "start": "2026-05-26", "end": "2026-05-29"}]


@pytest.mark.parametrize(
    ("day", "work"),
    [
        (D(2026, 11, 29), True),  # Sunday
        (D(2026, 12, 3), True),  # Thursday
        (D(2026, 12, 4), False),  # Friday
        (D(2026, 12, 5), False),  # Saturday
    ],
)
def test_the_saudi_week(day, work):
    assert is_work_day(day) is work


@pytest.mark.parametrize(
    ("start", "days", "off", "expected"),
    [
        (D(2026, 11, 29), 1, [], D(2026, 11, 30)),  # Sunday + 1 = Monday
        (D(2026, 12, 3), 1, [], D(2026, 12, 6)),  # Thursday + 1 skips the weekend
        (D(2026, 11, 29), 10, [], D(2026, 12, 11 + 2)),  # two work weeks later
        (D(2026, 5, 24), 3, EID, D(2026, 6, 1)),  # Eid (Tue-Fri) and the weekend skipped
        (D(2026, 12, 4), 0, [], D(2026, 12, 4)),
    ],
)
def test_adding_work_days(start, days, off, expected):
    assert add_work_days(start, days, days_off(off)) == expected


def test_calendar_days_ignore_weekends_and_holidays():
    assert add_days(D(2026, 5, 24), 14, "calendar_days", days_off(EID)) == D(2026, 6, 7)
    assert add_days(D(2026, 5, 24), 14, "work_days", days_off(EID)) == D(2026, 6, 16)


def test_lead_time_counts_the_announcement_day_not_the_event_day():
    sunday = D(2026, 11, 29)
    assert work_days_before(sunday, sunday + dt.timedelta(days=7)) == 5
    assert work_days_before(sunday, sunday) == 0
    assert work_days_before(D(2026, 5, 24), D(2026, 6, 1), days_off(EID)) == 3


def test_bad_holiday_records_are_skipped_not_fatal():
    odd = [{"start": "x"}, {"name": "y"}, {"start": "2026-01-10", "end": "2025-01-01"}]
    assert days_off(odd + EID) == days_off(EID)
    assert len(days_off(EID)) == 4
