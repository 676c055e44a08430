"""`flask --app app reports board --from DATE --to DATE -o FILE.docx|.pdf|.xlsx`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

import store
from forms.dates import saudi_today
from letters.pdf import PdfError, PdfUnavailable
from reports import documents, make
from reports.period import PeriodError, read_period
from surveys import query

group = AppGroup("reports", help="The reports a board reads.")


@group.command("board")
@click.option("--from", "start", help="First day (Gregorian or Hijri).")
@click.option("--to", "end", help="Last day, included.")
@click.option("--year", type=int, help="A Hijri year (instead of --from/--to).")
@click.option("--quarter", type=click.IntRange(1, 4), help="A quarter of --year.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
def board_command(start, end, year, quarter, output: Path) -> None:
    """Write the board's report of a period as .docx, .pdf or .xlsx (by OUTPUT's suffix)."""
    kind = output.suffix.lower().lstrip(".")
    if kind not in documents.FORMATS:
        raise click.ClickException("write the report to a .docx, .pdf or .xlsx file")
    try:
        period = read_period({"from": start, "to": end, "year": year, "quarter": quarter})
    except PeriodError as problem:
        raise click.ClickException(str(problem)) from None
    form = current_app.extensions["rifd_forms"].get(query.SURVEY_FORM)
    try:
        body = make.board_report(store.get_store(), form, period, saudi_today(), kind)
    except (PdfUnavailable, PdfError) as problem:
        raise click.ClickException(f"no PDF: {problem}") from None
    output.write_bytes(body)
    click.echo(f"wrote {output} ({period.label})")
