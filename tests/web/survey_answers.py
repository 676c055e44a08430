"""A known set of satisfaction-survey answers, sent through the public link on known days,
and the figures they must give (worked out by hand, not by the code under test)."""

from __future__ import annotations

import datetime as dt
import types

from submissions import service
from tests.conftest import post_form

RATINGS = ("rate_reception", "rate_speed", "rate_clarity", "rate_staff", "rate_overall")
# (day, five ratings, facilities or None, nps, channel, service, comment)
ANSWERS = [
    ("2026-03-01", (5, 4, 3, 5, 4), 4, 10, "phone", "in_kind", ""),
    ("2026-03-01", (4, 4, 4, 4, 5), None, 9, "phone", "cash_aid", "خدمة ممتازة"),
    ("2026-03-02", (2, 3, 1, 2, 2), 2, 3, "interview", "in_kind", "الانتظار طويل جدا"),
    ("2026-04-10", (5, 5, 5, 5, 5), None, 8, "phone", "in_kind", ""),
    ("2026-04-10", (3, 3, 4, 4, 3), None, 6, "interview", "program", ""),
    ("2026-04-11", (1, 2, 2, 1, 1), None, 0, "interview", "in_kind", "لم يرد أحد على الهاتف"),
]
# 32 ratings, 17 of them 4 or 5; NPS: 2 promoters, 1 passive, 3 detractors of 6.
CSAT = 53.1
NPS = {"promoters": 2, "passives": 1, "detractors": 3, "score": -16.7}
OVERALL = {"1": 1, "2": 1, "3": 1, "4": 1, "5": 2}
# 2026-03-01..02 are in Ramadan 1447, 2026-04-10..11 in Shawwal 1447 (Umm al-Qura).
# March: 17 ratings, 10 of them 4-5; April: 15 ratings, 7. NPS: 3 answers a month, too few.
TREND = [
    {
        "month": "1447-09",
        "label": "رمضان 1447 هـ",
        "from": "2026-03-01",
        "to": "2026-03-02",
        "responses": 3,
        "csat": 58.8,
        "nps": None,
    },
    {
        "month": "1447-10",
        "label": "شوال 1447 هـ",
        "from": "2026-04-10",
        "to": "2026-04-11",
        "responses": 3,
        "csat": 46.7,
        "nps": None,
    },
]


def _clock(day: str):
    class Clock(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return dt.datetime.fromisoformat(f"{day}T09:00:00+00:00")

    return types.SimpleNamespace(datetime=Clock, UTC=dt.UTC)


def form_data(ratings, facilities, nps, channel, kind, comment) -> dict:
    data = dict(zip(RATINGS, map(str, ratings), strict=True))
    data |= {"nps": str(nps), "channel_used": channel, "service_received": kind}
    if facilities is not None:
        data["rate_facilities"] = str(facilities)
    if comment and ratings[-1] <= 2:
        data["low_rating_reason"] = comment
    elif comment:
        data["suggestions"] = comment
    return data


def send_all(app, monkeypatch, path: str = "/f/satisfaction_survey") -> None:
    """Answer the survey through its public link, once per known answer, on its day."""
    phone = app.test_client()
    for day, *rest in ANSWERS:
        monkeypatch.setattr(service, "dt", _clock(day))
        response = post_form(phone, path, form_data(*rest))
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    monkeypatch.setattr(service, "dt", dt)
