"""The quality officer's follow-ups: the list, one follow-up's page, its actions, the thresholds.

Thin views: each action is one call to quality/followups.py, which checks, changes and
audits; a refusal shows the page again with the reason, never a server error.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm

import store
from cases.beneficiaries import BENEFICIARIES
from cases.service import CASES
from cases.workflow import STATES as CASE_STATES
from forms.dates import saudi_today
from forms.definition import localized
from forms.saudi import normalize_digits
from quality import followup_list, followups, rules
from submissions import service as submissions
from submissions.view import readable
from web.auditing import actor
from web.filling import library
from web.i18n import current_lang
from web.paging import page_arg, pages_of

bp = Blueprint("followups", __name__, url_prefix="/followups")
PER_PAGE = 20
ACTIONS = {"note": followups.add_note, "close": followups.close, "reopen": followups.reopen}
DONE = {
    "note": _l("سُجّل ما تم."),
    "close": _l("أُغلقت المتابعة."),
    "reopen": _l("أُعيد فتح المتابعة."),
}


def _followup_or_404(fid: int) -> dict:
    item = store.get_store().get(followups.COLLECTION, fid)
    if item is None:
        abort(404)
    return item


def _ruled_forms() -> list:
    """The forms whose answers can open a follow-up: those with scores or choices."""
    return [f for f in library().all() if rules.scored_fields(f) or rules.choice_fields(f)]


@bp.get("/")
def index():
    kind = request.args.get("kind", "")
    kind = kind if kind in followups.KINDS else ""
    page = page_arg()
    data, today = store.get_store(), saudi_today()
    rows, total = followup_list.view(
        data, today, kind=kind, offset=(page - 1) * PER_PAGE, limit=PER_PAGE
    )
    return render_template(
        "followups/index.html",
        rows=rows,
        total=total,
        page=page,
        pages=pages_of(total, PER_PAGE),
        kind=kind,
        kinds=followups.KINDS,
        states=followups.STATES,
        titles={f.id: f.title(current_lang()) for f in library().all()},
        counts=followup_list.complaint_counts(data, today),
        forms=_ruled_forms(),
    )


def _reasons(item: dict, form) -> list[dict]:
    """What opened it, as the page says it: the item's label, the answer and the limit."""
    out = []
    for reason in item["reasons"]:
        fdef = form.field(reason["field"]) if form else None
        label = localized(fdef.get("label"), current_lang()) if fdef else reason["field"]
        value = reason["value"]
        if fdef is not None and fdef["type"] == "select_one":
            names = {c["value"]: c["label"] for c in form.choices(fdef)}
            value = localized(names.get(value), current_lang()) or value
        out.append({**reason, "label": label, "text": value, "type": (fdef or {}).get("type")})
    return out


def _page(item: dict, error: str = "", status: int = 200):
    data = store.get_store()
    record = submissions.get(data, item["form_id"], item["submission_id"])
    form = (library().for_record(record) if record else None) or library().get(item["form_id"])
    person = data.get(BENEFICIARIES, item["beneficiary_id"]) if item["beneficiary_id"] else None
    case = data.get(CASES, item["case_id"]) if item.get("case_id") else None
    # The answers' own words for who may read a form's answers (the admin follows the
    # follow-ups without reading them); identifiers masked as everywhere.
    words = current_user.can("submissions.read") and record is not None and form is not None
    return render_template(
        "followups/followup.html",
        item=item,
        row=followup_list.row(item, followups.holidays(data), saudi_today()),
        form=form,
        record=record,
        reasons=_reasons(item, form),
        answers=readable(form, record["answers"], current_lang()) if words else [],
        person=person,
        case=case,
        case_states=CASE_STATES,
        kinds=followups.KINDS,
        states=followups.STATES,
        error=error,
        token_form=FlaskForm(),
        text_max=followups.TEXT_MAX,
    ), status


@bp.get("/<int:fid>")
def followup(fid: int):
    return _page(_followup_or_404(fid))


@bp.route("/<int:fid>/<action>", methods=["GET", "POST"])
def act(fid: int, action: str):
    """Record what was done, close with the resolution, or reopen with the reason."""
    if action not in ACTIONS:
        abort(404)
    if request.method == "GET":  # a refused action shows the page here: reopened, it leads back
        return redirect(url_for("followups.followup", fid=fid))
    item = _followup_or_404(fid)
    if not FlaskForm().validate():
        return _page(item, _("انتهت صلاحية الصفحة. أعد المحاولة."), 400)
    try:
        ACTIONS[action](store.get_store(), fid, request.form.get("text", ""), actor())
    except followups.FollowupError as exc:
        return _page(item, str(exc), 400)
    except LookupError:
        abort(404)
    except PermissionError:
        abort(403)
    flash(DONE[action], "notice")
    return redirect(url_for("followups.followup", fid=fid))


def _wanted(form) -> tuple[dict, str]:
    """Read the thresholds page as typed; return them and the first problem ("" if none)."""
    scores: dict = {}
    for fdef in rules.scored_fields(form):
        text = normalize_digits(request.form.get(f"score.{fdef['name']}", "").strip())
        if text == "":
            continue
        if not text.isdigit() or len(text) > 2:
            return {}, _("اكتب الحد رقمًا، أو اتركه فارغًا.")
        scores[fdef["name"]] = int(text)
    choices = {
        f["name"]: request.form.getlist(f"choice.{f['name']}")[:50]
        for f in rules.choice_fields(form)
    }
    wanted = {
        "scores": scores,
        "choices": {k: v for k, v in choices.items() if v},
        "every": request.form.get("every") == "yes",
        "respond": request.form.get("respond") == "yes",
    }
    return wanted, ""


@bp.route("/rules/<form_id>", methods=["GET", "POST"])
def thresholds(form_id: str):
    """The answers of one form that open a follow-up, as the quality officer sets them."""
    form = library().get(form_id)
    if form is None:
        abort(404)
    data, error, status = store.get_store(), "", 200
    rule = rules.rule_for(data, form)
    if request.method == "POST":
        wanted, error = _wanted(form)
        if not FlaskForm().validate():
            error = _("انتهت صلاحية الصفحة. أعد المحاولة.")
        if not error:
            try:
                rules.save_rule(data, form, wanted, actor())
            except rules.RuleError as exc:
                error = str(exc)
            else:
                flash(_("حُفظت حدود المتابعة."), "notice")
                return redirect(url_for("followups.thresholds", form_id=form.id))
        rule, status = {**rule, **wanted} if wanted else rule, 400
    return render_template(
        "followups/rules.html",
        form=form,
        rule=rule,
        scored=rules.scored_fields(form),
        limits=rules.SCORED,
        choice_fields=rules.choice_fields(form),
        error=error,
        token_form=FlaskForm(),
    ), status
