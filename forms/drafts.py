"""A form's one draft: the definition a quality officer is editing, not yet in use.

A draft is saved as often as the person likes, valid or not, so nothing typed is
lost; only publishing (forms.versions.publish) checks it fully and puts it in use,
after which the draft is gone. Each save raises `revision`, and a save made from
an older revision is refused: two people editing one form never silently
overwrite each other's work.
"""

from __future__ import annotations

import datetime as dt

COLLECTION = "form_drafts"
LOCK = "form_drafts"


class DraftConflict(Exception):
    """The draft changed (saved, published or discarded) since the editor loaded it."""


def get(store, form_id: str) -> dict | None:
    """Return the draft record of a form (definition, revision, based_on, ...), or None."""
    found = store.find(COLLECTION, where={"form_id": form_id})
    return found[0] if found else None


def form_ids(store) -> list[str]:
    return [str(v) for v in store.distinct(COLLECTION, "form_id")]


def _write(store, current: dict | None, form_id: str, definition: dict, by: str, based_on):
    revision = current["revision"] if current else 0
    changes = {
        "definition": dict(definition, id=form_id),
        "revision": revision + 1,
        "updated_by": by,
        "updated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    if current is None:
        record = {"form_id": form_id, "based_on": based_on, **changes}
        record["id"] = store.insert(COLLECTION, record)
        return record
    return store.update(COLLECTION, current["id"], changes)


def save(
    store, form_id: str, definition: dict, *, by: str, revision: int, based_on: int | None
) -> dict:
    """Store `definition` as the draft of `form_id` if it was made from `revision`.

    `revision` is 0 for a form that had no draft. Raises DraftConflict otherwise.
    """
    with store.lock(LOCK):
        current = get(store, form_id)
        if (current["revision"] if current else 0) != revision:
            raise DraftConflict(form_id)
        return _write(store, current, form_id, definition, by, based_on)


def replace(
    store,
    form_id: str,
    definition: dict,
    *,
    by: str,
    based_on: int | None,
    notes: list[dict] | None = None,
) -> dict:
    """Make `definition` the draft whatever was there (a new draft from an old version).

    `notes` ({"ar": ..., "en": ...} each) say what an import left out of the
    spreadsheet; they stay on the draft, shown in the editor, until it is replaced.
    """
    with store.lock(LOCK):
        current = get(store, form_id)
        record = _write(store, current, form_id, definition, by, based_on)
        if notes or (current or {}).get("import_notes"):
            record = store.update(COLLECTION, record["id"], {"import_notes": notes or []})
        # Updated rather than deleted and re-made: the revision keeps rising, so an
        # editor still open on the replaced draft cannot save over the new one.
        if current is not None and current.get("based_on") != based_on:
            record = store.update(COLLECTION, record["id"], {"based_on": based_on})
        return record


def discard(store, form_id: str, revision: int | None = None) -> dict | None:
    """Delete the draft (only if still at `revision`, when given); return what was deleted."""
    with store.lock(LOCK):
        current = get(store, form_id)
        if current is None or (revision is not None and current["revision"] != revision):
            return None
        store.delete(COLLECTION, current["id"])
        return current
