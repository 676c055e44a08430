"""Finding anyone: one search box for a name, a mobile, an ID or iqama, or a reference.

A name matches on any part of it, its Arabic spelling variants folded together (the
store's text index of the beneficiaries). Identifiers are different: someone who may
reveal them (pii.reveal) finds a person by any part of his ID or mobile; anyone else
only by typing it whole, since trying one digit after another rebuilds a full ID.
Every search by a whole identifier is in the audit trail, as a reveal is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from accounts import audit
from accounts.audit import Actor
from cases.beneficiaries import BENEFICIARIES
from cases.service import CASES
from forms import saudi
from store import AnyOf, normalize_text
from store.indexes import TRIGRAM
from submissions.search import masked_identifier

PER_PAGE = 20
_REF = re.compile(r"[A-Za-z]{1,12}-\d{4}-\d{1,8}")
_DIGITS_ONLY = re.compile(r"\+?[\d\s-]+")
_LOOKS_LIKE_ID = re.compile(r"[12]\d{9}")  # ten digits from 1 or 2 that fail the check


class SearchError(ValueError):
    """A query that cannot be answered as typed, with what to type instead."""


@dataclass
class Found:
    people: list[dict] = field(default_factory=list)
    requests: dict[int, list[dict]] = field(default_factory=dict)  # by beneficiary id
    total: int = 0
    by: str = ""  # national_id | mobile | ref | name


def _whole(query: str) -> tuple[str, str] | None:
    for kind, clean in (("national_id", saudi.clean_national_id), ("mobile", saudi.clean_mobile)):
        try:
            return kind, clean(query)
        except ValueError:
            continue
    return None


def _by_field(store, kind: str, value: str) -> list[int]:
    return [p["id"] for p in store.find(BENEFICIARIES, where={kind: value})]


def _by_ref(store, ref: str) -> list[int]:
    found = store.find(CASES, where={"ref": ref.upper()})
    return sorted({c["beneficiary_id"] for c in found if c.get("beneficiary_id")})


def _ids(store, query: str, may_reveal: bool, offset: int) -> tuple[list[int], int, str]:
    whole = _whole(query)
    if whole:
        ids = _by_field(store, *whole)
        return ids[offset : offset + PER_PAGE], len(ids), whole[0]
    if _REF.fullmatch(query):
        ids = _by_ref(store, query)
        return ids[offset : offset + PER_PAGE], len(ids), "ref"
    if _LOOKS_LIKE_ID.fullmatch(saudi.compact(query)):
        raise SearchError("invalid_id")
    if _DIGITS_ONLY.fullmatch(query) and not may_reveal:
        raise SearchError("whole")
    needle = normalize_text(saudi.compact(query) if _DIGITS_ONLY.fullmatch(query) else query)
    needle = " ".join(needle.split())
    if len(needle) < TRIGRAM:
        raise SearchError("short")
    needles = {needle, "+966" + needle[1:]} if needle.startswith("05") else {needle}
    found = store.text_search(BENEFICIARIES, sorted(needles), offset=offset, limit=PER_PAGE)
    if found is None:
        raise SearchError("short")
    return found[0], found[1], "name"


def search(store, query: str, who: Actor, *, may_reveal: bool, offset: int = 0) -> Found:
    """Return one page of the people matching `query`, each with his requests."""
    query = " ".join(saudi.normalize_digits(query).split())
    ids, total, by = _ids(store, query, may_reveal, offset)
    if by in ("national_id", "mobile"):
        # Who looked for which person, as pages show an identifier before a reveal.
        shown = masked_identifier(by, _whole(query)[1])
        after = {"field": by, "value": shown, "found": bool(ids)}
        audit.write(store, who, "search", "beneficiary", ids[0] if ids else None, after=after)
    people = store.get_many(BENEFICIARIES, ids)
    requests: dict[int, list[dict]] = {p["id"]: [] for p in people}
    if ids:
        for case in store.find(CASES, where={"beneficiary_id": AnyOf(ids)}):
            requests[case["beneficiary_id"]].append(case)
    for cases_ in requests.values():
        cases_.sort(key=lambda c: c["id"], reverse=True)
    return Found(people, requests, total, by)
