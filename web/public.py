"""Public pages: forms marked public, filled from a link on a phone."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

import store
from cases.service import survey_about
from forms.sizes import body_limit
from web import survey_links
from web.extensions import csrf
from web.filling import fill, library

bp = Blueprint("public", __name__, url_prefix="/f")


def public_form_or_404(form_id: str):
    """Return the form `form_id` if it is public; a staff-only or unknown form is a 404."""
    form = library().get(form_id)
    if form is None or not form.public:
        abort(404)
    return form


@bp.route("/<form_id>", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token and, if stale, comes back with every value kept
def form(form_id: str):
    definition = public_form_or_404(form_id)
    token = request.args.get("b")
    about = survey_links.read(token)
    if about is not None and "case" in about:
        about = survey_about(store.get_store(), about)
    # Anyone may post here: no more than a valid answer weighs (Werkzeug holds the
    # stream to it, a body sent without a length too), well under the staff pages' limit.
    limit = body_limit(definition, "public", current_app.config["PUBLIC_BODY_LIMIT"])
    request.max_content_length = min(limit, current_app.config["MAX_CONTENT_LENGTH"])
    try:
        state = fill(definition, "public", entered_by="public", about=about)
    except RequestEntityTooLarge:
        return _too_large(definition, token if about else None)
    if state.record:
        # Post/redirect/get: a reload of the thank-you page never sends twice.
        session["thanks"] = {"form": definition.id, "ref": state.record["ref"]}
        return redirect(url_for("public.thanks", form_id=definition.id))
    return render_template(
        "forms/fill.html",
        state=state,
        channels=[],
        channel_field=None,
        action=url_for("public.form", form_id=definition.id, b=token if about else None),
        public=True,
        # A personal link joins the answers to his file: the page must not promise anonymity.
        personal=about is not None and "beneficiary" in about,
    ), (400 if state.form_error else 200)


def _too_large(definition, token: str | None):
    text = _(
        "حجم ما أرسلته أكبر من المسموح لهذا النموذج. اختصر النصوص الطويلة وصغّر المرفقات،"
        " ثم املأ النموذج وأرسله مرة أخرى."
    )
    back = url_for("public.form", form_id=definition.id, b=token)
    return render_template("errors/error.html", code=413, text=text, back=back), 413


@bp.get("/<form_id>/thanks")
def thanks(form_id: str):
    definition = public_form_or_404(form_id)
    done = session.get("thanks") or {}
    if done.get("form") != definition.id:
        return redirect(url_for("public.form", form_id=definition.id))
    return render_template("public/thanks.html", form=definition, ref=done["ref"])
