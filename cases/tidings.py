"""What a request's beneficiary is told by SMS when it moves, queued with the move itself.

The workflow's moves that the beneficiary hears of, each with its event (messages/); an
event the association switched off, or a beneficiary without a mobile, sends nothing.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from cases.beneficiaries import BENEFICIARIES
from forms.definition import localized
from messages import events
from messages.events import LANGUAGES

# move -> event
EVENTS = {
    "open": "request_received",
    "refer": "research_visit",
    "accept": "committee_decision",
    "reject": "committee_decision",
    "serve": "survey_after_service",  # only with the survey's link (`more`)
}
NEXT_STEP = "سنراجع بياناتك ومستنداتك ونتواصل معك."
# What the beneficiary reads on his own page (web/own_request.py) in each state.
BENEFICIARY_NEXT = {
    "received": _l("تراجع الجمعية بياناتك ومستنداتك، وتتواصل معك إن نقص شيء."),
    "verified": _l("اكتملت مراجعة بياناتك. ستوقّع إقرار صحة البيانات ثم يُرفع طلبك إلى اللجنة."),
    "research": _l("سيتصل بك الباحث الاجتماعي لتحديد موعد الزيارة."),
    "declared": _l("سيُرفع طلبك إلى لجنة البحث."),
    "committee": _l("طلبك لدى لجنة البحث، وتقرر فيه قبل الموعد المبين."),
    "accepted": _l("قُبل طلبك. تواصلك الجمعية لاستلام خطاب القبول وإكمال التسجيل."),
    "rejected": _l("اعتذرت اللجنة عن طلبك. يبين خطاب القرار السبب وطريقة التظلم أو إعادة التقديم."),
    "registered": _l("سُجّلت، وستُقدَّم لك الخدمة."),
    "served": _l("قُدّمت لك الخدمة. يسعدنا رأيك فيها."),
    "closed": _l("الطلب مغلق."),
}
# In the beneficiary's language (Arabic unless he chose English), whatever the language the
# staff member reads: the message is his.
NEXT_STEPS = {"ar": NEXT_STEP, "en": "We will review your details and documents and contact you."}
DECISIONS = {
    "ar": {"accepted": "مقبول", "rejected": "مرفوض"},
    "en": {"accepted": "accepted", "rejected": "declined"},
}


def language_of(person: dict) -> str:
    """Return the language the beneficiary reads his messages in ("ar" unless he chose)."""
    return person.get("language") if person.get("language") in LANGUAGES else "ar"


def context(profile: dict, case: dict, more: dict | None = None, language: str = "ar") -> dict:
    return (more or {}) | {
        "association": localized(profile.get("name"), language),
        "ref": case.get("ref", ""),
        "decision": DECISIONS[language].get(case.get("state"), ""),
        "next_step": NEXT_STEPS[language],
    }


def send(tx, store, profile: dict, case: dict, event: str, more=None, by_language=None):
    """Queue in `tx` the message of `event` to the request's beneficiary, in his language.

    `more` adds to the message's context; `by_language` ({"ar": {...}, "en": {...}}) adds
    what is worded per language (a date, a weekday)."""
    person = tx.get(BENEFICIARIES, case["beneficiary_id"]) or {}
    language = language_of(person)
    made = context(
        profile, case, {**(more or {}), **(by_language or {}).get(language, {})}, language
    )
    return events.queue(
        tx, store, event, person.get("mobile", ""), made, language, case_id=case["id"]
    )


def tell(tx, store, profile: dict, case: dict, move: str, more=None) -> dict | None:
    """Queue in `tx` the message the move `move` owes the beneficiary, if any; `more`
    holds what only the page knows (the survey's public link)."""
    event = EVENTS.get(move)
    if event is None or (event == "survey_after_service" and not (more or {}).get("survey_url")):
        return None
    return send(tx, store, profile, case, event, more)
