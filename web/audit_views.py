"""The audit trail for the admin: read, filter, export. Nothing here edits or deletes."""

from __future__ import annotations

import io

from flask import Blueprint, render_template, request, send_file

import store
from accounts import audit as trail
from accounts.audit_export import export_audit
from web import audit_words
from web.auditing import audit
from web.i18n import current_lang
from web.paging import page_arg

bp = Blueprint("audit", __name__, url_prefix="/audit")
PER_PAGE = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/")
def entries():
    filters = trail.Filters.from_args(request.args)
    page = page_arg()
    items, total = trail.search(store.get_store(), filters, page=page, per_page=PER_PAGE)
    return render_template(
        "audit/list.html",
        items=items,
        total=total,
        page=max(page, 1),
        pages=max((total + PER_PAGE - 1) // PER_PAGE, 1),
        filters=filters,
        words=audit_words,
    )


@bp.get("/export.xlsx")
def export():
    filters = trail.Filters.from_args(request.args)
    out = io.BytesIO()
    count = export_audit(trail.matching(store.get_store(), filters), out, lang=current_lang())
    # Recorded after the rows are read, so the export does not list itself.
    audit("export", "audit", after={"filters": filters.as_args(), "count": count})
    out.seek(0)
    return send_file(out, as_attachment=True, download_name="audit-trail.xlsx", mimetype=XLSX)
