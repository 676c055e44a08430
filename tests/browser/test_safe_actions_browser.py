"""In Chromium: closing a request without a decision asks first, and "no" sends nothing."""

from __future__ import annotations

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from cases.service import CASES
from tests.browser.conftest import answer_confirm, js_errors, questions_asked
from tests.cases.conftest import submit_request
from tests.conftest import sign_in

pytestmark = pytest.mark.browser


def test_withdrawing_a_request_asks_and_no_keeps_it_open(browser, live_server):
    app = live_server.app
    intake = app.test_client()
    sign_in(intake, app, "sara", ["intake"])
    cid = submit_request(intake, "interview")
    data = app.extensions["rifd_store"]
    d = browser
    d.get(live_server.url(f"/cases/{cid}"))
    box = d.find_element(By.ID, "box-withdraw")
    assert box.get_attribute("open") is None  # the open box is the next step, not this
    assert d.find_element(By.ID, "box-verify").get_attribute("open") == "true"
    box.find_element(By.TAG_NAME, "summary").click()
    box.find_element(By.NAME, "note").send_keys("طلب مكرر")
    answer_confirm(d, yes=False)
    box.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    questions = questions_asked(d)
    assert len(questions) == 1 and "دون قرار" in questions[0]
    assert d.find_element(By.ID, "case-state").get_attribute("data-state") == "received"
    assert data.get(CASES, cid)["state"] == "received"  # nothing was sent

    answer_confirm(d, yes=True)
    d.find_element(By.CSS_SELECTOR, "#box-withdraw button[type=submit]").click()
    # The old page may still answer while the new one loads: its elements go stale.
    WebDriverWait(d, 10, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: d.find_element(By.ID, "case-state").get_attribute("data-state") == "closed"
    )
    assert data.get(CASES, cid)["state"] == "closed"
    assert js_errors(d) == []
