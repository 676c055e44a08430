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
from submissions.search import as_identifier, masked_identifier, matcher, needles
from surveys import tallies


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
        # Its facts and its day's tally in the same step: a results page never counts an
        # answer that is not stored, nor misses one that is.
        tallies.add(store, tx, form, record)
        record["id"] = tx.insert(collection(form.id), record)
        if audit is not None:
            audit(tx, record)
    return record


def last_entered_by(store, form_id: str, username: str) -> dict | None:
    """Return the last submission of the form this staff member saved, or None."""
    found, _total = store.page(collection(form_id), where={"entered_by": username}, limit=1)
    return found[0] if found else None


def get(store, form_id: str, rid: int) -> dict | None:
    return store.get(collection(form_id), rid)


def versions_used(store, form_id: str) -> list[int]:
    """Return the form versions a form's submissions were made with."""
    return [v for v in store.distinct(collection(form_id), "form_version") if isinstance(v, int)]


def _text_hits(store, form: FormDefinition, query: str, who: Actor, **window):
    """Return (matcher, exact, hits) for a search: hits from the text index or None."""
    reveal = who.can("pii.reveal")
    found = matcher(form, query, any_part_of_ids=reveal)
    texts, exact = needles(query, any_part_of_ids=reveal)
    if found is None:
        return found, exact, None
    return found, exact, store.text_search(collection(form.id), texts, **(window if exact else {}))


def matching(store, form: FormDefinition, query: str, who: Actor) -> list[dict]:
    """Return every submission the search `query` finds (all when empty), oldest first."""
    found, exact, hits = _text_hits(store, form, query, who)
    if hits is None:
        return store.find(collection(form.id), found)
    records = store.get_many(collection(form.id), sorted(hits[0]))
    return records if exact else [r for r in records if found(r)]


def count_matching(store, form: FormDefinition, query: str, who: Actor) -> int:
    """Return how many submissions the search `query` finds, reading as few as it can."""
    if not query.strip():
        return store.count(collection(form.id))
    found, exact, hits = _text_hits(store, form, query, who, offset=0, limit=0)
    if hits is not None and exact:
        return hits[1]
    return len(matching(store, form, query, who))


# A search's hits are counted up to this many and one more: counting a name that most
# of 100,000 submissions hold takes 55 ms, growing with them; "more than 1,000" is enough
# to say that the search needs narrowing.
COUNTED = 1000


def search(
    store, form: FormDefinition, query: str, who: Actor, page: int = 1, per_page: int = 20
) -> tuple[list[dict], int]:
    """Return (records, total) for one page of a form's submissions, newest first; a
    total over COUNTED means "more than COUNTED" (the text index counts no further).

    A search by a whole identifier is a look-up of a person: it is audited like a
    reveal, with the identifier masked as the pages show it.
    """
    page = max(page, 1)
    name, start = collection(form.id), (page - 1) * per_page
    window = {"offset": start, "limit": per_page, "most": COUNTED + 1}
    found, exact, hits = _text_hits(store, form, query, who, **window)
    if hits is None:  # no query, or one the text index cannot answer: read them all
        records, total = store.page(
            name, offset=start, limit=per_page, predicate=found, newest_first=True
        )
    elif exact:
        ids, total = hits
        records = store.get_many(name, ids)
    else:  # the index narrows; the whole-identifier rule decides
        candidates = [r for r in store.get_many(name, hits[0]) if found(r)]
        records, total = candidates[start : start + per_page], len(candidates)
    whole = as_identifier(query) if query.strip() else None
    if whole:
        kind, value = whole
        after = {"field": kind, "value": masked_identifier(kind, value), "found": total}
        trail.write(store, who, "search", f"submissions:{form.id}", None, after=after)
    return records, total
