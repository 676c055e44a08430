"""The outbox page: messages waiting to be sent, for staff to copy into the official mobile."""

from __future__ import annotations

from flask import Blueprint, render_template

import store
from cases import outbox
from web.paging import page_arg, pages_of

bp = Blueprint("outbox", __name__, url_prefix="/outbox")
PER_PAGE = 30


@bp.get("/")
def index():
    page = page_arg()
    items, total = outbox.queued_page(store.get_store(), (page - 1) * PER_PAGE, PER_PAGE)
    return render_template(
        "programs/outbox.html",
        items=items,
        total=total,
        page=page,
        pages=pages_of(total, PER_PAGE),
    )
