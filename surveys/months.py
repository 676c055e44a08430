"""Kept tallies of every form's answers by Hijri month: one record per form and month,
holding the tally of every group (all answers and each fact, tallies.groups_of).

The day tallies' save step (tallies.add / replace) keeps them in the same transaction, so
a page over whole months reads a few dozen records instead of a day's record per day
(about 1,100 for three years, as many again for each group side by side). A period that
starts or ends inside a month reads that month's days from the day tallies. Each group
also keeps how many answers each of its days had, so that the trend still shows the first
and last day of a month that had answers, exactly, after a correction too.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping

from hijridate import Hijri

from surveys import figures

MONTHS = "survey_months"
BUILT = "built"  # the key of the record noting that the day tallies were added up


def _month(day: dt.date) -> tuple[int, int, bool]:
    return figures.month_of(day)


def month_id(year: int, month: int, is_hijri: bool) -> str:
    return f"{year:04d}-{month:02d}" + ("" if is_hijri else "g")


def bounds(year: int, month: int, is_hijri: bool) -> tuple[str, str]:
    """Return the first and last Gregorian day (ISO) of a month."""
    if is_hijri:
        first = Hijri(year, month, 1)
        start = first.to_gregorian()
        start = dt.date(start.year, start.month, start.day)
        return start.isoformat(), (start + dt.timedelta(days=first.month_length() - 1)).isoformat()
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, 1).isoformat(), dt.date(year, month, last).isoformat()


def _empty_record(form_id: str, day: str) -> dict:
    year, month, is_hijri = _month(dt.date.fromisoformat(day))
    first, last = bounds(year, month, is_hijri)
    key = month_id(year, month, is_hijri)
    return {
        "key": f"{form_id}|{key}",
        "form_id": form_id,
        "month": [year, month, is_hijri],
        "from": first,
        "to": last,
        "groups": {},
    }


def _merge_group(groups: dict, group: str, day: str, tally: Mapping, sign: int = 1) -> None:
    entry = groups.setdefault(group, {"tally": figures.empty(), "days": {}})
    figures.merge(entry["tally"], tally, sign)
    left = entry["days"].get(day, 0) + sign * tally.get("n", 0)
    if left:
        entry["days"][day] = left
    else:
        entry["days"].pop(day, None)
    if not entry["days"] and not entry["tally"]["n"]:
        del groups[group]


def change(store, tx, form_id: str, day: str, groups: Iterable[str], tally, sign: int) -> None:
    """Merge one answer's tally into its month's record, in the caller's transaction."""
    record = _empty_record(form_id, day)
    found = store.find(MONTHS, where={"key": record["key"]})
    current = tx.get(MONTHS, found[0]["id"]) if found else None
    kept = current["groups"] if current else record["groups"]
    for group in groups:
        _merge_group(kept, group, day, tally, sign)
    if current is None:
        tx.insert(MONTHS, record)
    else:
        tx.update(MONTHS, current["id"], {"groups": kept})


def build(store, form_id: str, day_records: Iterable[Mapping]) -> None:
    """Replace a form's month records by the sum of its day tallies (day_record's shape)."""
    made: dict[str, dict] = {}
    for item in day_records:
        if item.get("day") and item["tally"].get("n"):
            record = _empty_record(form_id, item["day"])
            record = made.setdefault(record["key"], record)
            _merge_group(record["groups"], item["group"], item["day"], item["tally"])
    with store.transaction() as tx:
        for old in store.find(MONTHS, where={"form_id": form_id}):
            tx.delete(MONTHS, old["id"])
        for record in made.values():
            tx.insert(MONTHS, record)


def rebuild(store, tallies_name: str) -> bool:
    """Add up the day tallies kept before the months were (once per data folder); the
    caller holds the tallies' lock. Return whether it did."""
    if store.count(MONTHS, where={"key": BUILT}):
        return False
    forms = {item["form_id"] for item in store.find(tallies_name) if item.get("form_id")}
    for form_id in sorted(forms):
        build(store, form_id, store.find(tallies_name, where={"form_id": form_id}))
    store.insert(MONTHS, {"key": BUILT})
    return True


def read(store, form_id: str, start: str | None, end: str | None, groups: list[str]):
    """Return ({group: {(year, month, is_hijri): {"tally", "first", "last"}}}, [(first,
    last)]): the months of the period each group's answers fill whole, and the stretches
    of days (ISO, both included) of the months the period cuts, to read from the days."""
    whole: dict[str, dict] = {group: {} for group in groups}
    cut: list[tuple[str, str]] = []
    for record in sorted(store.find(MONTHS, where={"form_id": form_id}), key=_order):
        if (start and record["to"] < start) or (end and record["from"] > end):
            continue
        if (start and record["from"] < start) or (end and record["to"] > end):
            cut.append((max(start or "", record["from"]), min(end or "9999", record["to"])))
            continue
        for group in groups:
            entry = record["groups"].get(group)
            if entry and entry["tally"]["n"]:
                days = sorted(entry["days"])
                whole[group][tuple(record["month"])] = {
                    "tally": entry["tally"],
                    "first": dt.date.fromisoformat(days[0]),
                    "last": dt.date.fromisoformat(days[-1]),
                }
    return whole, cut


def _order(record: Mapping) -> str:
    return record["from"]
