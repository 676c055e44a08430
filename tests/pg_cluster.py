"""A throwaway PostgreSQL cluster for the tests: initdb in a temporary folder, a Unix socket
in that folder, no TCP port, stopped and deleted at the end.

PostgreSQL refuses to run as root; a root session (CI, this sandbox) runs it as the
`postgres` user (Debian's package makes it) or else `nobody`, owning the folder.
Durability is switched off (fsync, full pages): the data lives for one test session.

Each pytest process starts its own (under pytest-xdist: one per worker, each with its
socket in its own folder, so nothing collides). A watchdog process stops the cluster and
deletes its folder as soon as the process that started it ends, however it ends: a worker
that crashes or is killed leaves no server running.

RIFD_TEST_DATABASE_URL points the tests at a server of your own instead; each test
gets a schema of its own there, as here.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import psycopg

USER = "rifd"
DATABASE = "postgres"
SETTINGS = "-c listen_addresses='' -c max_connections=300"
# Tests keep nothing: durability off. A benchmark keeps it on, as a real server would.
NOT_DURABLE = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"


def find_bindir() -> str | None:
    """Return the folder of initdb and pg_ctl, or None if PostgreSQL is not installed."""
    found = shutil.which("initdb")
    if found:
        return str(Path(found).parent)
    # Debian keeps them out of PATH, one folder per major version: take the newest.
    candidates = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    candidates.sort(key=lambda p: int(Path(p).parent.parent.name or 0))
    return str(Path(candidates[-1]).parent) if candidates else None


def _runner() -> dict:
    """Return subprocess arguments that run the server as a user PostgreSQL accepts."""
    if os.geteuid() != 0:
        return {}
    for name in ("postgres", "nobody"):
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}
    raise RuntimeError("running as root, and there is no postgres or nobody user to run as")


class Cluster:
    """A running server, and one fresh schema per test."""

    def __init__(self, base_url: str, stop=None):
        self.base_url = base_url
        self._stop = stop
        self._numbers = itertools.count(1)
        self._schemas: list[str] = []
        self._admin = psycopg.connect(base_url, autocommit=True)

    @classmethod
    def start(cls, bindir: str, durable: bool = False) -> Cluster:
        folder = Path(tempfile.mkdtemp(prefix="rifd-pg-"))
        run = _runner()
        if run:
            os.chown(folder, run["user"], run["group"])

        def pg(*args: str) -> None:
            subprocess.run(
                [f"{bindir}/{args[0]}", *args[1:]], cwd=folder, env=_env(), check=True,
                capture_output=True, **run,
            )  # fmt: skip

        # A watchdog stops the server and deletes the folder once this process is gone, even
        # by a crash or a kill: it waits for the end of a pipe only this process writes to.
        # A session of its own keeps it out of the terminal's Ctrl-C.
        watchdog = subprocess.Popen(
            [sys.executable, __file__, bindir, str(folder), json.dumps(run)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )

        def stop() -> None:
            _stop_cluster(bindir, str(folder), run)
            watchdog.stdin.close()  # it finds nothing left to do

        try:
            pg("initdb", "-D", "db", "-A", "trust", "-U", USER, "-E", "UTF8", "--locale=C", "-N")
            options = f"-k {folder} {SETTINGS}" + ("" if durable else f" {NOT_DURABLE}")
            pg("pg_ctl", "-D", "db", "-o", options, "-l", "log", "-w", "-t", "60", "start")
            url = f"postgresql://{USER}@/{DATABASE}?host={quote(str(folder), safe='')}"
            return cls(url, stop)
        except BaseException:
            stop()
            raise

    def new_url(self) -> str:
        """Create an empty schema and return a URL whose tables go there."""
        name = f"rifd_test_{os.getpid()}_{next(self._numbers)}"
        self._admin.execute(f'CREATE SCHEMA "{name}"')
        self._schemas.append(name)
        option = quote(f"-c search_path={name}", safe="")
        joiner = "&" if "?" in self.base_url else "?"
        return f"{self.base_url}{joiner}options={option}"

    def close(self) -> None:
        if self._stop is None:  # a server of your own: leave it as it was
            for name in self._schemas:
                self._admin.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        self._admin.close()
        if self._stop is not None:
            self._stop()


@contextlib.contextmanager
def throwaway(url: str | None = None, durable: bool = True) -> Iterator[Cluster]:
    """Yield a cluster for one run (the benchmarks): the server at url, else a new one."""
    if url:
        cluster = Cluster(url)
    else:
        bindir = find_bindir()
        if bindir is None:
            raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
        cluster = Cluster.start(bindir, durable=durable)
    try:
        yield cluster
    finally:
        cluster.close()


def _env() -> dict:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C"}


def _stop_cluster(bindir: str, folder: str, run: dict) -> None:
    """Stop the server of `folder` at once, if it is still there, and delete the folder."""
    if os.path.isdir(folder):
        subprocess.run(
            [f"{bindir}/pg_ctl", "-D", "db", "-m", "immediate", "stop"],
            cwd=folder, env=_env(), capture_output=True, check=False, **run,
        )  # fmt: skip
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":  # the watchdog: wait until its starter is gone, then stop
    sys.stdin.buffer.read()
    _stop_cluster(sys.argv[1], sys.argv[2], json.loads(sys.argv[3]))
