"""The form editor's pages: the list of forms to edit, a new form, the editor itself.

Quality officers (forms.manage) build forms here without seeing JSON. The page is
a shell: static/js/editor-*.js draws the sections and fields from the draft that
web/editor_api.py serves and saves. An XLSForm upload (web/xlsform_views.py) lands
on the same path as a new form: a definition becomes a draft with `start_draft`.
"""

from __future__ import annotations

import copy
import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField

import store
from forms import drafts
from forms.definition import field_type_names
from forms.editing import new_definition
from web.auditing import audit
from web.filling import library

bp = Blueprint("editor", __name__, url_prefix="/editor")
NAME = re.compile(r"[a-z][a-z0-9_]{0,62}")


class NewForm(FlaskForm):
    form_id = StringField()
    title_ar = StringField()
    title_en = StringField()


class RevisionForm(FlaskForm):
    revision = HiddenField()


def form_id_or_404(form_id: str) -> str:
    """Return the id if a form or a draft of that id exists; 404 otherwise."""
    if not NAME.fullmatch(form_id):
        abort(404)
    if library().get(form_id) is None and drafts.get(store.get_store(), form_id) is None:
        abort(404)
    return form_id


def working_copy(form_id: str) -> dict:
    """Return what the editor opens: the draft, or a copy of the version in use."""
    draft = drafts.get(store.get_store(), form_id)
    if draft is not None:
        return draft
    current = library().get(form_id)
    return {
        "form_id": form_id,
        "definition": copy.deepcopy(current.data),
        "revision": 0,
        "based_on": current.version,
    }


def start_draft(
    definition: dict, *, based_on: int | None = None, notes: list[dict] | None = None
) -> dict:
    """Make `definition` the draft of its form, audited; for a new form or an import."""
    form_id = definition["id"]
    record = drafts.replace(
        store.get_store(),
        form_id,
        definition,
        by=current_user.username,
        based_on=based_on,
        notes=notes,
    )
    audit("start_draft", f"form:{form_id}", form_id, after={"revision": record["revision"]})
    return record


def _problems(new: NewForm) -> list[str]:
    form_id = (new.form_id.data or "").strip()
    found = []
    if not new.validate():
        found.append(_("انتهت صلاحية الصفحة. أعد المحاولة."))
    if not NAME.fullmatch(form_id):
        found.append(_("المعرّف: أحرف إنجليزية صغيرة وأرقام و _ ، ويبدأ بحرف."))
    elif library().get(form_id) or drafts.get(store.get_store(), form_id):
        found.append(_("يوجد نموذج بهذا المعرّف. اختر معرّفًا آخر."))
    title = (new.title_ar.data or "").strip()
    if not title or len(title) > 200:
        found.append(_("اكتب عنوان النموذج بالعربية (حتى ٢٠٠ حرف)."))
    return found


def _listing() -> list[dict]:
    data = store.get_store()
    rows = {f.id: {"id": f.id, "form": f, "draft": None} for f in library().all()}
    for form_id in drafts.form_ids(data):
        row = rows.setdefault(form_id, {"id": form_id, "form": None, "draft": None})
        row["draft"] = drafts.get(data, form_id)
    return sorted(rows.values(), key=lambda r: r["id"])


def index_page(*, new: NewForm | None = None, problems=(), imported=(), status: int = 200):
    """Render the list of forms with the new-form and XLSForm forms, and their problems."""
    page = render_template(
        "editor/index.html",
        rows=_listing(),
        # Unbound: on a refused upload the request's body is not to be read again.
        new=new or NewForm(formdata=None),
        problems=list(problems),
        import_problems=list(imported),
    )
    return page, status


@bp.get("/")
def index():
    return index_page()


@bp.post("/new")
def create():
    new = NewForm()
    problems = _problems(new)
    if problems:
        return index_page(new=new, problems=problems, status=400)
    form_id = new.form_id.data.strip()
    title_en = (new.title_en.data or "").strip()[:200]
    start_draft(new_definition(form_id, new.title_ar.data.strip(), title_en))
    return redirect(url_for("editor.edit", form_id=form_id))


@bp.get("/<form_id>")
def edit(form_id: str):
    form_id = form_id_or_404(form_id)
    current = library().get(form_id)
    draft = drafts.get(store.get_store(), form_id)
    return render_template(
        "editor/edit.html",
        form_id=form_id,
        current=current,
        import_notes=(draft or {}).get("import_notes", []),
        types=field_type_names(),
        discard=RevisionForm(),
    )


@bp.post("/<form_id>/discard")
def discard(form_id: str):
    """Throw the draft away (the versions in use are untouched)."""
    form_id = form_id_or_404(form_id)
    choice = RevisionForm()
    revision = request.form.get("revision", "")
    if not choice.validate() or not revision.isdigit():
        flash(_("انتهت صلاحية الصفحة. أعد المحاولة."), "error")
        return redirect(url_for("editor.edit", form_id=form_id))
    gone = drafts.discard(store.get_store(), form_id, int(revision))
    if gone is None:
        flash(_("تغيّرت المسودة منذ فتحتها فلم تُحذف. حدّث الصفحة."), "error")
        return redirect(url_for("editor.edit", form_id=form_id))
    audit("discard_draft", f"form:{form_id}", form_id, before={"revision": gone["revision"]})
    flash(_("حُذفت المسودة."), "notice")
    if library().get(form_id) is None:
        return redirect(url_for("editor.index"))
    return redirect(url_for("editor.edit", form_id=form_id))
