"""Programs and their announcements: saved with a check of the category's lead time."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

import store
from association.profile import current
from cases import programs
from forms.dates import read_day
from forms.invisible import strip_invisible
from web import survey_links
from web.auditing import audit
from web.filling import library
from web.share import public_link

bp = Blueprint("programs", __name__, url_prefix="/programs")
TEXTS = ("name", "place", "notes")


def _read(profile: dict) -> tuple[dict, dict]:
    """Return the program the page describes and the problems by input name."""
    form = request.form
    program = {k: strip_invisible(form.get(k) or "").strip()[:500] for k in TEXTS}
    program["category"] = form.get("category", "")
    errors = {}
    if not program["name"]:
        errors["name"] = _("اكتب اسم البرنامج.")
    if programs.category(profile, program["category"]) is None:
        errors["category"] = _("اختر فئة البرنامج.")
    for key in ("announced_on", "starts_on", "ends_on"):
        day = read_day(form.get(key, ""))
        if day is None and (key != "ends_on" or form.get(key)):
            errors[key] = _("اكتب التاريخ بالصيغة YYYY-MM-DD.")
        program[key] = day.isoformat() if day else ""
    if not errors and program["starts_on"] < program["announced_on"]:
        errors["starts_on"] = _("يبدأ البرنامج بعد الإعلان عنه.")
    if not errors and program["ends_on"] and program["ends_on"] < program["starts_on"]:
        errors["ends_on"] = _("ينتهي البرنامج بعد بدايته.")
    return program, errors


def _form_page(profile: dict, program: dict, errors: dict, pid: int | None, status=200):
    return render_template(
        "programs/edit.html",
        profile=profile,
        program=program,
        errors=errors,
        pid=pid,
        token_form=FlaskForm(),
    ), status


@bp.get("/")
def index():
    items = sorted(store.get_store().iter(programs.PROGRAMS), key=lambda p: p["starts_on"])
    survey = library().get(survey_links.SURVEY_FORM)
    links = {}
    if survey is not None and survey.public:
        # Each program's own survey link: its answers are counted for it in the results.
        links = {p["id"]: public_link(survey, b=survey_links.for_program(p["id"])) for p in items}
    return render_template(
        "programs/index.html", items=items[::-1], profile=current(store.get_store()), links=links
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
    program, errors = _read(profile)
    if not FlaskForm().validate():
        errors[""] = _("انتهت صلاحية الصفحة. أعد المحاولة.")
    if errors:
        return _form_page(profile, program, errors, pid, 400)
    record = programs.save(data, profile, program, by=current_user.username, program_id=pid)
    audit("update" if pid else "create", "program", record["id"], before=old, after=record)
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
    return redirect(url_for("programs.index"))
