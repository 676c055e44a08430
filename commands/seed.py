"""`flask --app app seed`: give a fresh data folder a demo association."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

import store
from association import shipped_profile, shipped_profiles


@click.command("seed")
@with_appcontext
@click.option("--profile", default=None, help="A shipped profile: " + ", ".join(shipped_profiles()))
def seed(profile: str | None) -> None:
    """Store the association profile on first start; leave existing data alone."""
    data = store.get_store()
    if data.get("settings", 1) is not None:
        click.echo("Data folder already set up: " + current_app.config["DATA_DIR"])
        return
    name = profile or current_app.config["ASSOCIATION_PROFILE"]
    try:
        chosen = shipped_profile(name)
    except KeyError:
        raise click.ClickException(f'there is no shipped profile "{name}"') from None
    data.insert("settings", chosen)
    click.echo(
        f"Demo association set up ({chosen['name']['en']}) in {current_app.config['DATA_DIR']}"
    )
