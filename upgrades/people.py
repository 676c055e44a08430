"""Give every stored submission its list of the ID numbers it names ("people").

Submissions saved since this step existed carry the list (submissions.service.save);
older ones get it here, once per data folder, computed with the form version each was
filled in. Until the step is done, a person's file reads every submission instead.
"""

from __future__ import annotations

import sys

from forms.people import people_in

UPGRADES = "upgrades"  # the one-time steps already made in this data folder
PEOPLE_STEP = "submission_people"
BATCH = 1000


def _progress(done: int, total: int) -> None:
    end = "\n" if done >= total else "\r"
    print(f"Listing who each submission names: {done:,} of {total:,}", end=end, file=sys.stderr)


def fill(store, forms, progress=_progress) -> int:
    """List the people of every submission that has no list yet; return how many."""
    if store.count(UPGRADES, where={"step": PEOPLE_STEP}):
        return 0
    names = [c for c in store.collections() if c.startswith("submissions/")]
    total = sum(store.count(c) for c in names)
    done = changed = 0
    for name in names:
        form_id = name.split("/", 1)[1]
        batch: dict[int, list[str]] = {}
        for record in store.iter(name):
            done += 1
            if "people" not in record:
                form = forms.for_record(record) or forms.get(form_id)
                found = people_in(form, record.get("answers") or {}) if form else []
                batch[record["id"]] = found
            if len(batch) >= BATCH:
                changed += _write(store, name, batch)
            if total and done % 5000 == 0:
                progress(done, total)
        changed += _write(store, name, batch)
    if total:
        progress(total, total)
    store.insert(UPGRADES, {"step": PEOPLE_STEP, "submissions": changed})
    return changed


def _write(store, name: str, batch: dict[int, list[str]]) -> int:
    with store.transaction() as tx:
        for rid, people in batch.items():
            if tx.get(name, rid) is not None:
                tx.update(name, rid, {"people": people})
    count = len(batch)
    batch.clear()
    return count
