"""The commands seeding prints work as printed: they reach the folder the server uses.

`RIFD_DATA=/x make run` sets the folder for make's own processes; a person then
types the printed command in another terminal, where RIFD_DATA is unset or names
another folder. The printed command carries the folder, so the user it creates is
the one the server signs in.
"""

import os
import subprocess
from pathlib import Path

from accounts import users
from app import create_app
from store import Store
from tests.conftest import STAFF_PASSWORD, csrf_token, require_tool

ROOT = Path(__file__).resolve().parent.parent


def printed_commands(output: str) -> list[str]:
    """Return the command lines seeding printed, as a person would copy them."""
    return [line.strip() for line in output.splitlines() if "users create" in line]


def run_as_printed(command: str, env: dict) -> subprocess.CompletedProcess:
    """Run a printed line in a shell in the project folder, typing the password twice."""
    return subprocess.run(
        ["bash", "-c", command],
        cwd=ROOT,
        env=env,
        input=f"{STAFF_PASSWORD}\n{STAFF_PASSWORD}\n",
        capture_output=True,
        text=True,
        timeout=120,
        start_new_session=True,  # no terminal: the password prompt reads standard input
    )


def another_terminal(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "RIFD_DATA"}
    return {**env, **extra}


def test_the_printed_commands_create_the_users_where_the_server_looks(tmp_path):
    flask = require_tool("the project's .venv", str(ROOT / ".venv" / "bin" / "flask"))
    data = tmp_path / "folder of data"
    seed = subprocess.run(
        [flask, "--app", "app", "seed"],
        cwd=ROOT,
        env=another_terminal(RIFD_DATA=str(data)),  # what make run exports
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert seed.returncode == 0, seed.stderr
    admin, staff = printed_commands(seed.stdout)
    assert admin.endswith(".venv/bin/flask --app app users create admin --role admin")
    assert str(data) in admin and str(data) in staff

    # Typed in a terminal where RIFD_DATA names another folder, then where it is unset
    # (seeding once serves both: each seed is a process start of its own).
    elsewhere = tmp_path / "other folder"
    done = run_as_printed(admin, another_terminal(RIFD_DATA=str(elsewhere)))
    assert done.returncode == 0, done.stdout + done.stderr
    done = run_as_printed(staff, another_terminal())
    assert done.returncode == 0, done.stdout + done.stderr
    assert users.find(Store(data), "admin") is not None
    assert users.find(Store(data), "sara") is not None
    assert not elsewhere.exists()

    # And the server, on that folder, signs them in.
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "DATA_DIR": str(data)})
    for username in ("admin", "sara"):
        client = app.test_client()
        form = {"csrf_token": csrf_token(client, "/login"), "username": username}
        response = client.post("/login", data={**form, "password": STAFF_PASSWORD})
        assert response.status_code == 302
