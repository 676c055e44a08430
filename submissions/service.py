"""Save and find submissions: one store collection per form.

A submission keeps the form's id and version, the answers, the channel, who
entered it, when, and a reference number a person can read over the phone
(SR-1448-00012). Uploads are stored first, by content hash, so the record
only ever holds references.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from accounts import audit as trail
from accounts.audit import Actor
from forms.dates import hijri_year
from forms.definition import FormDefinition
from forms.people import people_in
from forms.validation import store_files
from forms.versions import freeze
from submissions.search import as_identifier, masked_identifier, matcher


def collection(form_id: str) -> str:
    return f"submissions/{form_id}"


def save(
    store,
    form: FormDefinition,
    answers: dict,
    *,
    channel: str | None,
    entered_by: str,
    about: dict | None = None,
    audit: Callable[[object, dict], None] | None = None,
) -> dict:
    """Store one validated submission and return the stored record.

    `about` links it to a beneficiary and his request (a personal survey link).
    `audit(tx, record)` writes its audit entry in the same transaction.
    """
    # The version is frozen before the record names it: whatever happens to the
    # form's file or draft later, this submission keeps the labels it was given.
    form = freeze(store, form)
    answers = store_files(answers, store.put_file)
    now = dt.datetime.now(dt.UTC)
    number = store.next_number(f"ref_{form.id}")
    record = {
        "ref": f"{form.ref_prefix}-{hijri_year(now.date())}-{number:05d}",
        "form_id": form.id,
        "form_version": form.version,
        "answers": answers,
        "people": people_in(form, answers),
        "channel": channel,
        "entered_by": entered_by,
        "created_at": now.isoformat(timespec="seconds"),
    }
    if about:
        record["about"] = dict(about)
    with store.transaction() as tx:
        record["id"] = tx.insert(collection(form.id), record)
        if audit is not None:
            audit(tx, record)
    return record


def get(store, form_id: str, rid: int) -> dict | None:
    return store.get(collection(form_id), rid)


def versions_used(store, form_id: str) -> list[int]:
    """Return the form versions a form's submissions were made with."""
    return [v for v in store.distinct(collection(form_id), "form_version") if isinstance(v, int)]


def matching(store, form: FormDefinition, query: str, who: Actor) -> list[dict]:
    """Return every submission the search `query` finds (all when empty), oldest first."""
    found = matcher(form, query, any_part_of_ids=who.can("pii.reveal"))
    return store.find(collection(form.id), found)


def search(
    store, form: FormDefinition, query: str, who: Actor, page: int = 1, per_page: int = 20
) -> tuple[list[dict], int]:
    """Return (records, total) for one page of a form's submissions, newest first.

    A search by a whole identifier is a look-up of a person: it is audited like a
    reveal, with the identifier masked as the pages show it.
    """
    page = max(page, 1)
    records, total = store.page(
        collection(form.id),
        offset=(page - 1) * per_page,
        limit=per_page,
        predicate=matcher(form, query, any_part_of_ids=who.can("pii.reveal")),
        newest_first=True,
    )
    whole = as_identifier(query) if query.strip() else None
    if whole:
        kind, value = whole
        after = {"field": kind, "value": masked_identifier(kind, value), "found": total}
        trail.write(store, who, "search", f"submissions:{form.id}", None, after=after)
    return records, total
