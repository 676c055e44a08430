"""The bank transfers pages: what waits for a batch, a batch's sheet, its confirmation."""

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
from flask_wtf import FlaskForm
from werkzeug.exceptions import Forbidden

import store
from accounts import audit
from deliveries import inputs, transfers
from deliveries.records import TRANSFER_STATES, DeliveryError
from web.auditing import actor
from web.documents import send_document

bp = Blueprint("transfers", __name__, url_prefix="/deliveries/transfers")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.errorhandler(PermissionError)
def _refused(_error):
    """A permission a domain function checks beyond the route's own: 403, never a 500."""
    return current_app.handle_http_exception(Forbidden())


MAX_CONFIRMATION = 10 * 1024 * 1024
RECENT = 50


@bp.get("/")
def index():
    data = store.get_store()
    waiting, count = transfers.pending(data)
    batches, total = data.page(transfers.BATCHES, limit=RECENT)
    return render_template(
        "deliveries/transfers.html",
        waiting=waiting,
        count=count,
        batches=batches,
        total=total,
        token_form=FlaskForm(),
    )


@bp.post("/batch")
def new_batch():
    if not FlaskForm().validate():
        abort(400)
    try:
        batch = transfers.new_batch(store.get_store(), actor())
    except DeliveryError as exc:
        flash(str(exc), "error")
        return redirect(url_for("transfers.index"))
    flash(_("أُنشئت الدفعة رقم %(n)s بعدد %(count)s تحويل.", n=batch["id"], count=batch["count"]))
    return redirect(url_for("transfers.batch", bid=batch["id"]))


def _batch_or_404(bid: int) -> dict:
    found = store.get_store().get(transfers.BATCHES, bid)
    if found is None:
        abort(404)
    return found


def _page(batch: dict, problems=(), status: int = 200):
    return render_template(
        "deliveries/batch.html",
        batch=batch,
        items=transfers.of_batch(store.get_store(), batch["id"]),
        states=TRANSFER_STATES,
        problems=list(problems),
        token_form=FlaskForm(),
    ), status


@bp.get("/<int:bid>")
def batch(bid: int):
    return _page(_batch_or_404(bid))


@bp.get("/<int:bid>/sheet.xlsx")
def sheet(bid: int):
    _batch_or_404(bid)
    data = transfers.batch_sheet(store.get_store(), bid, actor())
    name = f"transfers-{bid}.xlsx"
    return send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=name)


@bp.post("/<int:bid>/confirmation")
def confirmation(bid: int):
    """Read the bank's Excel confirmation back, or keep its document with the marks made."""
    found = _batch_or_404(bid)
    if not FlaskForm().validate():
        return _page(found, [_("انتهت صلاحية الصفحة. أعد المحاولة.")], 400)
    data = store.get_store()
    upload = request.files.get("sheet")
    try:
        if upload is not None and upload.filename:
            raw = upload.stream.read(MAX_CONFIRMATION + 1)
            if len(raw) > MAX_CONFIRMATION:
                raise transfers.ConfirmationError([_("ملف التأكيد أكبر من 10 ميجابايت.")])
            transfers.import_confirmation(data, bid, raw, upload.filename[-120:], actor())
        else:
            _confirm_by_hand(data, bid)
    except transfers.ConfirmationError as exc:
        return _page(found, exc.problems, 400)
    except (inputs.InputError, DeliveryError) as exc:
        return _page(found, [str(exc)], 400)
    flash(_("سُجّل تأكيد البنك."), "notice")
    return redirect(url_for("transfers.batch", bid=bid))


def _confirm_by_hand(data, bid: int) -> None:
    """Mark the transfers chosen on the page, keeping the bank's document (PDF or scan)."""
    results = {}
    for item in transfers.of_batch(data, bid):
        status = request.form.get(f"status-{item['id']}", "")
        if status in ("done", "failed"):
            results[item["id"]] = (status, inputs.text(f"reason-{item['id']}", 300))
    if not results:
        raise DeliveryError(_("ارفع ملف Excel من البنك، أو حدد حالة تحويل واحد على الأقل."))
    documents = inputs.files(data, "document")
    if not documents:
        raise DeliveryError(_("أرفق مستند تأكيد البنك مع الحالات التي حددتها."))
    transfers.confirm(data, bid, results, actor(), document=documents[0])


@bp.get("/<int:bid>/confirmation")
def confirmation_file(bid: int):
    found = _batch_or_404(bid)
    document = found.get("confirmation")
    if not document:
        abort(404)
    data = store.get_store()
    stream = data.open_file(document["sha256"])
    after = {"name": document.get("name", ""), "type": document.get("type", "")}
    audit.write(data, actor(), "download", "transfer_batch", bid, after=after)
    return send_document(stream, document)
