"""The reports a board reads: choose a period, download it as Word, PDF or Excel; and a
survey's results printed the same way, from its results page.

For quality officers and admins (permission surveys.results). A document is built by
reports/ from the store's indexes and kept tallies; the view only wraps its bytes.
"""

from __future__ import annotations

import io
from urllib.parse import parse_qsl, urlencode

from flask import Blueprint, abort, render_template, request, send_file, url_for
from flask_babel import gettext as _

import store
from forms.dates import hijri_year, saudi_today
from letters import pdf
from letters.pdf import PdfError, PdfUnavailable
from letters.render import LetterError
from reports import documents, make
from reports.period import PeriodError, read_period
from surveys import query
from surveys.tallies import DIMENSIONS
from web import exports
from web.filling import library
from web.i18n import current_lang
from web.results import read_filter

bp = Blueprint("reports", __name__, url_prefix="/reports")
PERIOD_ARGS = ("year", "quarter", "from", "to")  # what read_period reads
FILTER_ARGS = ("from", "to", *DIMENSIONS)  # what read_filter reads


def _kind() -> str:
    kind = request.args.get("format", "")
    if kind not in documents.FORMATS:
        abort(404)
    return kind


def _page(problem: str = "", status: int = 200):
    return render_template(
        "reports/index.html",
        problem=problem,
        year=hijri_year(saudi_today()),
        pdf_ready=pdf.available(),
    ), status


def _send(kind: str, build, name: str):
    """Send what build(kind) makes, or the page again with what went wrong."""
    try:
        body = build(kind)
    except PdfUnavailable:
        return _page(_("تنزيل PDF يحتاج برنامج LibreOffice على هذا الجهاز. نزّل ملف Word."), 503)
    except (PdfError, LetterError):
        return _page(_("تعذّر إعداد التقرير. نزّل ملف Word أو حاول لاحقًا."), 503)
    return send_file(
        io.BytesIO(body),
        as_attachment=True,
        download_name=f"{name}.{kind}",
        mimetype=documents.FORMATS[kind],
    )


@bp.get("/")
def index():
    """Choose a period (a Hijri year or quarter, or two days) and a format."""
    return _page()


@bp.get("/board")
def board_report():
    """The board's report of the period, as the format asked for."""
    kind = _kind()
    try:
        period = read_period(request.args)
    except PeriodError as problem:
        return _page(str(problem), 400)
    data, form = store.get_store(), library().get(query.SURVEY_FORM)
    name = f"board-report-{period.start}-{period.end}"
    if kind == "xlsx":  # with every answer of the period: in the background when many
        asked = {k: request.args[k] for k in PERIOD_ARGS if request.args.get(k)}
        return exports.respond("board", urlencode(asked))
    return _send(kind, lambda k: make.board_report(data, form, period, saudi_today(), k), name)


@exports.exporter("board", "surveys.results")
def _board_export(name: str) -> exports.Export | None:
    """The board's Excel report of the period `name` holds (its query string)."""
    try:
        period = read_period(dict(parse_qsl(name)))
    except PeriodError:
        return None
    data, form = store.get_store(), library().get(query.SURVEY_FORM)
    total, write = make.board_workbook(data, form, period, saudi_today())
    return exports.Export(
        title=_("تقرير الأداء الدوري: %(period)s", period=period.as_text()),
        total=total,
        filename=f"board-report-{period.start}-{period.end}.xlsx",
        entity="reports:board",
        write=write,
        back=url_for("reports.index"),
    )


@exports.exporter("results", "surveys.results")
def _results_export(name: str) -> exports.Export | None:
    """A form's results in Excel, for the form and filter `name` holds (a query string)."""
    args = dict(parse_qsl(name))
    form = library().get(args.get("form", ""))
    flt, problems = read_filter(args)
    if form is None or problems:
        return None
    total, write = make.results_workbook(store.get_store(), form, flt, saudi_today())
    return exports.Export(
        title=_("نتائج: %(form)s", form=form.title(current_lang())),
        total=total,
        filename=f"results-{form.id}.xlsx",
        entity=f"reports:results:{form.id}",
        write=write,
        back=url_for("results.page", form_id=form.id),
    )


@bp.get("/results/<form_id>")
def results(form_id: str):
    """A form's results (the figures of its results page, with its filter), printed."""
    kind = _kind()
    form = library().get(form_id)
    if form is None:
        abort(404)
    flt, problems = read_filter(request.args)
    if problems:
        return _page(problems[0], 400)
    data = store.get_store()
    name = f"results-{form.id}"
    if kind == "xlsx":  # with every answer it keeps: in the background when many
        asked = {k: request.args[k] for k in FILTER_ARGS if request.args.get(k)}
        return exports.respond("results", urlencode({"form": form.id, **asked}))
    return _send(kind, lambda k: make.results_report(data, form, flt, saudi_today(), k), name)
