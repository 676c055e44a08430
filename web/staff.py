"""Staff pages: the forms, filling one for a beneficiary, its submissions, exports.

Accounts and permissions come with issue 4; until then these pages are for
the association's own network.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

import store
from association.profile import current as current_profile
from cases import home, operations
from cases import service as cases
from cases.workflow import STATES
from forms import drafts
from forms.dates import saudi_today
from forms.definition import localized, schema
from letters.context import LETTER_TYPES
from letters.issue import REGISTER
from privacy import attachments
from quality import followup_list, followups
from submissions import service
from submissions.export import export_xlsx
from submissions.view import MASKED, masked_value, readable
from web import exports, own_request
from web.auditing import actor, audit
from web.documents import send_document
from web.entry_drafts import draft_id, resume_url
from web.extensions import csrf
from web.filling import CHANNEL_FIELD, channel_label, channels, fill, library
from web.i18n import current_lang
from web.letters import issue_form
from web.paging import page_arg

bp = Blueprint("staff", __name__)


def _form_or_404(form_id: str):
    form = library().get(form_id)
    if form is None:
        abort(404)
    return form


@bp.get("/")
def index():
    """The person's home: what waits for her, by the roles she holds."""
    data, today = store.get_store(), saudi_today()
    sections = home.request_sections(data, current_user.can, today)
    sections += followup_list.home_section(data, current_user.can, today)
    sections += _form_sections(data)
    if not sections and not any(current_user.can(p) for p, *_rest in SHORTCUTS):
        abort(403)
    return render_template(
        "home.html",
        sections=sections,
        shortcuts=SHORTCUTS,
        today=today,
        followup_kinds=followups.KINDS,
    )


# The pages a home links to, for the permissions that open them.
SHORTCUTS = (
    ("forms.fill", "staff.forms", _l("تعبئة نموذج لمستفيد")),
    ("cases.read", "people.find", _l("البحث عن مستفيد")),
    ("followups.manage", "followups.index", _l("متابعة التقييمات والشكاوى")),
    ("users.manage", "users.index", _l("المستخدمون")),
    ("audit.read", "audit.entries", _l("سجل التدقيق")),
    ("surveys.results", "results.index", _l("نتائج الاستبيانات")),
    ("surveys.results", "reports.index", _l("تقارير مجلس الإدارة")),
    ("settings.manage", "privacy.person", _l("حقوق صاحب البيانات")),
)


def _form_sections(data) -> list[home.Section]:
    """Forms left in draft and shipped forms with problems, for who manages forms."""
    if not current_user.can("forms.manage"):
        return []
    lang, forms_ = current_lang(), library()
    drafts_ = [
        {
            "label": f.title(lang) if (f := forms_.get(fid)) else fid,
            "url": url_for("editor.edit", form_id=fid),
        }
        for fid in drafts.form_ids(data)
    ]
    problems = [{"label": p, "url": url_for("staff.forms")} for p in forms_.problems()]
    return [
        home.Section(
            "drafts",
            _l("نماذج في المسودة لم تُنشر"),
            drafts_[: home.SHOWN],
            len(drafts_),
            ("editor.index", {}),
        ),
        home.Section(
            "form_problems",
            _l("نماذج فيها مشكلات"),
            problems[: home.SHOWN],
            len(problems),
            ("staff.forms", {}),
        ),
    ]


@bp.get("/schema/form-definition.json")
def definition_schema():
    """Publish the JSON Schema every form definition is checked against."""
    return jsonify(schema())


@bp.get("/forms/")
def forms():
    return render_template("forms/list.html", forms=library().all(), problems=library().problems())


@bp.route("/forms/<form_id>/new", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token and, if stale, comes back with every value kept
def new_submission(form_id: str):
    form = _form_or_404(form_id)
    state = fill(form, "staff", entered_by=current_user.username)
    if state.kept_draft:
        flash(_("حُفظت المسودة. تجدها في «مسوداتي» حتى ترسلها."), "notice")
        return redirect(resume_url(state.kept_draft))
    profile = current_profile(store.get_store())
    is_request = form.id == profile["request_form"]
    if state.record and is_request:
        # The association's request form opens a request that follows the policy.
        tell = {"link": own_request.link(state.record["ref"])}
        case = operations.open_request(
            store.get_store(), profile, form, state.record, actor(), tell
        )
        return redirect(url_for("cases.case_page", cid=case["id"], saved=1))
    if state.record:
        return redirect(
            url_for("staff.submission", form_id=form.id, rid=state.record["id"], saved=1)
        )
    return render_template(
        "forms/fill.html",
        state=state,
        channels=channels(),
        channel_field=CHANNEL_FIELD,
        action=url_for("staff.new_submission", form_id=form.id, draft=draft_id(state)),
        documents=(profile.get("documents") or []) if is_request else [],
    ), (400 if state.form_error else 200)


@bp.get("/forms/<form_id>/submissions")
def submissions(form_id: str):
    form = _form_or_404(form_id)
    query = request.args.get("q", "")[:200]
    page = page_arg()
    per_page = 20
    records, total = service.search(store.get_store(), form, query, actor(), page, per_page)
    pages = max((min(total, service.COUNTED) + per_page - 1) // per_page, 1)
    return render_template(
        "forms/submissions.html",
        form=form,
        records=records,
        total=total,
        counted=service.COUNTED,
        page=page,
        pages=pages,
        query=query,
        channel_label=channel_label,
        names={r["id"]: cases.applicant_name(r["answers"]) for r in records},
        requests=cases.for_submissions(store.get_store(), form.id, [r["id"] for r in records]),
        states=STATES,
    )


def _submission_page(form, rid: int, reveal=frozenset()):
    record = service.get(store.get_store(), form.id, rid)
    if record is None:
        abort(404)
    # Shown with the labels of the version it was filled with, not today's.
    filled_with = library().for_record(record) or form
    sections = readable(filled_with, record["answers"], current_lang(), reveal)
    return render_template(
        "forms/submission.html",
        form=form,
        record=record,
        channel_label=channel_label,
        readable=sections,
        # Leaflet (static/vendor, served by Rifd) only where a place is shown.
        has_map=any(row.get("point") for s in sections for row in s["rows"]),
        field_labels={
            f["name"]: localized(f.get("label"), current_lang())
            for f in filled_with.answer_fields()
        },
        issue_form=issue_form(),
        case=cases.for_submission(store.get_store(), form.id, record["id"]),
        letter_types=LETTER_TYPES,
        issued=store.get_store().find(
            REGISTER,
            where={
                "answers": {"form_id": form.id, "submission_id": record["id"], "ref": record["ref"]}
            },
        ),
        saved=request.args.get("saved") == "1",
    )


@bp.route("/forms/<form_id>/submissions/<int:rid>/correct", methods=["GET", "POST"])
@csrf.exempt  # as new_submission: the form checks its own token and keeps every value
def correct(form_id: str, rid: int):
    """Correct a submitted form: the page opens with its answers; a valid send stores
    them as its next revision, with the reason (cases/corrections.py)."""
    _form_or_404(form_id)
    record = service.get(store.get_store(), form_id, rid)
    if record is None:
        abort(404)
    filled_with = library().for_record(record) or _form_or_404(form_id)
    state = fill(filled_with, "staff", entered_by=current_user.username, correcting=record)
    if state.record:
        flash(_("حُفظ التصحيح إصدارًا جديدًا للإجابات، وبقيت القيم السابقة في سجل التدقيق."), "notice")
        return redirect(url_for("staff.submission", form_id=form_id, rid=rid))
    return render_template(
        "forms/fill.html",
        state=state,
        channels=channels(),
        channel_field=None,
        action=url_for("staff.correct", form_id=form_id, rid=rid),
        documents=[],
    ), (400 if state.form_error else 200)


@bp.get("/forms/<form_id>/submissions/<int:rid>")
def submission(form_id: str, rid: int):
    return _submission_page(_form_or_404(form_id), rid)


@bp.post("/forms/<form_id>/submissions/<int:rid>/reveal")
def reveal(form_id: str, rid: int):
    """Show one identifier in full: a deliberate click, recorded in the audit trail."""
    form = _form_or_404(form_id)
    name = request.form.get("field", "")
    record = service.get(store.get_store(), form.id, rid)
    fdef = (library().for_record(record) or form).field(name) if record else None
    if fdef is None or fdef["type"] not in MASKED:
        abort(404)
    # Before: what the page showed (masked); after: that it was shown in full. The
    # full value itself is not copied into the trail.
    audit(
        "reveal",
        f"submission:{form.id}",
        rid,
        before={"field": name, "value": masked_value(form, record["answers"], name)},
        after={"field": name, "value": "full"},
    )
    return _submission_page(form, rid, frozenset({name}))


@bp.get("/forms/<form_id>/export.xlsx")
def export(form_id: str):
    return exports.respond("submissions", form_id)


@exports.exporter("submissions", "submissions.export")
def _submissions_export(form_id: str) -> exports.Export | None:
    """A form's submissions, each read with its own version, in the asker's language."""
    form = library().get(form_id)
    if form is None:
        return None
    data = store.get_store()
    older = library().history(form.id, service.versions_used(data, form.id))
    lang = current_lang()
    labels = {c["value"]: channel_label(c["value"]) for c in channels()}

    def write(out, counted) -> int:
        records = counted(data.iter(service.collection(form.id), stream=True))
        label = lambda value: labels.get(value, value or "")  # noqa: E731
        return export_xlsx(form, records, out, lang=lang, channel_label=label, versions=older)

    return exports.Export(
        title=_("طلبات النموذج «%(title)s»", title=form.title(lang)),
        total=data.count(service.collection(form.id)),
        filename=f"{form.id}.xlsx",
        entity=f"submissions:{form.id}",
        write=write,
        back=url_for("staff.submissions", form_id=form.id),
    )


@bp.get("/forms/<form_id>/submissions/<int:rid>/files/<digest>")
def submission_file(form_id: str, rid: int, digest: str):
    """Open a document the submission holds (an ID copy, a signature): audited like a reveal."""
    form = _form_or_404(form_id)
    record = service.get(store.get_store(), form.id, rid)
    if record is None:
        abort(404)
    try:
        stream, ref = attachments.submission_file(
            store.get_store(), actor(), form.id, record, digest
        )
    except PermissionError:
        abort(403)
    except attachments.NotHeld:
        abort(404)
    return send_document(stream, ref)
