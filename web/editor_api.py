"""What the editor's script asks the server: load, check, save and publish a draft; preview.

JSON in and out (POSTs carry the CSRF token in the X-CSRFToken header), except
the preview: the editor posts the definition into an iframe and gets back the
real fill page, drawn by the same template and scripts a beneficiary gets.
"""

from __future__ import annotations

from flask import Blueprint, g, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

import store
from accounts import audit as trail
from forms import drafts, editing, versions
from forms.builder import build_form_class
from forms.conditions.words import in_words
from forms.definition import DefinitionError, FormDefinition
from web.auditing import actor, audit
from web.editor import form_id_or_404, working_copy
from web.filling import Filling, library
from web.i18n import current_lang

bp = Blueprint("editor_api", __name__, url_prefix="/editor")
MAX_DEFINITION = 2 * 1024 * 1024  # bytes of JSON: the largest shipped form is ~60 KB


def _refuse(message: str, status: int = 400, **extra):
    return jsonify({"error": message, **extra}), status


def _payload() -> dict | None:
    """Return the request's JSON object, or None if it is missing, too big or not an object."""
    if (request.content_length or 0) > MAX_DEFINITION or not request.is_json:
        return None
    raw = request.get_data(cache=False)
    try:
        data = editing.parse_json(raw) if len(raw) <= MAX_DEFINITION else None
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _definition(payload: dict | None, form_id: str) -> dict | None:
    data = (payload or {}).get("definition")
    if not isinstance(data, dict):
        return None
    # The id is the form's for good and the number is given when publishing:
    # neither is the editor's to change, so neither can be wrong.
    base = working_copy(form_id)["definition"].get("version", 1)
    return dict(data, id=form_id, version=base if isinstance(base, int) else 1)


def _state(form_id: str) -> dict:
    copy = working_copy(form_id)
    current = library().get(form_id)
    return {
        "form_id": form_id,
        "definition": copy["definition"],
        "revision": copy["revision"],
        "based_on": copy.get("based_on"),
        "current_version": current.version if current else None,
        "public_url": url_for("public.form", form_id=form_id) if current and current.public else "",
        "problems": editing.check(copy["definition"]),
    }


@bp.get("/<form_id>/draft.json")
def draft_json(form_id: str):
    return jsonify(_state(form_id_or_404(form_id)))


@bp.post("/<form_id>/check")
def check(form_id: str):
    data = _definition(_payload(), form_id_or_404(form_id))
    if data is None:
        return _refuse(_("لم يصل النموذج كاملًا. حدّث الصفحة وحاول مرة أخرى."))
    return jsonify({"problems": editing.check(data)})


@bp.post("/<form_id>/condition")
def condition(form_id: str):
    """Check one condition where it is written: syntax and the fields it names."""
    payload = _payload() or {}
    data = _definition(payload, form_id_or_404(form_id))
    where, key = payload.get("where"), payload.get("key")
    if data is None or not isinstance(where, str) or key not in ("visible_if", "required_if"):
        return _refuse(_("لم يصل الشرط كاملًا. حدّث الصفحة وحاول مرة أخرى."))
    expression = payload.get("expression")
    problems = editing.check_condition(data, where, key, expression)
    words = "" if problems else in_words(data, key, expression, current_lang())
    return jsonify({"problems": problems, "words": words})


@bp.post("/<form_id>/draft")
def save_draft(form_id: str):
    """Save the draft as it is, valid or not, and say what is still wrong with it."""
    payload = _payload()
    data = _definition(payload, form_id_or_404(form_id))
    revision = payload.get("revision") if payload else None
    if data is None or isinstance(revision, bool) or not isinstance(revision, int):
        return _refuse(_("لم يصل النموذج كاملًا. حدّث الصفحة وحاول مرة أخرى."))
    based_on = working_copy(form_id).get("based_on")
    try:
        record = drafts.save(
            store.get_store(),
            form_id,
            data,
            by=current_user.username,
            revision=revision,
            based_on=based_on,
        )
    except drafts.DraftConflict:
        return _refuse(_("حفظ شخص آخر هذه المسودة بعد أن فتحتها. حدّث الصفحة."), 409)
    audit(
        "save_draft",
        f"form:{form_id}",
        form_id,
        before={"revision": revision},
        after={"revision": record["revision"], "digest": versions.digest(data)},
    )
    return jsonify(
        {
            "revision": record["revision"],
            "saved_at": record["updated_at"],
            "problems": editing.check(record["definition"]),
        }
    )


@bp.post("/<form_id>/publish")
def publish(form_id: str):
    """Publish the saved draft as the next version, if it is valid and at `revision`."""
    payload = _payload()
    revision = payload.get("revision") if payload else None
    data = store.get_store()
    draft = drafts.get(data, form_id_or_404(form_id))
    if draft is None or draft["revision"] != revision:
        return _refuse(_("احفظ المسودة أولًا، أو حدّث الصفحة إن حفظها غيرك."), 409)
    problems = editing.check(draft["definition"])
    if problems:
        return _refuse(_("لم يُنشر النموذج: صحّح الأخطاء المشار إليها."), problems=problems)
    current = library().get(form_id)
    if current and versions.digest(current.data) == versions.digest(draft["definition"]):
        return _refuse(_("لا تغيير عن الإصدار المستخدم الآن، فلا حاجة إلى النشر."))
    before = {"version": current.version} if current else None

    def write_audit(tx, record: dict) -> None:
        after = {"version": record["version"], "digest": record["digest"]}
        entity = f"form:{form_id}"
        trail.write(tx, actor(), "publish", entity, record["version"], before=before, after=after)

    try:
        record = versions.publish(
            data, draft["definition"], by=current_user.username, replaces=current, audit=write_audit
        )
    except DefinitionError:
        return _refuse(_("لم يُنشر النموذج: صحّح الأخطاء المشار إليها."))
    drafts.discard(data, form_id, revision)
    public = record["definition"].get("public")
    return jsonify(
        {
            "version": record["version"],
            "public_url": url_for("public.form", form_id=form_id) if public else "",
        }
    )


@bp.post("/<form_id>/preview")
def preview(form_id: str):
    """Render the fill page of a definition posted from the editor, for its iframe."""
    g.frame_same_origin = True  # web/security.py lets this one page into the editor's frame
    form_id = form_id_or_404(form_id)
    try:
        data = request.form.get("definition", "")
        parsed = editing.parse_json(data) if len(data) <= MAX_DEFINITION else None
        definition = dict(parsed, id=form_id, version=1) if isinstance(parsed, dict) else None
    except ValueError:  # not JSON, or nested too deeply to be a definition
        definition = None
    problems = editing.check(definition) if definition is not None else None
    if definition is None or problems:
        return render_template("editor/preview_problems.html", problems=problems or [])
    form = FormDefinition(definition)
    audience = "staff" if request.form.get("audience") == "staff" else "public"
    wtform = build_form_class(form, current_lang(), audience)()
    return render_template(
        "forms/fill.html",
        state=Filling(form, wtform, audience),
        channels=[],
        channel_field=None,
        action="",
        public=True,
        preview=True,
    )
