"""Save and find submissions: one store collection per form.

A submission keeps the form's id and version, the answers, the channel, who
entered it, when, and a reference number a person can read over the phone
(SR-1448-00012). Uploads are stored first, by content hash, so the record
only ever holds references.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from forms.dates import hijri_year
from forms.definition import FormDefinition
from forms.people import people_in
from forms.saudi import normalize_digits
from forms.validation import store_files
from forms.versions import freeze


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


def _texts(value) -> list[str]:
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return [] if value is None or isinstance(value, bool) else [str(value)]


def matcher(query: str) -> Callable[[dict], bool] | None:
    """Return a predicate matching the reference or any answer containing `query`."""
    needle = normalize_digits(query).strip().casefold()
    if not needle:
        return None
    needles = {needle}
    if re.fullmatch(r"05\d+", needle):  # mobiles are typed 05..., stored +9665...
        needles.add("+966" + needle[1:])

    def match(record: dict) -> bool:
        haystack = [record.get("ref", "")] + _texts(record.get("answers", {}))
        return any(n in text.casefold() for text in haystack for n in needles)

    return match


def matching(store, form_id: str, query: str = "") -> list[dict]:
    """Return every submission the search `query` finds (all when empty), oldest first."""
    return store.find(collection(form_id), matcher(query))


def search(store, form_id: str, query: str = "", page: int = 1, per_page: int = 20):
    """Return (records, total) for one page of a form's submissions, newest first."""
    page = max(page, 1)
    return store.page(
        collection(form_id),
        offset=(page - 1) * per_page,
        limit=per_page,
        predicate=matcher(query),
        newest_first=True,
    )
