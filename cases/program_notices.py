"""What the accepted are told: the program acceptance notice and the acceptance message.

Both say where and when the first session is held, the arrangements and what to bring.
The notice is the shipped letter program_acceptance, issued through the letters
machinery (numbered, archived, verifiable); the message waits in the outbox.
"""

from __future__ import annotations

from accounts.audit import Actor
from cases import operations
from cases.beneficiaries import BENEFICIARIES
from cases.registrations import REGISTRATIONS
from cases.tidings import language_of
from forms.dates import format_date
from forms.definition import localized
from letters.bulk import LETTER_FAILURES
from messages import events
from submissions import service

NOTICE = "program_acceptance"
EVENT = "program_acceptance"  # its text message (messages/templates.py)
PLACES = {"in_person": "", "remote": "عن بعد: "}


def first_session(program: dict) -> dict:
    sessions = program.get("sessions") or []
    return sessions[0] if sessions else {}


def where(program: dict) -> str:
    """Return the place of the first session as people read it (a remote one says so)."""
    session = first_session(program)
    place = session.get("place") or program.get("place") or ""
    return PLACES.get(session.get("mode", "in_person"), "") + place


def notice_fields(program: dict) -> dict:
    """Return the program fields the acceptance notice prints (letters.bulk.PROGRAM_FIELDS)."""
    session = first_session(program)
    return {
        "program_name": program["name"],
        "program_place": where(program),
        "program_start_date": format_date(session.get("day") or program["starts_on"]),
        "program_end_date": format_date(program.get("ends_on") or ""),
        "program_time": session.get("time", ""),
        "program_what_to_bring": program.get("what_to_bring", ""),
        "program_arrangements": program.get("arrangements", ""),
    }


def message_context(profile: dict, program: dict, language: str = "ar") -> dict:
    """Return what the acceptance message may say: the place, time and what to bring."""
    session = first_session(program)
    return {
        "association": localized(profile.get("name"), language),
        "program": program["name"],
        "date": format_date(session.get("day") or program["starts_on"], language),
        "time": session.get("time", ""),
        "place": where(program),
        "arrangements": program.get("arrangements", ""),
        "what_to_bring": program.get("what_to_bring", ""),
    }


def message_text(store, profile: dict, program: dict, language: str = "ar") -> str:
    """Return the acceptance text message, from the association's template of the event."""
    return events.text(store, EVENT, message_context(profile, program, language), language)


def acceptance_message(store, profile: dict, program: dict):
    """Return what an acceptance queues (registration -> (mobile, text)), or None when the
    association switched the acceptance message off. The text is in the language of the
    registered beneficiary (Arabic unless he chose English on his file)."""
    if not events.enabled(store, EVENT):
        return None
    texts = {lang: message_text(store, profile, program, lang) for lang in events.LANGUAGES}

    def message(registration: dict) -> tuple[str, str]:
        bid = registration.get("beneficiary_id")
        person = (store.get(BENEFICIARIES, bid) if bid else None) or {}
        return registration.get("mobile", ""), texts[language_of(person)]

    return message


def issue_notices(store, forms, program: dict, accepted: list[dict], who: Actor, base_url: str):
    """Issue the acceptance notice of each accepted registration that came from a form;
    return (registration, letter or None, error text). A failed notice takes no number
    and leaves the acceptance standing: the program's page offers it again."""
    out = []
    for registration in accepted:
        if not registration.get("submission_id"):
            continue  # a walk-in: he is in the room already
        record = service.get(store, registration["form_id"], registration["submission_id"])
        form = record and (forms.for_record(record) or forms.get(registration["form_id"]))
        if form is None:
            out.append((registration, None, "no form"))
            continue
        try:
            letter = operations.issue_letter(
                store,
                form,
                record,
                NOTICE,
                who=who,
                fields=notice_fields(program),
                again=True,  # each acceptance is its own decision, with its own number
                base_url=base_url,
            )
        except (*LETTER_FAILURES, PermissionError) as problem:
            out.append((registration, None, str(problem)))
            continue
        notice = {"letter_id": letter["id"], "number": letter["number"]}
        store.update(REGISTRATIONS, registration["id"], {"notice": notice})
        out.append((registration, letter, ""))
    return out
