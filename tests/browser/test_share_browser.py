"""In Chromium: a public form's copy button puts its link on the clipboard, and its QR code
downloads as a PNG that decodes to that link and as an SVG."""

from __future__ import annotations

import time
from xml.etree import ElementTree

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from letters.address import fallback
from tests.browser.conftest import js_errors
from tests.web.png_reader import is_qr_of

pytestmark = pytest.mark.browser
FORM = "complaint"


def downloaded(folder, name: str, seconds: float = 20) -> bytes:
    path = folder / name
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists() and not list(folder.glob("*.crdownload")):
            return path.read_bytes()
        time.sleep(0.1)
    raise AssertionError(f"{name} was not downloaded: {list(folder.iterdir())}")


def test_the_copy_button_copies_the_public_link(browser, live_server):
    d = browser
    d.execute_cdp_cmd(
        "Browser.grantPermissions",
        {
            "origin": live_server.base,
            "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"],
        },
    )
    d.get(live_server.url(f"/forms/{FORM}/share/"))
    link = d.find_element(By.ID, "public-link").get_attribute("value")
    assert link == f"{fallback()}/f/{FORM}"  # the public address, not the live server's
    button = d.find_element(By.CSS_SELECTOR, "button[data-copy]")
    assert button.is_displayed()  # hidden until the script can copy
    button.click()
    WebDriverWait(d, 10).until(lambda d: d.find_element(By.ID, "copy-status").text)
    assert d.find_element(By.ID, "copy-status").text == "نُسخ الرابط"
    read = "var done = arguments[0]; navigator.clipboard.readText().then(done, String);"
    copied = d.execute_async_script(read)
    assert copied == link
    assert js_errors(d) == []


def test_the_qr_code_downloads_as_png_and_svg(browser, live_server, tmp_path):
    d = browser
    d.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)}
    )
    d.get(live_server.url(f"/forms/{FORM}/share/"))
    shown = d.find_element(By.CSS_SELECTOR, "#share-qr img")
    assert d.execute_script("return arguments[0].naturalWidth;", shown) > 100  # it loads
    d.find_element(By.ID, "qr-png").click()
    png = downloaded(tmp_path, f"{FORM}-qr.png")
    assert is_qr_of(png, f"{fallback()}/f/{FORM}")
    d.find_element(By.ID, "qr-svg").click()
    svg = downloaded(tmp_path, f"{FORM}-qr.svg")
    assert ElementTree.fromstring(svg).tag == "{http://www.w3.org/2000/svg}svg"  # noqa: S314
    assert js_errors(d) == []
