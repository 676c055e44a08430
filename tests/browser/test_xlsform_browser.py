"""An XLSForm through the editor in Chromium: upload, see its questions, publish, download.

The quality officer (that role only) picks a spreadsheet on the editor's page,
lands in the editor on the draft it became, with every question of the sheet in
order; publishes it; and downloads the published form back as an XLSForm, which
imports to the same questions.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from forms import drafts
from forms.xlsform import import_xlsform
from tests.browser.conftest import js_errors
from tests.browser.test_editor_browser import WAIT, status_is, titles

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parents[1] / "forms" / "xlsforms"
NAME = "satisfaction_ratings"


def questions(definition: dict) -> list[tuple]:
    return [(f["name"], f["label"]["ar"]) for s in definition["sections"] for f in s["fields"]]


def downloaded(folder: Path, seconds: float = WAIT) -> Path:
    """Wait for Chromium to finish writing one .xlsx into `folder`; return it."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done = list(folder.glob("*.xlsx"))
        if done and not list(folder.glob("*.crdownload")):
            return done[0]
        time.sleep(0.1)
    raise AssertionError(f"no download in {folder}")


def test_upload_an_xlsform_publish_it_and_download_it_back(officer, app, live_server, tmp_path):  # noqa: F811
    d = officer
    expected = json.loads((FIXTURES / f"{NAME}.json").read_text(encoding="utf-8"))
    d.get(live_server.url("/editor/"))
    d.find_element(By.ID, "xlsform-file").send_keys(str(FIXTURES / f"{NAME}.xlsx"))
    d.find_element(By.CSS_SELECTOR, "#xlsform-import button[type=submit]").click()
    WebDriverWait(d, WAIT).until(EC.url_matches(rf"/editor/{NAME}$"))
    status_is(d, "فُتحت المسودة المحفوظة")
    labels = [label for _name, label in questions(expected)]
    WebDriverWait(d, WAIT).until(lambda _d: titles(_d, "sections[0]") == labels)
    assert drafts.get(app.extensions["rifd_store"], NAME)["updated_by"] == "huda"

    d.find_element(By.CSS_SELECTOR, "[data-action='publish']").click()
    status_is(d, "نُشر الإصدار 1")
    assert js_errors(d) == []

    d.execute_cdp_cmd(
        "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)}
    )
    d.get(live_server.url("/editor/"))
    row = d.find_element(By.CSS_SELECTOR, f"tr[data-form='{NAME}']")
    assert row.find_elements(By.TAG_NAME, "td")[1].text == "1"
    row.find_element(By.CSS_SELECTOR, "[data-action='download-xlsform']").click()
    sheet = downloaded(tmp_path)
    assert sheet.name == f"{NAME}-v1.xlsx"
    back = import_xlsform(sheet.read_bytes(), sheet.name)
    assert back["id"] == NAME and back["version"] == 1
    assert questions(back) == questions(expected)
    assert js_errors(d) == []
