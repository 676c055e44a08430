"""`flask --app app association logo FILE.png`: the logo on every letterhead."""

from __future__ import annotations

import click
from flask.cli import AppGroup

import store
from letters.images import png_size

group = AppGroup("association", help="The association's profile.")
MAX_LOGO = 2 * 1024 * 1024


@group.command("logo")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def logo(path: str) -> None:
    """Set the association's logo (a PNG up to 2 MB) for the letterheads."""
    with open(path, "rb") as fh:
        data = fh.read(MAX_LOGO + 1)
    if len(data) > MAX_LOGO:
        raise click.ClickException("the logo is larger than 2 MB")
    try:
        width, height = png_size(data)
    except ValueError:
        raise click.ClickException("the logo must be a PNG image") from None
    data_store = store.get_store()
    if data_store.get("settings", 1) is None:
        raise click.ClickException("no association yet: run `flask --app app seed` first")
    data_store.update("settings", 1, {"logo_sha256": data_store.put_file(data)})
    click.echo(f"Logo set ({width}x{height} px); letters issued from now on carry it.")
