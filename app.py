"""Rifd: forms and official letters for Saudi non-profit associations.

`create_app()` builds the application; nothing runs at import. The data
folder comes from RIFD_DATA (default: instance/data) and holds everything an
association enters, so a backup is one folder.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path

from flask import Flask

import store
import upgrades
import upgrades.indexes
import upgrades.people
from cases import served
from cases.service import CASES
from commands import register as register_cli
from forms.catalog import FormCatalog
from forms.library import SHIPPED, FormLibrary
from surveys import tallies
from web import register as register_web

# The steps that bring older data up to date once per data folder (nothing to do on a
# new one: upgrades.note_fresh).
ONE_TIME_STEPS = [
    upgrades.DECISIONS_STEP,
    upgrades.people.PEOPLE_STEP,
    tallies.STEP,
    tallies.months.STEP,
    served.STEP,
]


def _secret_key(data_dir: Path) -> str:
    """Return the key from RIFD_SECRET_KEY, or one made once and kept in the data folder."""
    if os.environ.get("RIFD_SECRET_KEY"):
        return os.environ["RIFD_SECRET_KEY"]
    path = data_dir / "secret_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip()


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure the Rifd application."""
    app = Flask(__name__, instance_relative_config=True)
    # Absolute, so that the folder a command prints is the one whatever folder it runs in.
    data_dir = Path(
        (test_config or {}).get("DATA_DIR")
        or os.environ.get("RIFD_DATA")
        or Path(app.instance_path) / "data"
    ).absolute()
    app.config.from_mapping(
        DATA_DIR=str(data_dir),
        MAX_CONTENT_LENGTH=40 * 1024 * 1024,
        MAX_FORM_MEMORY_SIZE=4 * 1024 * 1024,
        MAX_FORM_PARTS=2000,
        # A public form's request: this much besides the files and signatures its
        # fields allow (each adds its own limit); docs/operations.md.
        PUBLIC_BODY_LIMIT=int(os.environ.get("RIFD_PUBLIC_BODY_LIMIT") or 256 * 1024),
        BABEL_DEFAULT_LOCALE="ar",
        LANGUAGES=["ar", "en"],
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # Browsers keep Secure cookies on http://127.0.0.1 too; on a network
        # without TLS set RIFD_SECURE_COOKIES=0 (and prefer adding TLS).
        SESSION_COOKIE_SECURE=os.environ.get("RIFD_SECURE_COOKIES", "1") != "0",
        REMEMBER_COOKIE_SECURE=True,
        # A session ends after 30 minutes without a request (web/auth.py checks it); its
        # cookie lives longer, so that a form sent after the end is kept for whoever
        # the ended session names, until she signs in again.
        SESSION_IDLE_LIMIT=dt.timedelta(minutes=30),
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=12),
        SESSION_REFRESH_EACH_REQUEST=True,
        WTF_CSRF_TIME_LIMIT=None,
        # How many reverse proxies (nginx, Caddy) stand in front: their
        # X-Forwarded-For/-Proto are believed from that many hops, never more.
        TRUSTED_PROXIES=int(os.environ.get("RIFD_TRUSTED_PROXIES") or 0),
        ASSOCIATION_PROFILE=os.environ.get("RIFD_PROFILE", "sanad_alahsa"),
        PER_PAGE=20,
    )
    if test_config:
        app.config.update(test_config)
    if "SECRET_KEY" not in app.config or not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _secret_key(Path(app.config["DATA_DIR"]))

    store.init_app(app)
    upgrades.indexes.ensure(app.extensions[store.EXTENSION_KEY])
    upgrades.note_fresh(app.extensions[store.EXTENSION_KEY], ONE_TIME_STEPS)
    # Data written by an older Rifd is brought up to date before any request sees it.
    for item in upgrades.apply(app.extensions[store.EXTENSION_KEY]):
        app.logger.warning(
            "removed personal defaults %s from %s version %s",
            item["fields"],
            item["form_id"],
            item["version"],
        )
    files = FormLibrary(SHIPPED, Path(app.config["DATA_DIR"]) / "forms")
    app.extensions["rifd_forms"] = FormCatalog(files, app.extensions[store.EXTENSION_KEY])
    upgrades.people.fill(app.extensions[store.EXTENSION_KEY], app.extensions["rifd_forms"])
    tallies.rebuild(app.extensions[store.EXTENSION_KEY], app.extensions["rifd_forms"])
    served.fill(app.extensions[store.EXTENSION_KEY], CASES)
    register_web(app)
    register_cli(app)
    return app
