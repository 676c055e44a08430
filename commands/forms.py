"""`flask --app app forms check|import-xlsform|export-xlsform`: form definitions on the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from forms.definition import DefinitionError, load_definition, parse_definition
from forms.schema_messages import did_you_mean
from forms.xlsform import XLSFormError, export_xlsform, import_xlsform
from forms.xlsform.skipping import import_skipping

group = AppGroup("forms", help="Form definitions.")


@group.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def check(files: tuple[str, ...]) -> None:
    """Check definition FILES; exit 0 when all are valid, 1 with the problems otherwise."""
    failed = False
    for path in files:
        try:
            definition = load_definition(path)
        except DefinitionError as exc:
            failed = True
            for line in exc.messages:
                click.echo(line, err=True)
            continue
        click.echo(
            f"{click.format_filename(path)}: ok ({definition.id}, version {definition.version})"
        )
    if failed:
        raise SystemExit(1)


def _fail(messages: list[str]) -> None:
    for line in messages:
        click.echo(line, err=True)
    raise SystemExit(1)


def json_text(value: object, indent: int = 0) -> str:
    """Write JSON as people write definitions: a small object or list stays on one line."""
    flat = json.dumps(value, ensure_ascii=False)
    if not isinstance(value, dict | list) or not value or indent + len(flat) <= 96:
        return flat
    inner = " " * (indent + 2)
    if isinstance(value, dict):
        items = [
            f"{json.dumps(k, ensure_ascii=False)}: {json_text(v, indent + 2)}"
            for k, v in value.items()
        ]
        return "{\n" + ",\n".join(inner + item for item in items) + "\n" + " " * indent + "}"
    items = [json_text(v, indent + 2) for v in value]
    return "[\n" + ",\n".join(inner + item for item in items) + "\n" + " " * indent + "]"


@group.command("import-xlsform")
@click.argument("xlsx", type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True))
@click.option(
    "--skip-unsupported",
    is_flag=True,
    help="Import without exactly the items Rifd cannot represent, and print them.",
)
def import_command(xlsx: str, output: str, skip_unsupported: bool) -> None:
    """Read an XLSForm spreadsheet and write its Rifd definition as JSON.

    Anything Rifd cannot represent refuses the file with the list of it (exit 1),
    unless --skip-unsupported, which leaves out exactly the listed items.
    """
    name = Path(xlsx).name
    try:
        data = Path(xlsx).read_bytes()
    except OSError as exc:
        _fail([f"{name}: cannot be read ({exc.strerror or exc})"])
    try:
        skipped = []
        if skip_unsupported:
            form, skipped = import_skipping(data, name)
        else:
            form = import_xlsform(data, name)
        # The importer validates already; checking again here keeps the promise that
        # this command never writes a file `forms check` would refuse.
        definition = parse_definition(form, name)
    except (XLSFormError, DefinitionError) as exc:
        _fail(exc.messages)
    text = json_text(form) + "\n"
    Path(output).write_text(text, encoding="utf-8")
    click.echo(
        f"{click.format_filename(output)}: written ({definition.id}, version"
        f" {definition.version}, {sum(1 for _ in definition.fields())} fields)"
    )
    if skipped:
        click.echo(f"{len(skipped)} items left out:")
        for item in skipped:
            click.echo(f"  {item.english()}")


@group.command("export-xlsform")
@click.argument("form_id")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True))
def export_command(form_id: str, output: str) -> None:
    """Write the form FORM_ID, as new submissions use it now, as an XLSForm spreadsheet."""
    # The catalog's form: the latest version published in the editor, or the file's
    # when that is newer; the same one the editor's download gives.
    library = current_app.extensions["rifd_forms"]
    form = library.get(form_id)
    if form is None:
        known = [f.id for f in library.all()]
        hint = did_you_mean(form_id, known) or f" (the forms: {', '.join(known)})"
        _fail([f'there is no form "{form_id}"{hint}'])
    try:
        Path(output).write_bytes(export_xlsform(form))
    except OSError as exc:
        _fail([f"{click.format_filename(output)}: cannot be written ({exc.strerror or exc})"])
    click.echo(f"{click.format_filename(output)}: written ({form.id}, version {form.version})")
