"""`flask --app app surveys summary FORM_ID`: a form's results for other tools."""

from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import AppGroup

import store
from forms.dates import read_day
from surveys.query import Filter, results

group = AppGroup("surveys", help="The results of surveys and other forms.")


def _day(ctx, param, value: str | None) -> str | None:
    if value is None:
        return None
    day = read_day(value)
    if day is None:
        raise click.BadParameter(f"{value!r}: write a date as YYYY-MM-DD, Gregorian or Hijri")
    return day.isoformat()


@group.command("summary")
@click.argument("form_id")
@click.option("--from", "start", callback=_day, help="First day (Gregorian or Hijri).")
@click.option("--to", "end", callback=_day, help="Last day, included.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--lang", default="ar", type=click.Choice(["ar", "en"]), help="Labels' language.")
def summary(form_id: str, start, end, as_json: bool, lang: str) -> None:
    """Print the figures of FORM_ID's answers: the same as its results page."""
    form = current_app.extensions["rifd_forms"].get(form_id)
    if form is None:
        raise click.ClickException(f"no form {form_id!r}")
    if start and end and start > end:
        raise click.ClickException("--from is after --to")
    found = results(store.get_store(), form, Filter(start=start, end=end), lang)
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    click.echo(f"{found['title']}: {found['responses']} answers")
    if found["csat"]:
        click.echo(f"CSAT: {_shown(found['csat']['percent'])} of {found['csat']['n']} ratings")
    if found["nps"]:
        click.echo(f"NPS: {_shown(found['nps']['score'], '')} ({found['nps']['n']} answers)")


def _shown(value, unit: str = "%") -> str:
    return "too few answers" if value is None else f"{value:g}{unit}"
