"""Programs and their announcements: saved with a check of the category's lead time."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

import store
from association.profile import current
from cases import program_notices, programs, registrations
from cases.operations import ISSUE
from web.auditing import actor
from web.auth import can
from web.filling import library
from web.paging import page_arg, pages_of
from web.program_input import read_program
from web.site_address import public_url

bp = Blueprint("programs", __name__, url_prefix="/programs")
PER_PAGE = 20
BLANK_ROWS = 2  # empty session and condition rows the page offers
MODE_NAMES = {"in_person": _l("حضوري"), "remote": _l("عن بعد")}


def _form_page(profile: dict, program: dict, errors: dict, pid: int | None, status=200):
    return render_template(
        "programs/edit.html",
        profile=profile,
        program=program,
        errors=errors,
        pid=pid,
        forms=library().all(),
        blank_rows=BLANK_ROWS,
        modes=MODE_NAMES,
        token_form=FlaskForm(),
    ), status


def _seats_freed(data, profile: dict, program: dict) -> None:
    """Seats added to a program go to the first on its waiting list, as a freed seat does."""
    if not (can(ISSUE) and registrations.counts(data, program["id"])[registrations.WAITLISTED]):
        return
    who = actor()
    message = program_notices.acceptance_message(data, profile, program)
    moved = registrations.promote(data, program["id"], who, message)
    if moved:
        program_notices.issue_notices(data, library(), program, moved, who, public_url())
        flash(_("انتقل من قائمة الانتظار إلى المقبولين: %(n)s.", n=len(moved)), "notice")


@bp.get("/")
def index():
    data, page = store.get_store(), page_arg()
    items, total = data.page(programs.PROGRAMS, offset=(page - 1) * PER_PAGE, limit=PER_PAGE)
    return render_template(
        "programs/index.html",
        items=items,
        page=page,
        pages=pages_of(total, PER_PAGE),
        profile=current(data),
    )


@bp.route("/new", methods=["GET", "POST"])
def new():
    return _edit(None)


@bp.route("/<int:pid>/edit", methods=["GET", "POST"])
def edit(pid: int):
    return _edit(pid)


def _edit(pid: int | None):
    data = store.get_store()
    profile = current(data)
    old = data.get(programs.PROGRAMS, pid) if pid else None
    if pid and old is None:
        abort(404)
    if request.method == "GET":
        return _form_page(profile, old or {}, {}, pid)
    program, errors = read_program(profile, library())
    if not FlaskForm().validate():
        errors[""] = _("انتهت صلاحية الصفحة. أعد المحاولة.")
    if errors:
        return _form_page(profile, program, errors, pid, 400)
    record = programs.save(data, profile, program, who=actor(), program_id=pid)
    if pid:
        _seats_freed(data, profile, record)
    if record["too_late"]:
        flash(
            _(
                "حُفظ البرنامج، لكن الإعلان متأخر: أُعلن قبل البرنامج بـ %(given)s يوم عمل، "
                "والسياسة تطلب %(required)s أيام عمل على الأقل.",
                given=record["lead_given"],
                required=record["lead_required"],
            ),
            "error",
        )
    else:
        flash(_("حُفظ البرنامج."), "notice")
    return redirect(url_for("program_review.page", pid=record["id"]))
