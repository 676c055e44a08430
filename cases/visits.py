"""The social researcher's visit: its appointment, set on a request referred to research.

Staff set the day (typed Gregorian or Hijri) and the time; the beneficiary is told by SMS
in his language, the date in Hijri beside Gregorian, and his own page shows it. Setting
it again moves the appointment and tells him again; the audit keeps each one.
"""

from __future__ import annotations

import datetime as dt
import re

from flask_babel import lazy_gettext as _l

from accounts import audit
from accounts.audit import Actor
from cases import tidings
from cases.service import CASES, CaseError
from forms.dates import format_date, read_day, saudi_today
from forms.saudi import normalize_digits

PERMISSIONS = ("cases.research", "cases.intake")
STATE = "research"  # a visit belongs to the social research
MAX_DAYS_AHEAD = 120
MAX_NOTE = 120
EVENT = "visit_appointment"
WEEKDAYS = {  # Monday first, as date.weekday() counts
    "ar": ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}


def may_schedule(case: dict, who: Actor) -> bool:
    """Whether `who` may set the request's visit now (the page asks this)."""
    return case["state"] == STATE and any(who.can(p) for p in PERMISSIONS)


def _clock(text: str) -> str:
    found = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", normalize_digits(text or "").strip())
    if not found:
        raise CaseError(_l("اكتب وقت الزيارة بالساعة والدقيقة، مثل 10:30."))
    return f"{int(found[1]):02d}:{found[2]}"


def _day(text: str, today: dt.date) -> dt.date:
    day = read_day(text or "")
    if day is None:
        raise CaseError(_l("اكتب تاريخ الزيارة هجريًا أو ميلاديًا، مثل 2026-12-13 أو 1448-06-23."))
    if not today <= day <= today + dt.timedelta(days=MAX_DAYS_AHEAD):
        raise CaseError(_l("يكون موعد الزيارة من اليوم إلى %(n)s يومًا بعده.", n=MAX_DAYS_AHEAD))
    return day


def wording(visit: dict) -> dict:
    """Return the visit's day, date (Hijri beside Gregorian) and time in each language."""
    day = dt.date.fromisoformat(visit["on"])
    return {
        lang: {"day": WEEKDAYS[lang][day.weekday()], "date": format_date(day, lang)}
        for lang in WEEKDAYS
    }


def schedule(store, profile: dict, case_id: int, day: str, time: str, note: str, who: Actor):
    """Set the research visit of a referred request and tell the beneficiary; return it.

    Raises PermissionError, LookupError, or CaseError with the reason."""
    if not any(who.can(p) for p in PERMISSIONS):
        raise PermissionError(PERMISSIONS[0])
    visit = {
        "on": _day(day, saudi_today()).isoformat(),
        "time": _clock(time),
        "note": " ".join((note or "").split())[:MAX_NOTE],
        "by": who.username,
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    with store.transaction() as tx:
        case = tx.get(CASES, case_id)
        if case is None:
            raise LookupError(case_id)
        if case["state"] != STATE:
            raise CaseError(_l("يُحدَّد موعد الزيارة للطلب المحال إلى البحث الاجتماعي فقط."))
        after = tx.update(CASES, case_id, {"visit": visit})
        audit.write(
            tx, who, "schedule_visit", "case", case_id,
            before={"visit": case.get("visit")}, after={"visit": visit},
        )  # fmt: skip
        more = {"time": visit["time"], "note": visit["note"]}
        tidings.send(tx, store, profile, after, EVENT, more, wording(visit))
    return visit


def upcoming(case: dict, today: dt.date | None = None) -> dict | None:
    """Return the request's visit if it is still to come while in research, else None."""
    visit = case.get("visit")
    if not visit or case["state"] != STATE or visit["on"] < (today or saudi_today()).isoformat():
        return None
    return visit
