"""The beneficiary registry: one person, one record, keyed by national ID or iqama number.

A second request from the same person finds his first record instead of
making another; the lookup and the insert happen in one transaction of the
store (which holds its write lock), so two staff saving at the same moment
still make one record.
"""

from __future__ import annotations

import datetime as dt

from accounts import audit
from cases import outbox
from forms.saudi import clean_national_id

BENEFICIARIES = "beneficiaries"
# the languages his messages are written in: Arabic unless he chose English
LANGUAGES = {"ar": "العربية", "en": "English"}


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def find(store, national_id: str) -> dict | None:
    """Return the person's record, or None (ValueError for an ID that is not valid)."""
    nid = clean_national_id(national_id)
    found = store.find(BENEFICIARIES, where={"national_id": nid})
    return found[0] if found else None


def register(store, tx, national_id: str, details: dict) -> tuple[dict, bool]:
    """Return the person's record, made or brought up to date, and whether it is new.

    `details` (name, mobile, gender, nationality) replaces what is stored: the
    newest request knows his current phone. `tx` is the store's transaction that
    opens the request (the lookup reads `store`, which it holds still).
    """
    nid = clean_national_id(national_id)
    fresh = {k: v for k, v in details.items() if v not in (None, "")}
    found = store.find(BENEFICIARIES, where={"national_id": nid})
    if found:
        record = tx.update(BENEFICIARIES, found[0]["id"], {**fresh, "updated_at": now()})
        old, new = found[0].get("mobile", ""), record.get("mobile", "")
        if record.get("messages_refused") and old != new:  # his refusal follows his number
            outbox.mark_refusal(tx, old, None)
            outbox.mark_refusal(tx, new, record["id"])
        return record, False
    record = {"national_id": nid, **fresh, "created_at": now(), "updated_at": now()}
    record["id"] = tx.insert(BENEFICIARIES, record)
    return record, True


def set_language(store, bid: int, language: str, who) -> dict:
    """Keep the language the beneficiary reads his messages in (Arabic or English), audited."""
    if language not in LANGUAGES:
        raise ValueError(language)
    with store.transaction() as tx:
        person = tx.get(BENEFICIARIES, bid)
        if person is None:
            raise LookupError(bid)
        before = person.get("language") or "ar"
        after = tx.update(BENEFICIARIES, bid, {"language": language})
        audit.write(
            tx, who, "message_language", "beneficiary", bid,
            before={"language": before}, after={"language": language},
        )  # fmt: skip
    return after
