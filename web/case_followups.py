"""What staff record on a request between its moves: what is missing, the research visit.

Thin views over cases/missing_items.py and cases/visits.py; a refusal shows the request's
page again with the reason and what was typed.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

import store
from association.profile import current as current_profile
from cases import missing_items, visits
from cases.service import CASES, CaseError
from web.auditing import actor
from web.cases import show
from web.own_request import link

bp = Blueprint("case_followups", __name__, url_prefix="/cases")


def _case(cid: int) -> dict:
    case = store.get_store().get(CASES, cid)
    if case is None:
        abort(404)
    return case


def _done(cid: int, said: str, anchor: str):
    flash(said, "notice")
    return redirect(url_for("cases.case_page", cid=cid) + anchor)


@bp.post("/<int:cid>/missing")
def ask_missing(cid: int):
    """Record what the request lacks; the beneficiary is told and sees it on his page."""
    case = _case(cid)
    entered = {k: request.form.get(k, "")[:1000] for k in ("kind", "note")}
    if not FlaskForm().validate():
        return show(case, _("انتهت صلاحية الصفحة. أعد المحاولة."), 400, entered)
    data = store.get_store()
    try:
        missing_items.ask(
            data, current_profile(data), cid, entered["kind"], entered["note"], actor(),
            link=link(case["ref"]),
        )  # fmt: skip
    except CaseError as exc:
        return show(case, str(exc), 400, entered)
    except PermissionError:
        abort(403)
    return _done(cid, _("سُجّل الناقص وأُبلغ المستفيد."), "#missing")


@bp.post("/<int:cid>/missing/<int:number>/settle")
def settle_missing(cid: int, number: int):
    """Record that a missing item arrived another way (brought to the association)."""
    case = _case(cid)
    if not FlaskForm().validate():
        return show(case, _("انتهت صلاحية الصفحة. أعد المحاولة."), 400)
    try:
        missing_items.settle(store.get_store(), cid, number, actor())
    except CaseError as exc:
        return show(case, str(exc), 400)
    except PermissionError:
        abort(403)
    return _done(cid, _("سُجّل وصول الناقص."), "#missing")


@bp.post("/<int:cid>/visit")
def set_visit(cid: int):
    """Set the social researcher's visit; the beneficiary is told and sees it on his page."""
    case = _case(cid)
    entered = {k: request.form.get(k, "")[:200] for k in ("visit_day", "visit_time", "visit_note")}
    if not FlaskForm().validate():
        return show(case, _("انتهت صلاحية الصفحة. أعد المحاولة."), 400, entered)
    data = store.get_store()
    try:
        visits.schedule(
            data, current_profile(data), cid,
            entered["visit_day"], entered["visit_time"], entered["visit_note"], actor(),
        )  # fmt: skip
    except CaseError as exc:
        return show(case, str(exc), 400, entered)
    except PermissionError:
        abort(403)
    return _done(cid, _("حُدّد موعد الزيارة وأُبلغ المستفيد."), "#visit")
