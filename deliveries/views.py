"""The pages of deliveries: record one, its page with proofs and vouchers, the register.

Views stay thin: they read the page through deliveries.inputs, call
deliveries.operations, and redirect or render; web/auth.py maps each to a permission.
"""

from __future__ import annotations

import io

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.exceptions import Forbidden

import store
from association.profile import current as current_profile
from deliveries import inputs, operations, printed, records, register
from deliveries.records import DELIVERIES, KINDS, TRANSFER_STATES, DeliveryError
from forms.dates import read_day
from letters import address
from letters.context import LETTER_TYPES
from letters.issue import SERIES
from letters.pdf import PdfError, PdfUnavailable, get_converter
from letters.render import LetterError
from privacy import attachments
from web.auditing import actor
from web.documents import send_document
from web.paging import page_arg, pages_of
from web.site_address import public_url

bp = Blueprint("deliveries", __name__, url_prefix="/deliveries")
PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PRINTED = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@bp.errorhandler(PermissionError)
def _refused(_error):
    """A permission a domain function checks beyond the route's own: 403, never a 500."""
    return current_app.handle_http_exception(Forbidden())


def _delivery_or_404(did: int) -> dict:
    found = store.get_store().get(DELIVERIES, did)
    if found is None:
        abort(404)
    return found


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


def _link() -> dict:
    """Return what the new delivery is for, from ?case=, ?beneficiary= or ?program=."""
    return {
        "case_id": _int_arg("case"),
        "beneficiary_id": None if _int_arg("case") else _int_arg("beneficiary"),
        "program_id": _int_arg("program"),
    }


def _form_page(link: dict, error: str = "", status: int = 200):
    data = store.get_store()
    target = data.get("cases", link["case_id"]) if link["case_id"] else None
    person = data.get("beneficiaries", link["beneficiary_id"]) if link["beneficiary_id"] else None
    page = render_template(
        "deliveries/new.html",
        link=link,
        case=target,
        person=person,
        kinds=KINDS,
        methods=records.proofs(current_profile(data)),
        error=error,
        token_form=FlaskForm(),
    )
    return page, status


@bp.route("/new", methods=["GET", "POST"])
def new():
    link = _link()
    if request.method == "GET":
        return _form_page(link)
    if not FlaskForm().validate():
        return _form_page(link, _("انتهت صلاحية الصفحة. أعد المحاولة."), 400)
    data = store.get_store()
    methods = {p["value"] for p in records.proofs(current_profile(data))}
    try:
        entry = inputs.delivery(data, methods=methods)
        group = inputs.text("group", 200)
        if group:
            entry["group"] = group
        made = operations.record_delivery(data, entry, actor(), **link)
    except (inputs.InputError, DeliveryError) as exc:
        return _form_page(link, str(exc), 400)
    except LookupError:
        abort(404)
    except PermissionError:
        abort(403)
    flash(_("سُجّل التسليم رقم %(n)s.", n=made["id"]), "notice")
    return redirect(url_for("deliveries.delivery", did=made["id"]))


def _page(delivery: dict, error: str = "", status: int = 200):
    return render_template(
        "deliveries/delivery.html",
        d=delivery,
        kinds=KINDS,
        transfer_states=TRANSFER_STATES,
        methods={
            p["value"]: p["label"] for p in records.proofs(current_profile(store.get_store()))
        },
        voucher_kinds={k: LETTER_TYPES[k] for k in SERIES},
        error=error,
        token_form=FlaskForm(),
    ), status


@bp.get("/<int:did>")
def delivery(did: int):
    return _page(_delivery_or_404(did))


@bp.get("/<int:did>/files/<digest>")
def proof_file(did: int, digest: str):
    """Open a proof kept with a delivery: audited like a reveal."""
    found = _delivery_or_404(did)
    try:
        stream, ref = attachments.delivery_proof(store.get_store(), actor(), found, digest)
    except PermissionError:
        abort(403)
    except attachments.NotHeld:
        abort(404)
    return send_document(stream, ref)


@bp.post("/<int:did>/proofs")
def add_proofs(did: int):
    found = _delivery_or_404(did)
    if not FlaskForm().validate():
        return _page(found, _("انتهت صلاحية الصفحة. أعد المحاولة."), 400)
    data = store.get_store()
    try:
        operations.attach_proofs(data, did, inputs.files(data), actor())
    except (inputs.InputError, DeliveryError) as exc:
        return _page(found, str(exc), 400)
    flash(_("أُرفقت الإثباتات."), "notice")
    return redirect(url_for("deliveries.delivery", did=did))


@bp.post("/<int:did>/voucher/<kind>")
def voucher(did: int, kind: str):
    """Issue a disbursement or receipt voucher, signed on the page by the recipient."""
    found = _delivery_or_404(did)
    if kind not in SERIES:
        abort(404)
    if not current_user.can("letters.issue"):
        abort(403)
    if not FlaskForm().validate():
        return _page(found, _("انتهت صلاحية الصفحة. أعد المحاولة."), 400)
    data = store.get_store()
    try:
        signature = inputs.signature(data)
        letter = operations.issue_voucher(
            data, did, kind, actor(), signature=signature, base_url=public_url()
        )
    except (inputs.InputError, DeliveryError) as exc:
        return _page(found, str(exc), 400)
    except LetterError as exc:
        return _page(found, _("لم يصدر السند ولم يُستخدم رقم: %(why)s", why=str(exc)), 400)
    flash(_("صدر السند رقم %(number)s.", number=letter["number"]), "notice")
    return redirect(url_for("deliveries.delivery", did=did))


@bp.post("/<int:did>/voucher/<int:lid>/signed")
def signed_voucher(did: int, lid: int):
    """Keep the scan of a voucher the recipient signed on paper."""
    found = _delivery_or_404(did)
    if not FlaskForm().validate():
        return _page(found, _("انتهت صلاحية الصفحة. أعد المحاولة."), 400)
    data = store.get_store()
    try:
        scans = inputs.files(data, "scan")
        if len(scans) != 1:
            raise inputs.InputError(_("اختر ملف السند الموقّع."))
        operations.attach_signed_voucher(data, did, lid, scans[0], actor())
    except inputs.InputError as exc:
        return _page(found, str(exc), 400)
    except LookupError:
        abort(404)
    flash(_("حُفظ السند الموقّع."), "notice")
    return redirect(url_for("deliveries.delivery", did=did))


def _filters() -> tuple[register.Filters, str]:
    """Return the register's filters from the address, and what was wrong with them."""
    days, error = {}, ""
    for name in ("from", "to"):
        raw = request.args.get(name, "").strip()[:20]
        days[name] = read_day(raw) if raw else None
        if raw and days[name] is None:
            error = _("تاريخ غير صحيح في التصفية: %(value)s", value=raw)
    filters = register.Filters(
        start=days["from"],
        end=days["to"],
        program_id=_int_arg("program"),
        beneficiary_id=_int_arg("beneficiary"),
    )
    return filters, error


def _args() -> dict:
    names = ("from", "to", "program", "beneficiary")
    return {k: request.args[k] for k in names if request.args.get(k)}


@bp.get("/")
def index():
    filters, error = _filters()
    page = page_arg()
    items, total = register.page(store.get_store(), filters, (page - 1) * PER_PAGE, PER_PAGE)
    return render_template(
        "deliveries/index.html",
        items=items,
        total=total,
        page=page,
        pages=pages_of(total, PER_PAGE),
        args=_args(),
        error=error,
        kinds=KINDS,
        transfer_states=TRANSFER_STATES,
    ), 400 if error else 200


@bp.get("/export.xlsx")
def export():
    filters, error = _filters()
    if error:
        abort(400)
    data = store.get_store()
    base = address.public_url(data).rstrip("/")
    out = io.BytesIO()
    register.export(register.all_of(data, filters), out, lambda r: f"{base}/deliveries/{r['id']}")
    out.seek(0)
    return send_file(out, mimetype=XLSX, as_attachment=True, download_name="deliveries.xlsx")


@bp.get("/register.<kind>")
def printed_register(kind: str):
    """The register as a report to print and sign (Word, or PDF through LibreOffice)."""
    if kind not in PRINTED:
        abort(404)
    filters, error = _filters()
    back = redirect(url_for("deliveries.index", **_args()))
    if error:
        flash(error, "error")
        return back
    data = store.get_store()
    try:
        body = printed.docx(data, current_profile(data), filters)
        if kind == "pdf":
            body = get_converter().convert(body)
    except PdfUnavailable:
        flash(
            _("تنزيل PDF يحتاج برنامج LibreOffice على هذا الجهاز. نزّل ملف Word بدلًا منه."), "error"
        )
        return back
    except (PdfError, LetterError):
        flash(_("تعذّر إعداد السجل المطبوع. نزّل ملف Word أو حاول لاحقًا."), "error")
        return back
    name = f"delivery-register.{kind}"
    return send_file(
        io.BytesIO(body), mimetype=PRINTED[kind], as_attachment=True, download_name=name
    )
