"""The figures of a board's periodic report: requests received by channel, decisions within
the policy's deadline, acceptance, services delivered by kind, satisfaction, complaints.

Everything is found through the store's indexes: the requests opened in the period by
the index of their opening day, those decided in it by the day of their decision, the
deliveries by their date (only these records are read, a chunk at a time); the
satisfaction from the survey's kept day tallies; the complaints from the follow-ups'
kept counts. No collection is read whole.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator

from cases.service import CASES
from deliveries.records import DELIVERIES
from forms.definition import FormDefinition
from quality.followup_list import complaint_counts
from reports.period import Period
from submissions.service import collection
from surveys import figures, query

CHUNK = 500  # records read at once
LOWEST = 3  # the rating items with the lowest mean that the report names


def _between(store, collection: str, key: str, period: Period) -> Iterator[dict]:
    """Yield the records whose indexed day `key` falls in the period, a chunk at a time."""
    if not store.count(collection):  # none yet: its indexes are made with its first record
        return
    high = (period.end + dt.timedelta(days=1)).isoformat()
    ids = [rid for _day, rid in store.ids_between(collection, key, period.start.isoformat(), high)]
    for start in range(0, len(ids), CHUNK):
        yield from store.get_many(collection, ids[start : start + CHUNK])


def requests(store, period: Period) -> dict:
    """Return the requests opened in the period, by channel."""
    channels = Counter(c.get("channel") or "" for c in _between(store, CASES, "opened_on", period))
    return {"received": sum(channels.values()), "channels": dict(channels.most_common())}


def decisions(store, period: Period) -> dict:
    """Return the decisions taken in the period: how many, on time (share), the average
    days from a request's opening to its decision, and the share accepted."""
    n = on_time = accepted = days = 0
    for case in _between(store, CASES, "decision.date", period):
        decision = case.get("decision") or {}
        n += 1
        on_time += decision.get("on_time") is True
        accepted += decision.get("outcome") == "accepted"
        opened = dt.date.fromisoformat(case["opened_on"])
        days += (dt.date.fromisoformat(decision["date"]) - opened).days
    return {
        "decided": n,
        "on_time": on_time,
        "on_time_percent": _share(on_time, n),
        "average_days": round(days / n, 1) if n else None,
        "accepted": accepted,
        "accepted_percent": _share(accepted, n),
    }


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def deliveries(store, period: Period) -> dict:
    """Return the deliveries of the period by kind: how many, and the cash paid. A transfer
    the bank refused delivered nothing and is left out."""
    kinds: dict[str, dict] = {}
    for entry in _between(store, DELIVERIES, "date", period):
        if (entry.get("transfer") or {}).get("status") == "failed":
            continue
        kind = kinds.setdefault(entry["kind"], {"count": 0, "amount": 0.0})
        kind["count"] += 1
        kind["amount"] += float(entry.get("amount") or 0)
    return kinds


def lowest_items(found: dict, count: int = LOWEST) -> list[dict]:
    """Return the rating questions with the lowest mean, lowest first (of those answered
    often enough to say: a mean of two answers names no weakness)."""
    rated = [
        q
        for q in found["questions"]
        if q["type"] == figures.RATING and q["spread"]["n"] >= figures.MIN_SHOWN
    ]
    return sorted(rated, key=lambda q: q["spread"]["mean"])[:count]


def satisfaction(store, form: FormDefinition, period: Period, lang: str = "ar") -> dict:
    """Return the survey's figures for the period, from its kept month and day tallies."""
    flt = query.Filter(start=period.start.isoformat(), end=period.end.isoformat())
    found = figures.summary(form, query.by_month(store, form, flt)[0], lang)
    found["lowest"] = lowest_items(found)
    return found


def board(store, form: FormDefinition | None, period: Period, today: dt.date) -> dict:
    """Return every figure of the board's report for the period."""
    return {
        "period": period,
        "requests": requests(store, period),
        "decisions": decisions(store, period),
        "deliveries": deliveries(store, period),
        "satisfaction": satisfaction(store, form, period) if form is not None else None,
        "complaints": complaint_counts(
            store, today, (period.start.isoformat(), period.end.isoformat())
        ),
    }


def answer_records(store, form: FormDefinition, flt: query.Filter) -> Iterator[dict]:
    """Yield the answers the filter keeps, oldest day first, a chunk at a time: the ids of
    the period's answers from the index of their day (paging by offset read 100,000
    answers' year in 18 s), the other facts checked on the records read."""
    name = collection(form.id)
    if not store.count(name):
        return
    high = (dt.date.fromisoformat(flt.end) + dt.timedelta(days=1)).isoformat() if flt.end else None
    ids = [rid for _day, rid in store.ids_between(name, "facts.day", flt.start, high)]
    facts = {key.removeprefix("facts."): value for key, value in flt.where().items()}
    for start in range(0, len(ids), CHUNK):
        for record in store.get_many(name, ids[start : start + CHUNK]):
            held = record.get("facts") or {}
            if all(held.get(key) == value for key, value in facts.items()):
                yield record
