"""`flask --app app store backup -o FILE | restore FILE | copy --to URL|FOLDER | copy-files`.

Backup and restore cover the whole installation in one file, whichever backend holds
the records (TinyDB in the data folder, or PostgreSQL) and wherever the files are (the
data folder, or object storage); copy moves the records into the other backend, and
copy-files moves the stored files between the data folder and object storage.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from store import (
    EXTENSION_KEY,
    StoreError,
    is_database_url,
    is_files_url,
    open_files,
    open_store,
    settings_of,
)
from store.transfer import carry_files
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


def _files_at(target: str | None):
    """Return the files' storage named on the command line: s3://bucket/prefix, or a data
    folder (its _files); None for none named."""
    if not target:
        return None
    if "://" in target and not is_files_url(target):
        raise click.ClickException("a files URL looks like s3://bucket/prefix")
    where = target if is_files_url(target) else Path(target).absolute()
    url = target if is_files_url(target) else None
    return open_files(where, url, settings_of(current_app))


@group.command("copy")
@click.option(
    "--to",
    "target",
    required=True,
    help="postgresql://user@host/database, or the path of a data folder.",
)
@click.option(
    "--files-to",
    "files_target",
    help="Where the copy keeps its files: s3://bucket/prefix, or a data folder. Default: "
    "the files stay where they are for a database, go into the data folder given by --to.",
)
def copy(target: str, files_target: str | None) -> None:
    """Copy every record, counter and file into an empty PostgreSQL database or folder.

    Stop Rifd first: what is written during the copy may be missed. The source is not
    changed.
    """
    source = _store()
    if "://" in target and not is_database_url(target):
        raise click.ClickException("a database URL starts with postgresql://")
    try:
        files = _files_at(files_target)
        if is_database_url(target):
            dest = open_store(current_app.config["DATA_DIR"], target, files or source.files)
        else:
            dest = open_store(Path(target).absolute(), files=files)
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
    if files is not None:
        _files_advice(files_target)


@group.command("copy-files")
@click.option(
    "--to",
    "target",
    required=True,
    help="s3://bucket/prefix, or the path of a data folder (its files go to _files).",
)
def copy_files(target: str) -> None:
    """Copy every stored file (uploads, signatures, archived letters) to object storage or
    a data folder, each checked against its name; the records are not changed.

    Files already there are kept. Run it again after a last stop of Rifd, then switch.
    """
    try:
        dest = _files_at(target)
        source = _store().files
        if source.same_as(dest):
            raise click.ClickException(f"the files are already kept in {dest.location}")
        copied = carry_files(source, dest)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Copied and checked: {copied} files into {dest.location}")
    _files_advice(target)


def _files_advice(target: str) -> None:
    if is_files_url(target):
        click.echo(f"To use them: set RIFD_FILES_URL={target} and restart Rifd.")
    else:
        click.echo("To use them: unset RIFD_FILES_URL, keep that data folder, restart Rifd.")
