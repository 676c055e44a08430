"""Browser fixtures: the app on a live port, one headless Chromium, helpers to add forms.

Debian's chromium and chromium-driver are used as installed (Selenium Manager never
downloads anything); without them the tests skip with the reason, or fail under CI.
One browser serves the whole session and each test gets its own app, data folder and
server, with the browser's cookies cleared.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait
from werkzeug.serving import make_server

from accounts.roles import ROLES
from tests.conftest import require_tool, sign_in

# A wait looks again every 50 ms instead of Selenium's 500 (each condition a page meets a
# moment after the first look cost half a second, and the browser tests wait often), and
# looks again when what it found was replaced meanwhile (a page or a preview reloading).
WebDriverWait.__init__.__defaults__ = (0.05, (StaleElementReferenceException,))

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
PHONE = (412, 915)  # a common Android phone, in CSS pixels
DESKTOP = (1280, 900)


@dataclass
class LiveServer:
    app: object
    base: str

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture
def live_server(app):
    """Serve `app` on 127.0.0.1 with a free port for the length of one test."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    # Looks for shutdown every 20 ms rather than Werkzeug's 0.5 s, which each test waited.
    thread = threading.Thread(
        target=server.serve_forever, args=(0.02,), name="rifd-live-server", daemon=True
    )
    thread.start()
    try:
        yield LiveServer(app, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def add_form(app, definition: dict) -> None:
    """Write a definition into the app's data folder, where the library picks it up."""
    folder = Path(app.config["DATA_DIR"]) / "forms"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{definition['id']}.json"
    path.write_text(json.dumps(definition, ensure_ascii=False, indent=1), encoding="utf-8")
    library = app.extensions["rifd_forms"]
    assert library.get(definition["id"]) is not None, library.problems()


@pytest.fixture(scope="session")
def chrome(tmp_path_factory):
    """One headless Chromium for the session."""
    binary = require_tool("chromium", CHROMIUM)
    driver_path = require_tool("chromedriver", CHROMEDRIVER)
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
        f"--window-size={PHONE[0]},{PHONE[1]}",
        "--lang=ar",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def _fresh(driver) -> None:
    driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    driver.get_log("browser")  # drop what earlier tests left in the console log


def signed_in(driver, app, username: str = "staff", roles=tuple(ROLES)) -> None:
    """Give the browser a staff session, made by signing in through /login."""
    client = app.test_client()
    sign_in(client, app, username, roles)
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    driver.execute_cdp_cmd(
        "Network.setCookie",
        {"name": cookie.key, "value": cookie.value, "url": "http://127.0.0.1/", "httpOnly": True},
    )


def _leave(driver) -> None:
    """Leave the test's page: its scripts (a progress bar asking again after its server
    stopped, a camera looking for a code) would go on using the CPU during later tests."""
    driver.get("about:blank")


@pytest.fixture
def browser(chrome, app):
    """The browser at a desktop size, as staff use it, signed in with every role."""
    _fresh(chrome)
    signed_in(chrome, app)
    chrome.set_window_size(*DESKTOP)
    yield chrome
    _leave(chrome)


@pytest.fixture
def officer(chrome, app):
    """The browser at a desktop size, signed in as a quality officer (forms.manage, nothing
    to fill forms with)."""
    _fresh(chrome)
    signed_in(chrome, app, "huda", ["quality_officer"])
    chrome.set_window_size(*DESKTOP)
    yield chrome
    _leave(chrome)


@pytest.fixture
def phone(chrome):
    """The browser with a phone's viewport (412 x 915, touch, mobile layout), no cookies.

    Headless Chromium keeps a window at least 500 px wide, so the phone's viewport
    is emulated on top of the window size.
    """
    _fresh(chrome)
    chrome.set_window_size(*PHONE)
    chrome.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": PHONE[0], "height": PHONE[1], "deviceScaleFactor": 1, "mobile": True},
    )
    try:
        yield chrome
    finally:
        chrome.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        _leave(chrome)


def js_errors(driver) -> list[str]:
    """Return the console errors since the last call: script errors and failed resources.

    A page's own status does not count (a form sent back with errors comes with 400
    by design), nor a missing favicon; scripts, styles and stored files do.
    """
    found = []
    for entry in driver.get_log("browser"):
        if entry["level"] != "SEVERE":
            continue
        if entry.get("source") == "network":
            path = urlsplit(entry["message"].split(" ", 1)[0]).path
            if not (path.startswith("/static/") or "/files/" in path):
                continue
        found.append(entry["message"])
    return found


def answer_confirm(driver, yes: bool) -> None:
    """Make the page's confirm() answer `yes` from now on, keeping the questions it asks."""
    script = (
        "window.__asked = []; window.confirm = function (q) { window.__asked.push(q); return %s; };"
    )
    driver.execute_script(script % ("true" if yes else "false"))


def questions_asked(driver) -> list[str]:
    return driver.execute_script("return window.__asked;")
