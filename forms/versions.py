"""Published versions of a form: frozen definitions that submissions are read with.

A form has at most one draft (forms/drafts.py) and any number of published
versions. A published version is never changed or deleted: it is what a
submission's form_version points to, so its labels are the ones an answer was
given to. Definitions read from files (forms/library, <data>/forms) are frozen
here the first time a submission uses them, so editing a file later relabels
no old submission.

The store is passed in (any object with the Store API), which keeps this module
free of Flask. Records of COLLECTION hold: form_id, version, definition, digest
(of the content without its version number), source ("file" or "editor"),
published_by, published_at. A form's versions are inserted under one lock in
increasing order, so the newest record of a form is its highest version.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from forms.definition import FormDefinition, parse_definition

COLLECTION = "form_versions"
LOCK = "form_versions"
EDITOR, FILE = "editor", "file"


def digest(data: dict) -> str:
    """Return the fingerprint of a definition's content, its version number left out."""
    # Two files that differ only in their version, or in key order, are one content.
    body = {k: v for k, v in data.items() if k not in ("version", "$schema")}
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def latest(store, form_id: str, source: str | None = None) -> dict | None:
    """Return the record of the highest version of a form (of one source, if given)."""
    # By the form_id index: every page of a form asks this, and reading every form's
    # versions (whole definitions) cost the PostgreSQL backend a few ms a page.
    where = {"form_id": form_id, **({"source": source} if source else {})}
    found, _total = store.page(COLLECTION, limit=1, where=where)
    return found[0] if found else None


def listing(store, form_id: str) -> list[dict]:
    """Return the records of every version of a form, oldest first."""
    return store.find(COLLECTION, where={"form_id": form_id})


def get(store, form_id: str, version: object) -> FormDefinition | None:
    """Return the frozen definition of one version, or None."""
    if isinstance(version, bool) or not isinstance(version, int):
        return None
    found = store.find(COLLECTION, where={"form_id": form_id, "version": version})
    return FormDefinition(found[0]["definition"]) if found else None


def form_ids(store) -> set[str]:
    """Return the ids of the forms with a frozen version."""
    return {str(v) for v in store.distinct(COLLECTION, "form_id")}


def _insert(store, data: dict, number: int, source: str, by: str) -> dict:
    data = dict(data, version=number)
    record = {
        "form_id": data["id"],
        "version": number,
        "definition": data,
        "digest": digest(data),
        "source": source,
        "published_by": by,
        "published_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    record["id"] = store.insert(COLLECTION, record)
    return record


def _top(store, form_id: str) -> int:
    newest = latest(store, form_id)
    return newest["version"] if newest else 0


def _frozen_copy(store, form: FormDefinition) -> dict | None:
    same = store.find(COLLECTION, where={"form_id": form.id, "digest": digest(form.data)})
    exact = [r for r in same if r["version"] == form.version]
    return (exact or same[-1:] or [None])[0]


def _next_number(store, form: FormDefinition) -> int:
    # A file keeps its own number unless a frozen version already has it or a
    # higher one (the file was edited without raising it): then it gets the next.
    top = _top(store, form.id)
    return form.version if form.version > top else top + 1


def resolve(store, form: FormDefinition) -> FormDefinition:
    """Return `form` with the number it has, or will have once frozen, without freezing it."""
    found = _frozen_copy(store, form)
    if found is not None:
        return FormDefinition(found["definition"])
    return FormDefinition(dict(form.data, version=_next_number(store, form)))


def freeze(store, form: FormDefinition, by: str = "") -> FormDefinition:
    """Return `form` as a frozen version, freezing its content now if it never was."""
    found = _frozen_copy(store, form)
    if found is None:
        with store.lock(LOCK):
            found = _frozen_copy(store, form)
            if found is None:
                found = _insert(store, form.data, _next_number(store, form), FILE, by)
    return FormDefinition(found["definition"])


def publish(
    store, data: dict, *, by: str, replaces: FormDefinition | None = None, audit=None
) -> dict:
    """Validate `data` and freeze it as the next version of its form; return the record.

    Raises forms.definition.DefinitionError, publishing nothing, when it is invalid.
    `audit(tx, record)` writes the audit entry in the transaction that stores the version.
    `replaces` (the version in use now) is frozen first, so the history that the
    editor shows and compares always holds the version a new one replaced.
    """
    if replaces is not None:
        replaces = freeze(store, replaces, by)
    with store.lock(LOCK):
        number = max(_top(store, data.get("id", "")), replaces.version if replaces else 0) + 1
        checked = parse_definition(dict(data, version=number), data.get("id") or "definition")
        with store.transaction() as tx:
            record = _insert(tx, checked.data, number, EDITOR, by)
            if audit is not None:
                audit(tx, record)
        return record
