"""Hardening on every response: security headers, no caching of personal data, rate limits.

The pages hold names, ID numbers and IBANs, so nothing but /static may sit in a
browser's or a proxy's cache. The Content-Security-Policy allows no inline script
or style: the templates carry none (a test scans them), and the signature pad only
needs `data:` images, because it draws a saved signature back onto its canvas.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from flask import Flask, current_app, g, request
from werkzeug.exceptions import TooManyRequests
from werkzeug.local import LocalProxy
from werkzeug.middleware.proxy_fix import ProxyFix

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
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# (limit, per_seconds) pairs, all checked: a burst limit and a steadier one.
PUBLIC_LIMITS = ((10, 60), (100, 3600))
PUBLIC_ENDPOINTS = frozenset({"public.form"})


class SlidingWindowLimiter:
    """Count hits per key over a sliding window; thread-safe, in memory.

    Each process keeps its own counts: with N gunicorn workers a client may get up
    to N times the limit, and a restart forgets everything. That is enough to stop
    one phone or script flooding a form; a shared limit would need a shared store
    (Redis, the database) behind this same `hit` / `reset` API.
    """

    # Keys idle longer than their window are dropped every so many hits, so a
    # stream of new addresses cannot grow memory without bound.
    SWEEP_EVERY = 1000

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._hits: dict[str, tuple[int, deque[float]]] = {}
        self._since_sweep = 0

    def hit(self, key: str, limit: int, per_seconds: int) -> bool:
        """Record a hit on `key` and return True, or return False if it is over the limit.

        Refused hits are not recorded, so a client that waits regains access as its
        earlier hits leave the window, however often it was refused meanwhile.
        """
        now = self._clock()
        with self._lock:
            self._sweep_now_and_then(now)
            stamps = self._hits.get(key, (per_seconds, deque()))[1]
            while stamps and stamps[0] <= now - per_seconds:
                stamps.popleft()
            self._hits[key] = (per_seconds, stamps)
            if len(stamps) >= limit:
                return False
            stamps.append(now)
            return True

    def reset(self, key: str) -> None:
        """Forget every hit on `key` (after a successful login, say)."""
        with self._lock:
            self._hits.pop(key, None)

    def _sweep_now_and_then(self, now: float) -> None:
        self._since_sweep += 1
        if self._since_sweep < self.SWEEP_EVERY:
            return
        self._since_sweep = 0
        idle = [k for k, (win, st) in self._hits.items() if not st or st[-1] <= now - win]
        for key in idle:
            del self._hits[key]


def get_limiter() -> SlidingWindowLimiter:
    """Return the current app's limiter (one per app, so tests never share counts)."""
    return current_app.extensions["rifd_limiter"]


# `from web.security import limiter; limiter.hit(key, limit, per_seconds)` in a request.
limiter: SlidingWindowLimiter = LocalProxy(get_limiter)  # type: ignore[assignment]


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
        if not limiter.hit(f"public:{seconds}:{client_key()}", limit, seconds):
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
    endpoint = request.endpoint or ""
    if endpoint != "static" and not endpoint.endswith(".static"):
        response.headers["Cache-Control"] = "no-store"
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if response.status_code == TooManyRequests.code and "retry_after" in g:
        response.headers["Retry-After"] = str(g.retry_after)
    return response


def init_app(app: Flask) -> None:
    """Give `app` its limiter, the public rate limits and the headers on every response."""
    app.config.setdefault("RATE_LIMIT_PUBLIC", PUBLIC_LIMITS)
    app.config.setdefault("SECURITY_HEADERS", HEADERS)
    app.extensions["rifd_limiter"] = SlidingWindowLimiter()
    hops = app.config.get("TRUSTED_PROXIES") or 0
    if hops:
        # Only as many hops as there are proxies: a client cannot forge its address.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.before_request(_limit_public_posts)
    app.after_request(_harden)
