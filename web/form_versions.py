"""A form's versions in the editor: the list, the difference of two, a draft from an old one."""

from __future__ import annotations

import copy
import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

import store
from forms import drafts, versions
from forms.diff import diff as difference
from web.editor import RevisionForm, form_id_or_404, start_draft
from web.filling import library

bp = Blueprint("form_versions", __name__, url_prefix="/editor")
DRAFT = "draft"
_SEGMENT = re.compile(r"[^.\[\]]+|\[[^\]]*\]")


def _names() -> dict[str, str]:
    return {
        "label": _("نص السؤال"),
        "hint": _("التلميح"),
        "title": _("العنوان"),
        "description": _("الوصف"),
        "ar": _("بالعربية"),
        "en": _("بالإنجليزية"),
        "type": _("النوع"),
        "required": _("مطلوب"),
        "default": _("القيمة الافتراضية"),
        "choices": _("الخيارات"),
        "choice_lists": _("قوائم الخيارات"),
        "constraints": _("القيود"),
        "messages": _("رسالة الخطأ"),
        "min": _("الحد الأدنى"),
        "max": _("الحد الأعلى"),
        "min_length": _("أقل عدد من الأحرف"),
        "max_length": _("أكبر عدد من الأحرف"),
        "pattern": _("الصيغة"),
        "visible_if": _("شرط الظهور"),
        "required_if": _("شرط الإلزام"),
        "staff_only": _("للموظفين فقط"),
        "public": _("نموذج عام"),
        "ref_prefix": _("بادئة رقم المرجع"),
        "appearance": _("طريقة العرض"),
        "accept": _("أنواع الملفات"),
        "max_size_mb": _("أكبر حجم للملف"),
        "multiple": _("يقبل عدة ملفات"),
        "max_files": _("أكبر عدد من الملفات"),
        "max_total_mb": _("أكبر مجموع لأحجام الملفات"),
        "camera": _("التصوير بالكاميرا"),
        "add_label": _("نص زر الإضافة"),
        "position": _("الترتيب"),
        "parent": _("القسم أو المجموعة"),
    }


def property_label(path: str) -> str:
    """Name a property path (label.ar, choices[rented].label.en) in the page's language."""
    names = _names()
    parts = _SEGMENT.findall(path)
    # A choice's own text is "label" too: it is not the question's.
    shown = [
        _("النص")
        if part == "label" and i and parts[i - 1].startswith("[")
        else names.get(part, part)
        for i, part in enumerate(parts)
    ]
    return " · ".join(shown)


def _rows(form_id: str) -> list[dict]:
    """Return every version, oldest first; the file in use counts even before it is frozen."""
    rows = versions.listing(store.get_store(), form_id)
    current = library().get(form_id)
    if current is not None and current.version not in {r["version"] for r in rows}:
        rows.append({"version": current.version, "source": versions.FILE, "definition": None})
    for row in rows:
        row["in_use"] = current is not None and row["version"] == current.version
    return rows


def _definition(form_id: str, choice: str) -> dict | None:
    if choice == DRAFT:
        draft = drafts.get(store.get_store(), form_id)
        return draft["definition"] if draft else None
    if choice.isdigit() and len(choice) < 10:
        found = library().version(form_id, int(choice))
        return found.data if found else None
    return None


@bp.get("/<form_id>/versions")
def listing(form_id: str):
    form_id = form_id_or_404(form_id)
    rows = _rows(form_id)
    draft = drafts.get(store.get_store(), form_id)
    choices = [str(r["version"]) for r in rows] + ([DRAFT] if draft else [])
    return render_template(
        "editor/versions.html",
        form_id=form_id,
        rows=rows,
        draft=draft,
        choices=choices,
        replace=RevisionForm(),
    )


@bp.get("/<form_id>/diff")
def diff(form_id: str):
    form_id = form_id_or_404(form_id)
    a, b = request.args.get("a", ""), request.args.get("b", "")
    old, new = _definition(form_id, a), _definition(form_id, b)
    if old is None or new is None:
        flash(_("اختر إصدارين موجودين للمقارنة."), "error")
        return redirect(url_for("form_versions.listing", form_id=form_id))
    return render_template(
        "editor/diff.html",
        form_id=form_id,
        a=a,
        b=b,
        found=difference(old, new),
        prop=property_label,
    )


@bp.post("/<form_id>/versions/<int:version>/draft")
def draft_from(form_id: str, version: int):
    """Start a new draft from an old version; an existing draft is replaced only if confirmed."""
    form_id = form_id_or_404(form_id)
    found = library().version(form_id, version)
    if found is None:
        abort(404)
    choice = RevisionForm()
    if not choice.validate():
        flash(_("انتهت صلاحية الصفحة. أعد المحاولة."), "error")
        return redirect(url_for("form_versions.listing", form_id=form_id))
    if drafts.get(store.get_store(), form_id) and request.form.get("replace") != "1":
        flash(_("توجد مسودة لم تُنشر. أكّد استبدالها أولًا."), "error")
        return redirect(url_for("form_versions.listing", form_id=form_id))
    start_draft(copy.deepcopy(found.data), based_on=version)
    flash(_("بدأت مسودة جديدة من الإصدار %(v)s.", v=version), "notice")
    return redirect(url_for("editor.edit", form_id=form_id))
