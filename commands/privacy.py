"""`flask --app app privacy export ID -o FILE.zip | erase ID [--yes] | retention [YEARS]`."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

import store
from accounts import audit
from forms.messages import message
from privacy.erase import RETENTION_KEY, erase_person, retention_years
from privacy.export import export_person
from privacy.person import Person, find_person, mask

group = AppGroup("privacy", help="A beneficiary's data: export it, or erase it on request.")


def _by_cli() -> dict:
    """Who an entry made from the command line is by: the system user, from no address."""
    return {"actor": f"cli:{getpass.getuser()}", "ip": ""}


def _find(national_id: str) -> Person:
    """Return the person's records, or stop with exit code 1 and a clear message."""
    try:
        person = find_person(store.get_store(), current_app.extensions["rifd_forms"], national_id)
    except ValueError as exc:
        raise click.ClickException(f"Not a valid national ID: {message(str(exc), 'en')}") from None
    if not person.found:
        raise click.ClickException(f"Nobody with national ID {mask(person.national_id)} found.")
    return person


def _describe(person: Person) -> None:
    for form_id, count in sorted(person.counts().items()):
        click.echo(f"  {form_id}: {count} submission(s)")
    click.echo(f"  letters: {len(person.letters)}")


@group.command("export")
@click.argument("national_id")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False))
def export(national_id: str, output: str) -> None:
    """Write everything held about a person to one zip (Excel sheet, documents, letters)."""
    person = _find(national_id)
    data = store.get_store()
    Path(output).write_bytes(export_person(data, current_app.extensions["rifd_forms"], person))
    counts = {"submissions": len(person.submissions), "letters": len(person.letters)}
    audit.record(
        data,
        **_by_cli(),
        action="export",
        entity="person",
        entity_id=mask(person.national_id),
        after=counts,
    )
    click.echo(f"Export written: {click.format_filename(output)}")
    _describe(person)
    click.echo("It holds personal data: hand it to the person only, and delete your copy.")


@group.command("erase")
@click.argument("national_id")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase(national_id: str, yes: bool) -> None:
    """Anonymise a person's submissions and letters and delete his files (cannot be undone)."""
    person = _find(national_id)
    data = store.get_store()
    years = retention_years(data)
    click.echo(f"Found for {mask(person.national_id)}:")
    _describe(person)
    if not yes:
        click.confirm(
            f"Erase this person's data? Letters younger than {years} years keep their archive. "
            "This cannot be undone",
            abort=True,
        )
    summary = erase_person(
        data, current_app.extensions["rifd_forms"], person, retention_years=years
    )
    audit.record(
        data,
        **_by_cli(),
        action="erase",
        entity="person",
        entity_id=mask(person.national_id),
        after=summary,
    )
    click.echo(json.dumps(summary, ensure_ascii=False, indent=2))


@group.command("retention")
@click.argument("years", type=click.IntRange(0, 100), required=False)
def retention(years: int | None) -> None:
    """Show, or set to YEARS, how long an erased person's letters keep their archived copy."""
    data = store.get_store()
    before = retention_years(data)
    if years is not None:
        with data.lock("settings"):
            data.update("settings", 1, {RETENTION_KEY: years})
        audit.record(
            data,
            **_by_cli(),
            action="set_retention",
            entity="settings",
            entity_id=1,
            before={RETENTION_KEY: before},
            after={RETENTION_KEY: years},
        )
    click.echo(f"Letters keep their archived copy for {retention_years(data)} years after issue.")
