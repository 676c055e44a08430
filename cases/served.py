"""The services delivered, one small record each, counted by day for the results pages.

A survey's response rate divides its answers by the services delivered in the period
and by the personal survey links offered (one per request, when it is first served).
Counting those from the requests would read every served request; instead the serve
move (cases/operations.move) writes one record per service in its own transaction:
the day the service was given, who gave it, the request's channel, and, on a request's
first service, the day its survey link was offered. The records hold no personal data
and are counted through their indexes (upgrades/indexes.py), never read one by one.

Requests served before these records existed get theirs once per data folder (`fill`).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping

from store import AnyOf
from upgrades.people import UPGRADES

SERVED = "services_given"
STEP = "services_given"
# A service is counted by its day, and by its day with the request's channel, the staff
# member who gave it, or both, each one value (a filter is then one index's kept counts:
# counting two fields at once took 1.2 s at 100,000); a request's first service keeps
# the same for the day its survey link was offered.
GROUPS = {"": (), "channel": ("channel",), "staff": ("staff",), "both": ("channel", "staff")}
FIELDS = tuple(f"{kind}{group and '_by_' + group}" for kind in ("day", "link") for group in GROUPS)
INDEXED = ("case_id", *FIELDS)
BATCH = 500


def _keys(kind: str, day: str, facts: Mapping) -> dict:
    return {
        f"{kind}{group and '_by_' + group}": "|".join([*(str(facts[f]) for f in names), day])
        for group, names in GROUPS.items()
    }


def records_of(case: Mapping, service: Mapping, first: bool, link_day: str | None) -> dict:
    """Return the record of one service of a request (first: its first service)."""
    facts = {"staff": service.get("by"), "channel": case.get("channel")}
    record = {"case_id": case["id"], **facts}
    record |= _keys("day", service.get("service_date") or service["at"][:10], facts)
    if first and link_day:
        record |= _keys("link", link_day, facts)
    return record


def note(tx, case: Mapping, step: Mapping) -> None:
    """Record the service a serve move just added to `case` (as the move left it), in
    the move's transaction."""
    services = case.get("services") or []
    if services:
        first = len(services) == 1
        tx.insert(SERVED, records_of(case, services[-1], first, step.get("on")))


def count(store, start: str | None, end: str | None, channel=None, staff=None) -> dict:
    """Return {"services", "links"}: the services given from start to end (ISO days, both
    included, either open) and the survey links offered then, of a channel or a staff
    member. Read from the indexes' kept counts by day: no record is read."""
    facts = {k: v for k, v in (("channel", channel), ("staff", staff)) if v not in (None, "")}
    group = next(g for g, names in GROUPS.items() if set(names) == set(facts))
    return {
        "services": _count(store, "day", group, facts, start, end),
        "links": _count(store, "link", group, facts, start, end),
    }


def _count(store, kind: str, group: str, facts: Mapping, start, end) -> int:
    days = [
        day
        for day in store.tally(SERVED, kind)
        if isinstance(day, str) and (not start or day >= start) and (not end or day <= end)
    ]
    if not days:
        return 0
    field = f"{kind}{group and '_by_' + group}"
    keys = ["|".join([*(str(facts[f]) for f in GROUPS[group]), day]) for day in days]
    return store.count(SERVED, where={field: AnyOf(keys)})


def _progress(done: int, total: int) -> None:
    end = "\n" if done >= total else "\r"
    print(f"Counting the services delivered: {done:,} of {total:,}", end=end, file=sys.stderr)


def fill(store, cases: str, progress=_progress) -> int:
    """Write the records of the services of requests served before they were kept (once
    per data folder); return how many. Under a lock, and each request checked in the
    transaction that writes its records: a serve made meanwhile is counted once."""
    with store.lock(STEP):
        if store.count(UPGRADES, where={"step": STEP}):
            return 0
        # The ids from the index of states (index rows, not the requests): each request is
        # read once, in the transaction that writes its records.
        found = [
            rid for state, rid in store.ids_between(cases, "state") if state in ("served", "closed")
        ]
        written = 0
        for start in range(0, len(found), BATCH):
            written += _write(store, cases, found[start : start + BATCH])
            if len(found) > BATCH:
                progress(min(start + BATCH, len(found)), len(found))
        store.insert(UPGRADES, {"step": STEP, "services": written})
    return written


def _write(store, cases: str, ids: Iterable[int]) -> int:
    written = 0
    with store.transaction() as tx:
        for case_id in ids:
            case = tx.get(cases, case_id)
            if not case or not case.get("services"):
                continue
            # A serve made since the start recorded its own (the latest) services.
            kept = store.count(SERVED, where={"case_id": case_id})
            first = next((h for h in case.get("history") or [] if h.get("move") == "serve"), None)
            for n, service in enumerate(case["services"][: len(case["services"]) - kept]):
                link_day = first.get("on") if first and n == 0 else None
                tx.insert(SERVED, records_of(case, service, n == 0, link_day))
                written += 1
    return written
