"""Find everything Rifd holds about one person, by his national ID or iqama number.

A person is matched by the form definitions' field types, not by field names:
any top-level field or repeat-row field of type national_id that holds his
number (a family member listed in someone else's request is found too).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cases.beneficiaries import BENEFICIARIES
from cases.outbox import OUTBOX
from cases.programs import PROGRAMS
from cases.registrations import REGISTRATIONS
from cases.service import CASES
from deliveries.records import DELIVERIES
from forms.definition import FormDefinition
from forms.people import id_fields, in_rows
from forms.saudi import clean_national_id, compact
from letters.issue import REGISTER
from store import AnyOf
from submissions.service import collection
from upgrades.people import PEOPLE_STEP, UPGRADES


@dataclass
class Person:
    """One person's records: (form, submission) pairs and the letters issued on them."""

    national_id: str
    submissions: list[tuple[FormDefinition, dict]] = field(default_factory=list)
    letters: list[dict] = field(default_factory=list)
    beneficiary: dict | None = None  # his record in the registry
    cases: list[dict] = field(default_factory=list)  # his requests through the policy
    registrations: list[dict] = field(default_factory=list)  # in programs, by his ID
    deliveries: list[dict] = field(default_factory=list)  # what was delivered to him
    messages: list[dict] = field(default_factory=list)  # sent him about those, oldest first

    @property
    def found(self) -> bool:
        return bool(
            self.submissions or self.letters or self.beneficiary or self.cases or self.registrations
        )

    def counts(self) -> dict[str, int]:
        """Return the number of submissions per form id."""
        counts: dict[str, int] = {}
        for form, _record in self.submissions:
            counts[form.id] = counts.get(form.id, 0) + 1
        return counts


def mask(national_id: str) -> str:
    """Return the ID with all but the last four digits hidden, as the audit trail shows it."""
    return "*" * (len(national_id) - 4) + national_id[-4:]


def _same(value, national_id: str) -> bool:
    # Stored answers are already ASCII; older imports may not be.
    return isinstance(value, str | int) and compact(str(value)) == national_id


def holds(form: FormDefinition, answers: dict, national_id: str) -> bool:
    """Tell whether `answers` name the person in any national-ID field of `form`."""
    top, rows = id_fields(form)
    if any(_same(answers.get(name), national_id) for name in top):
        return True
    return any(_same(v, national_id) for path in rows for v in in_rows(answers, path))


def find_person(store, forms, national_id: str) -> Person:
    """Return the person's submissions and letters (ValueError for an invalid ID)."""
    nid = clean_national_id(national_id)
    person = Person(nid)
    linked: set[tuple[str, int]] = set()
    for form in forms.all():
        # An ID field renamed or dropped in a later version still names the person in
        # what was filled before: look with every version the submissions were made with.
        used = forms.history(form.id, store.distinct(collection(form.id), "form_version"))
        known = {form.version: form, **used}
        if not any(any(id_fields(f)) for f in known.values()):
            continue
        for record in _named(store, form.id, nid):
            answers = record.get("answers") or {}
            if any(holds(f, answers, nid) for f in known.values()):
                person.submissions.append((known.get(record.get("form_version"), form), record))
                linked.add((form.id, record["id"]))
    registry = store.find(BENEFICIARIES, where={"national_id": nid})
    person.beneficiary = registry[0] if registry else None
    person.cases = store.find(CASES, where={"national_id": nid})
    person.registrations = store.find(REGISTRATIONS, where={"national_id": nid})
    held = {r["program_id"] for r in person.registrations if r.get("program_id")}
    names = {p["id"]: p.get("name", "") for p in store.get_many(PROGRAMS, sorted(held))}
    for registration in person.registrations:
        registration["program_name"] = names.get(registration.get("program_id"), "")
    person.messages = messages_about(store, person.cases, person.registrations)
    for form_id, rid in sorted(linked):
        for letter in store.find(REGISTER, where={"answers.submission_id": rid}):
            if (letter.get("answers") or {}).get("form_id") == form_id:
                person.letters.append(letter)
    if person.beneficiary:
        bid = person.beneficiary["id"]
        person.deliveries = store.find(DELIVERIES, where={"beneficiary_id": bid})
        # His vouchers name the delivery, not a submission.
        held = {letter["id"] for letter in person.letters}
        vouchers = [v["letter_id"] for d in person.deliveries for v in d.get("vouchers") or ()]
        person.letters += store.get_many(REGISTER, [i for i in vouchers if i not in held])
    person.letters.sort(key=lambda letter: letter["id"])
    return person


def _named(store, form_id: str, nid: str):
    """The submissions of a form that may name nid: through the index of the ID numbers
    each one names, once every stored submission has that list (upgrades/people)."""
    if store.count(UPGRADES, where={"step": PEOPLE_STEP}):
        return store.find(collection(form_id), where={"people[]": nid})
    return store.iter(collection(form_id))


def messages_about(store, cases: list[dict], registrations: list[dict]) -> list[dict]:
    """Return the messages about his requests and his program registrations (the outbox
    links each to what it is about), oldest first."""
    found: dict[int, dict] = {}
    for link, items in (("case_id", cases), ("registration_id", registrations)):
        ids = sorted({item["id"] for item in items})
        for message in store.find(OUTBOX, where={link: AnyOf(ids)}) if ids else ():
            found[message["id"]] = message
    return [found[k] for k in sorted(found)]
