"""Sign-in, sign-out, and the one place that says who may open which page.

Every endpoint is either public (PUBLIC) or mapped to a permission
(REQUIRED). Anything else is refused: a new page nobody mapped fails closed
with 403, and a test checks the map covers the whole URL map.
"""

from __future__ import annotations

import time

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField

import store
from accounts import audit as trail
from accounts import users
from accounts.roles import permissions_of
from web import entry_drafts
from web.auditing import actor, audit
from web.redirects import safe_next
from web.security import limiter

bp = Blueprint("auth", __name__)
login_manager = LoginManager()

PUBLIC = {
    "static",
    "auth.login",
    "i18n.switch",
    "public.form",
    "public.thanks",
    "program_public.register",  # a program's registration link (open while it takes them)
    "program_public.thanks",
    "own_request.page",  # a request's own page: its signed link, the state only
    # and, after a one-time code to his mobile, his details, letters and uploads
    "own_request.send_code",
    "own_request.enter",
    "own_request.letter",
    "own_request.upload",
    "message_settings.unifonic_report",  # the gateway's delivery reports (a secret address)
    "verify.letter",
    "branding.logo",
    "staff.definition_schema",
    "policy.profile_schema",
}
REQUIRED = {
    "staff.index": None,  # leads each person to the first page his roles open
    "staff.forms": "submissions.read",
    # a public form's link, QR code and poster: public already, shared from the forms list
    "share.page": "submissions.read",
    "share.qr": "submissions.read",
    "share.poster": "submissions.read",
    "staff.new_submission": "forms.fill",
    "staff.submissions": "submissions.read",
    "staff.submission": "submissions.read",
    # figures of many answers; the comments in them need submissions.read as well
    "results.index": "surveys.results",
    "results.page": "surveys.results",
    "results.chart": "surveys.results",
    "results.comments": "submissions.read",
    # a period's report for the board, a survey's results printed: figures, no one's words
    "reports.index": "surveys.results",
    "reports.board_report": "surveys.results",
    "reports.results": "surveys.results",
    "staff.reveal": "pii.reveal",
    "staff.correct": "submissions.correct",
    "staff.export": "submissions.export",
    # ID copies and the like show identifiers in full; each checks its record too.
    "staff.submission_file": "pii.reveal",
    "cases.service_file": "pii.reveal",
    "letters.register": "letters.read",
    "letters.register_xlsx": "letters.read",
    "letters.letter": "letters.read",
    "letters.download_docx": "letters.read",
    "letters.download_pdf": "letters.read",
    "letters.issue_letter": "letters.issue",
    "letters.void": "letters.issue",
    "letters.template_list": "templates.manage",
    "letters.template_file": "templates.manage",
    "letters.template_preview": "templates.manage",
    "letters.template_diff_page": "templates.manage",
    "bulk.bulk_page": "letters.issue",
    "bulk.start": "letters.issue",
    "bulk.job": "letters.issue",
    "bulk.job_json": "letters.issue",
    "bulk.download": "letters.issue",
    # each export checks the permission of what it exports (web/exports.py)
    "exports.start": None,
    "exports.job": None,
    "exports.job_json": None,
    "exports.download": None,
    "audit.entries": "audit.read",
    "audit.export": "audit.read",
    "privacy.person": "settings.manage",
    "cases.index": "cases.read",
    "cases.export": "cases.read",
    "cases.case_page": "cases.read",
    "cases.move": "cases.read",  # each move then needs its own permission (cases.workflow)
    "cases.letter": "letters.issue",
    # each then needs cases.intake or cases.research (cases/missing_items.py, cases/visits.py)
    "case_followups.ask_missing": "cases.read",
    "case_followups.settle_missing": "cases.read",
    "case_followups.set_visit": "cases.read",
    "people.message_language": "cases.intake",
    "people.find": "cases.read",
    "people.beneficiary": "cases.read",
    "people.refuse_messages": "cases.intake",  # reception hears him refuse
    "people.allow_messages": "cases.intake",
    "people.research": "cases.research",
    # low scores, complaints and suggestions followed up, and what opens one
    "followups.index": "followups.manage",
    "followups.followup": "followups.manage",
    "followups.act": "followups.manage",
    "followups.thresholds": "followups.manage",
    "entry_drafts.listing": "forms.fill",  # each sees and deletes only her own
    "entry_drafts.delete": "forms.fill",
    "policy.view": "policy.read",
    "policy.edit": "policy.manage",
    "policy.upload_document": "policy.manage",
    "policy.document": "policy.read",
    "policy.print_docx": "policy.read",
    "policy.holidays": "settings.manage",
    "policy.delete_holiday": "settings.manage",
    "site_address.settings": "settings.manage",
    "deliveries.index": "deliveries.read",
    "deliveries.export": "deliveries.read",
    "deliveries.printed_register": "deliveries.read",
    "deliveries.delivery": "deliveries.read",
    "deliveries.new": "deliveries.record",
    "deliveries.add_proofs": "deliveries.record",
    "deliveries.voucher": "deliveries.record",  # and letters.issue (checked there)
    "deliveries.signed_voucher": "deliveries.record",
    "deliveries.proof_file": "pii.reveal",  # and deliveries.read (privacy/attachments.py)
    # the bank's sheet holds IBANs in full: deliveries.transfers and pii.reveal
    "transfers.index": "deliveries.transfers",
    "transfers.new_batch": "deliveries.transfers",
    "transfers.batch": "deliveries.transfers",
    "transfers.sheet": "deliveries.transfers",
    "transfers.confirmation": "deliveries.transfers",
    "transfers.confirmation_file": "deliveries.transfers",
    "programs.index": "cases.read",
    "programs.new": "programs.manage",
    "programs.edit": "programs.manage",
    # a program's page lists its registrations (identifiers masked) and attendance
    "program_review.page": "cases.read",
    "program_review.review": "programs.manage",  # and letters.issue: acceptance notices
    "program_review.notice": "letters.issue",
    "program_review.share": "cases.read",
    "program_review.qr": "cases.read",
    "program_review.poster": "cases.read",
    "attendance.take": "programs.manage",
    "attendance.walk_in": "programs.manage",
    "attendance.by_code": "programs.manage",
    "attendance.sheet": "cases.read",
    "attendance.attach": "programs.manage",
    "attendance.scan": "cases.read",
    "outbox.index": "programs.manage",
    "outbox.requeue": "programs.manage",
    "message_settings.settings": "settings.manage",
    "message_settings.events_page": "templates.manage",
    "message_settings.save_event": "templates.manage",
    "users.index": "users.manage",
    "users.new": "users.manage",
    "users.user": "users.manage",
    "users.active": "users.manage",
    "users.sessions": "users.manage",
    "users.reset_password": "users.manage",
    "account.password": None,  # any signed-in user: his own password
    "editor.index": "forms.manage",
    "editor.create": "forms.manage",
    "editor.edit": "forms.manage",
    "editor.discard": "forms.manage",
    "editor_api.draft_json": "forms.manage",
    "editor_api.check": "forms.manage",
    "editor_api.condition": "forms.manage",
    "editor_api.save_draft": "forms.manage",
    "editor_api.publish": "forms.manage",
    "editor_api.preview": "forms.manage",
    "form_versions.listing": "forms.manage",
    "form_versions.diff": "forms.manage",
    "form_versions.draft_from": "forms.manage",
    "xlsform.upload": "forms.manage",
    "xlsform.confirm": "forms.manage",
    "xlsform.download": "forms.manage",
    "auth.logout": None,  # any signed-in user
    "auth.alive": None,
}
# All a person with a one-time password may do until he has chosen his own.
WHILE_PASSWORD_IS_TEMPORARY = frozenset({"account.password", "auth.logout"})
# Failed sign-ins allowed per user name and per address before a pause.
LOGIN_LIMIT, LOGIN_WINDOW = 5, 15 * 60


class User(UserMixin):
    def __init__(self, record: dict):
        self.record = record
        self.username = record["username"]
        self.permissions = permissions_of(record.get("roles"))

    def get_id(self) -> str:
        # The session version travels with the id: raising it signs out everywhere.
        return f"{self.record['id']}:{self.record['session_version']}"

    def can(self, permission: str) -> bool:
        return permission in self.permissions


@login_manager.user_loader
def _load(user_id: str):
    rid, _sep, version = user_id.partition(":")
    if not rid.isdigit() or not version.isdigit():
        return None
    record = store.get_store().get(users.COLLECTION, int(rid))
    if not record or not record.get("active") or record["session_version"] != int(version):
        return None
    return User(record)


def can(permission: str) -> bool:
    return current_user.is_authenticated and current_user.can(permission)


# Pages whose POST, arriving after the session ended, is kept for the person it named.
HOLD_AFTER_EXPIRY = frozenset({"staff.new_submission", "people.research"})
# (A correction sent after the session ended is not held: the submission it corrects
# stays as it was, and the page opens again from it after signing in.)


def _idle_out() -> None:
    """End a session unused for longer than the idle limit, remembering whose it was."""
    if not current_user.is_authenticated:
        return
    now, seen = time.time(), session.get("seen", 0)
    if seen and now - seen > current_app.config["SESSION_IDLE_LIMIT"].total_seconds():
        uid = current_user.record["id"]
        logout_user()
        session.pop("seen", None)
        session["ended_uid"] = uid
        return
    session["seen"] = now


def _hold_for_later():
    """Keep what a POST sent after the session ended, for whoever it named; then sign in."""
    uid = session.get("ended_uid")
    if request.method != "POST" or request.endpoint not in HOLD_AFTER_EXPIRY or not uid:
        return None
    record = store.get_store().get(users.COLLECTION, uid)
    form_id = (request.view_args or {}).get("form_id") or request.endpoint
    kept = (
        entry_drafts.keep_posted(uid, form_id, "expired", None, who=record["username"])
        if record
        else None
    )
    if kept is None:
        return None
    flash(_("انتهت جلستك فحفظنا ما كتبته. سجّل الدخول لتكمل من حيث توقفت."), "notice")
    return redirect(url_for("auth.login", next=entry_drafts.resume_url(kept)))


def _guard():
    """Refuse a request the signed-in user (or the public) may not make."""
    endpoint = request.endpoint
    if endpoint is None or endpoint in PUBLIC:
        return None
    _idle_out()
    if not current_user.is_authenticated:
        return _hold_for_later() or redirect(url_for("auth.login", next=request.full_path))
    if endpoint not in REQUIRED:
        abort(403)  # fail closed: a page nobody mapped is nobody's
    if (
        current_user.record.get("must_change_password")
        and endpoint not in WHILE_PASSWORD_IS_TEMPORARY
    ):
        return redirect(url_for("account.password"))
    permission = REQUIRED[endpoint]
    if permission is not None and not current_user.can(permission):
        abort(403)
    return None


class LoginForm(FlaskForm):
    username = StringField()
    password = PasswordField()


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    error = ""
    if request.method == "POST":
        error = _try_login(form)
        if not error:
            return redirect(safe_next(request.args.get("next")) or url_for("staff.index"))
    return render_template("auth/login.html", form=form, error=error), (400 if error else 200)


def _try_login(form: LoginForm) -> str:
    """Sign the person in and return "", or return the message to show."""
    if not form.validate():
        return _("انتهت صلاحية الصفحة. أعد المحاولة.")
    name = (form.username.data or "").strip().lower()
    keys = (f"login:user:{name}", f"login:ip:{request.remote_addr}")
    # Every attempt counts and a success wipes the count: five attempts in a
    # row without one success lock the name (and the address) for a while.
    allowed = [limiter.hit(key, LOGIN_LIMIT, LOGIN_WINDOW) for key in keys]
    if not all(allowed):
        audit("login_failed", "user", after={"username": name, "reason": "locked"})
        return _("محاولات دخول فاشلة كثيرة. انتظر ربع ساعة ثم حاول مرة أخرى.")
    record = users.authenticate(store.get_store(), name, form.password.data or "")
    if record is None:
        audit("login_failed", "user", after={"username": name})
        return _("اسم المستخدم أو كلمة المرور غير صحيحة.")
    for key in keys:
        limiter.reset(key)
    # The entry before the session: a sign-in the trail cannot record (a full
    # disk) gives an error page and no session, never a live unaudited one.
    audit("login", "user", record["id"], actor=record["username"])
    session.permanent = True
    session.pop("ended_uid", None)
    session["seen"] = time.time()  # the idle limit counts from here (_idle_out)
    login_user(User(record))
    return ""


@bp.get("/session/alive")
def alive():
    """Nothing to show: asking counts as using the session, which stays open."""
    return "", 204


@bp.post("/logout")
def logout():
    """Sign out here and on every other machine."""
    uid, who = current_user.record["id"], actor()
    users.end_sessions(
        store.get_store(), uid, audit=lambda tx: trail.write(tx, who, "logout", "user", uid)
    )
    logout_user()
    return redirect(url_for("auth.login"))


def init_app(app) -> None:
    login_manager.init_app(app)
    login_manager.session_protection = "basic"
    app.register_blueprint(bp)
    app.before_request(_guard)
    app.context_processor(
        lambda: {
            "can": can,
            "idle_seconds": int(app.config["SESSION_IDLE_LIMIT"].total_seconds()),
        }
    )
