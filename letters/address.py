"""Where people verify a letter: the public address of the association's Rifd.

The QR code and the verification link printed on a letter point there, so it
must be the address the association chose, set by the admin (stored) or by
RIFD_PUBLIC_URL, and never the Host header of whichever request issued the
letter: a forged header would print a stranger's site on an official letter.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

SITE = "site"  # one record: settings of this Rifd installation (not the policy's)
SITE_ID = 1
ENV = "RIFD_PUBLIC_URL"
MAX_LENGTH = 200


class AddressError(ValueError):
    """Not an address a letter can print: the message says why."""


def clean(text: str) -> str:
    """Return the address as letters print it (no trailing slash); AddressError if unusable."""
    text = (text or "").strip().rstrip("/")
    parts = urlsplit(text)
    if len(text) > MAX_LENGTH or any(ch.isspace() for ch in text):
        raise AddressError("too long or has spaces")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AddressError("must start with https:// and name a host")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise AddressError("must be a plain address, without ?, # or a user name")
    return text


def configured(store) -> str:
    """Return the public address set by the admin, else RIFD_PUBLIC_URL, else ""."""
    stored = ((store.get(SITE, SITE_ID) or {}).get("public_url") or "").strip()
    if stored:
        return stored
    try:
        return clean(os.environ.get(ENV, "")) if os.environ.get(ENV) else ""
    except AddressError:
        return ""


def fallback() -> str:
    """Return the address of this machine's own server: a letter then verifies only here."""
    return f"http://127.0.0.1:{os.environ.get('PORT') or '5000'}"


def public_url(store) -> str:
    """Return the address a letter's QR code and verification link point at."""
    return configured(store) or fallback()


def save(tx, store, url: str) -> tuple[str, str]:
    """Store the admin's address (already cleaned) in transaction tx; return (before, after)."""
    before = (store.get(SITE, SITE_ID) or {}).get("public_url", "")
    if store.get(SITE, SITE_ID) is None:
        rid = tx.insert(SITE, {"public_url": url})
        if rid != SITE_ID:
            raise AddressError("the site settings record is not the first of its collection")
    else:
        tx.update(SITE, SITE_ID, {"public_url": url})
    return before, url
