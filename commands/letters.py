"""`flask --app app letters lint|render`: check a Word template, or fill it with JSON data."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from letters.lint import check_file, lint
from letters.render import LetterError, render_letter

group = AppGroup("letters", help="Letter templates (.docx).")


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        name = click.format_filename(path)
        raise click.ClickException(f"{name}: cannot be read ({exc.strerror or exc})") from None


def _context(path: str) -> dict:
    """Return the JSON object in `path`; a problem becomes one clear line, never a trace."""
    name = click.format_filename(path)
    try:
        data = json.loads(_read(path).decode("utf-8"))
    except UnicodeDecodeError:
        raise click.ClickException(f"{name}: is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        raise click.ClickException(f"{name}: {where}: invalid JSON: {exc.msg}") from None
    if not isinstance(data, dict):
        raise click.ClickException(f"{name}: must hold a JSON object (name -> value)")
    return data


@group.command("lint")
@click.argument("template", type=click.Path(dir_okay=False))
@click.option("--form", "form_id", help="Check answers.X against the fields of this form.")
def lint_command(template: str, form_id: str | None) -> None:
    """Check TEMPLATE; exit 0 when it can be accepted, 1 with the problems otherwise."""
    form = None
    if form_id:
        form = current_app.extensions["rifd_forms"].get(form_id)
        if form is None:
            raise click.ClickException(f'there is no form "{form_id}"')
    report = lint(_read(template), form)
    name = click.format_filename(template)
    for line in report.messages():
        click.echo(f"{name}: {line}", err=True)
    if not report.ok:
        raise SystemExit(1)
    click.echo(f"{name}: ok ({len(report.placeholders)} placeholders)")


@group.command("render")
@click.argument("template", type=click.Path(dir_okay=False))
@click.option("--data", "data_path", required=True, type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False))
def render_command(template: str, data_path: str, output: str) -> None:
    """Fill TEMPLATE with the JSON object in --data and write the letter to OUTPUT."""
    name = click.format_filename(template)
    source = _read(template)
    # The same refusals as an upload: a letter is never rendered from a
    # file lint would turn away (zip bomb, macros, broken XML).
    refused = check_file(source).errors
    if refused:
        raise click.ClickException(f"{name}: {refused[0]}")
    context = _context(data_path)
    try:
        rendered = render_letter(source, context)
    except LetterError as exc:
        raise click.ClickException(f"{name}: {exc}") from None
    for missing in rendered.missing:
        click.echo(f"warning: no value for {missing}", err=True)
    try:
        Path(output).write_bytes(rendered.data)
    except OSError as exc:
        target = click.format_filename(output)
        raise click.ClickException(f"{target}: cannot be written ({exc.strerror or exc})") from None
    click.echo(f"{click.format_filename(output)}: written")
