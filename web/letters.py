"""Letters: issue one from a submission, the outgoing register, downloads, templates.

Accounts arrive with issue 4; until then these pages are staff pages like
the others. The public verification page is in web/verify.py.
"""

from __future__ import annotations

import io
import re

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, FileField, SelectField, StringField, TextAreaField

import store
from cases import operations
from forms.invisible import strip_invisible
from letters import template_diff, templates
from letters.context import LETTER_TYPES
from letters.issue import REGISTER, is_void
from letters.lint import lint
from letters.pdf import PdfError, PdfUnavailable
from letters.pdf import get_converter as pdf_converter
from letters.register import export_register, register_page
from letters.render import LetterError, render_letter
from letters.samples import sample_context
from submissions import service
from web.auditing import actor, audit
from web.filling import library
from web.i18n import current_lang
from web.paging import page_arg, pages_of
from web.site_address import public_url

bp = Blueprint("letters", __name__, url_prefix="/letters")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_NAME = re.compile(r"[a-z][a-z0-9_]{0,40}")


class IssueForm(FlaskForm):
    template = SelectField(validate_choice=False)
    again = BooleanField()  # issue although a letter of this kind went out before
    attachments = StringField()
    reasons = TextAreaField()
    meeting_number = StringField()
    amount = StringField()
    notes = TextAreaField()
    reapply_after = StringField()
    appeal = TextAreaField()
    program_name = StringField()
    program_place = StringField()
    program_start_date = StringField()
    program_end_date = StringField()
    program_time = StringField()
    program_arrangements = TextAreaField()
    program_what_to_bring = TextAreaField()


class VoidForm(FlaskForm):
    reason = TextAreaField()


class UploadForm(FlaskForm):
    name = StringField()
    form_id = SelectField(validate_choice=False)
    file = FileField()


def profile() -> dict:
    return store.get_store().get("settings", 1) or {}


def letter_choices() -> list[tuple[str, str]]:
    names = templates.names(store.get_store())
    lang = current_lang()
    return [(n, LETTER_TYPES.get(n, {}).get(lang, n)) for n in names]


def issue_form() -> IssueForm:
    form = IssueForm()
    form.template.choices = letter_choices()
    return form


# What the person typed that letters print; the rest of the form says how to issue.
NOT_FIELDS = ("template", "csrf_token", "again")


def typed_fields(choice: IssueForm) -> dict:
    """Return what staff typed for the letter, without direction overrides or zero-width marks."""
    return {k: strip_invisible(f.data) for k, f in choice._fields.items() if k not in NOT_FIELDS}


@bp.post("/from/<form_id>/<int:rid>")
def issue_letter(form_id: str, rid: int):
    form = library().get(form_id)
    record = service.get(store.get_store(), form_id, rid) if form else None
    if record is None:
        abort(404)
    back = url_for("staff.submission", form_id=form_id, rid=rid)
    choice = issue_form()
    if not choice.validate():
        flash(_("انتهت صلاحية الصفحة. أعد المحاولة."), "error")
        return redirect(back)
    try:
        letter = operations.issue_letter(
            store.get_store(),
            # The letter reads the answers with the labels they were given to.
            library().for_record(record) or form,
            record,
            choice.template.data or "",
            who=actor(),
            fields=typed_fields(choice),
            again=bool(choice.again.data),
            base_url=public_url(),
        )
    except operations.Refused as exc:
        flash(str(exc), "error")
        return redirect(back)
    except PermissionError:
        abort(403)
    except LetterError as exc:
        flash(_("لم يصدر الخطاب ولم يُستخدم رقم: %(why)s", why=str(exc)), "error")
        return redirect(back)
    return redirect(url_for("letters.letter", lid=letter["id"]))


@bp.get("/")
def register():
    """The outgoing register, newest first: filtered by letter type, searched by number,
    recipient or reference (the store's indexes answer both)."""
    page, query = page_arg(), " ".join(request.args.get("q", "").split())[:80]
    kind = request.args.get("type", "")
    kind = kind if kind in LETTER_TYPES else ""
    try:
        items, total = register_page(store.get_store(), query, kind, (page - 1) * 20, 20)
    except ValueError:
        items, total = [], 0
        flash(_("اكتب ثلاثة أحرف أو أرقام على الأقل للبحث."), "error")
    return render_template(
        "letters/register.html",
        items=items,
        total=total,
        page=page,
        pages=pages_of(total, 20),
        types=LETTER_TYPES,
        query=query,
        kind=kind,
    )


@bp.get("/register.xlsx")
def register_xlsx():
    out = io.BytesIO()
    count = export_register(store.get_store().iter(REGISTER), out, lang=current_lang())
    audit("export", "letters_register", after={"count": count, "lang": current_lang()})
    out.seek(0)
    return send_file(
        out,
        as_attachment=True,
        download_name="outgoing-register.xlsx",
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _letter_or_404(lid: int) -> dict:
    record = store.get_store().get(REGISTER, lid)
    if record is None:
        abort(404)
    return record


def _letter_page(record: dict, error: str = "", status: int = 200):
    return render_template(
        "letters/letter.html",
        letter=record,
        types=LETTER_TYPES,
        void_form=VoidForm(),  # on a refused POST, with what was typed
        reason_max=operations.VOID_REASON_MAX,
        error=error,
    ), status


@bp.get("/<int:lid>")
def letter(lid: int):
    return _letter_page(_letter_or_404(lid))


@bp.route("/<int:lid>/void", methods=["GET", "POST"])
def void(lid: int):
    """Void a letter issued by mistake: it stays in the register, marked, with its number."""
    record = _letter_or_404(lid)
    if request.method == "GET":  # a refused void's page, opened again, leads back
        return redirect(url_for("letters.letter", lid=lid))
    choice = VoidForm()
    if not choice.validate():
        return _letter_page(record, _("انتهت صلاحية الصفحة. أعد المحاولة."), 400)
    reason = strip_invisible(choice.reason.data or "")
    try:
        operations.void_letter(store.get_store(), lid, reason, actor())
    except operations.Refused as exc:
        return _letter_page(record, str(exc), 400)
    except PermissionError:
        abort(403)
    flash(
        _("أُلغي الخطاب رقم %(number)s، ويبقى رقمه في سجل الصادر.", number=record["number"]),
        "notice",
    )
    return redirect(url_for("letters.letter", lid=lid))


def download_name(record: dict, suffix: str) -> str:
    """Name a letter's file after its number; a voided letter's name says so."""
    # Voided letters stay downloadable for the archive, never under a valid letter's name.
    mark = "-void" if is_void(record) else ""
    return f"letter-{record['number'].replace('/', '-')}{mark}.{suffix}"


def download_trail(record: dict, suffix: str) -> dict:
    after = {"number": record["number"], "format": suffix}
    return after | ({"void": True} if is_void(record) else {})


@bp.get("/<int:lid>.docx")
def download_docx(lid: int):
    record = _letter_or_404(lid)
    data = store.get_store().read_file(record["sha256"])
    audit("download", "letter", lid, after=download_trail(record, "docx"))
    name = download_name(record, "docx")
    return send_file(io.BytesIO(data), as_attachment=True, download_name=name, mimetype=DOCX)


@bp.get("/<int:lid>.pdf")
def download_pdf(lid: int):
    """Return the letter as PDF: converted once, then archived so it never changes."""
    record = _letter_or_404(lid)
    data = store.get_store()
    if not record.get("pdf_sha256"):
        try:
            pdf = pdf_converter().convert(data.read_file(record["sha256"]))
        except PdfUnavailable:
            flash(
                _("تنزيل PDF يحتاج برنامج LibreOffice على هذا الجهاز. نزّل ملف Word بدلًا منه."),
                "error",
            )
            return redirect(url_for("letters.letter", lid=lid))
        except PdfError:
            flash(_("تعذّر تحويل الخطاب إلى PDF. نزّل ملف Word أو حاول لاحقًا."), "error")
            return redirect(url_for("letters.letter", lid=lid))
        record = operations.archive_pdf(data, lid, pdf, actor())
    # A letter prints the whole ID number: its download is in the trail like a reveal.
    audit("download", "letter", lid, after=download_trail(record, "pdf"))
    name = download_name(record, "pdf")
    return send_file(
        io.BytesIO(data.read_file(record["pdf_sha256"])),
        as_attachment=True,
        download_name=name,
        mimetype="application/pdf",
    )


@bp.route("/templates/", methods=["GET", "POST"])
def template_list():
    upload = UploadForm()
    upload.form_id.choices = [("", "—")] + [
        (f.id, f.title(current_lang())) for f in library().all()
    ]
    report = None
    if request.method == "POST":
        report = _accept_upload(upload)
        if report is None:
            return redirect(url_for("letters.template_list"))
    data = store.get_store()
    listing = [{"name": n, "versions": templates.versions(data, n)} for n in templates.names(data)]
    return render_template(
        "letters/templates.html", listing=listing, upload=upload, report=report, types=LETTER_TYPES
    ), (400 if report else 200)


def _accept_upload(upload: UploadForm):
    """Lint and store an uploaded version; return the report when it is refused."""
    name = (upload.name.data or "").strip()
    file = upload.file.data
    problems = []
    if not upload.validate():
        problems.append(_("انتهت صلاحية الصفحة. أعد المحاولة."))
    if not _NAME.fullmatch(name):
        problems.append(_("اسم النموذج: أحرف إنجليزية صغيرة وأرقام و _ فقط."))
    if not getattr(file, "filename", ""):
        problems.append(_("اختر ملف Word (.docx)."))
    if problems:
        return {"errors": problems}
    data = file.stream.read(5 * 1024 * 1024 + 1)
    form = library().get(upload.form_id.data) if upload.form_id.data else None
    found = lint(data, form)
    if not found.ok:
        # In the page's language, unknown placeholders with their likely spelling.
        return {"errors": found.messages(current_lang())}
    record = templates.add_version(
        store.get_store(),
        name,
        data,
        uploaded_by=current_user.username,
        form_id=form.id if form else "",
    )
    audit("publish", "letter_template", name, after={k: record[k] for k in ("version", "sha256")})
    flash(_("قُبل الإصدار %(v)s من نموذج %(n)s.", v=record["version"], n=name), "notice")
    return None


@bp.get("/templates/<name>/<int:version>.docx")
def template_file(name: str, version: int):
    found = templates.get(store.get_store(), name, version) if _NAME.fullmatch(name) else None
    if found is None:
        abort(404)
    return send_file(
        io.BytesIO(found.data),
        as_attachment=True,
        download_name=f"{name}-v{version}.docx",
        mimetype=DOCX,
    )


@bp.get("/templates/<name>/<int:version>/preview.docx")
def template_preview(name: str, version: int):
    found = templates.get(store.get_store(), name, version) if _NAME.fullmatch(name) else None
    if found is None:
        abort(404)
    try:
        rendered = render_letter(
            found.data, sample_context(name, profile(), store.get_store().read_file)
        )
    except LetterError as exc:
        flash(str(exc), "error")
        return redirect(url_for("letters.template_list"))
    return send_file(
        io.BytesIO(rendered.data),
        as_attachment=True,
        download_name=f"{name}-v{version}-preview.docx",
        mimetype=DOCX,
    )


def _version_arg(key: str) -> int | None:
    value = request.args.get(key, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


@bp.get("/templates/<name>/diff")
def template_diff_page(name: str):
    """Show which placeholders one version of a template adds or drops against another."""
    old, new = _version_arg("a"), _version_arg("b")
    found = None
    if _NAME.fullmatch(name) and old and new:
        found = template_diff.compare(store.get_store(), name, old, new)
    if found is None:
        flash(_("اختر إصدارين موجودين من القالب للمقارنة."), "error")
        return redirect(url_for("letters.template_list"))
    return render_template(
        "letters/template_diff.html", name=name, a=old, b=new, found=found, types=LETTER_TYPES
    )
