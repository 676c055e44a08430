"""The documents people hand in (ID copies, bank statements, signatures, proofs of
delivery): who may open one, and the trail each download leaves.

A document shows what the pages mask (an ID copy holds the whole number), so opening
one takes the right to read the record it belongs to and the right to reveal
identifiers, and each download is audited as a reveal is. A file is reached only
through the record that holds it: a digest alone opens nothing, so no archived
letter, template or export is ever served as somebody's attachment.
"""

from __future__ import annotations

from accounts import audit
from accounts.audit import Actor
from store import FilesUnavailable, StoreError

REVEAL = "pii.reveal"


class NotHeld(LookupError):
    """The record holds no such file, or the file is gone from where files are kept."""


def find(value, digest: str, name: str = "") -> tuple[str, dict] | None:
    """Return (field name, reference) of the file `digest` inside `value`, or None."""
    if isinstance(value, dict):
        if value.get("sha256") == digest:
            return name, value
        items = value.items()
    elif isinstance(value, list):
        items = ((name, item) for item in value)  # a repeat's rows: the field's own name
    else:
        return None
    for key, item in items:
        found = find(item, digest, key)
        if found is not None:
            return found
    return None


def _open(store, who: Actor, needs: str, entity: str, entity_id, holding, digest: str):
    if not (who.can(needs) and who.can(REVEAL)):
        raise PermissionError(needs)
    found = find(holding, digest)
    if found is None:
        raise NotHeld(digest)
    field, ref = found
    try:
        stream = store.open_file(digest)  # sent in chunks: a large scan is never read whole
    except FilesUnavailable:
        raise  # unreachable, not missing: a page says so (web/errors.py)
    except (FileNotFoundError, StoreError):
        raise NotHeld(digest) from None
    try:
        after = {"field": field, "name": ref.get("name", ""), "type": ref.get("type", "")}
        audit.write(store, who, "download", entity, entity_id, after=after)
    except BaseException:
        stream.close()
        raise
    return stream, ref


def submission_file(store, who: Actor, form_id: str, record: dict, digest: str):
    """Return (open file, reference) of a file among a submission's answers, for `who`;
    audited. The caller sends the file and closes it.

    Raises PermissionError, or NotHeld when the submission holds no such file.
    """
    entity = f"submission:{form_id}"
    return _open(store, who, "submissions.read", entity, record["id"], record["answers"], digest)


def service_proof(store, who: Actor, case: dict, digest: str):
    """Return (open file, reference) of a proof of delivery, or of a document the
    beneficiary sent from his own page, filed with a request; audited."""
    held = {"services": case.get("services") or [], "documents": case.get("documents") or []}
    return _open(store, who, "cases.read", "case", case["id"], held, digest)


def delivery_proof(store, who: Actor, delivery: dict, digest: str):
    """Return (bytes, reference) of a proof kept with a delivery record (a photo, a scanned
    receipt, a signed voucher, the recipient's drawn signature); audited."""
    held = {"proofs": delivery.get("proofs") or [], "vouchers": delivery.get("vouchers") or []}
    return _open(store, who, "deliveries.read", "delivery", delivery["id"], held, digest)
