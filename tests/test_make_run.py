"""`make run` as the README gives it: seeds the demo, says how to sign in, serves on PORT
with gunicorn and several workers."""

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from accounts import users
from store import Store
from tests.conftest import require_tool
from tests.test_cli_data_folder import another_terminal, printed_commands, run_as_printed

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, str, str]:
    """Return status, final URL and body; follow redirects as a browser would."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (our own server)
            return response.status, response.url, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, url, ""


def _wait_for(url: str, proc: subprocess.Popen, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert proc.poll() is None, "make run stopped"
        try:
            _get(url)
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise AssertionError(f"nothing answered at {url} in {seconds} s")


@pytest.mark.slow
def test_make_run_seeds_and_serves_on_port_with_its_data_folder(tmp_path):
    make = require_tool("make")
    if not (ROOT / ".venv" / "bin" / "flask").exists():
        # make run would create the environment first: make test has done that already.
        require_tool("the project's .venv", str(ROOT / ".venv" / "bin" / "flask"))
    port, data = _free_port(), tmp_path / "folder of data"
    env = {**os.environ, "PORT": str(port), "RIFD_DATA": str(data)}
    log = tmp_path / "make-run.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [make, "run"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,  # make, then flask: stopped together below
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base + "/", proc)
        status, final, _page = _get(base + "/")
        assert status == 200 and final.startswith(base + "/login")
        with urllib.request.urlopen(base + "/login", timeout=5) as response:  # noqa: S310
            assert response.headers["Server"].startswith("gunicorn"), response.headers["Server"]
        _get(base + "/login?next=/people/1000000008")  # the access log keeps no query string
        status, _url, survey = _get(base + "/f/satisfaction_survey")
        assert status == 200 and 'dir="rtl"' in survey and "استبيان" in survey
        # The first admin, created as printed from another terminal, lands in the
        # folder this server reads.
        admin = printed_commands(log.read_text())[0]
        done = run_as_printed(admin, another_terminal())
        assert done.returncode == 0, done.stdout + done.stderr
        assert users.find(Store(data), "admin") is not None
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    shown = log.read_text()
    assert "Demo association set up" in shown and str(data) in shown
    assert shown.count("Booting worker") >= 2, "make run serves with several workers"
    assert '"GET /login" 200' in shown and "1000000008" not in shown
    assert ".venv/bin/flask --app app users create admin --role admin" in shown
    assert (data / "settings").is_dir() and (data / "secret_key").exists()
