"""`flask --app app deliveries export`: the delivery register of a period as an Excel file."""

from __future__ import annotations

import click
from flask.cli import AppGroup

import store
from deliveries import register
from forms.dates import read_day
from letters import address

group = AppGroup("deliveries", help="Deliveries and their proofs.")


def _day(value: str | None, option: str):
    if not value:
        return None
    found = read_day(value)
    if found is None:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint=option)
    return found


@group.command("export")
@click.option("--from", "start", help="First day (YYYY-MM-DD, Gregorian or Hijri).")
@click.option("--to", "end", help="Last day, included.")
@click.option("--program", "program_id", type=int, help="Only the deliveries of this program.")
@click.option("--beneficiary", "beneficiary_id", type=int, help="Only this beneficiary's.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True))
def export_command(start, end, program_id, beneficiary_id, output) -> None:
    """Write the delivery register (each line with the address of its proofs) to OUTPUT."""
    filters = register.Filters(
        start=_day(start, "--from"),
        end=_day(end, "--to"),
        program_id=program_id,
        beneficiary_id=beneficiary_id,
    )
    if filters.start and filters.end and filters.start > filters.end:
        raise click.BadParameter("--from is after --to", param_hint="--from")
    data = store.get_store()
    base = address.public_url(data).rstrip("/")
    try:
        with open(output, "wb") as out:
            count = register.export(
                register.all_of(data, filters), out, lambda r: f"{base}/deliveries/{r['id']}"
            )
    except OSError as exc:
        raise click.ClickException(f"{output}: cannot be written ({exc.strerror or exc})") from None
    click.echo(f"{count} deliveries written to {output}")
