"""The beneficiary's own page for his request: a signed, expiring link sent in the
"request received" message, showing the request's state, what happens next and the
decision's deadline. It names no person and holds no personal detail (those wait for a
one-time code, issue 15's next step): whoever holds the link learns only the state.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer

import store
from cases.service import CASES, due_date
from cases.tidings import BENEFICIARY_NEXT
from cases.workflow import OPEN, STATES
from web.site_address import public_url

bp = Blueprint("own_request", __name__)
SALT = "rifd-own-request"
MAX_AGE = 180 * 24 * 3600  # a request is decided and served well within half a year


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=SALT)


def link(ref: str) -> str:
    """Return the request's own page on the association's public address."""
    return public_url() + url_for("own_request.page", token=_serializer().dumps({"r": ref}))


@bp.get("/r/<token>")
def page(token: str):
    """Show the request's state to whoever holds its signed link."""
    try:
        ref = _serializer().loads(token[:300], max_age=MAX_AGE).get("r")
    except (BadSignature, AttributeError):
        abort(404)
    found = store.get_store().find(CASES, where={"ref": ref}) if isinstance(ref, str) else []
    if not found:
        abort(404)
    case = found[0]
    return render_template(
        "public/own_request.html",
        ref=case["ref"],
        state=STATES.get(case["state"], ""),
        next_step=BENEFICIARY_NEXT.get(case["state"], ""),
        due=due_date(store.get_store(), case).isoformat() if case["state"] in OPEN else "",
    )
