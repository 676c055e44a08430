"""The beneficiary's own access to his request: a one-time code to his registered mobile,
then, for a short while, his details, letters and an upload of what is missing.

The code is queued through the outbox like every message, under its own event that no
setting switches off (the association cannot leave a beneficiary unable to get in by
mistake). It is kept only as a keyed hash, lives ten minutes, and takes five wrong
tries before it must be asked for again after a wait; a request gets a few codes an hour.
Every access after the code is audited as "beneficiary" (accounts/audit.py's Actor).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from flask_babel import lazy_gettext as _l

from accounts import audit
from accounts.audit import Actor
from cases import missing_items, outbox
from cases.beneficiaries import BENEFICIARIES
from cases.service import CASES
from cases.tidings import language_of
from forms.definition import localized
from forms.types.files import file_refs
from forms.validation import visible_fields

OWN_CODES = "own_codes"
EVENT = "own_page_code"
CODE_MINUTES = 10
MAX_TRIES = 5
WAIT_MINUTES = 15  # after MAX_TRIES wrong codes, or SENDS_PER_HOUR codes in an hour
SENDS_PER_HOUR = 3
SESSION_MINUTES = 30
WHO = "beneficiary"
SUBJECTS = {"ar": "رمز الدخول إلى صفحة طلبك", "en": "The code to your request's page"}


class Refused(Exception):
    """The code cannot be sent or taken now; the message says why, in Arabic."""

    def __init__(self, message, *, later: bool = False):
        super().__init__(message)
        self.later = later  # asking again after a wait would work


def beneficiary(ip: str) -> Actor:
    return Actor(WHO, ip)


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or dt.datetime.now(dt.UTC)


def _digest(key: str, case_id: int, code: str) -> str:
    return hmac.new(key.encode(), f"{case_id}:{code}".encode(), hashlib.sha256).hexdigest()


def _kept(store, case_id: int) -> dict | None:
    found = store.find(OWN_CODES, where={"case_id": case_id})
    return found[0] if found else None


def contact_of(store, case: dict) -> tuple[str, str, str]:
    """Return where his code goes: (channel, address, language). His registered mobile,
    else his e-mail; ("", "", language) with neither."""
    person = store.get(BENEFICIARIES, case["beneficiary_id"]) or {}
    language = language_of(person)
    if person.get("mobile"):
        return outbox.SMS, person["mobile"], language
    if person.get("email"):
        return outbox.EMAIL, person["email"], language
    return "", "", language


def _waiting(kept: dict | None, moment: dt.datetime) -> bool:
    return bool(kept and kept.get("wait_until", "") > outbox.now_iso(moment))


def _code_text(ref: str, code: str, language: str) -> str:
    if language == "en":
        return f"The code to your request's page {ref}: {code} (valid {CODE_MINUTES} minutes)"
    return f"رمز الدخول إلى صفحة طلبك {ref}: {code} (صالح {CODE_MINUTES} دقائق)"


def send_code(store, case: dict, key: str, who: Actor, now=None) -> str:
    """Queue a new code to the request's registered mobile (or, with none, his e-mail);
    return the channel it went by.

    Raises Refused with neither, while a wait runs, or past the hour's codes."""
    channel, address, language = contact_of(store, case)
    if not address:
        raise Refused(_l("لا يوجد جوال مسجل لطلبك ولا بريد إلكتروني. تواصل مع الجمعية."))
    moment = _now(now)
    with store.lock(OWN_CODES):
        kept = _kept(store, case["id"])
        hour_ago = outbox.now_iso(moment - dt.timedelta(hours=1))
        sends = [s for s in (kept or {}).get("sends", []) if s > hour_ago]
        if _waiting(kept, moment) or len(sends) >= SENDS_PER_HOUR:
            raise Refused(_l("طلبت رموزًا كثيرة. انتظر قليلًا ثم أعد المحاولة."), later=True)
        code = f"{secrets.randbelow(10**6):06d}"
        record = {
            "case_id": case["id"],
            "hash": _digest(key, case["id"], code),
            "expires_at": outbox.now_iso(moment + dt.timedelta(minutes=CODE_MINUTES)),
            "tries": 0,
            "wait_until": "",
            "sends": [*sends, outbox.now_iso(moment)],
        }
        text = _code_text(case["ref"], code, language)
        by = {"channel": outbox.EMAIL, "email": address, "subject": SUBJECTS[language]}
        by = by if channel == outbox.EMAIL else {}
        with store.transaction() as tx:
            if kept is None:
                tx.insert(OWN_CODES, record)
            else:
                tx.update(OWN_CODES, kept["id"], record)
            # Asked for now: not held for the night (it lasts minutes), nor refused.
            mobile = address if channel == outbox.SMS else ""
            outbox.queue(tx, mobile, text, EVENT, case_id=case["id"], asked=True, **by)
            audit.write(tx, who, "send_code", "case", case["id"], after={"by": channel})
    return channel


def check_code(store, case: dict, key: str, code: str, who: Actor, now=None) -> None:
    """Take the code entered for the request, once; raise Refused when it is not right."""
    moment = _now(now)
    with store.lock(OWN_CODES):
        kept = _kept(store, case["id"])
        if _waiting(kept, moment):
            raise Refused(
                _l("أدخلت رموزًا خاطئة كثيرة. انتظر ربع ساعة ثم اطلب رمزًا جديدًا."), later=True
            )
        if not kept or not kept.get("hash") or kept["expires_at"] <= outbox.now_iso(moment):
            raise Refused(_l("انتهت صلاحية الرمز أو لم يُطلب. اطلب رمزًا جديدًا."))
        right = hmac.compare_digest(kept["hash"], _digest(key, case["id"], code.strip()))
        tries = kept.get("tries", 0) + 1
        changes = {"hash": "", "tries": 0} if right else {"tries": tries}
        if not right and tries >= MAX_TRIES:
            wait = moment + dt.timedelta(minutes=WAIT_MINUTES)
            changes = {"hash": "", "tries": 0, "wait_until": outbox.now_iso(wait)}
        with store.transaction() as tx:
            tx.update(OWN_CODES, kept["id"], changes)
            audit.write(tx, who, "enter_code" if right else "wrong_code", "case", case["id"])
    if not right:
        raise Refused(_l("الرمز غير صحيح."))


def missing(form, answers: dict, case: dict, lang: str = "ar") -> list[dict]:
    """Return the documents his request lacks: the documents staff asked for (waiting),
    then each file question of the request form shown for his answers (a medical report
    only where asked), empty, and not sent since."""
    shown, _values = visible_fields(form, answers, "public")
    sent = {d.get("field") for d in case.get("documents") or []}
    asked = [
        {"name": f"item-{i['id']}", "label": i["note"], "item": i["id"]}
        for i in missing_items.waiting(case)
        if i["kind"] == "document"
    ]
    return asked + [
        {"name": f["name"], "label": localized(f.get("label"), lang)}
        for f in form.answer_fields()
        if f["type"] == "file"
        and f["name"] in shown - sent
        and not file_refs(answers.get(f["name"]))
    ]


def attach(store, case_id: int, ref: dict, lack: dict, who: Actor, case_url: str = "") -> dict:
    """File a document the beneficiary sent for `lack` (one of missing()); settle the item
    staff asked for, if it answers one; tell staff by e-mail; audited."""
    document = ref | {
        "field": lack["name"],
        "what": lack["label"][:200],
        "at": outbox.now_iso(),
        "by": who.username,
    }
    with store.transaction() as tx:
        case = tx.get(CASES, case_id)
        if case is None:
            raise LookupError(case_id)
        changes = {"documents": [*(case.get("documents") or []), document]}
        if lack.get("item"):
            changes["missing"] = missing_items.settle_by_upload(tx, case, lack["item"], document)
        tx.update(CASES, case_id, changes)
        trail = {"what": document["what"]} | ({"item": lack["item"]} if lack.get("item") else {})
        audit.write(tx, who, "upload", "case", case_id, after=trail)
        missing_items.tell_staff(tx, store, case, document["what"], case_url)
    return document
