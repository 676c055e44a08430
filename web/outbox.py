"""The outbox page: messages by status; staff copy the queued ones into the official mobile
(with no gateway set) and send again those a person has checked."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

import store
from cases import outbox
from messages import sender
from messages import settings as gateway_settings
from web.auditing import actor
from web.paging import page_arg, pages_of

bp = Blueprint("outbox", __name__, url_prefix="/outbox")
PER_PAGE = 30


@bp.get("/")
def index():
    status = request.args.get("status", outbox.QUEUED)
    if status not in outbox.STATUSES:
        status = outbox.QUEUED
    page = page_arg()
    data = store.get_store()
    items, total = outbox.status_page(data, status, (page - 1) * PER_PAGE, PER_PAGE)
    return render_template(
        "programs/outbox.html",
        items=items,
        total=total,
        page=page,
        pages=pages_of(total, PER_PAGE),
        status=status,
        statuses=outbox.STATUSES,
        names=outbox.STATUS_NAMES,
        counts={s: data.count(outbox.OUTBOX, where={"status": s}) for s in outbox.STATUSES},
        gateway=gateway_settings.gateway(data)["provider"],
        token_form=FlaskForm(),
    )


@bp.post("/<int:mid>/requeue")
def requeue(mid: int):
    """Send a message again once a person has checked it was not sent."""
    if not FlaskForm().validate():
        abort(400)
    try:
        sender.requeue(store.get_store(), mid, actor())
    except LookupError:
        abort(404)
    flash(_("أُعيدت الرسالة إلى قائمة الإرسال."), "notice")
    return redirect(url_for("outbox.index", status=outbox.QUEUED))
