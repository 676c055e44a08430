"""Beneficiaries' files and the social research of a referred request.

A beneficiary's file gathers, over time, his requests (with their decisions and
the services he received), every submission that names his ID (program
registrations, surveys that ask for it) and the letters issued to him.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm

import store
from association.profile import current as current_profile
from cases import attendance, beneficiaries, finding, operations, outbox, refusals
from cases import service as cases
from cases.workflow import STATES
from deliveries import records as deliveries
from forms.definition import FormDefinition
from forms.prefill import research_initial
from privacy.person import find_person
from submissions.search import masked_identifier
from submissions.service import collection
from web.auditing import actor
from web.entry_drafts import draft_id, resume_url
from web.filling import CHANNEL_FIELD, channel_label, fill, library
from web.paging import page_arg, pages_of
from web.program_review import STATUS_NAMES

bp = Blueprint("people", __name__)


MESSAGES_PER_PAGE = 20
REFUSAL_ERRORS = {
    "channel": _l("اختر كيف أبلغ المستفيد برفضه."),
    "confirm": _l("أكّد أن المستفيد طلب ألا تصله رسائل."),
    "already": _l("سُجّل رفضه من قبل."),
    "not_refused": _l("لم يُسجّل له رفض."),
    "expired": _l("انتهت صلاحية الصفحة. أعد المحاولة."),
}
SEARCH_ERRORS = {
    "invalid_id": _l("رقم هوية غير صحيح."),
    "whole": _l("اكتب رقم الهوية أو الجوال كاملًا، أو ابحث بالاسم."),
    "short": _l("اكتب ثلاثة أحرف على الأقل من الاسم."),
}


@bp.get("/beneficiaries/")
def find():
    """Find a beneficiary by name, mobile, national ID or iqama, or a request's reference."""
    query = (request.args.get("q") or request.args.get("national_id") or "").strip()[:80]
    if not query:
        return render_template("cases/find.html", query="", found=None, error="")
    page = page_arg()
    try:
        found = finding.search(
            store.get_store(),
            query,
            actor(),
            may_reveal=current_user.can("pii.reveal"),
            offset=(page - 1) * finding.PER_PAGE,
        )
    except finding.SearchError as problem:
        error = SEARCH_ERRORS[str(problem)]
        return render_template("cases/find.html", query=query, found=None, error=error), 400
    if found.by == "national_id" and found.total == 1:
        return redirect(url_for("people.beneficiary", bid=found.people[0]["id"]))
    return render_template(
        "cases/find.html",
        query=query,
        found=found,
        error="" if found.total else _("لا يوجد مستفيد بهذا البحث."),
        page=page,
        pages=pages_of(found.total, finding.PER_PAGE),
        states=STATES,
        masked_identifier=masked_identifier,
    )


@bp.get("/beneficiaries/<int:bid>")
def beneficiary(bid: int):
    data = store.get_store()
    person = data.get(beneficiaries.BENEFICIARIES, bid)
    if person is None:
        abort(404)
    requests = sorted(
        data.find(cases.CASES, where={"beneficiary_id": bid}), key=lambda c: c["id"], reverse=True
    )
    page = page_arg()
    messages, total_messages = outbox.of_mobile(
        data, person.get("mobile", ""), (page - 1) * MESSAGES_PER_PAGE, MESSAGES_PER_PAGE
    )
    found = find_person(data, library(), person["national_id"])
    surveys = [
        (form, record)
        for form in library().all()
        if form.public
        for record in data.find(collection(form.id), where={"about.beneficiary": bid})
    ]
    return render_template(
        "cases/beneficiary.html",
        person=person,
        requests=requests,
        submissions=found.submissions,
        letters=found.letters,
        surveys=surveys,
        programs=attendance.of_beneficiary(data, bid),
        registration_states=STATUS_NAMES,
        states=STATES,
        channel_label=channel_label,
        deliveries=deliveries.latest(data, "beneficiary_id", bid),
        delivery_kinds=deliveries.KINDS,
        transfer_states=deliveries.TRANSFER_STATES,
        messages=messages,
        total_messages=total_messages,
        page=page,
        pages=pages_of(total_messages, MESSAGES_PER_PAGE),
        message_states=outbox.STATUS_NAMES,
        refusal_channels=refusals.CHANNELS,
        languages=beneficiaries.LANGUAGES,
        token_form=FlaskForm(),
    )


@bp.post("/beneficiaries/<int:bid>/messages/refuse")
def refuse_messages(bid: int):
    """Record that the beneficiary refuses messages (how he said it, why), confirmed."""
    try:
        if not FlaskForm().validate():
            raise refusals.RefusalError("expired")
        if request.form.get("confirm") != "yes":
            raise refusals.RefusalError("confirm")
        refusals.refuse(
            store.get_store(),
            bid,
            request.form.get("channel", ""),
            request.form.get("reason", ""),
            actor(),
        )
    except LookupError:
        abort(404)
    except refusals.RefusalError as problem:
        flash(REFUSAL_ERRORS[problem.args[0]], "error")
        return redirect(url_for("people.beneficiary", bid=bid) + "#messages")
    flash(_("سُجّل رفضه للرسائل: لن تُرسل إليه رسالة نصية."), "notice")
    return redirect(url_for("people.beneficiary", bid=bid) + "#messages")


@bp.post("/beneficiaries/<int:bid>/messages/allow")
def allow_messages(bid: int):
    """Withdraw the beneficiary's refusal of messages (he asked for them again)."""
    try:
        if not FlaskForm().validate():
            raise refusals.RefusalError("expired")
        refusals.allow(store.get_store(), bid, actor())
    except LookupError:
        abort(404)
    except refusals.RefusalError as problem:
        flash(REFUSAL_ERRORS[problem.args[0]], "error")
        return redirect(url_for("people.beneficiary", bid=bid) + "#messages")
    flash(_("أُلغي رفضه: تُرسل إليه الرسائل من الآن."), "notice")
    return redirect(url_for("people.beneficiary", bid=bid) + "#messages")


@bp.post("/beneficiaries/<int:bid>/messages/language")
def message_language(bid: int):
    """Keep the language the beneficiary reads his messages in (he asked for English)."""
    if not FlaskForm().validate():
        flash(_("انتهت صلاحية الصفحة. أعد المحاولة."), "error")
        return redirect(url_for("people.beneficiary", bid=bid) + "#messages")
    try:
        beneficiaries.set_language(
            store.get_store(), bid, request.form.get("language", ""), actor()
        )
    except LookupError:
        abort(404)
    except ValueError:
        flash(_("اختر لغة الرسائل: العربية أو الإنجليزية."), "error")
        return redirect(url_for("people.beneficiary", bid=bid) + "#messages")
    flash(_("حُفظت لغة رسائله."), "notice")
    return redirect(url_for("people.beneficiary", bid=bid) + "#messages")


def _research_form() -> FormDefinition | None:
    """Return the association's research form as it is: a request's values are answers."""
    return library().get(current_profile(store.get_store())["research_form"])


@bp.route("/cases/<int:cid>/research", methods=["GET", "POST"])
def research(cid: int):
    """The researcher fills the social research of a request referred to him."""
    data = store.get_store()
    case = data.get(cases.CASES, cid)
    form = _research_form() if case else None
    if case is None or form is None:
        abort(404)
    if case["state"] != "research":
        flash(_("الطلب ليس محالًا للبحث الاجتماعي."), "error")
        return redirect(url_for("cases.case_page", cid=cid))
    state = fill(form, "staff", entered_by=current_user.username, initial=research_initial(case))
    if state.kept_draft:
        flash(_("حُفظت المسودة. تجدها في «مسوداتي» حتى ترسلها."), "notice")
        return redirect(resume_url(state.kept_draft))
    if state.record:
        try:
            operations.link_research(data, cid, state.record, form.id, actor())
        except cases.CaseError as exc:  # the request moved on while the form was open
            flash(
                _(
                    "حُفظ البحث الاجتماعي برقم %(ref)s ولم يرتبط بالطلب: %(why)s",
                    ref=state.record["ref"],
                    why=str(exc),
                ),
                "error",
            )
            return redirect(url_for("cases.case_page", cid=cid))
        flash(_("حُفظ البحث الاجتماعي وارتبط بالطلب."), "notice")
        return redirect(url_for("cases.case_page", cid=cid))
    state.channel = state.channel or case.get("channel", "")
    chosen = [c for c in current_profile(data)["channels"] if c["value"] == case.get("channel")]
    return render_template(
        "forms/fill.html",
        state=state,
        channels=chosen,
        channel_field=CHANNEL_FIELD,
        action=url_for("people.research", cid=cid, draft=draft_id(state)),
    ), (400 if state.form_error else 200)
