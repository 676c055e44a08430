"""Sharing a public form: its QR code (PNG or SVG) and a WhatsApp message; data in, bytes out."""

from __future__ import annotations

import io
from urllib.parse import quote

import segno

# kind -> MIME type of the QR code's file
QR_KINDS = {"png": "image/png", "svg": "image/svg+xml"}


def qr_code(text: str, kind: str, *, scale: int = 10) -> bytes:
    """Return the QR code of `text` as a PNG or an SVG, with the standard quiet zone."""
    if kind not in QR_KINDS:
        raise ValueError(f"unknown QR code kind {kind!r}")
    out = io.BytesIO()
    # Level M survives a poster folded or a little dirty; a border of 4 modules is the
    # quiet zone phone cameras expect.
    segno.make(text, error="m").save(out, kind=kind, scale=scale, border=4)
    return out.getvalue()


def whatsapp_link(text: str) -> str:
    """Return the wa.me address that opens WhatsApp with `text` ready to send."""
    return "https://wa.me/?text=" + quote(text, safe="")
