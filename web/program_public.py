"""A program's registration link: its form, bound to the program, open while the program
takes registrations (from its announcement until it is full or its closing date)."""

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
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import RequestEntityTooLarge

import store
from association.profile import current
from cases import programs, registrations
from forms.dates import saudi_today
from forms.sizes import body_limit
from web.auditing import actor
from web.extensions import csrf
from web.filling import fill, library
from web.programs import MODE_NAMES

bp = Blueprint("program_public", __name__, url_prefix="/f/programs")
WHY_CLOSED = {
    programs.NOT_NEEDED: _l("لا يتطلب هذا البرنامج تسجيلًا مسبقًا."),
    programs.NOT_YET: _l("لم يُفتح التسجيل في هذا البرنامج بعد."),
    programs.CLOSED: _l("انتهت مدة التسجيل في هذا البرنامج."),
    programs.FULL: _l("اكتملت مقاعد هذا البرنامج، شكرًا لاهتمامك."),
}


def _program_or_404(pid: int) -> dict:
    program = store.get_store().get(programs.PROGRAMS, pid)
    if program is None:
        abort(404)
    return program


def closed_reason(program: dict) -> str | None:
    """Return why the link takes no registration now (None: it does)."""
    data = store.get_store()
    accepted = registrations.counts(data, program["id"])[registrations.ACCEPTED]
    return programs.registration_closed(current(data), program, accepted, saudi_today())


@bp.route("/<int:pid>", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, as the public form does (web/public.py)
def register(pid: int):
    program = _program_or_404(pid)
    definition = library().get(program.get("form_id") or programs.DEFAULT_FORM)
    if definition is None or not definition.public:
        abort(404)
    why = closed_reason(program)
    if why:
        return render_template(
            "programs/closed.html", program=program, why=WHY_CLOSED[why], modes=MODE_NAMES
        )
    limit = body_limit(definition, "public", current_app.config["PUBLIC_BODY_LIMIT"])
    request.max_content_length = min(limit, current_app.config["MAX_CONTENT_LENGTH"])
    initial = {"program_name": program["name"]} if definition.field("program_name") else None
    try:
        state = fill(definition, "public", entered_by="public", initial=initial)
    except RequestEntityTooLarge:
        abort(413)
    if state.record:
        data = store.get_store()
        found = registrations.register(
            data, current(data), program, definition, state.record, actor(), saudi_today()
        )
        session["thanks"] = {"program": pid, "ref": found.get("ref") or state.record["ref"]}
        return redirect(url_for("program_public.thanks", pid=pid))
    return render_template(
        "programs/register.html",
        state=state,
        program=program,
        modes=MODE_NAMES,
        channels=[],
        channel_field=None,
        action=url_for("program_public.register", pid=pid),
        public=True,
        personal=False,
    ), (400 if state.form_error else 200)


@bp.get("/<int:pid>/thanks")
def thanks(pid: int):
    program = _program_or_404(pid)
    done = session.get("thanks") or {}
    if done.get("program") != pid:
        return redirect(url_for("program_public.register", pid=pid))
    return render_template("programs/thanks.html", program=program, ref=done["ref"])
