"""A staff member's unfinished entries on the web: save as draft, resume, her list.

The rules live in submissions/drafts.py; here are the request's side of them: which
draft a page was opened from (?draft=N, hers only), what a POST carries (its fields
and its files), the files a resumed page keeps until another is chosen, and the page
that lists her drafts.
"""

from __future__ import annotations

import io

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from werkzeug.datastructures import FileStorage, MultiDict
from wtforms.validators import ValidationError

import store
from accounts.audit import Actor
from forms.refill import file_places
from forms.types import get_field_type
from forms.types.files import file_refs
from submissions import drafts
from web.auditing import actor

bp = Blueprint("entry_drafts", __name__, url_prefix="/drafts")
ACTION_FIELD = "rifd-action"  # the button a person pressed: "draft" keeps the page as it is


def own_draft(audience: str) -> dict | None:
    """Return the draft this page was opened from, if it is the signed-in person's."""
    raw = request.args.get("draft", "")
    if audience != "staff" or not raw.isdigit() or not current_user.is_authenticated:
        return None
    return drafts.mine(store.get_store(), current_user.record["id"], int(raw))


def formdata(draft: dict) -> MultiDict:
    return MultiDict([tuple(pair) for pair in draft["fields"]])


def posted() -> tuple[list[tuple[str, str]], dict[str, list[tuple[bytes, str]]]]:
    """Return the POST's fields and its chosen files by field, each (content, name), as
    sent: every file of a field that takes several."""
    files: dict[str, list[tuple[bytes, str]]] = {}
    for name, storage in request.files.items(multi=True):
        if storage.filename:
            files.setdefault(name, []).append((storage.read(), storage.filename))
    return list(request.form.items(multi=True)), files


def keep_posted(
    user_id: int, form_id: str, reason: str, replace: dict | None, *, who: str = ""
) -> dict | None:
    """Keep what this POST carries as a draft of `user_id`; None if it cannot be kept.

    `who` names her when her session has ended (the trail then says so)."""
    fields, files = posted()
    by = Actor(who, request.remote_addr or "") if who else actor()
    try:
        return drafts.keep(
            store.get_store(),
            by,
            user_id,
            form_id,
            fields,
            files,
            reason=reason,
            resume=request.path,
            replace=replace,
        )
    except drafts.DraftError:
        return None


def token_ok() -> bool:
    try:
        validate_csrf(request.form.get("csrf_token"))
    except (ValidationError, CSRFError):
        return False
    return True


def with_kept_files(form, raw: dict, files: dict) -> set[str]:
    """Give each file field left empty the file the page keeps for it (a draft's, or a
    corrected submission's); return their names."""
    used = set()
    # Each by the name of its input, in a row too (a row removed in the browser takes
    # its files with it: no input of that name is posted).
    for name, fdef, holder in file_places(form, raw) if files else ():
        refs = file_refs(files.get(name))
        if not refs or not get_field_type("file").is_empty(holder.get(fdef["name"])):
            continue  # a file chosen now replaces those kept
        read = store.get_store().read_file
        again = [FileStorage(io.BytesIO(read(r["sha256"])), filename=r["name"]) for r in refs]
        holder[fdef["name"]] = again if fdef.get("multiple") else again[0]
        used.add(name)
    return used


def draft_id(state) -> int | None:
    """The draft a page posts back to (its kept files stay with it), or None."""
    return state.draft["id"] if state.draft else None


def resume_url(record: dict) -> str:
    return f"{record['resume']}?draft={record['id']}"


@bp.get("/")
def listing():
    """The person's drafts, newest first: the form, when, and why it was kept."""
    data = store.get_store()
    found = drafts.listing(data, current_user.record["id"])
    forms = {f.id: f for f in current_app.extensions["rifd_forms"].all()}
    return render_template("forms/drafts.html", drafts=found, forms=forms, resume_url=resume_url)


@bp.post("/<int:draft_id>/delete")
def delete(draft_id: int):
    if not token_ok():
        abort(400)
    if not drafts.discard(store.get_store(), actor(), current_user.record["id"], draft_id):
        abort(404)
    flash(_("حُذفت المسودة."), "notice")
    return redirect(url_for("entry_drafts.listing"))
