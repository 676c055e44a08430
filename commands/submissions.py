"""`flask --app app submissions export FORM_ID -o FILE.xlsx`."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

import store
from submissions import service
from submissions.export import export_xlsx

group = AppGroup("submissions", help="Submissions entered through the forms.")


@group.command("export")
@click.argument("form_id")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True))
@click.option("--lang", type=click.Choice(["ar", "en"]), default="ar", show_default=True)
def export(form_id: str, output: str, lang: str) -> None:
    """Write every submission of FORM_ID to an Excel file."""
    catalog = current_app.extensions["rifd_forms"]
    form = catalog.get(form_id)
    if form is None:
        raise click.ClickException(f'there is no form "{form_id}"')
    data = store.get_store()
    older = catalog.history(form.id, service.versions_used(data, form.id))
    records = data.iter(service.collection(form.id), stream=True)
    rows = export_xlsx(form, records, output, lang=lang, versions=older)
    click.echo(f"{rows} submissions written to {click.format_filename(output)}")
