"""The gateway settings: set by the admin (stored) or by environment variables.

A stored value wins; an empty one falls back to the environment (RIFD_SMS_PROVIDER,
RIFD_SMS_SENDER, RIFD_SMS_KEY, RIFD_SMS_USER, RIFD_SMS_BASE_URL, RIFD_SMTP_URL). A secret
(the key, the SMTP address with its password) is never shown back whole, never logged
and never written to the audit: the audit records only that it changed.
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

from accounts import audit as trail
from messages import email, respect
from messages.drivers import DRIVERS

SETTINGS = "message_settings"
SETTINGS_ID = 1
OUTBOX_ONLY = "outbox"
PROVIDERS = (OUTBOX_ONLY, *DRIVERS)
ENV = {
    "provider": "RIFD_SMS_PROVIDER",
    "sender": "RIFD_SMS_SENDER",
    "key": "RIFD_SMS_KEY",
    "user": "RIFD_SMS_USER",
    "base_url": "RIFD_SMS_BASE_URL",
    "smtp_url": "RIFD_SMTP_URL",
}
SECRETS = ("key", "smtp_url")
MAX_FIELD = 300


class SettingsError(ValueError):
    """A setting that cannot be used; args[0] names the field."""


def stored(store) -> dict:
    return store.get(SETTINGS, SETTINGS_ID) or {}


def gateway(store) -> dict:
    """Return the settings in force: each stored value, else its environment variable."""
    saved = stored(store)
    found = {
        name: (saved.get(name) or os.environ.get(env, "")).strip() for name, env in ENV.items()
    }
    if found["provider"] not in PROVIDERS:
        found["provider"] = OUTBOX_ONLY
    return found


def mask(secret: str) -> str:
    """Return a secret as a page may show it: its last 4 characters at most."""
    if not secret:
        return ""
    return "••••" + (secret[-4:] if len(secret) >= 12 else "")


def shown(store) -> dict:
    """Return the settings as the settings page shows them: secrets masked."""
    found = gateway(store)
    found["key"] = mask(found["key"])
    found["smtp_url"] = email.masked(found["smtp_url"])
    found["staff_emails"] = stored(store).get("staff_emails", "")
    return found | respect.rules(stored(store))


def _check(values: dict) -> dict:
    if values["provider"] not in PROVIDERS:
        raise SettingsError("provider")
    for name, value in values.items():
        if len(value) > MAX_FIELD or any(ch in value for ch in "\r\n"):
            raise SettingsError(name)
    base = values["base_url"]
    if base and (urlsplit(base).scheme not in ("http", "https") or not urlsplit(base).hostname):
        raise SettingsError("base_url")
    if values["smtp_url"]:
        try:
            email.parse(values["smtp_url"])
        except email.SmtpError:
            raise SettingsError("smtp_url") from None
    return values


def staff_emails(text: str) -> str:
    """Return the staff addresses as kept (comma-separated); SettingsError if one is not one."""
    found = [a.strip() for a in (text or "").replace("،", ",").split(",") if a.strip()]
    for address in found:
        if not re.fullmatch(r"[^@\s,]+@[^@\s,]+\.[^@\s,]+", address) or len(address) > 200:
            raise SettingsError("staff_emails")
    return ", ".join(found)


def save(store, form: dict, who) -> None:
    """Store the admin's settings and audit them (secrets as "changed" only).

    An empty secret field keeps the secret stored: the page never holds it to send back.
    """
    before = stored(store)
    values = {name: str(form.get(name) or "").strip() for name in ENV}
    for name in SECRETS:
        if not values[name]:
            values[name] = before.get(name, "")
    _check(values)
    values["staff_emails"] = staff_emails(str(form.get("staff_emails") or ""))
    try:
        values |= respect.checked(form)
    except respect.RespectError as exc:
        raise SettingsError(exc.args[0]) from None
    kept = (*ENV, "staff_emails", *respect.FIELDS)

    def public(record: dict) -> dict:
        return {k: v for k, v in record.items() if k in kept and k not in SECRETS}

    changed = [name for name in SECRETS if values[name] != before.get(name, "")]
    with store.transaction() as tx:
        if tx.get(SETTINGS, SETTINGS_ID) is None:
            tx.insert(SETTINGS, values)
        else:
            tx.update(SETTINGS, SETTINGS_ID, values)
        trail.write(
            tx,
            who,
            "update",
            "message_settings",
            SETTINGS_ID,
            before=public(before),
            after=public(values) | {"secrets_changed": changed},
        )
