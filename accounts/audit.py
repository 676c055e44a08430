"""The audit trail: who did what, when, from where, with the values before and after.

Append-only: Rifd only ever inserts into it; no page or command edits or
deletes a record.
"""

from __future__ import annotations

import datetime as dt

COLLECTION = "audit"


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
