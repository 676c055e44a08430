"""Respect for the people texted: no SMS at night, and only so many to one number a day.

Both are the admin's settings (the messages settings page), with defaults that suit an
association: quiet from 21:00 to 08:00 Riyadh time, at most 5 SMS to one number in any
24 hours. A text message that meets either waits (its next_try_at moves), never drops.
E-mails to staff are not held. A refusing number (cases/refusals.py) is refused here too,
under the lock: it may have refused after the message was queued.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from cases.outbox import CHECK, DELIVERED, OUTBOX, REFUSED, SENDING, SENT, SMS, now_iso, refuses

RIYADH = ZoneInfo("Asia/Riyadh")
DEFAULTS = {"quiet_from": "21:00", "quiet_until": "08:00", "sms_per_day": "5"}
FIELDS = tuple(DEFAULTS)
MAX_PER_DAY = 1000
DAY = dt.timedelta(hours=24)
COUNTED = (SENDING, SENT, DELIVERED, CHECK)  # reached, or may have reached, the gateway


class RespectError(ValueError):
    """A setting that cannot be used; args[0] names the field."""


def _clock(text: str) -> dt.time:
    found = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", text.strip())
    if not found:
        raise RespectError
    return dt.time(int(found[1]), int(found[2]))


def checked(form) -> dict:
    """Return the respect settings of a form as kept; RespectError(field) for a bad one."""
    values = {name: str(form.get(name) or DEFAULTS[name]).strip() for name in FIELDS}
    for name in ("quiet_from", "quiet_until"):
        try:
            values[name] = _clock(values[name]).strftime("%H:%M")
        except RespectError:
            raise RespectError(name) from None
    count = values["sms_per_day"]
    if not count.isdigit() or not 1 <= int(count) <= MAX_PER_DAY:
        raise RespectError("sms_per_day")
    values["sms_per_day"] = str(int(count))
    return values


def rules(saved: dict) -> dict:
    """Return the rules in force from the stored settings (a bad stored value: the default)."""
    try:
        return checked({name: saved.get(name) or "" for name in FIELDS})
    except RespectError:
        return dict(DEFAULTS)


def quiet_until(rules: dict, moment: dt.datetime) -> dt.datetime | None:
    """Return when the quiet hours around `moment` end (UTC), or None outside them.

    Equal start and end mean no quiet hours.
    """
    start, end = _clock(rules["quiet_from"]), _clock(rules["quiet_until"])
    local = moment.astimezone(RIYADH)
    clock = local.time()
    if start == end:
        return None
    inside = (start <= clock or clock < end) if start > end else (start <= clock < end)
    if not inside:
        return None
    day = local.date() if clock < end else local.date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, end, RIYADH).astimezone(dt.UTC)


def limit_until(store, rules: dict, mobile: str, moment: dt.datetime) -> dt.datetime | None:
    """Return when `mobile` may get another SMS under the daily limit, or None if now."""
    since = now_iso(moment - DAY)
    found = store.find(
        OUTBOX,
        lambda m: m["status"] in COUNTED and m.get("claimed_at", m.get("sent_at", "")) > since,
        where={"mobile": mobile},
    )
    if len(found) < int(rules["sms_per_day"]):
        return None
    times = sorted(m.get("claimed_at", m.get("sent_at", "")) for m in found)
    oldest_kept = times[len(times) - int(rules["sms_per_day"])]
    return dt.datetime.fromisoformat(oldest_kept) + DAY + dt.timedelta(seconds=1)


def hold(store, tx, rules: dict, message: dict, moment: dt.datetime) -> dict | None:
    """Return the changes that keep `message` from going now (None: it may go).

    Read under the transaction `tx` (the store's lock), so two senders agree.
    """
    if message.get("channel", SMS) != SMS or message.get("asked"):
        return None  # e-mail to staff, or what the person asked for now (his code)
    if refuses(tx, message.get("mobile", "")):
        return {"status": REFUSED, "refused_at": now_iso(moment)}
    until = quiet_until(rules, moment)
    why = "quiet_hours"
    if until is None:
        until, why = limit_until(store, rules, message.get("mobile", ""), moment), "limit"
    if until is None:
        return None
    return {"next_try_at": now_iso(until), "held": why}
