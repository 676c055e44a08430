"""Benchmark: many people answering the public survey at once, as their phones would.

    .venv/bin/python -m bench.bench_load --users 50 --posts 10

Starts Rifd on a fresh seeded data folder twice, on loopback: as `make run` serves it
(gunicorn, gunicorn.conf.py, 4 workers) and, as the baseline, with the development
server (`make dev` without reloading). Each simulated person opens /f/satisfaction_survey,
reads the form's CSRF token and posts a complete answer, `posts` times, all `users`
people at once, each from his own address as a reverse proxy passes it on
(X-Forwarded-For, RIFD_TRUSTED_PROXIES=1): the public rate limit runs, per person.
Reported: the POST latency percentiles, answers per second, errors, and submissions
lost (acknowledged with the thank-you redirect but not in the store afterwards).
Figures go to docs/performance.md.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
FORM = "satisfaction_survey"
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
ANSWER = {
    "service_received": "in_kind",
    "channel_used": "interview",
    "rate_reception": "5",
    "rate_speed": "4",
    "rate_clarity": "5",
    "rate_staff": "5",
    "rate_overall": "5",
    "nps": "9",
    "suggestions": "خدمة ممتازة، شكرًا لكم",
}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(kind: str, data: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "RIFD_DATA": str(data), "PORT": str(port)}
    env["RIFD_SECURE_COOKIES"] = "0"  # plain http on loopback: the client keeps the cookie
    # As behind the reverse proxy a production Rifd stands behind: each person's own
    # address comes in X-Forwarded-For, and the public rate limit counts it.
    env["RIFD_TRUSTED_PROXIES"] = "1"
    if kind == "gunicorn":
        args = [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py"]
    else:
        args = [str(BIN / "flask"), "--app", "app", "run", "--port", str(port)]
    proc = subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2).read()  # noqa: S310
            return proc
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.3)
    proc.kill()
    raise SystemExit(f"{kind} did not answer on port {port}")


def _person(base: str, number: int, posts: int, out: list, errors: list) -> None:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    opener.addheaders = [("X-Forwarded-For", f"10.0.{number // 250}.{number % 250 + 1}")]
    url = f"{base}/f/{FORM}"
    for _ in range(posts):
        try:
            page = opener.open(url, timeout=60).read().decode()
            body = urllib.parse.urlencode({"csrf_token": TOKEN.search(page).group(1), **ANSWER})
            start = time.perf_counter()
            try:
                opener.open(url, data=body.encode(), timeout=60)
                status = 200
            except urllib.error.HTTPError as exc:
                status = exc.code
            elapsed = time.perf_counter() - start
            if status == 302:
                out.append(elapsed)
            else:
                errors.append(status)
        except (OSError, AttributeError) as exc:
            errors.append(type(exc).__name__)


def run(kind: str, users: int, posts: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        env = {**os.environ, "RIFD_DATA": str(data)}
        subprocess.run(
            [str(BIN / "flask"), "--app", "app", "seed"], cwd=ROOT, env=env, check=True,
            capture_output=True,
        )  # fmt: skip
        port = _free_port()
        proc = _serve(kind, data, port)
        latencies: list[float] = []
        errors: list = []
        try:
            people = [
                threading.Thread(
                    target=_person,
                    args=(f"http://127.0.0.1:{port}", number, posts, latencies, errors),
                )
                for number in range(users)
            ]
            start = time.perf_counter()
            for person in people:
                person.start()
            for person in people:
                person.join()
            wall = time.perf_counter() - start
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
        from store import Store

        stored = Store(data).count(f"submissions/{FORM}")
    ordered = sorted(latencies) or [0.0]
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {
        "server": kind,
        "acknowledged": len(latencies),
        "stored": stored,
        "lost": max(0, len(latencies) - stored),
        "errors": len(errors),
        "error_kinds": sorted({str(e) for e in errors}),
        "p50_ms": statistics.median(ordered) * 1000,
        "p95_ms": pick(0.95) * 1000,
        "p99_ms": pick(0.99) * 1000,
        "per_second": len(latencies) / wall,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--posts", type=int, default=10)
    args = parser.parse_args()
    heads = (
        "server",
        "acknowledged",
        "stored",
        "lost",
        "errors",
        "POST p50",
        "p95",
        "p99",
        "per s",
    )
    print("| " + " | ".join(heads) + " |")
    print("|---|---|---|---|---|---|---|---|---|")
    for kind in ("gunicorn", "flask"):
        r = run(kind, args.users, args.posts)
        print(
            f"| {r['server']} | {r['acknowledged']} | {r['stored']} | {r['lost']} | "
            f"{r['errors']} {r['error_kinds'] or ''} | {r['p50_ms']:.0f} ms | {r['p95_ms']:.0f} ms"
            f" | {r['p99_ms']:.0f} ms | {r['per_second']:.0f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
