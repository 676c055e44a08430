"""Staff users in the store: create, authenticate, change roles, disable.

Passwords are hashed with Argon2id (argon2-cffi). Each user carries a
session version: signing out raises it, which ends every session of that
user on every machine at once.
"""

from __future__ import annotations

import datetime as dt
import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from accounts.roles import ROLES

COLLECTION = "users"
USERNAME = re.compile(r"[a-z][a-z0-9_.-]{1,31}")
MIN_PASSWORD = 10
_hasher = PasswordHasher()
# Verified against when the name is unknown, so a wrong name costs as long as a
# wrong password and timing does not tell which names exist.
_DUMMY = _hasher.hash("rifd-no-such-user")


class AccountError(ValueError):
    pass


def check_roles(roles) -> list[str]:
    roles = list(dict.fromkeys(roles))
    unknown = [r for r in roles if r not in ROLES]
    if unknown or not roles:
        raise AccountError(
            f"unknown role: {', '.join(unknown)}" if unknown else "give at least one role"
        )
    return roles


def find(store, username: str) -> dict | None:
    found = store.find(COLLECTION, where={"username": username})
    return found[0] if found else None


def create(store, username: str, password: str, roles) -> dict:
    """Create a user; AccountError for a bad or taken name, a short password, unknown roles."""
    if not USERNAME.fullmatch(username or ""):
        raise AccountError(
            "a user name is 2-32 characters: a-z, digits, _ . - (starting with a letter)"
        )
    if len(password or "") < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")
    roles = check_roles(roles)
    with store.lock("users"):
        if find(store, username):
            raise AccountError(f'the user "{username}" already exists')
        record = {
            "username": username,
            "password_hash": _hasher.hash(password),
            "roles": roles,
            "active": True,
            "session_version": 1,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        record["id"] = store.insert(COLLECTION, record)
    return record


def authenticate(store, username: str, password: str) -> dict | None:
    """Return the active user whose password this is, or None."""
    user = find(store, username or "")
    try:
        _hasher.verify(user["password_hash"] if user else _DUMMY, password or "")
    except (VerificationError, InvalidHashError):
        return None
    return user if user and user.get("active") else None


def update(store, username: str, **changes) -> dict:
    with store.lock("users"):
        user = find(store, username)
        if user is None:
            raise AccountError(f'there is no user "{username}"')
        return store.update(COLLECTION, user["id"], changes)


def set_roles(store, username: str, roles) -> dict:
    return update(store, username, roles=check_roles(roles))


def disable(store, username: str) -> dict:
    user = find(store, username)
    if user is None:
        raise AccountError(f'there is no user "{username}"')
    return update(store, username, active=False, session_version=user["session_version"] + 1)


def end_sessions(store, user_id: int) -> None:
    """Sign the user out everywhere: every session carrying the old version stops working."""
    with store.lock("users"):
        user = store.get(COLLECTION, user_id)
        if user:
            store.update(COLLECTION, user_id, {"session_version": user["session_version"] + 1})
