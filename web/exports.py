"""Excel exports through the pages: small ones at once, large ones in the background.

A page's export link answers with the file when it holds at most EXPORT_INLINE_LIMIT
records (5,000 by default). A larger one would outlast a browser's or a proxy's wait, so
the link shows how many records there are and a button that starts a background job
(sheets/jobs.py); its page follows the progress and offers the file when it is ready.
Only the person who started an export may follow or download it, and only while he
still holds the permission to export that data; the download is audited.

Each page registers what it exports with @exporter(kind, permission): a function that,
in the request (so in the person's language), returns an Export.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from dataclasses import dataclass

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user

import store
from sheets import jobs
from web.auditing import audit
from web.i18n import current_lang

bp = Blueprint("exports", __name__, url_prefix="/exports")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INLINE_LIMIT = 5000
NAME_MAX = 400  # an export's name: a form id, or a report's period and filter


@dataclass
class Export:
    """One export, as the page that asks for it sees it."""

    title: str  # what a person reads: "طلبات النموذج ..."
    total: int  # records to read
    filename: str
    entity: str  # the audit entry's entity ("cases", "submissions:<form id>")
    write: jobs.Writer
    back: str  # the page to return to


_EXPORTERS: dict[str, tuple[str, Callable[[str], Export | None]]] = {}


def exporter(kind: str, permission: str):
    """Register the function that describes an export of `kind` (given its name)."""

    def register(describe: Callable[[str], Export | None]):
        _EXPORTERS[kind] = (permission, describe)
        return describe

    return register


def _described(kind: str, name: str) -> Export:
    if kind not in _EXPORTERS:
        abort(404)
    permission, describe = _EXPORTERS[kind]
    if not current_user.can(permission):
        abort(403)
    found = describe(name)
    if found is None:
        abort(404)
    return found


def respond(kind: str, name: str = ""):
    """Answer an export link: the file itself, or the page that starts a background job."""
    export = _described(kind, name)
    limit = current_app.config.get("EXPORT_INLINE_LIMIT", INLINE_LIMIT)
    if export.total > limit:
        return render_template("exports/start.html", export=export, kind=kind, name=name)
    out = io.BytesIO()
    rows = export.write(out, iter)
    audit("export", export.entity, after={"count": rows, "lang": current_lang()})
    out.seek(0)
    return send_file(out, as_attachment=True, download_name=export.filename, mimetype=XLSX)


def _work(app, job_id: int, write: jobs.Writer) -> None:
    with app.app_context():
        jobs.run(store.get_store(), job_id, write)


@bp.post("/start")
def start():
    kind, name = request.form.get("kind", ""), request.form.get("name", "")[:NAME_MAX]
    export = _described(kind, name)
    data = store.get_store()
    jobs.sweep(data)
    job = jobs.new(
        data,
        what=export.entity,
        name=export.filename,
        total=export.total,
        by=current_user.username,
        lang=current_lang(),
        title=export.title,
        back=export.back,
        permission=_EXPORTERS[kind][0],
    )
    app = current_app._get_current_object()
    threading.Thread(
        target=_work, args=(app, job["id"], export.write), name=f"rifd-export-{job['id']}"
    ).start()
    audit("start_export", export.entity, job["id"], after={"records": export.total})
    return redirect(url_for("exports.job", jid=job["id"]))


def _job_or_404(jid: int) -> dict:
    job = store.get_store().get(jobs.JOBS, jid)
    mine = job and job.get("kind") == jobs.KIND and job.get("by") == current_user.username
    if not mine or not current_user.can(job.get("permission", "")):
        abort(404)  # another person's export: not even that it exists
    return job


def _state(job: dict) -> dict:
    ready = job["status"] == "done"
    return {
        "status": job["status"],
        "done": job["done"],
        "total": job["total"],
        "errors": [{"ref": "", "error": job["error"]}] if job.get("error") else [],
        "download": url_for("exports.download", jid=job["id"]) if ready else None,
    }


@bp.get("/<int:jid>")
def job(jid: int):
    record = _job_or_404(jid)
    return render_template("exports/job.html", job=record, state=_state(record))


def fresh_json(state: dict):
    """Answer a progress page's poll: never from a cache."""
    response = jsonify(state)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<int:jid>.json")
def job_json(jid: int):
    return fresh_json(_state(_job_or_404(jid)))


@bp.get("/<int:jid>/download")
def download(jid: int):
    record = _job_or_404(jid)
    path = jobs.path_of(store.get_store(), record)
    if record["status"] != "done" or not path.exists():
        abort(404)
    audit("export", record["what"], jid, after={"count": record["rows"], "lang": record["lang"]})
    return send_file(path, as_attachment=True, download_name=record["name"], mimetype=XLSX)
