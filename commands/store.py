"""`flask --app app store backup -o FILE | restore FILE | copy --to URL|FOLDER`.

Backup and restore cover the whole installation in one file, whichever backend holds
the records (TinyDB in the data folder, or PostgreSQL); copy moves the records into
the other backend.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from store import EXTENSION_KEY, StoreError, is_database_url, open_store
from store.transfer import copy as copy_store

group = AppGroup("store", help="The data: backup, restore, and copy to another backend.")

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


def _store():
    return current_app.extensions[EXTENSION_KEY]


@group.command("backup")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="The .tar.gz to write (replaced whole if it exists).",
)
def backup(output: str) -> None:
    """Write the records, uploads, archived letters, forms and key to one file."""
    try:
        manifest = _store().backup(output)
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
    help="Replace data already there; what was there is kept aside, not deleted.",
)
def restore(archive: str, force: bool) -> None:
    """Check a backup and put it in place of the data (folder, and database if used)."""
    data_dir = current_app.config["DATA_DIR"]
    try:
        manifest, kept = _store().restore(archive, force=force)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"Restored {len(manifest['files'])} files (backup of {manifest['created_at']}) "
        f"into {data_dir}"
    )
    for path in kept:
        click.echo(f"The data as it was is kept in {path}")
    click.echo("Restart Rifd so that every process reads the restored data.")


@group.command("copy")
@click.option(
    "--to",
    "target",
    required=True,
    help="postgresql://user@host/database, or the path of a data folder.",
)
def copy(target: str) -> None:
    """Copy every record, counter and file into an empty PostgreSQL database or folder.

    Stop Rifd first: what is written during the copy may be missed. The source is not
    changed.
    """
    source = _store()
    if "://" in target and not is_database_url(target):
        raise click.ClickException("a database URL starts with postgresql://")
    try:
        if is_database_url(target):
            dest = open_store(current_app.config["DATA_DIR"], target)
        else:
            dest = open_store(Path(target).absolute())
        try:
            done = copy_store(source, dest)
        finally:
            dest.close()
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    records = sum(count for count, _last in done["collections"].values())
    for name, (count, last) in done["collections"].items():
        click.echo(f"  {name}: {count:,} records (highest id {last:,})")
    click.echo(
        f"Copied and checked: {len(done['collections'])} collections, {records:,} records, "
        f"{len(done['counters'])} counters, {done['files']} files, into {dest!r}"
    )
    if is_database_url(target):
        click.echo("To use it: set RIFD_DATABASE_URL to that URL and restart Rifd.")
    else:
        click.echo("To use it: unset RIFD_DATABASE_URL, set RIFD_DATA to that folder, restart.")
