"""Bulk letters through the pages: choose submissions, issue in the background, follow, download.

The job runs in a thread of this process with its state in the store (collection
"jobs"), so the page that follows it only reads that record. A job whose process
stops midway stays "running": the letters it issued are in the register all the same.
"""

from __future__ import annotations

import io
import threading

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
from wtforms import HiddenField, SelectField, SelectMultipleField

import store
from cases import operations
from letters import bulk, templates
from letters.pdf import available as pdf_available
from submissions import service
from web.auditing import actor, audit
from web.exports import fresh_json
from web.filling import library
from web.letters import NOT_FIELDS, IssueForm, letter_choices
from web.site_address import public_url

bp = Blueprint("bulk", __name__, url_prefix="/letters")
MAX_LETTERS = 2000


class BulkForm(IssueForm):
    form_id = HiddenField()
    # The search of the submissions list: "all" then means all it finds, e.g.
    # every registration of one program.
    q = HiddenField()
    output = SelectField(default="zip_docx")
    scope = SelectField(default="selected")
    ids = SelectMultipleField(coerce=int, validate_choice=False)


def bulk_form(form_id: str) -> BulkForm:
    """Return the bulk form of `form_id` with its choices in the current language."""
    choice = BulkForm()
    choice.form_id.data = choice.form_id.data or form_id
    choice.q.data = (choice.q.data or request.args.get("q", ""))[:200].strip()
    choice.template.choices = letter_choices()
    choice.output.choices = [
        ("zip_docx", _("ملف مضغوط فيه ملفات Word")),
        ("zip_pdf", _("ملف مضغوط فيه ملفات PDF")),
        ("merged_docx", _("ملف Word واحد للطباعة")),
        ("merged_pdf", _("ملف PDF واحد للطباعة")),
    ]
    everything = (
        _("كل الطلبات التي يجدها البحث «%(q)s»", q=choice.q.data)
        if choice.q.data
        else _("كل طلبات هذا النموذج")
    )
    choice.scope.choices = [("selected", _("الطلبات المحددة فقط")), ("all", everything)]
    return choice


@bp.app_context_processor
def submissions_bulk_form() -> dict:
    """Give the submissions list its bulk form (web/staff.py renders that page)."""
    if request.endpoint != "staff.submissions":
        return {}
    return {"bulk_form": bulk_form((request.view_args or {}).get("form_id", ""))}


def _chosen(choice: BulkForm, form) -> tuple[list[dict], list[str]]:
    """Return the submissions the person chose, or the problems with the choice."""
    data = store.get_store()
    if choice.scope.data == "all":
        records = service.matching(data, form, choice.q.data, actor())
    else:
        records = [service.get(data, form.id, rid) for rid in dict.fromkeys(choice.ids.data or [])]
    problems = []
    if not records:
        problems.append(_("اختر طلبًا واحدًا على الأقل."))
    if any(record is None for record in records):
        problems.append(_("بعض الطلبات المحددة غير موجودة."))
    if len(records) > MAX_LETTERS:
        problems.append(_("الحد الأعلى %(n)s خطاب في المرة الواحدة.", n=MAX_LETTERS))
    return records, problems


def _check(choice: BulkForm, form) -> tuple[operations.BulkPlan, list[str]]:
    """Validate the whole request; return the plan of the issue and the problems found."""
    if not choice.validate():
        return operations.BulkPlan(), [
            _("انتهت صلاحية الصفحة أو البيانات غير صحيحة. أعد المحاولة.")
        ]
    records, problems = _chosen(choice, form)
    # The rules of each letter (the request's state and decision, a letter already
    # issued) are the same as for one letter: checked before any number is taken.
    plan = operations.bulk_plan(
        store.get_store(),
        form.id,
        [r for r in records if r],
        choice.template.data or "",
        again=bool(choice.again.data),
    )
    for why, refs in _grouped(plan.refused).items():
        problems.append(_("%(why)s (%(refs)s)", why=why, refs=_shown(refs)))
    if plan.already and not plan.issue:
        problems.append(
            _(
                "صدر هذا الخطاب من قبل لكل الطلبات المختارة. لإصداره مرة أخرى برقم جديد "
                "اختر «أصدره أيضًا لمن صدر له خطاب من النوع نفسه من قبل»."
            )
        )
    if templates.get(store.get_store(), choice.template.data or "") is None:
        problems.append(_("نموذج الخطاب غير موجود."))
    if choice.output.data.endswith("pdf") and not pdf_available():
        problems.append(_("ملفات PDF تحتاج برنامج LibreOffice على هذا الجهاز. اختر Word."))
    return plan, problems


def _shown(refs: list[str]) -> str:
    return ", ".join(refs[:10]) + (" …" if len(refs) > 10 else "")


def _grouped(refused: list[tuple[str, str]]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for ref, why in refused:
        found.setdefault(why, []).append(ref)
    return found


def _work(app, job_id: int, form, records, kind: str, options: dict, who) -> None:
    with app.app_context():
        data = store.get_store()
        bulk.run_job(
            data,
            job_id,
            lambda progress: operations.issue_letters(
                data,
                form,
                records,
                kind,
                who=who,
                progress=progress,
                # Each letter reads its submission with the version it was filled with.
                form_of=library().for_record,
                **options,
            ),
            archive=lambda lid, pdf: operations.archive_pdf(data, lid, pdf, who),
        )


def _start(choice: BulkForm, form, records: list[dict]) -> dict:
    """Record the job and start it in a thread with the app's context; return the job."""
    data = store.get_store()
    template = templates.get(data, choice.template.data)
    skip = (*NOT_FIELDS, "form_id", "output", "scope", "ids", "q")
    options = {
        "fields": {k: f.data for k, f in choice._fields.items() if k not in skip},
        "again": bool(choice.again.data),
        "base_url": public_url(),
    }
    job = bulk.new_job(
        data,
        form_id=form.id,
        template=template.name,
        output=choice.output.data,
        total=len(records),
    )
    app = current_app._get_current_object()
    # The thread has no request: who asked travels with the job.
    args = (app, job["id"], form, records, template.name, options, actor())
    threading.Thread(target=_work, args=args, name=f"rifd-bulk-{job['id']}", daemon=True).start()
    return job


def _form_page(form, choice: BulkForm, problems: list[str]):
    total = service.count_matching(store.get_store(), form, choice.q.data, actor())
    page = render_template(
        "letters/bulk.html", form=form, choice=choice, total=total, problems=problems
    )
    return page, (400 if problems else 200)


@bp.get("/bulk")
def bulk_page():
    form = library().get(request.args.get("form", ""))
    if form is None:
        abort(404)
    choice = bulk_form(form.id)
    choice.scope.data = "all"
    return _form_page(form, choice, [])


@bp.post("/bulk")
def start():
    """Check the choice, ask the person to confirm what it will use, then start the job.

    The confirmation is a page of its own (no script needed): it says how many letters
    and outgoing numbers the job will use and which requests are left out, and sends
    the same choice back with that count. A count that changed meanwhile asks again.
    """
    form = library().get(request.form.get("form_id", ""))
    if form is None:
        abort(404)
    choice = bulk_form(form.id)
    plan, problems = _check(choice, form)
    if problems or request.form.get("edit"):
        return _form_page(form, choice, problems)
    confirmed = request.form.get("confirmed", "")
    if confirmed != str(len(plan.issue)):
        return render_template(
            "letters/bulk_confirm.html",
            form=form,
            choice=choice,
            plan=plan,
            left_out=_shown([r["ref"] for r in plan.already]),
            changed=bool(confirmed),
            output=dict(choice.output.choices)[choice.output.data],
            kind=dict(choice.template.choices).get(choice.template.data, choice.template.data),
        )
    job = _start(choice, form, plan.issue)
    audit(
        "issue_bulk",
        "job",
        job["id"],
        after={
            "count": len(plan.issue),
            "template": job["template"],
            "left_out": len(plan.already),
        },
    )
    return redirect(url_for("bulk.job", jid=job["id"]))


def _job_or_404(jid: int) -> dict:
    job = store.get_store().get(bulk.JOBS, jid)
    if job is None or job.get("kind") != "bulk_letters":
        abort(404)
    return job


def job_state(job: dict) -> dict:
    """Return what the progress page shows of a job."""
    ready = job["status"] == "done" and bool(job.get("result"))
    return {
        "status": job["status"],
        "done": job["done"],
        "total": job["total"],
        "issued": len(job.get("letters", [])),
        "errors": job.get("errors", []),
        "download": url_for("bulk.download", jid=job["id"]) if ready else None,
    }


@bp.get("/jobs/<int:jid>")
def job(jid: int):
    record = _job_or_404(jid)
    form = library().get(record["form_id"])
    return render_template("letters/job.html", job=record, state=job_state(record), form=form)


@bp.get("/jobs/<int:jid>.json")
def job_json(jid: int):
    return fresh_json(job_state(_job_or_404(jid)))


@bp.get("/jobs/<int:jid>/download")
def download(jid: int):
    record = _job_or_404(jid)
    if record["status"] != "done" or not record.get("result"):
        abort(404)
    suffix, mimetype = bulk.OUTPUTS[record["output"]]
    audit("export", "job", jid, after={"letters": len(record.get("letters", [])), "output": suffix})
    return send_file(
        io.BytesIO(store.get_store().read_file(record["result"])),
        as_attachment=True,
        download_name=f"letters-{record['template']}-{jid}.{suffix}",
        mimetype=mimetype,
    )
