"""`flask --app app users create|list|set-role|disable|enable`: staff accounts."""

from __future__ import annotations

import getpass
import sys

import click
from flask.cli import AppGroup

import store
from accounts import audit, users
from accounts.roles import ROLES

group = AppGroup("users", help="Staff accounts and their roles.")
ROLE = click.Choice(sorted(ROLES))


def _fail(exc: Exception):
    raise click.ClickException(str(exc)) from None


def _actor() -> str:
    # In a container the user id may have no name: the audit still says it was the CLI.
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


def _audit(action: str, user: dict, *, before=None, after=None) -> None:
    """Record a change made from the command line: no request, so no address."""
    audit.record(
        store.get_store(),
        actor=_actor(),
        ip="",
        action=action,
        entity="user",
        entity_id=user["id"],
        before=before,
        after=after,
    )


@group.command("create")
@click.argument("username")
@click.option(
    "--role", "roles", multiple=True, required=True, type=ROLE, help="Repeat for several roles."
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create(username: str, roles: tuple[str, ...], password_stdin: bool) -> None:
    """Create USERNAME with one or more roles; the password is asked for, never an argument."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = users.create(store.get_store(), username.strip().lower(), password, roles)
    except users.AccountError as exc:
        _fail(exc)
    _audit("create", user, after={"username": user["username"], "roles": user["roles"]})
    click.echo(f"User {username} created with roles: {', '.join(roles)}")


@group.command("list")
def list_users() -> None:
    """List users, their roles and whether they are active."""
    for user in store.get_store().iter(users.COLLECTION):
        state = "active" if user.get("active") else "disabled"
        click.echo(f"{user['username']}\t{','.join(user['roles'])}\t{state}")


@group.command("set-role")
@click.argument("username")
@click.option("--role", "roles", multiple=True, required=True, type=ROLE)
def set_role(username: str, roles: tuple[str, ...]) -> None:
    """Replace the roles of USERNAME."""
    old = users.find(store.get_store(), username) or {}
    try:
        user = users.set_roles(store.get_store(), username, roles)
    except users.AccountError as exc:
        _fail(exc)
    _audit("set_roles", user, before={"roles": old.get("roles")}, after={"roles": user["roles"]})
    click.echo(f"{username}: {', '.join(roles)}")


@group.command("disable")
@click.argument("username")
def disable(username: str) -> None:
    """Disable USERNAME and end all of his sessions."""
    old = users.find(store.get_store(), username) or {}
    try:
        user = users.disable(store.get_store(), username)
    except users.AccountError as exc:
        _fail(exc)
    _audit("disable", user, before={"active": old.get("active")}, after={"active": False})
    click.echo(f"{username} disabled")


@group.command("enable")
@click.argument("username")
def enable(username: str) -> None:
    """Enable USERNAME again."""
    old = users.find(store.get_store(), username) or {}
    try:
        user = users.enable(store.get_store(), username)
    except users.AccountError as exc:
        _fail(exc)
    _audit("enable", user, before={"active": old.get("active")}, after={"active": True})
    click.echo(f"{username} enabled")
