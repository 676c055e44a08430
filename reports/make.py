"""Make a report's document from the store: the one path the page and the command take."""

from __future__ import annotations

import datetime as dt

from association.profile import current
from forms.dates import format_date
from forms.definition import FormDefinition
from reports import board, documents, sections
from reports.period import Period
from store.periods import count_between
from submissions.service import collection
from surveys import query

BOARD_TITLE = "تقرير الأداء الدوري"


def _heading(title: str, period: str, today: dt.date) -> dict:
    return {"title": title, "period": period, "printed": sections.printed_on(today)}


def board_report(data, form: FormDefinition | None, period: Period, today: dt.date, kind: str):
    """Return the board's report of the period as `kind` (docx, pdf, xlsx)."""
    profile = current(data)
    found = board.board(data, form, period, today)
    shown = sections.board(found, profile, charts_on=kind != "xlsx")
    flt = query.Filter(start=period.start.isoformat(), end=period.end.isoformat())
    records = board.answer_records(data, form, flt) if form is not None else ()
    heading = _heading(BOARD_TITLE, period.as_text(), today)
    return documents.render(
        kind, profile, heading, shown, data.read_file, form=form, records=records
    )


def _workbook(data, form: FormDefinition | None, flt: query.Filter, heading, shown):
    """Return (answers to write, write(out, counted)): an Excel report as a background
    export writes it (web/exports.py), its raw answers passed through counted() so that
    the export's page shows how far it got."""
    total = 0
    if form is not None:
        name = collection(form.id)
        total = count_between(data, name, "facts.day", flt.start, flt.end, flt.where())

    def write(out, counted) -> int:
        records = board.answer_records(data, form, flt) if form is not None else ()
        return documents.write_xlsx(out, heading, shown, form, counted(records))

    return total, write


def board_workbook(data, form: FormDefinition | None, period: Period, today: dt.date):
    """Return (answers to write, write(out, counted)): the board's Excel report."""
    found = board.board(data, form, period, today)
    shown = sections.board(found, current(data), charts_on=False)
    flt = query.Filter(start=period.start.isoformat(), end=period.end.isoformat())
    heading = _heading(BOARD_TITLE, period.as_text(), today)
    return _workbook(data, form, flt, heading, shown)


def _results(data, form: FormDefinition, flt: query.Filter, today: dt.date, charts_on: bool):
    found = query.results(data, form, flt, "ar")
    found["lowest"] = board.lowest_items(found)
    shown = sections.satisfaction(found, charts_on) + sections.questions(found, charts_on)
    period = " – ".join(format_date(day) for day in (flt.start, flt.end) if day) or "كل الإجابات"
    return _heading(f"نتائج: {form.title('ar')}", period, today), shown


def results_report(data, form: FormDefinition, flt: query.Filter, today: dt.date, kind: str):
    """Return a form's results for the filter (its results page's figures) as `kind`."""
    heading, shown = _results(data, form, flt, today, charts_on=kind != "xlsx")
    records = board.answer_records(data, form, flt)
    return documents.render(
        kind, current(data), heading, shown, data.read_file, form=form, records=records
    )


def results_workbook(data, form: FormDefinition, flt: query.Filter, today: dt.date):
    """Return (answers to write, write(out, counted)): a form's results in Excel."""
    heading, shown = _results(data, form, flt, today, charts_on=False)
    return _workbook(data, form, flt, heading, shown)
