"""Staff users in the store: create, authenticate, change roles and passwords, disable.

Passwords are hashed with Argon2id (argon2-cffi). Each user carries a
session version: signing out raises it, which ends every session of that
user on every machine at once. The same functions serve the users command
and the admin's users page, so both enforce the same rules.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import unicodedata

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from accounts.roles import ROLES

COLLECTION = "users"
ADMIN = "admin"
USERNAME = re.compile(r"[a-z][a-z0-9_.-]{1,31}")
MIN_PASSWORD = 10
FULL_NAME_MAX = 120
MAX_PASSWORD = 200  # Argon2 takes any length; this only stops a megabyte "password"
# One-time passwords are read aloud or copied by hand: no 0/O, 1/l/I.
_ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_hasher = PasswordHasher()  # argon2-cffi's defaults (RFC 9106 low-memory profile)
_dummy: dict[int, str] = {}


def use_hasher(hasher: PasswordHasher) -> None:
    """Hash new passwords with `hasher` (the tests use a cheap one; production never calls this)."""
    global _hasher
    _hasher = hasher


def _dummy_hash() -> str:
    """A hash verified against when the name is unknown, so a wrong name costs as long as a
    wrong password and timing does not tell which names exist. Made on first sign-in, not at
    import: every CLI command would pay for it."""
    key = id(_hasher)
    if key not in _dummy:
        _dummy[key] = _hasher.hash("rifd-no-such-user")
    return _dummy[key]


MESSAGES = {
    "username": "a user name is 2-32 characters: a-z, digits, _ . - (starting with a letter)",
    "password_short": f"the password must have at least {MIN_PASSWORD} characters",
    "password_long": f"the password must have at most {MAX_PASSWORD} characters",
    "no_role": "give at least one role",
    "full_name": f"a full name is letters and spaces, at most {FULL_NAME_MAX} characters",
    "unknown_role": "unknown role: {detail}",
    "taken": 'the user "{detail}" already exists',
    "no_user": 'there is no user "{detail}"',
    "last_admin": "{detail} is the last active admin: give another user the admin role first",
}


class AccountError(ValueError):
    """A refused change; `key` names the rule (for the page's own wording), str() is English."""

    def __init__(self, key: str, detail: str = ""):
        super().__init__(MESSAGES[key].format(detail=detail))
        self.key = key
        self.detail = detail


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def check_roles(roles) -> list[str]:
    roles = list(dict.fromkeys(roles))
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise AccountError("unknown_role", ", ".join(unknown))
    if not roles:
        raise AccountError("no_role")
    return roles


def check_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD:
        raise AccountError("password_short")
    if len(password) > MAX_PASSWORD:
        raise AccountError("password_long")
    return password


def one_time_password() -> str:
    """Return a random password to hand over once; its owner must change it at sign-in."""
    return "".join(secrets.choice(_ONE_TIME_ALPHABET) for _ in range(14))


def find(store, username: str) -> dict | None:
    found = store.find(COLLECTION, where={"username": username})
    return found[0] if found else None


def all_users(store) -> list[dict]:
    return sorted(store.iter(COLLECTION), key=lambda u: u["username"])


def clean_full_name(text: str) -> str:
    """Return a person's full name as shown on pages and letters: spaces collapsed, at
    most FULL_NAME_MAX characters (AccountError beyond), nothing but letters and spaces."""
    name = " ".join(str(text or "").split())
    allowed = (c.isalpha() or c in " .-'" or unicodedata.category(c).startswith("M") for c in name)
    if len(name) > FULL_NAME_MAX or not all(allowed):
        raise AccountError("full_name")
    return name


def create(
    store,
    username: str,
    password: str,
    roles,
    *,
    must_change: bool = False,
    full_name: str = "",
) -> dict:
    """Create a user; AccountError for a bad or taken name, a bad password, unknown roles."""
    if not USERNAME.fullmatch(username or ""):
        raise AccountError("username")
    full_name = clean_full_name(full_name)
    check_password(password)
    roles = check_roles(roles)
    with store.lock("users"):
        if find(store, username):
            raise AccountError("taken", username)
        record = {
            "username": username,
            "full_name": full_name,
            "password_hash": _hasher.hash(password),
            "roles": roles,
            "active": True,
            "must_change_password": must_change,
            "session_version": 1,
            "created_at": now(),
        }
        record["id"] = store.insert(COLLECTION, record)
    return record


def authenticate(store, username: str, password: str) -> dict | None:
    """Return the active user whose password this is, or None."""
    user = find(store, username or "")
    try:
        _hasher.verify(
            user["password_hash"] if user else _dummy_hash(), (password or "")[:MAX_PASSWORD]
        )
    except (VerificationError, InvalidHashError):
        return None
    return user if user and user.get("active") else None


def _is_admin(user: dict) -> bool:
    return bool(user.get("active")) and ADMIN in user.get("roles", ())


def _keep_an_admin(store, user: dict, after: dict) -> None:
    """Refuse a change that would leave the association with no active admin."""
    if not _is_admin(user) or _is_admin({**user, **after}):
        return
    others = [u for u in store.iter(COLLECTION) if u["id"] != user["id"] and _is_admin(u)]
    if not others:
        raise AccountError("last_admin", user["username"])


def update(store, username: str, *, sign_out: bool = False, **changes) -> dict:
    """Apply `changes` to one user under the users lock; the last admin always stays one.

    With sign_out the session version is raised in the same write, read
    inside the lock so that two changes at once cannot both raise it to one value.
    """
    with store.lock("users"):
        user = find(store, username)
        if user is None:
            raise AccountError("no_user", username)
        _keep_an_admin(store, user, changes)
        if sign_out:
            changes["session_version"] = user["session_version"] + 1
        return store.update(COLLECTION, user["id"], changes)


def set_roles(store, username: str, roles, full_name: str | None = None) -> dict:
    """Change a user's roles (and his full name, when given) in one write."""
    changes = {"roles": check_roles(roles)}
    if full_name is not None:
        changes["full_name"] = clean_full_name(full_name)
    return update(store, username, **changes)


def full_names(store, usernames) -> dict[str, str]:
    """Return the full name of each of these users who has one (looked up by index)."""
    names = {}
    for username in set(usernames):
        user = find(store, username) if username else None
        if user and user.get("full_name"):
            names[username] = user["full_name"]
    return names


def disable(store, username: str) -> dict:
    """Disable the user and end every session he has."""
    return update(store, username, active=False, sign_out=True)


def enable(store, username: str) -> dict:
    return update(store, username, active=True)


def set_password(store, username: str, password: str, *, must_change: bool = False) -> dict:
    """Replace the password and end every session: a changed password signs out everywhere."""
    check_password(password)
    return update(
        store,
        username,
        password_hash=_hasher.hash(password),
        must_change_password=must_change,
        sign_out=True,
    )


def end_sessions(store, user_id: int, audit=None) -> None:
    """Sign the user out everywhere: every session carrying the old version stops working.

    `audit(tx)`, when given, writes its entry in the same transaction as the change.
    """
    with store.lock("users"), store.transaction() as tx:
        user = tx.get(COLLECTION, user_id)
        if user:
            tx.update(COLLECTION, user_id, {"session_version": user["session_version"] + 1})
            if audit is not None:
                audit(tx)
