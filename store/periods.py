"""Counting records by an indexed day field over a period, from the kept counts.

A day field ("2026-03-05") is indexed with a count per value, so the days that hold
records are a few hundred index rows whatever the number of records; the count of a
period is then answered by the index for those days, with any other indexed equalities.
"""

from __future__ import annotations

from collections.abc import Mapping

from store.indexes import AnyOf


def count_between(
    store, collection: str, field: str, start: str | None, end: str | None, where=None
) -> int:
    """Return how many records of collection have field (an ISO day) from start to end
    (both included, either open) and equal where (indexed keys)."""
    days = [
        day
        for day in store.tally(collection, field)
        if isinstance(day, str) and (not start or day >= start) and (not end or day <= end)
    ]
    if not days:
        return 0
    more: Mapping = where or {}
    return store.count(collection, where={field: AnyOf(days), **more})
