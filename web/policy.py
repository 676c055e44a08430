"""The association's policy profile in the app: read it, edit it, its documents, holidays.

Admins and quality officers edit the profile on one page of plain inputs; it is
checked against the published schema (and its rules against the request form)
before it replaces the stored one, and the change is audited with both versions.
"""

from __future__ import annotations

import io

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_wtf import FlaskForm

import store
from association import editor
from association.dates import approval_mismatch
from association.policy_doc import policy_docx
from association.profile import current, problems, save, schema
from cases.calendar import HOLIDAYS, MAX_HOLIDAY_DAYS
from cases.eligibility import VARIABLES
from forms.conditions import names
from forms.dates import read_day
from forms.invisible import strip_invisible
from forms.types import FieldError, get_field_type
from web.auditing import audit
from web.filling import library
from web.policy_inputs import SECTIONS
from web.policy_problems import errors_by_input, mismatch_warning, read_errors

bp = Blueprint("policy", __name__)
# The tick that keeps an approval's Hijri and Gregorian dates as the policy printed them.
KEEP_DATES = "keep_printed_dates"
DOCUMENT_FILE = {"accept": ["pdf", "docx", "png", "jpg"], "max_size_mb": 20}
MIMETYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@bp.get("/schema/policy-profile.json")
def profile_schema():
    """Publish the JSON Schema every policy profile is checked against."""
    return jsonify(schema())


def _rule_names_problems(profile: dict) -> list[str]:
    form = library().get(profile.get("request_form") or "")
    known = set(VARIABLES) | {f["name"] for f in form.answer_fields()} if form else set(VARIABLES)
    out = []
    for group in ("general", "cash"):
        for i, item in enumerate((profile.get("eligibility") or {}).get(group) or []):
            unknown = sorted(names(item["rule"]) - known) if item.get("rule") else []
            if unknown:
                out.append(f"eligibility.{group}[{i}].rule: unknown name {unknown[0]!r}")
    return out


def _edit_page(profile: dict, errors: dict, status: int = 200, warning: str = ""):
    return render_template(
        "policy/edit.html",
        profile=profile,
        sections=SECTIONS,
        errors=errors,
        dates_warning=warning,
        get=editor.get,
        shown=editor.shown,
        empty_rows=editor.EMPTY_ROWS,
        token_form=FlaskForm(),
    ), status


def _dates_warning(stored: dict, profile: dict) -> str:
    """Warn of approval dates that disagree, once: a pair already kept is not asked about again."""
    found = approval_mismatch(profile)
    if found is None or approval_mismatch(stored) == found:
        return ""
    return mismatch_warning(found)


@bp.get("/policy/")
def view():
    return render_template("policy/view.html", profile=current(store.get_store()))


@bp.get("/policy/policy.docx")
def print_docx():
    """Print the policy as the board approved it, from the profile in force now."""
    data = store.get_store()
    profile = current(data)
    logo = None
    if profile.get("logo_sha256"):
        try:
            logo = data.read_file(profile["logo_sha256"])
        except store.FilesUnavailable:
            raise  # unreachable, not missing: a page says so (web/errors.py)
        except (FileNotFoundError, store.StoreError):
            logo = None  # a missing logo leaves the letterhead without it
    return send_file(
        io.BytesIO(policy_docx(profile, logo=logo)),
        as_attachment=True,
        download_name="policy.docx",
        mimetype=MIMETYPES["docx"],
    )


@bp.route("/policy/edit", methods=["GET", "POST"])
def edit():
    data = store.get_store()
    stored = current(data)
    if request.method == "GET":
        return _edit_page(stored, {})
    if not FlaskForm().validate():
        return _edit_page(stored, {"": [_("انتهت صلاحية الصفحة. أعد المحاولة.")]}, 400)
    try:
        profile = editor.read(SECTIONS, request.form, stored)
    except editor.ReadError as exc:
        return _edit_page(exc.profile, read_errors(exc.problems), 400)
    found = problems(profile) or _rule_names_problems(profile)
    if found:
        return _edit_page(profile, errors_by_input(found), 400)
    if (warning := _dates_warning(stored, profile)) and request.form.get(KEEP_DATES) != "yes":
        return _edit_page(profile, {}, 400, warning)
    before = save(data, profile)
    audit("update", "policy_profile", 1, before=before, after=profile)
    flash(_("حُفظت السياسة."), "notice")
    return redirect(url_for("policy.view"))


def _document(doc_id: str) -> tuple[dict, int]:
    profile = current(store.get_store())
    for i, doc in enumerate(profile.get("documents") or []):
        if doc["id"] == doc_id:
            return profile, i
    abort(404)


@bp.post("/policy/documents/<doc_id>")
def upload_document(doc_id: str):
    profile, i = _document(doc_id)
    upload = request.files.get("file")
    if not FlaskForm().validate() or upload is None or not upload.filename:
        flash(_("اختر ملفًا لرفعه."), "error")
        return redirect(url_for("policy.view"))
    try:
        pending = get_field_type("file").clean(upload, DOCUMENT_FILE, None)
    except FieldError:
        flash(_("الملف يجب أن يكون PDF أو Word أو صورة، وألا يتجاوز 20 ميغابايت."), "error")
        return redirect(url_for("policy.view"))
    data = store.get_store()
    digest = data.put_file(pending.data)
    doc = profile["documents"][i]
    new = {
        "sha256": digest,
        "name": pending.filename,
        "kind": pending.ext,
        "size": len(pending.data),
    }
    profile["documents"][i] = {**doc, "file": new}
    save(data, profile)
    audit("upload", "policy_document", doc_id, before=doc.get("file"), after=new)
    flash(_("رُفع المستند."), "notice")
    return redirect(url_for("policy.view"))


@bp.get("/policy/documents/<doc_id>")
def document(doc_id: str):
    profile, i = _document(doc_id)
    file = profile["documents"][i].get("file")
    if not file:
        abort(404)
    try:
        body = store.get_store().read_file(file["sha256"])
    except store.FilesUnavailable:
        raise
    except (FileNotFoundError, store.StoreError):
        abort(404)
    return send_file(
        io.BytesIO(body),
        mimetype=MIMETYPES.get(file["kind"], "application/octet-stream"),
        as_attachment=file["kind"] == "docx",
        download_name=f"{doc_id}.{file['kind']}",
    )


@bp.route("/settings/holidays", methods=["GET", "POST"])
def holidays():
    """The admin's list of official holidays, which work-day deadlines skip."""
    data = store.get_store()
    error = ""
    if request.method == "POST":
        first, last = read_day(request.form.get("start", "")), read_day(request.form.get("end", ""))
        name = strip_invisible(request.form.get("name") or "").strip()[:200]
        last = last or first
        if not FlaskForm().validate():
            error = _("انتهت صلاحية الصفحة. أعد المحاولة.")
        elif not name or first is None or last is None:
            error = _("اكتب اسم الإجازة وتاريخ بدايتها بالصيغة YYYY-MM-DD.")
        elif not 0 <= (last - first).days < MAX_HOLIDAY_DAYS:
            error = _(
                "تاريخ النهاية يجب أن يكون بعد البداية وفي حدود %(n)s يومًا.", n=MAX_HOLIDAY_DAYS
            )
        else:
            item = {"name": name, "start": first.isoformat(), "end": last.isoformat()}
            item["id"] = data.insert(HOLIDAYS, item)
            audit("create", "holiday", item["id"], after=item)
            flash(_("أضيفت الإجازة."), "notice")
            return redirect(url_for("policy.holidays"))
    items = sorted(data.iter(HOLIDAYS), key=lambda h: h["start"], reverse=True)
    return render_template(
        "policy/holidays.html", items=items, error=error, token_form=FlaskForm()
    ), (400 if error else 200)


@bp.post("/settings/holidays/<int:hid>/delete")
def delete_holiday(hid: int):
    data = store.get_store()
    item = data.get(HOLIDAYS, hid)
    if item is None:
        abort(404)
    if not FlaskForm().validate() or request.form.get("confirm") != "yes":
        flash(_("لم يُحذف شيء: أكّد الحذف أولًا."), "error")
        return redirect(url_for("policy.holidays"))
    data.delete(HOLIDAYS, hid)
    audit("delete", "holiday", hid, before=item)
    flash(_("حُذفت الإجازة."), "notice")
    return redirect(url_for("policy.holidays"))
