"""Requests through the policy: the deadlines dashboard, a request's page, its moves.

A request (case) opens when staff save the association's request form; from
then on its page shows the state, the next step the policy asks for, the
checklist, the deadline, the eligibility rules and the moves this person may
make. The letters of a decision are one click away.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

import store
from association.profile import current as current_profile
from cases import dashboard, eligibility, missing_items, operations, visits
from cases import service as cases
from cases.workflow import MOVES, NEXT_STEP, STATES, default_move
from deliveries import records as deliveries
from deliveries.operations import SERVABLE
from forms.dates import saudi_today
from letters.context import LETTER_TYPES
from letters.render import LetterError
from privacy import attachments
from sheets import write_table
from submissions import service as submissions
from submissions.view import attachments as attachments_of
from web import exports, share, survey_links
from web.auditing import actor
from web.case_input import InputError, move_data, proofs
from web.documents import send_document
from web.filling import channel_label, library
from web.filling import channels as filling_channels
from web.i18n import current_lang
from web.paging import page_arg, pages_of
from web.site_address import public_url

bp = Blueprint("cases", __name__, url_prefix="/cases")
PER_PAGE = 50  # requests on one page of the dashboard
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _case_or_404(cid: int) -> dict:
    case = store.get_store().get(cases.CASES, cid)
    if case is None:
        abort(404)
    return case


def _request_of(case: dict):
    """Return the request's submission and the form version it was filled with."""
    record = submissions.get(store.get_store(), case["form_id"], case["submission_id"])
    form = library().for_record(record) if record else None
    if form is None or record is None:
        abort(404)
    return form, record


def support_choices(form) -> list[dict]:
    fdef = form.field("support_types")
    return form.choices(fdef) if fdef else []


@bp.get("/")
def index():
    state = request.args.get("state", "") if request.args.get("state") in STATES else ""
    channel = request.args.get("channel", "")[:40]
    page, per_page = page_arg(), PER_PAGE
    data, today = store.get_store(), saudi_today()
    rows, total, counts = dashboard.view(
        data, today, state=state, channel=channel, offset=(page - 1) * per_page, limit=per_page
    )
    return render_template(
        "cases/index.html",
        rows=rows,
        total=total,
        page=page,
        pages=pages_of(total, per_page),
        counts=counts,
        states=STATES,
        state=state,
        channel=channel,
        channel_label=channel_label,
        status_names=dashboard.STATUS_NAMES,
        open_states=cases.OPEN,
    )


@bp.get("/export.xlsx")
def export():
    return exports.respond("cases")


@exports.exporter("cases", "cases.read")
def _cases_export(_name: str) -> exports.Export:
    """All requests as the dashboard orders them, in the language of the one asking."""
    headers = [
        _("الرقم المرجعي"),
        _("المستفيد"),
        _("قناة الاستقبال"),
        _("الحالة"),
        _("تاريخ الاستلام"),
        _("موعد القرار"),
        _("الأيام المتبقية"),
        _("حالة الموعد"),
    ]
    states = {key: str(label) for key, label in STATES.items()}
    statuses = {key: str(label) for key, label in dashboard.STATUS_NAMES.items()}
    channels = {c["value"]: channel_label(c["value"]) for c in filling_channels()}
    title, rtl, data, today = _("الطلبات"), current_lang() == "ar", store.get_store(), saudi_today()

    def write(out, counted) -> int:
        table = (
            [
                r.case["ref"],
                r.case.get("name", ""),
                channels.get(r.case.get("channel"), r.case.get("channel") or ""),
                states[r.case["state"]],
                r.case["opened_on"],
                r.due.isoformat(),
                r.days_left if r.case["state"] in cases.OPEN else "",
                statuses.get(r.status, ""),
            ]
            for r in counted(dashboard.all_rows(data, today))
        )
        return write_table(title, headers, table, out, rtl=rtl)

    return exports.Export(
        title=_("الطلبات"),
        total=data.count(cases.CASES),
        filename="requests.xlsx",
        entity="cases",
        write=write,
        back=url_for("cases.index"),
    )


def show(case: dict, error: str = "", status: int = 200, entered: dict | None = None):
    """Render the request's page; `error` and what was `entered` come back after a refusal."""
    data = store.get_store()
    profile = current_profile(data)
    form, record = _request_of(case)
    history = {**cases.history_counts(data, case)}
    moves = operations.allowed_moves(case, actor())
    delivered, _count = deliveries.latest(data, "case_id", case["id"])
    return render_template(
        "cases/case.html",
        case=case,
        form=form,
        record=record,
        due=cases.due_date(data, case),
        today=saudi_today(),
        states=STATES,
        next_step=NEXT_STEP[case["state"]],
        moves=moves,
        opened_move=default_move(case["state"], moves),
        checklist=cases.checklist(profile),
        rules=eligibility.check(profile, record["answers"], history, saudi_today()),
        history=history,
        letters=operations.letters_of(data, form.id, record),
        letter_offers=operations.letter_offers(data, case, record, actor()),
        letter_types=LETTER_TYPES,
        proofs=proofs(profile),
        deliveries=delivered,
        delivery_kinds=deliveries.KINDS,
        transfer_states=deliveries.TRANSFER_STATES,
        may_deliver=case["state"] in SERVABLE and cases.decided(case),
        support_choices=support_choices(form),
        documents=profile.get("documents") or [],
        attached=attachments_of(form, record["answers"], current_lang()),
        channel_label=channel_label,
        error=error,
        open_states=cases.OPEN,
        survey_url=survey_due(case),
        token_form=FlaskForm(),
        may_ask_missing=missing_items.may_ask(case, actor()),
        missing_kinds=missing_items.KINDS,
        missing_states=missing_items.STATES,
        missing_how=missing_items.HOW,
        may_set_visit=visits.may_schedule(case, actor()),
        entered=entered or {},
    ), status


def survey_due(case: dict) -> str:
    """Return the beneficiary's own survey link once he has been served, else ""."""
    if case["state"] not in ("served", "closed"):
        return ""
    return _survey_link(case)


def _survey_link(case: dict) -> str:
    """Return the beneficiary's own survey link ("" when the survey is not public)."""
    survey = library().get(survey_links.SURVEY_FORM)
    if survey is None or not survey.public:
        return ""
    token = survey_links.make(case["beneficiary_id"], case["id"])
    return share.public_link(survey, b=token)  # on the public address, not the Host header


@bp.get("/<int:cid>")
def case_page(cid: int):
    return show(_case_or_404(cid))


@bp.get("/<int:cid>/files/<digest>")
def service_file(cid: int, digest: str):
    """Open a proof of delivery filed with the request: audited like a reveal."""
    case = _case_or_404(cid)
    try:
        stream, ref = attachments.service_proof(store.get_store(), actor(), case, digest)
    except PermissionError:
        abort(403)
    except attachments.NotHeld:
        abort(404)
    return send_document(stream, ref)


@bp.route("/<int:cid>/move/<name>", methods=["GET", "POST"])
def move(cid: int, name: str):
    # A refused move shows the request's page at this address: reopened, it leads back.
    if request.method == "GET":
        return redirect(url_for("cases.case_page", cid=cid))
    case = _case_or_404(cid)
    chosen = MOVES.get(name)
    if chosen is None:
        abort(404)
    if not current_user.can(chosen.permission):
        abort(403)
    if not FlaskForm().validate():
        return show(case, _("انتهت صلاحية الصفحة. أعد المحاولة."), 400)
    data = store.get_store()
    profile = current_profile(data)
    form, _record = _request_of(case)
    choices = {c["value"] for c in support_choices(form)}
    try:
        entered = move_data(chosen, store=data, profile=profile, support_choices=choices)
        tell = {"survey_url": _survey_link(case)} if name == "serve" else None
        operations.move(data, profile, cid, name, entered, actor(), tell)
    except (InputError, cases.CaseError) as exc:
        return show(case, str(exc), 400)
    except PermissionError:
        abort(403)
    flash(_("تم: %(move)s", move=chosen.label), "notice")
    return redirect(url_for("cases.case_page", cid=cid))


@bp.route("/<int:cid>/letter/<kind>", methods=["GET", "POST"])
def letter(cid: int, kind: str):
    """Issue the declaration, acceptance or rejection letter filled from the request."""
    if request.method == "GET":
        return redirect(url_for("cases.case_page", cid=cid))
    case = _case_or_404(cid)
    if kind not in operations.CASE_LETTERS:
        abort(404)
    if not FlaskForm().validate():
        return show(case, _("انتهت صلاحية الصفحة. أعد المحاولة."), 400)
    form, record = _request_of(case)
    try:
        issued = operations.issue_case_letter(
            store.get_store(),
            cid,
            kind,
            who=actor(),
            again=request.form.get("again") == "yes",
            form=form,
            record=record,
            attachments=request.form.get("attachments", "")[:200],
            base_url=public_url(),
        )
    except operations.Refused as exc:
        return show(case, str(exc), 400)
    except PermissionError:
        abort(403)
    except LetterError as exc:
        return show(case, _("لم يصدر الخطاب ولم يُستخدم رقم: %(why)s", why=str(exc)), 400)
    flash(_("صدر الخطاب رقم %(number)s.", number=issued["number"]), "notice")
    return redirect(url_for("cases.case_page", cid=cid))
