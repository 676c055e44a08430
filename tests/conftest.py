"""Shared fixtures: an app with its data folder in tmp_path, its client and CLI runner."""

from __future__ import annotations

import contextlib
import copy
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from jinja2 import BytecodeCache, FileSystemBytecodeCache
from werkzeug.routing import Rule

from accounts import users
from accounts.roles import ROLES
from app import create_app
from store.postgres.pool import close_all
from tests.pg_cluster import find_bindir, throwaway

ROOT = Path(__file__).resolve().parent.parent
SHM = "/dev/shm"  # noqa: S108 (a folder the system keeps in memory, not a fixed file)
# Temporary folders in memory where the machine has room: the store fsyncs every write,
# and on a disk that was most of an app test's own time (the code still calls fsync).
# Set before pytest picks its base temporary folder; TMPDIR set by hand wins.
if "TMPDIR" not in os.environ and os.access(SHM, os.W_OK) and shutil.disk_usage(SHM).free > 2e9:
    os.environ["TMPDIR"] = SHM
    tempfile.tempdir = None
# A database or files URL left in the shell would send every test's app there.
for _name in ("RIFD_DATABASE_URL", "RIFD_FILES_URL", "RIFD_S3_ENDPOINT_URL", "RIFD_S3_REGION"):
    os.environ.pop(_name, None)
# RIFD_TEST_BACKEND=postgres runs the app tests with their records in PostgreSQL.
APP_BACKEND = os.environ.get("RIFD_TEST_BACKEND", "tinydb")

# Cheap Argon2 for the tests only (full strength took 37-42 % of the suite's CPU time);
# tests/accounts/test_password_strength.py checks that production keeps the full profile.
users.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture(scope="session", autouse=True)
def compiled_translations():
    """Compile the English catalogue as `make` does, so a bare pytest run sees it too."""
    # Written aside and renamed: under pytest-xdist every worker compiles while the others
    # may already be reading the catalogue.
    for po in (ROOT / "translations").glob("*/LC_MESSAGES/messages.po"):
        with po.open("rb") as src:
            catalog = read_po(src)
        aside = po.with_suffix(f".mo.{os.getpid()}.tmp")
        with aside.open("wb") as out:
            write_mo(out, catalog)
        aside.replace(po.with_suffix(".mo"))


@pytest.fixture(autouse=True)
def app_backend(request, monkeypatch):
    """With RIFD_TEST_BACKEND=postgres, every app a test makes keeps its records in a fresh
    PostgreSQL schema (the store's own tests choose their backends themselves)."""
    if APP_BACKEND != "postgres" or "backend" in request.fixturenames:
        yield
        return
    monkeypatch.setenv("RIFD_DATABASE_URL", request.getfixturevalue("postgres").new_url())
    yield
    close_all()


class SessionBytecode(BytecodeCache):
    """Jinja's compiled pages kept for the session, and on disk for the other workers and
    the next run: every test's app compiles the same ones (all 75 took a worker 1.45 s
    of CPU to compile, 0.05 s to load).

    Jinja checks each page's source against the code kept, so a changed page compiles again.
    """

    def __init__(self, folder: Path):
        self._code: dict[str, bytes] = {}
        folder.mkdir(parents=True, exist_ok=True)
        self._disk = FileSystemBytecodeCache(str(folder))  # written aside, then renamed

    def load_bytecode(self, bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)
            return
        self._disk.load_bytecode(bucket)
        if bucket.code is not None:
            self._code[bucket.key] = bucket.bytecode_to_string()

    def dump_bytecode(self, bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()
        with contextlib.suppress(OSError):
            self._disk.dump_bytecode(bucket)


BYTECODE = SessionBytecode(ROOT / ".pytest_cache" / "jinja")


def _shared_rule_compiles(compile_rule, compile_builder):
    """Wrap Werkzeug's Rule.compile so that each app of the session reuses what an earlier
    app parsed and compiled for the same rule (each app parsed its ~150 rules again: three
    fifths of the time an app took to start, with templates cached).

    What compile makes is a function of the rule's text, where it applies, its defaults
    and the map's converters: its parts, its trace, its converters (copied and bound to
    the new map) and its arguments; the URL builders are shared the same way (a builder
    reaches the converters through the rule it is bound to, at call time).
    """
    compiled: dict = {}
    builders: dict = {}

    def build(self, append_unknown=True):
        defaults = tuple(sorted((self.defaults or {}).items(), key=repr))
        key = (self.rule, tuple(self._trace), repr(defaults), append_unknown)
        if key not in builders:
            builders[key] = compile_builder(self, append_unknown)
        return builders[key]

    def compile(self):
        m = self.map
        key = (
            self.rule,
            self.subdomain,
            self.host,
            m.host_matching,
            self.merge_slashes,
            repr(sorted((self.defaults or {}).items(), key=repr)),
            tuple(sorted(m.converters.items(), key=lambda item: item[0])),
        )
        if key not in compiled:
            compile_rule(self)
            compiled[key] = (list(self._parts), list(self._trace), self._converters, self.arguments)
            return
        parts, trace, converters, arguments = compiled[key]
        self._parts, self._trace = list(parts), list(trace)
        self._converters = {}
        for name, converter in converters.items():
            self._converters[name] = copy.copy(converter)
            self._converters[name].map = m
        self.arguments = set(arguments)
        self._build = self._compile_builder(False).__get__(self, None)
        self._build_unknown = self._compile_builder(True).__get__(self, None)

    return compile, build


Rule.compile, Rule._compile_builder = _shared_rule_compiles(Rule.compile, Rule._compile_builder)


@pytest.fixture
def app(tmp_path):
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "data"), "SECRET_KEY": "test"})
    app.jinja_env.bytecode_cache = BYTECODE
    result = app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    return app


STAFF_PASSWORD = "a long test password"


def sign_in(client, app, username: str = "staff", roles=tuple(ROLES)) -> None:
    """Create the user (once) and sign in through /login, as a person would."""
    data = app.extensions["rifd_store"]
    if users.find(data, username) is None:
        users.create(data, username, STAFF_PASSWORD, roles)
    token = csrf_token(client, "/login")
    response = client.post(
        "/login", data={"csrf_token": token, "username": username, "password": STAFF_PASSWORD}
    )
    assert response.status_code == 302, response.get_data(as_text=True)


@pytest.fixture
def client(app):
    """A client signed in with every role: the tests of features, not of permissions."""
    client = app.test_client()
    sign_in(client, app)
    return client


@pytest.fixture
def anon(app):
    """A client nobody signed in: the public."""
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def store(app):
    return app.extensions["rifd_store"]


def csrf_token(client, url: str) -> str:
    """Open `url` as a person would and return the form's CSRF token."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    found = TOKEN.search(page.get_data(as_text=True))
    assert found, "no CSRF token on the page"
    return found.group(1)


def post_form(client, url: str, data: dict, **kwargs):
    """POST `data` to `url` with the token taken from the page itself."""
    payload = {"csrf_token": csrf_token(client, url), **data}
    return client.post(url, data=payload, content_type="multipart/form-data", **kwargs)


def unavailable(reason: str):
    """Skip with a reason, or fail under CI, where everything the tests need must exist."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def require_tool(name: str, path: str | None = None) -> str:
    """Return the tool's path; skip with a reason, or fail under CI where it must exist."""
    found = path if path and os.path.exists(path) else shutil.which(name)
    if found:
        return found
    unavailable(f"{name} is not installed (make test installs it with apt-get when run as root)")


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL server for the session (tests/pg_cluster.py): .new_url() gives each test
    an empty schema. Skipped where PostgreSQL is not installed (failed under CI)."""
    url = os.environ.get("RIFD_TEST_DATABASE_URL")
    if not url and find_bindir() is None:
        unavailable(
            "PostgreSQL is not installed (make test installs it with apt-get when run as root)"
        )
    with throwaway(url, durable=False) as cluster:
        yield cluster


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 server for the session (tests/s3_server.py). Skipped where moto is not
    installed (failed under CI)."""
    try:
        from tests.s3_server import S3Server  # moto and boto3: requirements-dev.txt
    except ImportError:
        unavailable("moto[server] is not installed (make test installs requirements-dev.txt)")
    server = S3Server()
    yield server
    server.stop()


@pytest.fixture
def s3(s3_server, monkeypatch):
    """The S3 server, with the environment a production install sets: test credentials in
    the standard AWS variables and RIFD_S3_ENDPOINT_URL pointing at the server."""
    from tests.s3_server import CREDENTIALS

    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("RIFD_S3_ENDPOINT_URL", s3_server.endpoint)
    return s3_server
