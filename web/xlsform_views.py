"""XLSForm spreadsheets in the editor: upload one as a draft, download a form as one.

An upload never touches a published form: the spreadsheet becomes the draft of
its form id, which the quality officer then reviews and publishes in the editor.
Where that id already has a draft or a form, the page says so and asks before
replacing the draft; the spreadsheet read meanwhile travels in a signed field of
the confirmation page, so nothing is stored until he confirms. A refused file
stores nothing and every problem is listed with its row and column, in the
page's language.
"""

from __future__ import annotations

import io
import re

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import BooleanField, HiddenField

import store
from forms import drafts
from forms.xlsform import XLSFormError, export_xlsform, import_xlsform
from forms.xlsform.arabic import in_arabic, skipped_line
from forms.xlsform.skipping import import_skipping
from web.auditing import audit
from web.editor import NAME, index_page, start_draft
from web.extensions import csrf
from web.filling import library
from web.i18n import current_lang

bp = Blueprint("xlsform", __name__, url_prefix="/editor")
MB = 1024 * 1024
MAX_UPLOAD = 5 * MB
# The rest of the request around the file: the token, the boundaries, the headers of the part.
_ENVELOPE = 64 * 1024
CONFIRM_HOURS = 2
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")


class ConfirmForm(FlaskForm):
    pending = HiddenField()
    replace = BooleanField()


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="rifd-xlsform-import")


def _source(filename: str) -> str:
    """Return the file's own name, as the messages name it (no folders, no control characters)."""
    name = _UNSAFE.sub("", re.split(r"[\\/]", filename)[-1]).strip()[:120]
    return name or "upload.xlsx"


def _refused(lines: list[str], status: int = 400):
    return index_page(imported=lines, status=status)


class Refused(Exception):
    """An upload turned away before its content was looked at; `line` says why."""

    def __init__(self, line: str, status: int = 400):
        super().__init__(line)
        self.line, self.status = line, status


def _too_large() -> Refused:
    return Refused(_("حجم الملف أكبر من ٥ ميغابايت. جداول XLSForm أصغر من ذلك بكثير."), 413)


def _read_upload() -> tuple[bytes, str]:
    """Return the uploaded bytes and the file's name, or raise Refused."""
    # Judged from the header before a byte is read; the limit then holds the stream
    # to it, for a request sent without a length.
    if (request.content_length or 0) > MAX_UPLOAD + _ENVELOPE:
        raise _too_large()
    request.max_content_length = MAX_UPLOAD + _ENVELOPE
    try:
        csrf.protect()
        upload = request.files.get("file")
        data = upload.stream.read(MAX_UPLOAD + 1) if upload and upload.filename else None
    except RequestEntityTooLarge:
        raise _too_large() from None
    except CSRFError:
        raise Refused(_("انتهت صلاحية الصفحة. أعد المحاولة.")) from None
    if data is None:
        raise Refused(_("اختر ملف XLSForm ‏(‎.xlsx) أولًا."))
    if len(data) > MAX_UPLOAD:
        raise _too_large()
    if not data:
        raise Refused(_("الملف فارغ."))
    return data, _source(upload.filename)


def _problems_shown(error: XLSFormError) -> list[str]:
    return in_arabic(error) if current_lang() == "ar" else list(error.messages)


def _in_place(form_id: str) -> dict:
    """Return what the id has now: its draft record and the form in use (either may be None)."""
    return {"draft": drafts.get(store.get_store(), form_id), "form": library().get(form_id)}


def _start(definition: dict, source: str, replaced: dict | None, notes: list[dict] | None = None):
    """Make the spreadsheet the form's draft, audit the import, and open the editor on it."""
    record = start_draft(definition, notes=notes or [])
    fields = sum(len(section.get("fields", [])) for section in definition["sections"])
    after = {"source": source, "revision": record["revision"], "fields": fields}
    if notes:
        after["skipped"] = len(notes)
    before = {"revision": replaced["revision"]} if replaced else None
    audit("import", "form_draft", definition["id"], before=before, after=after)
    return redirect(url_for("editor.edit", form_id=definition["id"]))


def _confirm_page(
    definition: dict,
    source: str,
    problem: str = "",
    status: int = 200,
    notes: list[dict] | None = None,
):
    """Ask before replacing the draft (or adding one to a form in use), or before importing
    without the items listed in `notes`, carrying the import."""
    found = _in_place(definition["id"])
    revision = found["draft"]["revision"] if found["draft"] else 0
    payload = {"definition": definition, "source": source, "revision": revision}
    payload["notes"] = notes or []
    payload["by"] = current_user.username
    choice = ConfirmForm(formdata=None, pending=_signer().dumps(payload))
    page = render_template(
        "editor/import_confirm.html",
        definition=definition,
        source=source,
        found=found,
        choice=choice,
        problem=problem,
        notes=[note[current_lang()] for note in notes or []],
    )
    return page, status


@bp.post("/import")
@csrf.exempt  # the size is judged before the body is read, the token right after (_read_upload)
def upload():
    try:
        data, source = _read_upload()
    except Refused as refused:
        return _refused([refused.line], refused.status)
    try:
        definition = import_xlsform(data, source)
    except XLSFormError as exc:
        try:
            definition, skipped = import_skipping(data, source)
        except XLSFormError:
            return _refused(_problems_shown(exc))
        # The choice: refuse the file (nothing is stored), or import without exactly these.
        notes = [{"ar": skipped_line(item), "en": item.english()} for item in skipped]
        return _confirm_page(definition, source, notes=notes)
    found = _in_place(definition["id"])
    if found["draft"] or found["form"]:
        return _confirm_page(definition, source)
    return _start(definition, source, None)


@bp.post("/import/confirm")
def confirm():
    choice = ConfirmForm()
    try:
        payload = _signer().loads(choice.pending.data or "", max_age=CONFIRM_HOURS * 3600)
    except BadSignature:
        payload = None
    if not choice.validate() or not payload or payload.get("by") != current_user.username:
        return _refused([_("انتهت صلاحية صفحة التأكيد. ارفع الملف مرة أخرى.")])
    definition, source = payload["definition"], payload["source"]
    notes = payload.get("notes", [])
    draft = drafts.get(store.get_store(), definition["id"])
    if (draft["revision"] if draft else 0) != payload["revision"]:
        changed = _("تغيّرت مسودة هذا النموذج منذ رفعت الملف. راجعها ثم أكّد من جديد.")
        return _confirm_page(definition, source, changed, 409, notes)
    if not choice.replace.data:
        tick = _("ضع علامة في المربع لتأكيد بدء المسودة من الجدول.")
        return _confirm_page(definition, source, tick, 400, notes)
    return _start(definition, source, draft, notes)


@bp.get("/<form_id>/xlsform.xlsx")
def download(form_id: str):
    """Download the form in use (its latest published version) as an XLSForm spreadsheet."""
    form = library().get(form_id) if NAME.fullmatch(form_id) else None
    if form is None:
        abort(404)
    data = export_xlsform(form)
    audit("export", "form", form_id, after={"version": form.version, "format": "xlsform"})
    return send_file(
        io.BytesIO(data),
        as_attachment=True,
        download_name=f"{form_id}-v{form.version}.xlsx",
        mimetype=XLSX,
    )
