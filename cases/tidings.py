"""What a request's beneficiary is told by SMS when it moves, queued with the move itself.

The workflow's moves that the beneficiary hears of, each with its event (messages/); an
event the association switched off, or a beneficiary without a mobile, sends nothing.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from cases.beneficiaries import BENEFICIARIES
from forms.definition import localized
from messages import events

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
# In Arabic whatever language the staff member reads (the message is the beneficiary's).
DECISIONS = {"accepted": "مقبول", "rejected": "مرفوض"}


def context(profile: dict, case: dict, more: dict | None = None) -> dict:
    return (more or {}) | {
        "association": localized(profile.get("name"), "ar"),
        "ref": case.get("ref", ""),
        "decision": DECISIONS.get(case.get("state"), ""),
        "next_step": NEXT_STEP,
    }


def tell(tx, store, profile: dict, case: dict, move: str, more=None) -> dict | None:
    """Queue in `tx` the message the move `move` owes the beneficiary, if any; `more`
    holds what only the page knows (the survey's public link)."""
    event = EVENTS.get(move)
    if event is None or (event == "survey_after_service" and not (more or {}).get("survey_url")):
        return None
    person = tx.get(BENEFICIARIES, case["beneficiary_id"]) or {}
    return events.queue(
        tx, store, event, person.get("mobile", ""), context(profile, case, more), case_id=case["id"]
    )
