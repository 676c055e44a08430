"""Attendance of a program's sessions: taken on a phone, walk-ins, sheets, signed scans."""

from __future__ import annotations

import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

import store
from association.profile import current
from cases import attendance, programs, registrations
from cases.service import CaseError, person_details
from forms.invisible import strip_invisible
from forms.saudi import clean_mobile
from forms.types import FieldError, get_field_type
from letters import attendance_sheet
from letters.pdf import PdfError, PdfUnavailable
from letters.render import LetterError
from web.auditing import actor
from web.program_review import program_or_404

bp = Blueprint("attendance", __name__, url_prefix="/programs/<int:pid>/sessions/<int:number>")
SCAN_FILE = {"accept": ["pdf", "png", "jpg"], "max_size_mb": 20}
TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "jpg": "image/jpeg",
}


def _session(pid: int, number: int) -> tuple[dict, dict]:
    program = program_or_404(pid)
    session = programs.session(program, number)
    if session is None:
        abort(404)
    return program, session


def _page(program: dict, number: int, session: dict, status: int = 200, walk: dict | None = None):
    data = store.get_store()
    record = attendance.taken(data, program["id"]).get(number) or {}
    return render_template(
        "programs/attendance.html",
        program=program,
        number=number,
        session=session,
        people=attendance.accepted(data, program["id"]),
        present=set(record.get("present") or ()),
        record=record,
        walk=walk or {},
        token_form=FlaskForm(),
    ), status


@bp.route("/attendance", methods=["GET", "POST"])
def take(pid: int, number: int):
    program, session = _session(pid, number)
    if request.method == "GET":
        return _page(program, number, session)
    if not FlaskForm().validate():
        flash(_("انتهت صلاحية الصفحة. أعد المحاولة."), "error")
        return _page(program, number, session, 400)
    present = [int(v) for v in request.form.getlist("present") if v.isdigit()]
    try:
        record = attendance.take(store.get_store(), pid, number, present, actor())
    except CaseError as problem:
        flash(str(problem), "error")
        return _page(program, number, session, 400)
    flash(_("حُفظ الحضور: %(n)s حاضرًا.", n=len(record["present"])), "notice")
    return redirect(url_for("attendance.take", pid=pid, number=number))


def _walk_in_details() -> tuple[dict, str, str]:
    """Return (details, national ID, problem) of the walk-in the page describes."""
    form = request.form
    name = strip_invisible(form.get("name") or "").strip()[:200]
    nid = strip_invisible(form.get("national_id") or "").strip()[:20]
    mobile = strip_invisible(form.get("mobile") or "").strip()[:20]
    problem = "" if name else _("اكتب اسم الحاضر.")
    if mobile:
        try:
            mobile = clean_mobile(mobile)
        except ValueError:
            problem = problem or _("رقم الجوال يبدأ بـ 05 ويتكون من 10 أرقام.")
    return person_details({"full_name": name, "mobile": mobile}), nid, problem


@bp.post("/walk-in")
def walk_in(pid: int, number: int):
    """Register a person who came without registering, and mark him present."""
    program, session = _session(pid, number)
    details, nid, problem = _walk_in_details()
    walk = {
        "name": details.get("name", ""),
        "national_id": nid,
        "mobile": request.form.get("mobile", ""),
    }
    if not FlaskForm().validate():
        problem = _("انتهت صلاحية الصفحة. أعد المحاولة.")
    data, who = store.get_store(), actor()
    try:
        if problem:
            raise CaseError(problem)
        registration = registrations.walk_in(data, pid, details, nid, who)
        attendance.take(data, pid, number, [registration["id"]], who, add=True)
    except ValueError as error:  # CaseError, or an ID that is not valid
        why = str(error) if isinstance(error, CaseError) else _("رقم الهوية أو الإقامة غير صحيح.")
        flash(why, "error")
        return _page(program, number, session, 400, walk)
    flash(_("سُجّل %(name)s وحضوره.", name=registration["name"]), "notice")
    return redirect(url_for("attendance.take", pid=pid, number=number))


@bp.post("/code")
def by_code(pid: int, number: int):
    """Mark present the person whose acceptance notice's code (or QR link) was entered."""
    program, session = _session(pid, number)
    data = store.get_store()
    try:
        if not FlaskForm().validate():
            raise CaseError(_("انتهت صلاحية الصفحة. أعد المحاولة."))
        registration = attendance.by_notice_code(data, pid, request.form.get("code", ""))
        attendance.take(data, pid, number, [registration["id"]], actor(), add=True)
    except CaseError as problem:
        flash(str(problem), "error")
        return _page(program, number, session, 400)
    flash(_("حضر %(name)s.", name=registration["name"]), "notice")
    return redirect(url_for("attendance.take", pid=pid, number=number))


@bp.get("/sheet.<kind>")
def sheet(pid: int, number: int, kind: str):
    """The session's attendance sheet to print (Word, PDF) or fill in (Excel)."""
    program, session = _session(pid, number)
    if kind not in ("docx", "pdf", "xlsx"):
        abort(404)
    data = store.get_store()
    people = attendance.accepted(data, pid)
    try:
        body = attendance_sheet.render(
            kind, current(data), program, number, session, people, data.read_file
        )
    except PdfUnavailable:
        flash(
            _("تنزيل PDF يحتاج برنامج LibreOffice على هذا الجهاز. نزّل ملف Word بدلًا منه."), "error"
        )
        return redirect(url_for("program_review.page", pid=pid))
    except (PdfError, LetterError):
        flash(_("تعذّر إعداد الكشف. نزّل ملف Word أو حاول لاحقًا."), "error")
        return redirect(url_for("program_review.page", pid=pid))
    return send_file(
        io.BytesIO(body),
        as_attachment=True,
        download_name=f"attendance-{pid}-{number}.{kind}",
        mimetype=TYPES[kind],
    )


@bp.post("/scan")
def attach(pid: int, number: int):
    """Attach a file to the session: a scan of the signed paper sheet, or a photo or
    document of the event."""
    _session(pid, number)
    upload = request.files.get("scan")
    purpose = request.form.get("purpose", "sheet")
    back = redirect(url_for("program_review.page", pid=pid))
    if not FlaskForm().validate() or upload is None or not upload.filename:
        flash(_("اختر الملف: مسح الكشف الموقّع أو صورة الفعالية أو وثيقتها."), "error")
        return back
    try:
        pending = get_field_type("file").clean(upload, SCAN_FILE, None)
        attendance.attach_scan(store.get_store(), pid, number, pending, actor(), purpose)
    except FieldError:
        flash(_("الملف يجب أن يكون PDF أو صورة، وألا يتجاوز 20 ميغابايت."), "error")
        return back
    except CaseError as problem:
        flash(str(problem), "error")
        return back
    done = _("أُرفق الكشف الموقّع.") if purpose == "sheet" else _("أُرفق توثيق الفعالية.")
    flash(done, "notice")
    return back


@bp.get("/scan/<int:index>")
def scan(pid: int, number: int, index: int):
    _session(pid, number)
    scans = (attendance.taken(store.get_store(), pid).get(number) or {}).get("scans") or []
    if index >= len(scans):
        abort(404)
    item = scans[index]
    return send_file(
        io.BytesIO(store.get_store().read_file(item["sha256"])),
        as_attachment=True,
        download_name=f"attendance-{pid}-{number}-{index + 1}.{item.get('kind') or 'pdf'}",
        mimetype=TYPES.get(item.get("kind"), "application/octet-stream"),
    )
