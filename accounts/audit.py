"""The audit trail: who did what, when, from where, with the values before and after.

Append-only: no page or command edits or deletes a record. The one exception is
the law's: when a person's data is erased on request, the values he gave are
blanked in the entries about his records (who did what, when and from where
stays), and the erasure itself is a new entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field

COLLECTION = "audit"


def _nothing(_permission: str) -> bool:
    return False


@dataclass(frozen=True)
class Actor:
    """Who acts: his user name, the address he acts from, and what he may do."""

    username: str
    ip: str = ""
    can: Callable[[str], bool] = field(default=_nothing, compare=False)


def everything(_permission: str) -> bool:
    """The command line's permissions: whoever runs it holds the data folder already."""
    return True


def record(
    store, *, actor: str, ip: str, action: str, entity: str, entity_id, before=None, after=None
) -> dict:
    """Append one audit record and return it."""
    entry = {
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "actor": actor,
        "ip": ip,
        "action": action,
        "entity": entity,
        "entity_id": "" if entity_id is None else str(entity_id),
        "before": before,
        "after": after,
    }
    entry["id"] = store.insert(COLLECTION, entry)
    return entry


def write(tx, who: Actor, action: str, entity: str, entity_id, *, before=None, after=None):
    """Append one audit entry by `who` in transaction `tx` (or straight to a store)."""
    return record(
        tx,
        actor=who.username,
        ip=who.ip,
        action=action,
        entity=entity,
        entity_id=entity_id,
        before=before,
        after=after,
    )


def anonymise(store, targets: set[tuple[str, str]], *, keep: frozenset[str], mark: str) -> int:
    """Blank the before/after values of the entries about `targets` ((entity, id) pairs).

    Keys in `keep` (a letter's number, the field revealed) keep their values;
    every other value becomes `mark`. Returns how many entries were blanked.
    """

    def blank(value):
        if isinstance(value, dict):
            return {k: (v if k in keep else mark) for k, v in value.items()}
        return None if value is None else mark

    count = 0
    for entry in list(store.iter(COLLECTION)):
        if (entry.get("entity"), entry.get("entity_id")) in targets:
            changes = {"before": blank(entry.get("before")), "after": blank(entry.get("after"))}
            store.update(COLLECTION, entry["id"], changes)
            count += 1
    return count


@dataclass(frozen=True)
class Filters:
    """What a reader narrows the trail to; empty strings mean "any"."""

    actor: str = ""
    entity: str = ""
    date_from: str = ""  # ISO dates, inclusive
    date_to: str = ""

    @classmethod
    def from_args(cls, args) -> Filters:
        """Read the filters from a query string, dropping dates that are not ISO dates."""
        return cls(
            actor=(args.get("actor") or "").strip().lower(),
            entity=(args.get("entity") or "").strip(),
            date_from=_iso_date(args.get("date_from")),
            date_to=_iso_date(args.get("date_to")),
        )

    def as_args(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v}

    def matches(self, entry: dict) -> bool:
        # "at" is an ISO timestamp in UTC: its first ten characters are the date.
        day = str(entry.get("at", ""))[:10]
        return (
            (not self.actor or entry.get("actor", "").lower() == self.actor)
            and (not self.entity or str(entry.get("entity", "")).startswith(self.entity))
            and (not self.date_from or day >= self.date_from)
            and (not self.date_to or day <= self.date_to)
        )


def _iso_date(value) -> str:
    try:
        return dt.date.fromisoformat((value or "").strip()).isoformat()
    except ValueError:
        return ""


def search(store, filters: Filters, *, page: int = 1, per_page: int = 20) -> tuple[list, int]:
    """Return one page of matching entries, newest first, and how many match in all."""
    offset = (max(page, 1) - 1) * per_page
    return store.page(COLLECTION, offset=offset, limit=per_page, predicate=filters.matches)


def matching(store, filters: Filters) -> Iterator[dict]:
    """Yield every matching entry, newest first."""
    return (entry for entry in store.iter(COLLECTION, reverse=True) if filters.matches(entry))
