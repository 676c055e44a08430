"""Erase a person on request: anonymise his submissions, trim his letters, delete his files.

Submissions stay as empty shells (form, version, channel, date) so statistics
still count them. The letters register keeps what the law requires of an
outgoing register (number, date, type, template, who issued it); the
recipient's name, the link to his request and the verification code go.
An archived letter younger than the retention period keeps its bytes; an
older one loses them. A file is deleted only once no remaining record refers
to it: files are stored by content, so two records may share one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from accounts.audit import COLLECTION as AUDIT
from accounts.audit import anonymise
from cases.beneficiaries import BENEFICIARIES
from cases.outbox import OUTBOX
from cases.registrations import REGISTRATIONS
from cases.service import CASES
from deliveries.records import DELIVERIES
from letters.issue import REGISTER
from privacy.export import documents
from privacy.person import Person
from submissions.service import collection

DEFAULT_RETENTION_YEARS = 10
RETENTION_KEY = "letters_retention_years"  # in the association's settings record
ERASED_NAME = "—"
# What the audit entries about his records keep: what happened, not what he gave.
AUDIT_KEEPS = frozenset(
    {"number", "template", "submission", "field", "count", "output", "state", "ref"}
)


def retention_years(store) -> int:
    """Return the years letters are kept, from the association profile (default 10)."""
    value = (store.get("settings", 1) or {}).get(RETENTION_KEY)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return DEFAULT_RETENTION_YEARS


def _expired(issued: str | None, years: int, today: dt.date) -> bool:
    try:
        day = dt.date.fromisoformat(str(issued))
    except ValueError:
        return True  # no readable date: nothing shows the law still needs it
    try:
        until = day.replace(year=day.year + years)
    except ValueError:  # 29 February
        until = day.replace(year=day.year + years, day=28)
    return until <= today


def _strings(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def still_used(store, digests: set[str]) -> set[str]:
    """Return those of `digests` that some record still refers to.

    The audit trail is left out: it tells what happened, it does not keep a file alive.
    """
    used: set[str] = set()
    for name in store.collections():
        if name == AUDIT:
            continue
        for record in store.iter(name):
            used.update(s for s in _strings(record) if s in digests)
    return used


def _erase_letter(store, letter: dict, years: int, today: dt.date, now: str) -> set[str]:
    """Trim one register entry; return the archive digests it no longer holds."""
    changes = {"recipient": ERASED_NAME, "answers": {}, "code": None, "erased_at": now}
    if isinstance(letter.get("void"), dict):  # that it was voided, when and by whom stay
        changes["void"] = {**letter["void"], "reason": ERASED_NAME}
    dropped: set[str] = set()
    if _expired(letter.get("date"), years, today):
        dropped = {d for d in (letter.get("sha256"), letter.get("pdf_sha256")) if d}
        changes.update(sha256=None, pdf_sha256=None, archive_erased=True)
    store.update(REGISTER, letter["id"], changes)
    return dropped


def _erase_case(store, case: dict, now: str) -> set[str]:
    """Keep a request's course (states, dates, channel) for statistics, drop the person."""
    files = {s["file"]["sha256"] for s in case.get("services", []) if s.get("file")}
    files |= {d["sha256"] for d in case.get("documents", []) if d.get("sha256")}
    history = [{**step, "note": ""} for step in case.get("history", [])]
    services = [
        {"proof": s.get("proof"), "service_date": s.get("service_date")}
        for s in case.get("services", [])
    ]
    decision = {
        k: v
        for k, v in (case.get("decision") or {}).items()
        if k in ("outcome", "date", "meeting_number")
    }
    changes = {
        "name": ERASED_NAME,
        "national_id": "",
        "history": history,
        "services": services,
        # what he sent from his own page: which document and when, not the file
        "documents": [
            {"field": d.get("field"), "at": d.get("at")} for d in case.get("documents", [])
        ],
        "decision": decision,
        # what staff asked him for, and his visit: kinds and dates, not the notes
        "missing": [
            {k: v for k, v in item.items() if k not in ("note", "document")}
            for item in case.get("missing") or []
        ],
        "erased_at": now,
    }
    if case.get("visit"):
        changes["visit"] = {"on": case["visit"].get("on"), "time": case["visit"].get("time")}
    store.update(CASES, case["id"], changes)
    return files


def _erase_registrations(store, person: Person, now: str) -> None:
    """Keep his registrations' course (program, status, attendance counts by id), drop who
    he is."""
    blank = {"name": ERASED_NAME, "national_id": "", "mobile": "", "erased_at": now}
    for registration in person.registrations:
        store.update(REGISTRATIONS, registration["id"], blank)


def _erase_messages(store, person: Person) -> None:
    """His messages (about his registrations, his requests) lose their number and text."""
    for message in person.messages:
        store.update(
            OUTBOX, message["id"], {"mobile": "", "email": "", "text": "", "status": "erased"}
        )


def _erase_delivery(store, delivery: dict, now: str) -> set[str]:
    """Keep what was delivered, when and how much (the accounts), drop the person: his
    name, ID, IBAN, the proofs and signatures (returned, to delete once unused)."""
    vouchers = delivery.get("vouchers") or []
    files = {p["sha256"] for p in delivery.get("proofs") or ()}
    files |= {v[k]["sha256"] for v in vouchers for k in ("signature", "signed_scan") if v.get(k)}
    changes = {
        "name": ERASED_NAME,
        "national_id": "",
        "description": "",
        "note": "",
        "proofs": [],
        "vouchers": [{k: v[k] for k in ("letter_id", "number", "kind")} for v in vouchers],
        "erased_at": now,
    }
    if delivery.get("transfer"):
        changes["transfer"] = {**delivery["transfer"], "iban": ""}
    store.update(DELIVERIES, delivery["id"], changes)
    return files


def erase_person(
    store, forms, person: Person, *, retention_years: int, today: dt.date | None = None
) -> dict:
    """Anonymise everything held about `person`; return counts for the audit trail."""
    today = today or dt.date.today()
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    candidates: set[str] = set()
    for form, record in person.submissions:
        candidates.update(ref["sha256"] for _path, ref in documents(record))
        store.update(
            collection(form.id),
            record["id"],
            {"answers": {}, "people": [], "erased": True, "erased_at": now},
        )
    for case in person.cases:
        candidates |= _erase_case(store, case, now)
    _erase_messages(store, person)
    _erase_registrations(store, person, now)
    for delivery in person.deliveries:
        candidates |= _erase_delivery(store, delivery, now)
    if person.beneficiary:
        store.replace(BENEFICIARIES, person.beneficiary["id"], {"erased_at": now})
    erased = 0
    for letter in person.letters:
        dropped = _erase_letter(store, letter, retention_years, today, now)
        erased += bool(dropped)
        candidates |= dropped
    unused = candidates - still_used(store, candidates)
    deleted = sum(store.delete_file(digest) for digest in sorted(unused))
    targets = {(f"submission:{form.id}", str(rec["id"])) for form, rec in person.submissions}
    targets |= {("letter", str(letter["id"])) for letter in person.letters}
    targets |= {("case", str(case["id"])) for case in person.cases}
    targets |= {("program_registration", str(r["id"])) for r in person.registrations}
    targets |= {("delivery", str(d["id"])) for d in person.deliveries}
    blanked = anonymise(store, targets, keep=AUDIT_KEEPS, mark=ERASED_NAME)
    return {
        "submissions": len(person.submissions),
        "forms": person.counts(),
        "letters": len(person.letters),
        "requests": len(person.cases),
        "program_registrations": len(person.registrations),
        "deliveries": len(person.deliveries),
        "letter_archives_kept": len(person.letters) - erased,
        "letter_archives_erased": erased,
        "files_deleted": deleted,
        "audit_entries_blanked": blanked,
        "retention_years": retention_years,
    }
