"""Screenshots of each role's home page, at office and phone size, into docs/screenshots/.

Run: .venv/bin/python scripts/screenshots.py   (needs Debian's chromium and chromedriver)

A throwaway data folder gets the demo association and a morning's work entered through
the pages as staff enter it (requests at every step, one past its deadline); then each
role signs in and a headless Chromium photographs its home page.
"""

from __future__ import annotations

import re
import sys
import tempfile
import threading
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from accounts import users  # noqa: E402
from app import create_app  # noqa: E402
from cases.service import CASES  # noqa: E402
from tests.cases.conftest import move, post, request_payload  # noqa: E402
from tests.conftest import STAFF_PASSWORD, sign_in  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
STAFF = {
    "intake": ("sara", "سارة محمد الغامدي"),
    "researcher": ("ali", "علي عبدالله الباحث"),
    "committee": ("huda", "هدى سعد القحطاني"),
    "quality_officer": ("nora", "نورة خالد الدوسري"),
    "admin": ("boss", "عبدالرحمن صالح العتيبي"),
}
SIZES = {"office": (1280, 900, False), "phone": (412, 915, True)}


def _client(app, role: str):
    username, full_name = STAFF[role]
    data = app.extensions["rifd_store"]
    if users.find(data, username) is None:
        users.create(data, username, STAFF_PASSWORD, [role], full_name=full_name)
    client = app.test_client()
    sign_in(client, app, username, [role])
    return client


def _request(client, **changes) -> int:
    url = "/forms/support_request/new"
    response = post(client, url, url, request_payload("interview", **changes))
    return int(re.search(r"/cases/(\d+)", response.headers["Location"]).group(1))


def _morning(app) -> None:
    """A morning's work: requests at every step of the policy, one past its deadline."""
    sara = _client(app, "intake")
    names = ["أحمد", "فاطمة", "خالد", "مريم", "يوسف", "نورة"]
    ids = [_request(sara, first_name=name) for name in names]
    for cid in ids[1:3]:
        move(sara, cid, "refer", {"note": "زيارة منزلية"})
    for cid in ids[3:5]:
        page = sara.get(f"/cases/{cid}").get_data(as_text=True)
        items = re.findall(r'name="checklist" value="([^"]+)"', page)
        move(sara, cid, "verify", {"checklist": items})
        post(sara, f"/cases/{cid}", f"/cases/{cid}/letter/declaration")
        move(sara, cid, "declare", {"signed": "yes"})
        move(sara, cid, "submit")
    app.extensions["rifd_store"].update(CASES, ids[0], {"opened_on": "2026-10-01"})


def _browser() -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--lang=ar"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def _photograph(app, base: str, driver) -> list[Path]:
    made = []
    for role in STAFF:
        client = _client(app, role)
        cookie = client.get_cookie("session")
        driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
        driver.execute_cdp_cmd(
            "Network.setCookie", {"name": "session", "value": cookie.value, "url": base + "/"}
        )
        for size, (width, height, mobile) in SIZES.items():
            driver.set_window_size(max(width, 500), height)
            metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
            driver.get(base + "/")
            path = OUT / f"home-{role}-{size}.png"
            driver.save_screenshot(str(path))
            made.append(path)
    return made


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {"DATA_DIR": folder, "SECRET_KEY": "screenshots", "SESSION_COOKIE_SECURE": False}
        )
        assert app.test_cli_runner().invoke(args=["seed"]).exit_code == 0
        _morning(app)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        driver = _browser()
        try:
            for path in _photograph(app, f"http://127.0.0.1:{server.server_port}", driver):
                print(path.relative_to(ROOT))
        finally:
            driver.quit()
            server.shutdown()


if __name__ == "__main__":
    main()
