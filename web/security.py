"""Hardening on every response: security headers, no caching of personal data, rate limits.

The pages hold names, ID numbers and IBANs, so nothing but /static may sit in a
browser's or a proxy's cache. The Content-Security-Policy allows no inline script
or style: the templates carry none (a test scans them), and the signature pad only
needs `data:` images, because it draws a saved signature back onto its canvas.
"""

from __future__ import annotations

from flask import Flask, current_app, g, request
from werkzeug.exceptions import TooManyRequests
from werkzeug.local import LocalProxy
from werkzeug.middleware.proxy_fix import ProxyFix

import store
from store.windows import SlidingWindows

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)
# Camera and location for this site only: geopoint, barcode and image fields ask for them.
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(self), microphone=(), geolocation=(self), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# (limit, per_seconds) pairs, all checked: a burst limit and a steadier one.
# Per form and address. A room of people answering a survey on one Wi-Fi share one
# address: 10 a minute refused 1,960 of 2,000 of them. Sized for a room of a few hundred
# answering within minutes; a flood from one address still stops.
PUBLIC_LIMITS = ((120, 60), (1500, 3600))
PUBLIC_ENDPOINTS = frozenset({"public.form"})


def get_limiter() -> SlidingWindows:
    """Return the current app's hit counts: its data folder's, shared by every worker."""
    # In process memory each gunicorn worker counted on its own: with four workers
    # a name took 20 wrong passwords before its lock instead of 5.
    return current_app.extensions[store.EXTENSION_KEY].windows


# `from web.security import limiter; limiter.hit(key, limit, per_seconds)` in a request.
limiter: SlidingWindows = LocalProxy(get_limiter)  # type: ignore[assignment]


def client_key() -> str:
    """Return the client's address.

    Behind a reverse proxy this is the proxy's address unless TRUSTED_PROXIES
    (RIFD_TRUSTED_PROXIES) says how many proxies to believe: then ProxyFix takes
    it from X-Forwarded-For, and every client is counted on its own.
    """
    return request.remote_addr or "unknown"


def _limit_public_posts() -> None:
    if request.method != "POST" or request.endpoint not in PUBLIC_ENDPOINTS:
        return
    # Short windows first: a refused burst then leaves the hourly count alone.
    for limit, seconds in sorted(current_app.config["RATE_LIMIT_PUBLIC"] or (), key=lambda r: r[1]):
        form_id = (request.view_args or {}).get("form_id", "")
        if not limiter.hit(f"public:{form_id}:{seconds}:{client_key()}", limit, seconds):
            g.retry_after = seconds
            raise TooManyRequests()


def _harden(response):
    response.headers.update(current_app.config["SECURITY_HEADERS"])
    if g.get("frame_same_origin"):
        # The form editor's live preview: this page may sit in a frame of Rifd's own
        # pages (and only there); every other page stays out of every frame.
        csp = response.headers["Content-Security-Policy"]
        csp = csp.replace("frame-ancestors 'none'", "frame-ancestors 'self'")
        response.headers["Content-Security-Policy"] = csp
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
    if g.get("inline_styles"):
        # A chart drawn on the server (web/results.py): an SVG image whose every shape
        # carries its colours in a style attribute, and no script.
        csp = response.headers["Content-Security-Policy"]
        response.headers["Content-Security-Policy"] = csp.replace(
            "style-src 'self'", "style-src 'self' 'unsafe-inline'"
        )
    endpoint = request.endpoint or ""
    if endpoint != "static" and not endpoint.endswith(".static"):
        response.headers["Cache-Control"] = "no-store"
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if response.status_code == TooManyRequests.code and "retry_after" in g:
        response.headers["Retry-After"] = str(g.retry_after)
    return response


def init_app(app: Flask) -> None:
    """Give `app` the public rate limits and the headers on every response."""
    app.config.setdefault("RATE_LIMIT_PUBLIC", PUBLIC_LIMITS)
    app.config.setdefault("SECURITY_HEADERS", HEADERS)
    hops = app.config.get("TRUSTED_PROXIES") or 0
    if hops:
        # Only as many hops as there are proxies: a client cannot forge its address.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.before_request(_limit_public_posts)
    app.after_request(_harden)
