"""A program's page: what it is, its registration link, and the staff's review of the
registrations (accept, wait-list, decline, in bulk, after a confirmation)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

import store
from association.profile import current
from cases import attendance, program_notices, programs, registrations
from cases.operations import ISSUE
from cases.service import CaseError
from forms.dates import format_date
from web.auditing import actor
from web.auth import can
from web.branding import association
from web.filling import library
from web.i18n import current_lang
from web.paging import page_arg, pages_of
from web.program_public import WHY_CLOSED, closed_reason
from web.programs import MODE_NAMES
from web.share import qr_file, share_page
from web.site_address import public_url

bp = Blueprint("program_review", __name__, url_prefix="/programs")
PER_PAGE = 50
MAX_CHOSEN = 500
STATUS_NAMES = {
    registrations.PENDING: _l("بانتظار المراجعة"),
    registrations.ACCEPTED: _l("مقبول"),
    registrations.WAITLISTED: _l("قائمة الانتظار"),
    registrations.DECLINED: _l("معتذر عنه"),
}
ACTION_NAMES = {
    "accept": _l("قبول"),
    "waitlist": _l("إلى قائمة الانتظار"),
    "decline": _l("اعتذار"),
}
CHECK_NAMES = {"passed": _l("متحقق"), "failed": _l("غير متحقق"), "manual": _l("يتحقق منه موظف")}


def program_or_404(pid: int) -> dict:
    program = store.get_store().get(programs.PROGRAMS, pid)
    if program is None:
        abort(404)
    return program


def registration_link(pid: int) -> str:
    return public_url().rstrip("/") + url_for("program_public.register", pid=pid)


@bp.get("/<int:pid>")
def page(pid: int):
    data, program = store.get_store(), program_or_404(pid)
    status = request.args.get("status", "")
    status = status if status in registrations.STATUSES else ""
    where = {"program_id": pid, **({"status": status} if status else {})}
    number = page_arg()
    items, total = data.page(
        registrations.REGISTRATIONS,
        where=where,
        offset=(number - 1) * PER_PAGE,
        limit=PER_PAGE,
        newest_first=False,
    )
    sessions = attendance.taken(data, pid)
    people = attendance.accepted(data, pid)
    profile = current(data)
    why = closed_reason(program)
    return render_template(
        "programs/page.html",
        program=program,
        profile=profile,
        category=programs.category(profile, program["category"]) or {},
        needs_registration=programs.needs_registration(profile, program),
        link=registration_link(pid),
        closed=WHY_CLOSED[why] if why else "",
        counts=registrations.counts(data, pid),
        items=items,
        total=total,
        page=number,
        pages=pages_of(total, PER_PAGE),
        status=status,
        statuses=STATUS_NAMES,
        actions=ACTION_NAMES,
        checks=CHECK_NAMES,
        modes=MODE_NAMES,
        sessions=sessions,
        purposes=attendance.PURPOSES,
        rates=attendance.rates(sessions, [r["id"] for r in items]),
        program_rate=attendance.program_rate(sessions, people),
        form=library().get(program.get("form_id") or programs.DEFAULT_FORM),
        token_form=FlaskForm(),
    )


def _chosen() -> list[int]:
    ids = [v for v in request.form.getlist("rid")[:MAX_CHOSEN] if v.isdigit()]
    return [int(v) for v in ids]


@bp.post("/<int:pid>/review")
def review(pid: int):
    """Ask to confirm what the action would do; carry it out once confirmed."""
    data, program = store.get_store(), program_or_404(pid)
    back = url_for("program_review.page", pid=pid)
    action, ids = request.form.get("action", ""), _chosen()
    if not FlaskForm().validate():
        flash(_("انتهت صلاحية الصفحة. أعد المحاولة."), "error")
        return redirect(back)
    if action not in registrations.ACTIONS or not ids:
        flash(_("اختر تسجيلًا واحدًا على الأقل والإجراء المطلوب."), "error")
        return redirect(back)
    if not can(ISSUE):  # an acceptance, or a seat freed, issues the acceptance notice
        flash(_("مراجعة التسجيلات تُصدر خطابات القبول: تحتاج صلاحية إصدار الخطابات."), "error")
        return redirect(back)
    if request.form.get("confirmed") != "yes":
        chosen = data.get_many(registrations.REGISTRATIONS, ids)
        found = registrations.plan(data, program, chosen, action)
        return render_template(
            "programs/confirm.html",
            program=program,
            plan=found,
            action_name=ACTION_NAMES[action],
            token_form=FlaskForm(),
        )
    return _carry_out(data, program, ids, action, back)


def _carry_out(data, program: dict, ids: list[int], action: str, back: str):
    profile, who = current(data), actor()
    message = program_notices.acceptance_message(data, profile, program)
    try:
        done = registrations.review(data, program["id"], ids, action, who, message)
    except CaseError as problem:
        flash(str(problem), "error")
        return redirect(back)
    notices = program_notices.issue_notices(
        data, library(), program, done.accepted, who, public_url()
    )
    flash(
        _(
            "تم: %(done)s، وانتقل من قائمة الانتظار %(moved)s، ولم يُطبَّق على %(refused)s.",
            done=len(done.changed),
            moved=len(done.promoted),
            refused=len(done.refused),
        ),
        "notice",
    )
    for registration, _letter, error in notices:
        if error:
            flash(
                _(
                    "لم يصدر إشعار القبول لـ %(name)s: %(why)s",
                    name=registration["name"],
                    why=error,
                ),
                "error",
            )
    return redirect(back)


@bp.post("/<int:pid>/registrations/<int:rid>/notice")
def notice(pid: int, rid: int):
    """Issue the acceptance notice again for one accepted registration (one that failed)."""
    data, program = store.get_store(), program_or_404(pid)
    registration = data.get(registrations.REGISTRATIONS, rid)
    if registration is None or registration["program_id"] != pid:
        abort(404)
    if not FlaskForm().validate() or registration["status"] != registrations.ACCEPTED:
        flash(_("لا يصدر إشعار القبول إلا لتسجيل مقبول."), "error")
        return redirect(url_for("program_review.page", pid=pid))
    for _r, _letter, error in program_notices.issue_notices(
        data, library(), program, [registration], actor(), public_url()
    ):
        flash(error or _("صدر إشعار القبول."), "error" if error else "notice")
    return redirect(url_for("program_review.page", pid=pid))


def _poster_lead(program: dict) -> str:
    lead = format_date(program["starts_on"], current_lang())
    return f"{lead} — {program['place']}" if program.get("place") else lead


@bp.get("/<int:pid>/share/")
def share(pid: int):
    program = program_or_404(pid)
    back = (url_for("program_review.page", pid=pid), _("العودة إلى البرنامج"))
    return share_page(
        program["name"], registration_link(pid), "program_review.share", back, pid=pid
    )


@bp.get("/<int:pid>/share/qr.<kind>")
def qr(pid: int, kind: str):
    program_or_404(pid)
    return qr_file(registration_link(pid), kind, f"program-{pid}")


@bp.get("/<int:pid>/share/poster")
def poster(pid: int):
    program = program_or_404(pid)
    return render_template(
        "share/poster.html",
        title=program["name"],
        lead=_poster_lead(program),
        qr_svg=url_for("program_review.qr", pid=pid, kind="svg"),
        link=registration_link(pid),
        assoc=association(),
    )
