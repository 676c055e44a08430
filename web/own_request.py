"""The beneficiary's own page for his request: a signed, expiring link sent in the
"request received" message.

Whoever holds the link sees only the request's state, next step and deadline. His name,
masked ID, letters and what is missing wait for a one-time code sent to his registered
mobile (cases/own_access.py); after it, for half an hour, he may download his letters and
upload a missing document. Each access is audited as the beneficiary.
"""

from __future__ import annotations

import datetime as dt
import io

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

import store
from accounts import audit
from cases import missing_items, outbox, own_access, visits
from cases.operations import letters_of
from cases.service import CASES, due_date
from cases.tidings import BENEFICIARY_NEXT
from cases.workflow import OPEN, STATES
from forms.messages import message
from forms.types.base import FieldError
from forms.types.files import File
from letters.issue import is_void
from privacy.person import mask
from submissions import service as submissions
from submissions.service import collection
from web import survey_links
from web.cases import survey_due
from web.filling import library
from web.i18n import current_lang
from web.letters import DOCX, download_name, download_trail
from web.site_address import public_url

bp = Blueprint("own_request", __name__)
SALT = "rifd-own-request"
MAX_AGE = 180 * 24 * 3600  # a request is decided and served well within half a year
UPLOAD = {"type": "file", "name": "document", "max_size_mb": 5}  # checked like a form's file


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=SALT)


def link(ref: str) -> str:
    """Return the request's own page on the association's public address."""
    return public_url() + url_for("own_request.page", token=_serializer().dumps({"r": ref}))


def _refused(status: int):
    text = {
        404: _("هذا الرابط غير صحيح. تأكد أنك نسخته كاملًا من الرسالة."),
        410: _("انتهت صلاحية هذا الرابط. تواصل مع الجمعية لتحصل على رابط جديد."),
    }[status]
    return render_template("public/own_request_gone.html", text=text), status


def _case(token: str) -> dict | tuple:
    """Return the link's request, or the page that says why there is none."""
    try:
        ref = _serializer().loads(token[:300], max_age=MAX_AGE).get("r")
    except SignatureExpired:
        return _refused(410)
    except (BadSignature, AttributeError):
        return _refused(404)
    found = store.get_store().find(CASES, where={"ref": ref}) if isinstance(ref, str) else []
    return found[0] if found else _refused(404)


def _opened(case: dict) -> bool:
    """Tell whether this browser entered the request's code within the last half hour."""
    held = session.get("own_request") or {}
    until = held.get("until", "")
    return held.get("case") == case["id"] and until > dt.datetime.now(dt.UTC).isoformat()


def _who():
    return own_access.beneficiary(request.remote_addr or "")


def _letters(case: dict) -> list[dict]:
    record = {"id": case["submission_id"], "ref": case["ref"]}
    return [x for x in letters_of(store.get_store(), case["form_id"], record) if not is_void(x)]


def _missing(case: dict) -> list[dict]:
    record = submissions.get(store.get_store(), case["form_id"], case["submission_id"])
    form = library().for_record(record) if record else None
    if form is None:
        return []
    # In Arabic whatever the page's language: staff read the same words on the request.
    return own_access.missing(form, record["answers"], case, "ar")


def _survey(case: dict) -> str:
    """Return his survey's link once he is served and has not answered it, else ""."""
    url = survey_due(case)
    survey = library().get(survey_links.SURVEY_FORM) if url else None
    if survey is None:
        return ""
    answers = store.get_store().find(
        collection(survey.id), where={"about.beneficiary": case["beneficiary_id"]}
    )
    return "" if any((a.get("about") or {}).get("case") == case["id"] for a in answers) else url


def _page(case: dict, token: str, error: str = "", status: int = 200):
    data = store.get_store()
    opened = _opened(case)
    if opened:
        audit.write(data, _who(), "view", "case", case["id"])
    return render_template(
        "public/own_request.html",
        token=token,
        ref=case["ref"],
        state=STATES.get(case["state"], ""),
        next_step=BENEFICIARY_NEXT.get(case["state"], ""),
        due=due_date(data, case).isoformat() if case["state"] in OPEN else "",
        opened=opened,
        name=case.get("name", "") if opened else "",
        national_id=mask(case.get("national_id", "")) if opened else "",
        letters=_letters(case) if opened else [],
        missing=_missing(case) if opened else [],
        sent=case.get("documents") or [] if opened else [],
        asked=[i for i in missing_items.waiting(case) if i["kind"] != "document"] if opened else [],
        visit=visits.upcoming(case) if opened else None,
        survey=_survey(case) if opened else "",
        error=error,
    ), status


@bp.get("/r/<token>")
def page(token: str):
    """Show the request's state to whoever holds its signed link; more after the code."""
    case = _case(token)
    return case if isinstance(case, tuple) else _page(case, token)


@bp.post("/r/<token>/code")
def send_code(token: str):
    """Send a one-time code to the request's registered mobile (or e-mail, with no mobile)."""
    case = _case(token)
    if isinstance(case, tuple):
        return case
    try:
        way = own_access.send_code(store.get_store(), case, current_app.secret_key, _who())
    except own_access.Refused as exc:
        return _page(case, token, str(exc), 429 if exc.later else 400)
    if way == outbox.EMAIL:
        flash(_("أرسلنا رمزًا إلى بريدك الإلكتروني المسجل. أدخله هنا خلال عشر دقائق."), "notice")
    else:
        flash(_("أرسلنا رمزًا إلى جوالك المسجل. أدخله هنا خلال عشر دقائق."), "notice")
    return redirect(url_for("own_request.page", token=token))


@bp.post("/r/<token>/enter")
def enter(token: str):
    """Take the code; open the request's details in this browser for half an hour."""
    case = _case(token)
    if isinstance(case, tuple):
        return case
    code = request.form.get("code", "")[:20]
    try:
        own_access.check_code(store.get_store(), case, current_app.secret_key, code, _who())
    except own_access.Refused as exc:
        return _page(case, token, str(exc), 429 if exc.later else 400)
    until = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=own_access.SESSION_MINUTES)
    session["own_request"] = {"case": case["id"], "until": until.isoformat()}
    return redirect(url_for("own_request.page", token=token))


def _opened_case(token: str) -> dict:
    case = _case(token)
    if isinstance(case, tuple):
        abort(case[1])
    if not _opened(case):
        abort(403)
    return case


@bp.get("/r/<token>/letters/<int:lid>.docx")
def letter(token: str, lid: int):
    """Send one of his request's letters (Word), audited as the beneficiary."""
    case = _opened_case(token)
    record = next((x for x in _letters(case) if x["id"] == lid), None)
    if record is None:
        abort(404)
    data = store.get_store()
    content = data.read_file(record["sha256"])
    audit.write(data, _who(), "download", "letter", lid, after=download_trail(record, "docx"))
    name = download_name(record, "docx")
    return send_file(io.BytesIO(content), as_attachment=True, download_name=name, mimetype=DOCX)


@bp.post("/r/<token>/upload")
def upload(token: str):
    """File a missing document with his request, checked like any form's upload."""
    case = _opened_case(token)
    what = request.form.get("what", "")
    lack = next((x for x in _missing(case) if x["name"] == what), None)
    if lack is None:
        return _page(case, token, _("اختر المستند الناقص الذي ترفعه."), 400)
    chosen = request.files.get("document")
    try:
        if chosen is None or not chosen.filename:
            raise FieldError("required")
        pending = File().clean_one(chosen, UPLOAD)
    except FieldError as exc:
        return _page(case, token, message(exc.key, current_lang(), UPLOAD, **exc.params), 400)
    data = store.get_store()
    digest = data.put_file(pending.data)
    ref = {
        "sha256": digest,
        "type": pending.ext,
        "name": pending.filename,
        "size": len(pending.data),
    }
    staff_page = public_url() + url_for("cases.case_page", cid=case["id"])
    own_access.attach(data, case["id"], ref, lack, _who(), staff_page)
    flash(_("وصل المستند، وستراجعه الجمعية."), "notice")
    return redirect(url_for("own_request.page", token=token))
