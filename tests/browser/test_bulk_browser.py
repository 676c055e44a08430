"""Bulk letters in Chromium: tick rows, confirm, watch the bar fill, get the file."""

from __future__ import annotations

import io
import urllib.request
import zipfile

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from submissions import service
from tests.browser.conftest import add_form, js_errors

pytestmark = pytest.mark.browser

WAIT = 60  # the job issues real letters in a thread of the live server
NAMES = ["سعد العتيبي", "ليان القحطاني", "نورة الدوسري"]

FORM = {
    "id": "browser_bulk",
    "version": 1,
    "ref_prefix": "BB",
    "title": {"ar": "نموذج تجربة الإصدار الجماعي", "en": "Bulk test form"},
    "sections": [
        {
            "name": "s",
            "title": {"ar": "البيانات", "en": "Details"},
            "fields": [
                {"name": "full_name", "type": "text", "label": {"ar": "الاسم", "en": "Name"}},
            ],
        }
    ],
}


@pytest.fixture
def submissions(live_server):
    app = live_server.app
    add_form(app, FORM)
    form = app.extensions["rifd_forms"].get(FORM["id"])
    with app.app_context():
        data = app.extensions["rifd_store"]
        return [
            service.save(data, form, {"full_name": n}, channel="interview", entered_by="staff")
            for n in NAMES
        ]


def rows(driver):
    return driver.find_elements(By.CSS_SELECTOR, "input[data-bulk-row]")


def test_select_rows_issue_and_download(browser, live_server, submissions):
    d = browser
    d.get(live_server.url(f"/forms/{FORM['id']}/submissions"))
    select_all = d.find_element(By.ID, "select-all")
    select_all.click()
    assert [r.is_selected() for r in rows(d)] == [True, True, True]
    rows(d)[1].click()  # newest first: leave out the second one
    assert not select_all.is_selected()
    Select(d.find_element(By.ID, "template")).select_by_value("acceptance")
    Select(d.find_element(By.ID, "output")).select_by_value("zip_docx")
    d.find_element(By.CSS_SELECTOR, "#bulk-form button[type=submit]").click()
    # The server's own page asks first, saying what the job will use.
    WebDriverWait(d, WAIT).until(lambda d: d.find_elements(By.ID, "bulk-confirm-form"))
    assert "2" in d.find_element(By.ID, "bulk-count").text
    assert "/letters/jobs/" not in d.current_url
    d.find_element(By.CSS_SELECTOR, "#bulk-confirm-form button.primary").click()

    WebDriverWait(d, WAIT).until(EC.url_matches(r"/letters/jobs/\d+$"))
    job = d.find_element(By.ID, "job")
    WebDriverWait(d, WAIT).until(lambda _d: job.get_attribute("data-status") == "done")
    link = d.find_element(By.ID, "job-download")
    assert link.is_displayed()
    bar = d.find_element(By.ID, "job-progress")
    assert bar.get_attribute("value") == bar.get_attribute("max") == "2"
    assert d.find_element(By.ID, "job-count").text == "2 / 2"
    assert d.find_element(By.ID, "job-errors").is_displayed() is False
    assert js_errors(d) == []

    href = link.get_attribute("href")
    assert href.startswith(live_server.base)
    # The download is for the signed-in user: send the browser's session along.
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in d.get_cookies())
    request = urllib.request.Request(href, headers={"Cookie": cookie})  # noqa: S310 (our live server)
    with urllib.request.urlopen(request, timeout=WAIT) as response:  # noqa: S310
        archive = zipfile.ZipFile(io.BytesIO(response.read()))
    assert len(archive.namelist()) == 2
