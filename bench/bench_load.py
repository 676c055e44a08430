"""Benchmark: many people answering the public survey at once, as their phones would.

    .venv/bin/python -m bench.bench_load --users 50 --posts 10
    .venv/bin/python -m bench.bench_load --users 50 --posts 10 --think 20 --servers gunicorn
    .venv/bin/python -m bench.bench_load --users 50 --posts 10 --backend postgres

Starts Rifd on a fresh seeded data folder, on loopback: as `make run` serves it
(gunicorn, gunicorn.conf.py, 4 workers) and, as the baseline, with the development
server (`make dev` without reloading). Each simulated person opens /f/satisfaction_survey,
reads the form's CSRF token and posts a complete answer, `posts` times, all `users`
people at once, each from his own address as a reverse proxy passes it on
(X-Forwarded-For, RIFD_TRUSTED_PROXIES=1): the public rate limit runs, per person.

A browser keeps its connection open between requests (keep-alive) and its person takes
time to fill the form in: --think is that time in seconds (each fill takes between half
and one and a half times it, at random; the people arrive over one such time). Without
it (--think 0) every person posts the moment the page arrives and fetches the next page
the moment the answer is acknowledged: a saturation test, whose latency is the queue of
fifty people on two cores, not what one person waits. The people run in --processes
processes of plain http.client threads, so that the load generator itself takes little
of the CPU the server needs (its CPU time is reported).

Reported: the POST and GET latency percentiles, answers per second, errors, and
submissions lost (acknowledged with the thank-you redirect but not in the store
afterwards). Figures go to docs/performance.md.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from bench import backends
from store import open_store

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
KEEP_ALIVE = 1.5  # seconds; gunicorn closes an idle connection after 2 (its keepalive)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(kind: str, env: dict, port: int) -> subprocess.Popen:
    env = {**env, "PORT": str(port)}
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
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/login")
            conn.getresponse().read()
            conn.close()
            return proc
        except OSError:
            time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGKILL)
    raise SystemExit(f"{kind} did not answer on port {port}")


class Browser:
    """One person's browser: a kept-alive connection, its cookies and its address."""

    def __init__(self, port: int, address: str):
        self.port = port
        self.headers = {"X-Forwarded-For": address}
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None
        self.last = 0.0

    def request(self, method: str, path: str, body: str | None = None):
        if self.conn is None or time.monotonic() - self.last > KEEP_ALIVE:
            if self.conn is not None:
                self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = dict(self.headers)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=body.encode() if body else None, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except OSError:
            self.conn.close()
            self.conn = None
            raise
        self.last = time.monotonic()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return response.status, data


def _person(port: int, number: int, args, out: dict) -> None:
    browser = Browser(port, f"10.0.{number // 250}.{number % 250 + 1}")
    url = f"/f/{FORM}"
    rng = random.Random(number)
    # People who take time over the form also arrive over time, not all in one instant.
    time.sleep(args.think * rng.uniform(0, 1))
    for _ in range(args.posts):
        try:
            start = time.perf_counter()
            status, page = browser.request("GET", url)
            out["get"].append(time.perf_counter() - start)
            found = TOKEN.search(page.decode()) if status == 200 else None
            if found is None:
                out["errors"].append(f"GET {status}")
                continue
            if args.think:
                time.sleep(args.think * rng.uniform(0.5, 1.5))
            body = urllib.parse.urlencode({"csrf_token": found.group(1), **ANSWER})
            start = time.perf_counter()
            status, _page = browser.request("POST", url, body)
            elapsed = time.perf_counter() - start
            if status == 302:
                out["post"].append(elapsed)
            else:
                out["errors"].append(status)
        except OSError as exc:
            out["errors"].append(type(exc).__name__)


def _people(port: int, numbers: list[int], args, go, results) -> None:
    """One process of the load generator: a thread per person, results sent back."""
    out: dict = {"get": [], "post": [], "errors": []}
    threads = [
        threading.Thread(target=_person, args=(port, n, args, out), daemon=True) for n in numbers
    ]
    go.wait()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    times = os.times()
    out["cpu"] = times.user + times.system
    results.put(out)


def _load(port: int, args) -> tuple[dict, float]:
    """Run every person, spread over args.processes processes; return results and wall time."""
    ctx = multiprocessing.get_context("fork")
    go, results = ctx.Event(), ctx.Queue()
    groups = [list(range(args.users))[i :: args.processes] for i in range(args.processes)]
    procs = [ctx.Process(target=_people, args=(port, g, args, go, results)) for g in groups if g]
    for proc in procs:
        proc.start()
    time.sleep(0.5)  # every process started: all people begin together
    start = time.perf_counter()
    go.set()
    merged: dict = {"get": [], "post": [], "errors": [], "cpu": 0.0}
    for _ in procs:
        part = results.get()
        for key in ("get", "post", "errors"):
            merged[key] += part[key]
        merged["cpu"] += part["cpu"]
    wall = time.perf_counter() - start
    for proc in procs:
        proc.join()
    return merged, wall


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values) or [0.0]
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def run(kind: str, args, url: str | None) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        env = {**os.environ, "RIFD_DATA": str(data)}
        env.pop("RIFD_DATABASE_URL", None)
        if url:
            env["RIFD_DATABASE_URL"] = url
        subprocess.run(
            [str(BIN / "flask"), "--app", "app", "seed"], cwd=ROOT, env=env, check=True,
            capture_output=True,
        )  # fmt: skip
        port = _free_port()
        proc = _serve(kind, env, port)
        try:
            started = _tree_cpu(proc.pid)  # importing and making the app
            out, wall = _load(port, args)
            server_cpu = _tree_cpu(proc.pid) - started
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
        stored = open_store(data, url).count(f"submissions/{FORM}")
    return {
        "server": kind,
        "acknowledged": len(out["post"]),
        "stored": stored,
        "lost": max(0, len(out["post"]) - stored),
        "errors": len(out["errors"]),
        "error_kinds": sorted({str(e) for e in out["errors"]}),
        "post_p50": _percentile(out["post"], 0.5),
        "post_p95": _percentile(out["post"], 0.95),
        "post_p99": _percentile(out["post"], 0.99),
        "get_p50": _percentile(out["get"], 0.5),
        "get_p95": _percentile(out["get"], 0.95),
        "per_second": len(out["post"]) / wall,
        "client_cpu": out["cpu"],
        "server_cpu": server_cpu,
        "wall": wall,
    }


def _tree_cpu(pid: int) -> float:
    """Return the CPU seconds the server's processes have used so far (Linux /proc)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the name: state ppid pgrp ...; utime and stime are fields 14 and 15.
        if int(fields[2]) == pid:  # the server's process group (start_new_session)
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


HEADS = (
    "server", "acknowledged", "stored", "lost", "errors", "POST p50", "p95", "p99",
    "GET p50", "p95", "answers/s", "CPU server / load generator",
)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--posts", type=int, default=10)
    parser.add_argument("--think", type=float, default=0.0, help="seconds to fill the form in")
    parser.add_argument("--processes", type=int, default=2, help="of the load generator")
    parser.add_argument("--servers", default="gunicorn,flask")
    backends.add_options(parser)
    args = parser.parse_args()
    print(f"{backends.name(args)}, think {args.think:g} s, load {os.getloadavg()[0]:.1f}")
    print("| " + " | ".join(HEADS) + " |")
    print("|" + "---|" * len(HEADS))
    with backends.urls(args) as new_url:
        for kind in args.servers.split(","):
            r = run(kind, args, new_url())
            print(
                f"| {r['server']} | {r['acknowledged']} | {r['stored']} | {r['lost']} | "
                f"{r['errors']} {r['error_kinds'] or ''} | {r['post_p50']:,.0f} ms | "
                f"{r['post_p95']:,.0f} ms | {r['post_p99']:,.0f} ms | {r['get_p50']:,.0f} ms | "
                f"{r['get_p95']:,.0f} ms | {r['per_second']:.1f} | "
                f"{r['server_cpu']:.0f} s / {r['client_cpu']:.0f} s in {r['wall']:.0f} s |",
                flush=True,
            )
    print(f"load after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
