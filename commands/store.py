"""`flask --app app store backup -o FILE | restore FILE`: the whole data folder in one file."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from store import StoreError
from store.backup import create_backup, restore_backup

group = AppGroup("store", help="The data folder: backup and restore.")

KEEP_SAFE = (
    "Keep it safe: it holds the secret key and the personal data of beneficiaries. "
    "Store it encrypted or where only the association's administrators can read it."
)


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB"):
        if n < 1024:
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


@group.command("backup")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="The .tar.gz to write (replaced whole if it exists).",
)
def backup(output: str) -> None:
    """Write the data folder (records, uploads, archived letters, forms, key) to one file."""
    try:
        manifest = create_backup(current_app.config["DATA_DIR"], output)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    files = manifest["files"]
    total = sum(entry["size"] for entry in files)
    click.echo(
        f"Backup written: {click.format_filename(output)} ({len(files)} files, {_size(total)})"
    )
    for path in manifest["skipped"]:
        click.echo(f"Left out (not a plain file): {path}", err=True)
    click.echo(KEEP_SAFE)


@group.command("restore")
@click.argument("archive", type=click.Path(dir_okay=False))
@click.option(
    "--force",
    is_flag=True,
    help="Replace a data folder that holds data; the old one is kept aside, not deleted.",
)
def restore(archive: str, force: bool) -> None:
    """Check a backup and put it in place of the data folder."""
    data_dir = current_app.config["DATA_DIR"]
    try:
        manifest, aside = restore_backup(archive, data_dir, force=force)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"Restored {len(manifest['files'])} files (backup of {manifest['created_at']}) "
        f"into {data_dir}"
    )
    if aside is not None:
        click.echo(f"The data folder as it was is kept in {aside}")
    click.echo("Restart Rifd so that every process reads the restored data.")
