"""Bring a data folder written by an older Rifd up to date, at every start.

Each step is idempotent (a second run finds nothing to do) and takes the lock of
what it changes, so several server processes starting at once are safe. Every
change leaves an audit record whose actor is "rifd:upgrade".
"""

from __future__ import annotations

from accounts import audit
from cases.calendar import HOLIDAYS, days_off
from cases.service import CASES, on_time
from forms import prefill
from upgrades.people import UPGRADES

ACTOR = "rifd:upgrade"
DONE = UPGRADES
DECISIONS_STEP = "decision_on_time"


def note_fresh(store, steps: list[str]) -> bool:
    """On a data folder that holds nothing yet, note the one-time steps as done, in one
    write (each step would find nothing to do and note itself in a write of its own).
    Return whether it did."""
    if store.holds_data() or store.count(DONE):
        return False
    store.insert_many(DONE, [{"step": step, "fresh": True} for step in steps])
    return True


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
    decisions_on_time(store)
    return cleaned


def decisions_on_time(store) -> list[dict]:
    """Note on each decision made before Rifd kept it whether it came within the deadline
    (the dashboard counts them from the index). Once per data folder."""
    if store.find(DONE, where={"step": DECISIONS_STEP}):
        return []
    changed = []
    off = days_off(store.iter(HOLIDAYS))
    with store.transaction() as tx:
        for case in store.find(CASES, lambda c: bool(c.get("decision"))):
            if "on_time" in case["decision"]:
                continue
            decision = {**case["decision"], "on_time": on_time(store, case, off)}
            tx.update(CASES, case["id"], {"decision": decision})
            changed.append({"case": case["id"]})
        tx.insert(DONE, {"step": DECISIONS_STEP, "cases": len(changed)})
        if changed:
            entry = {"action": "note_decisions_on_time", "entity": "cases", "entity_id": ""}
            audit.write(tx, audit.Actor(ACTOR, ""), **entry, after={"cases": len(changed)})
    return changed
