"""Kept tallies of every form's answers by Hijri month: one record per form, month and
group (all answers, and each fact: tallies.groups_of), the day tallies' shape.

The day tallies' save step (tallies.add / replace) keeps them in the same transaction, so
a page over whole months reads a few dozen records instead of a day's record per day
(about 1,100 for three years, as many again for each group side by side). A period that
starts or ends inside a month reads that month's days from the day tallies. A record
holds one group, not all of them: the save step parses and writes a shard whole
(store/transaction.py), and 1,000 records of every group would make it tens of MB. Each
also keeps how many answers each of its days had, so that the trend still shows the
first and last day of a month that had answers, exactly, after a correction too.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping

from hijridate import Hijri

from store import AnyOf
from surveys import figures

MONTHS = "survey_months"
BUILT = "built"  # the key of the record noting that the day tallies were added up


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


def _record(form_id: str, day: str, group: str) -> dict:
    year, month, is_hijri = figures.month_of(dt.date.fromisoformat(day))
    first, last = bounds(year, month, is_hijri)
    return {
        "key": f"{form_id}|{month_id(year, month, is_hijri)}|{group}",
        "form_id": form_id,
        "group": group,
        "month": [year, month, is_hijri],
        "from": first,
        "to": last,
        "tally": figures.empty(),
        "days": {},
    }


def _merge(record: dict, day: str, tally: Mapping, sign: int = 1) -> dict:
    """Add a day's tally into a month's record (sign=-1 takes it away); return it."""
    figures.merge(record["tally"], tally, sign)
    left = record["days"].get(day, 0) + sign * tally.get("n", 0)
    if left:
        record["days"][day] = left
    else:
        record["days"].pop(day, None)
    return record


def change(store, tx, form_id: str, day: str, groups: Iterable[str], tally, sign: int) -> None:
    """Merge one answer's tally into its month's record of each of its groups, in the
    caller's transaction (which holds the store's write lock)."""
    for group in groups:
        record = _record(form_id, day, group)
        found = store.find(MONTHS, where={"key": record["key"]})
        current = tx.get(MONTHS, found[0]["id"]) if found else None
        if current is None:
            tx.insert(MONTHS, _merge(record, day, tally, sign))
        else:
            kept = _merge(current, day, tally, sign)
            tx.update(MONTHS, current["id"], {"tally": kept["tally"], "days": kept["days"]})


def build(store, form_id: str, day_records: Iterable[Mapping]) -> None:
    """Replace a form's month records by the sum of its day tallies (day_record's shape)."""
    made: dict[str, dict] = {}
    for item in day_records:
        if item.get("day") and item["tally"].get("n"):
            record = _record(form_id, item["day"], item["group"])
            _merge(made.setdefault(record["key"], record), item["day"], item["tally"])
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
    cut: set[tuple[str, str]] = set()
    where = {"form_id": form_id, "group": AnyOf(groups) if len(groups) > 1 else groups[0]}
    for record in sorted(store.find(MONTHS, where=where), key=_order):
        if (start and record["to"] < start) or (end and record["from"] > end):
            continue
        if (start and record["from"] < start) or (end and record["to"] > end):
            cut.add((max(start or "", record["from"]), min(end or "9999", record["to"])))
            continue
        if record["tally"]["n"]:
            days = sorted(record["days"])
            whole[record["group"]][tuple(record["month"])] = {
                "tally": record["tally"],
                "first": dt.date.fromisoformat(days[0]),
                "last": dt.date.fromisoformat(days[-1]),
            }
    return whole, sorted(cut)


def _order(record: Mapping) -> str:
    return record["from"]
