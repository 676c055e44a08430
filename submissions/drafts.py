"""Unfinished entries: what a member of staff typed into a form, kept until she sends it.

Two things make one: she saves a long form as a draft to finish later, or her session
expires while the form is open and her next POST arrives without a signed-in user
(web/auth.py holds it for the user the expired session names). Either way the posted
fields are kept as they were sent (the signature is one of them) and the uploaded files
by their content hash, for her alone; the page comes back filled from them.

A draft is not a submission: it has no reference number, is in no list of answers and
no export, and is deleted in the same step as the submission made from it is stored.
"""

from __future__ import annotations

import datetime as dt

from accounts import audit as trail
from accounts.audit import Actor

COLLECTION = "submission_drafts"
MAX_FIELDS = 2000  # a form's posted values; more is not a person's typing
MAX_FILES = 20
REASONS = ("draft", "expired")


class DraftError(ValueError):
    """A draft that cannot be kept as sent (too many values or files)."""


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def keep(
    store,
    who: Actor,
    user_id: int,
    form_id: str,
    fields: list[tuple[str, str]],
    files: dict[str, list[tuple[bytes, str]]],
    *,
    reason: str,
    resume: str,
    replace: dict | None = None,
) -> dict:
    """Keep what was posted for `user_id` and return the draft (replacing `replace`).

    `fields` are the posted (name, value) pairs, `files` the uploads by field name,
    each a list of (content, file name) (a field may take several); `resume` is the
    page that shows the form again. A field's files are kept as a list of references;
    drafts kept before several were allowed hold one reference instead (read both with
    forms.types.files.file_refs).
    """
    if reason not in REASONS:
        raise ValueError(reason)
    if len(fields) > MAX_FIELDS or sum(len(chosen) for chosen in files.values()) > MAX_FILES:
        raise DraftError("too many")
    kept = {
        name: [
            {"sha256": store.put_file(data), "name": filename[:200], "size": len(data)}
            for data, filename in chosen
        ]
        for name, chosen in files.items()
    }
    if replace:  # files kept before and not chosen again stay kept
        kept = {**replace.get("files", {}), **kept}
    record = {
        "user_id": user_id,
        "form_id": form_id,
        "reason": reason,
        "fields": [[str(k), str(v)] for k, v in fields if k != "csrf_token"],
        "files": kept,
        "resume": resume,
        "saved_at": _now(),
    }
    with store.transaction() as tx:
        if replace:
            tx.update(COLLECTION, replace["id"], record)
            record["id"] = replace["id"]
        else:
            record["id"] = tx.insert(COLLECTION, record)
        # Who kept which form, never what it says: the answers are not an audit's business.
        count = sum(len(v) if isinstance(v, list) else 1 for v in kept.values())
        after = {"form_id": form_id, "reason": reason, "files": count}
        trail.write(tx, who, "keep_draft", "submission_draft", record["id"], after=after)
    return record


def mine(store, user_id: int, draft_id: int | None) -> dict | None:
    """Return the draft if it is `user_id`'s, else None (another's draft does not exist)."""
    if draft_id is None:
        return None
    record = store.get(COLLECTION, draft_id)
    return record if record and record["user_id"] == user_id else None


def listing(store, user_id: int) -> list[dict]:
    """Return the person's drafts, newest first."""
    found = store.find(COLLECTION, where={"user_id": user_id})
    return sorted(found, key=lambda r: r["saved_at"], reverse=True)


def discard(store, who: Actor, user_id: int, draft_id: int) -> bool:
    """Delete one of the person's drafts; False if she has no such draft."""
    with store.transaction() as tx:
        record = tx.get(COLLECTION, draft_id)
        if record is None or record["user_id"] != user_id:
            return False
        tx.delete(COLLECTION, draft_id)
        trail.write(tx, who, "discard_draft", "submission_draft", draft_id)
    return True


def sent(tx, draft: dict | None) -> None:
    """Inside the transaction that stores the submission: the draft it came from goes."""
    if draft is not None:
        tx.delete(COLLECTION, draft["id"])
