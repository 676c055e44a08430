"""`flask --app app forms check FILE...`: validate form definitions."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from forms.definition import DefinitionError, load_definition

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
