"""The results of a form's answers: headline figures, a chart and a table per question,
the trend by Hijri month, filters, two groups side by side, and the comments.

For quality officers and admins (permission surveys.results); the comments are answers
in a person's own words, shown to whoever may read answers (submissions.read).
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, g, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

import store
from accounts.users import full_names
from cases.programs import PROGRAMS
from forms.dates import read_day
from forms.definition import localized
from submissions.service import collection
from surveys import charts, figures, query
from surveys.tallies import DIMENSIONS
from web.filling import channel_label, library
from web.i18n import current_lang
from web.paging import page_arg, pages_of

bp = Blueprint("results", __name__, url_prefix="/results")
FILTER_ARGS = ("from", "to", *DIMENSIONS)
COMMENTS_SHOWN = 5
PER_PAGE = 20


def _form_or_404(form_id: str):
    form = library().get(form_id)
    if form is None:
        abort(404)
    return form


def read_filter(args) -> tuple[query.Filter, list[str]]:
    """Return the filter the query string asks for and the problems with it (a bad date
    is left out and named, never an error page)."""
    problems, days = [], {}
    for arg in ("from", "to"):
        text = (args.get(arg) or "").strip()[:40]
        if text:
            day = read_day(text)
            if day is None:
                problems.append(
                    _(
                        "تاريخ غير صحيح: %(text)s (اكتبه بالصيغة YYYY-MM-DD هجريًا أو ميلاديًا).",
                        text=text,
                    )
                )
            days[arg] = day.isoformat() if day else None
    if days.get("from") and days.get("to") and days["from"] > days["to"]:
        problems.append(_("بداية الفترة بعد نهايتها."))
        days = {}
    dims = {d: (args.get(d) or "").strip()[:100] or None for d in DIMENSIONS}
    program = dims.pop("program")
    return query.Filter(
        start=days.get("from"),
        end=days.get("to"),
        program=int(program) if program and program.isdigit() else None,
        **dims,
    ), problems


def _labels(form, found: dict) -> dict[str, dict]:
    """Return the words for each filter value: channels, services, staff, programs."""
    lang = current_lang()
    service = form.field("service_received")
    services = (
        {c["value"]: localized(c["label"], lang) for c in form.choices(service)} if service else {}
    )
    channel_field = form.field("channel_used")
    channels = (
        {c["value"]: localized(c["label"], lang) for c in form.choices(channel_field)}
        if channel_field
        else {}
    )
    data = store.get_store()
    programs = {p["id"]: p.get("name", "") for p in data.get_many(PROGRAMS, found["program"])}
    return {
        "channel": {v: channels.get(v) or channel_label(v) or v for v in found["channel"]},
        "service": {v: services.get(v, v) for v in found["service"]},
        "staff": full_names(data, found["staff"]) if found["staff"] else {},
        "program": {v: programs.get(v, str(v)) for v in found["program"]},
    }


def _chart_args(flt: query.Filter) -> dict:
    out = {k: v for k, v in flt.as_dict().items() if k not in ("start", "end")}
    if flt.start:
        out["from"] = flt.start
    if flt.end:
        out["to"] = flt.end
    return out


def _groups(picked: list[str]) -> tuple[str, list]:
    """Return the kind and the values of the two groups compared ("channel:phone"), or
    ("", []) when they are not two groups of one kind."""
    parts = [p.split(":", 1) for p in picked if ":" in p]
    if len(parts) != 2 or parts[0][0] != parts[1][0] or parts[0][0] not in DIMENSIONS:
        return "", []
    dim = parts[0][0]
    values = [int(v) if dim == "program" and v.isdigit() else v for _d, v in parts]
    return dim, values


@bp.get("/")
def index():
    """The forms with answers, each with its count and a link to its results."""
    data = store.get_store()
    rows = [(form, data.count(collection(form.id))) for form in library().all()]
    return render_template("results/index.html", rows=[(f, n) for f, n in rows if n])


@bp.get("/<form_id>")
def page(form_id: str):
    form = _form_or_404(form_id)
    flt, problems = read_filter(request.args)
    data, lang = store.get_store(), current_lang()
    found = query.results(data, form, flt, lang)
    options = query.choices(data, form)
    labels = _labels(form, options)
    picked = [(request.args.get(k) or "")[:120] for k in ("a", "b")]
    cmp_dim, values = _groups(picked)
    if picked[0] and picked[1] and not cmp_dim:
        problems.append(_("اختر للمقارنة مجموعتين من النوع نفسه (قناتين أو موظفَين مثلًا)."))
    groups = query.compare(data, form, flt, cmp_dim, values, lang) if cmp_dim else None
    comments = {}
    if current_user.can("submissions.read"):
        for q in found["questions"]:
            if q["type"] in figures.TEXTS and q["answered"]:
                records, total = query.comments(data, form, q["name"], flt, per_page=COMMENTS_SHOWN)
                comments[q["name"]] = (records, total)
    return render_template(
        "results/page.html",
        form=form,
        found=found,
        flt=flt,
        args=_chart_args(flt),
        problems=problems,
        options=options,
        labels=labels,
        groups=groups,
        cmp_dim=cmp_dim,
        picked=picked,
        comments=comments,
        min_shown=figures.MIN_SHOWN,
        font_missing=charts.arabic_font() is None,
    ), (400 if problems else 200)


@bp.get("/<form_id>/chart/<name>.<fmt>")
def chart(form_id: str, name: str, fmt: str):
    """One question's chart (or the trend's, name "trend") as SVG or PNG."""
    form = _form_or_404(form_id)
    if fmt not in ("svg", "png"):
        abort(404)
    flt, _problems = read_filter(request.args)
    found = query.results(store.get_store(), form, flt, current_lang())
    if name == "trend":
        body = charts.trend_chart(found["trend"], fmt)
    else:
        q = next((q for q in found["questions"] if q["name"] == name and q.get("rows")), None)
        if q is None:
            abort(404)
        body = charts.question_chart(q, fmt)
    if fmt == "svg":
        body = charts.clean_svg(body, "c").encode()
    mimetype = "image/svg+xml" if fmt == "svg" else "image/png"
    g.inline_styles = True  # its shapes' colours (web/security.py)
    return Response(body, mimetype=mimetype)


@bp.get("/<form_id>/comments/<name>")
def comments(form_id: str, name: str):
    """The comments given in one text field, newest first, searchable, page by page."""
    form = _form_or_404(form_id)
    fdef = form.field(name)
    if fdef is None or fdef["type"] not in figures.TEXTS:
        abort(404)
    flt, problems = read_filter(request.args)
    text = (request.args.get("q") or "")[:200]
    page_no = page_arg()
    records, total = query.comments(store.get_store(), form, name, flt, text, page_no, PER_PAGE)
    return render_template(
        "results/comments.html",
        form=form,
        label=localized(fdef.get("label"), current_lang()),
        name=name,
        records=records,
        total=total,
        query=text,
        page=page_no,
        pages=pages_of(total, PER_PAGE),
        args=_chart_args(flt),
        problems=problems,
        back=url_for("results.page", form_id=form.id, **_chart_args(flt)),
    )
