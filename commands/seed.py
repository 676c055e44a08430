"""`flask --app app seed`: give a fresh data folder a demo association."""

from __future__ import annotations

import shlex

import click
from flask import current_app
from flask.cli import with_appcontext

import store
from accounts import users
from association import shipped_profile, shipped_profiles


@click.command("seed")
@with_appcontext
@click.option("--profile", default=None, help="A shipped profile: " + ", ".join(shipped_profiles()))
def seed(profile: str | None) -> None:
    """Store the association profile on first start; leave existing data alone."""
    data = store.get_store()
    if data.get("settings", 1) is None:
        _store_profile(data, profile)
    else:
        click.echo("Data folder already set up: " + current_app.config["DATA_DIR"])
    if not data.count(users.COLLECTION):
        click.echo(FIRST_ADMIN.format(flask=flask_command(current_app.config["DATA_DIR"])))


FIRST_ADMIN = """
No user yet. Create the first administrator (the password is asked for), in the Rifd folder:
  {flask} users create admin --role admin
and staff with their roles, e.g.:
  {flask} users create sara --role intake
"""


def flask_command(data_dir: str) -> str:
    """Return the command line that reaches `data_dir`, whatever the next shell has set."""
    # The folder goes with the command: `RIFD_DATA=/x make run` set it for make's
    # processes only, and a bare command would write to the default folder instead.
    return f"RIFD_DATA={shlex.quote(str(data_dir))} .venv/bin/flask --app app"


def _store_profile(data, profile: str | None) -> None:
    name = profile or current_app.config["ASSOCIATION_PROFILE"]
    try:
        chosen = shipped_profile(name)
    except KeyError:
        raise click.ClickException(f'there is no shipped profile "{name}"') from None
    data.insert("settings", chosen)
    click.echo(
        f"Demo association set up ({chosen['name']['en']}) in {current_app.config['DATA_DIR']}"
    )
