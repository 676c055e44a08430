"""Bring a data folder written by an older Rifd up to date, at every start.

Each step is idempotent (a second run finds nothing to do) and takes the lock of
what it changes, so several server processes starting at once are safe. Every
change leaves an audit record whose actor is "rifd:upgrade".
"""

from __future__ import annotations

from accounts import audit
from forms import prefill

ACTOR = "rifd:upgrade"


def apply(store) -> list[dict]:
    """Run every step on `store`; return what changed (empty when nothing had to)."""
    cleaned = prefill.clean_stored(store)
    for item in cleaned:
        # The field names only: the values removed were the personal data.
        audit.record(
            store,
            actor=ACTOR,
            ip="",
            action="remove_personal_defaults",
            entity=f"form_version:{item['form_id']}",
            entity_id=item["version"],
            before={"defaults_on": item["fields"]},
            after={"defaults_on": []},
        )
    return cleaned
