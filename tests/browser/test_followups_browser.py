"""In Chromium: closing a follow-up asks first, and "no" sends nothing."""

from __future__ import annotations

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from quality import followups
from tests.browser.conftest import answer_confirm, js_errors, questions_asked
from tests.quality.test_followups import LOW, answer

pytestmark = pytest.mark.browser


def test_closing_a_followup_asks_and_no_keeps_it_open(browser, live_server):
    app = live_server.app
    answer(app, "/f/satisfaction_survey", LOW)
    data = app.extensions["rifd_store"]
    [item] = data.iter(followups.COLLECTION)
    d = browser
    d.get(live_server.url(f"/followups/{item['id']}"))
    d.find_element(By.ID, "close-text").send_keys("اتصلنا به وحُلّت المشكلة")
    answer_confirm(d, yes=False)
    d.find_element(By.CSS_SELECTOR, "#close-form button[type=submit]").click()
    questions = questions_asked(d)
    assert len(questions) == 1 and "إغلاق هذه المتابعة؟" in questions[0]
    assert d.find_element(By.ID, "followup-state").get_attribute("data-state") == "open"
    assert data.get(followups.COLLECTION, item["id"])["state"] == "open"  # nothing was sent

    answer_confirm(d, yes=True)
    d.find_element(By.CSS_SELECTOR, "#close-form button[type=submit]").click()
    WebDriverWait(d, 10, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: d.find_element(By.ID, "followup-state").get_attribute("data-state") == "closed"
    )
    closed = data.get(followups.COLLECTION, item["id"])
    assert closed["closure"]["text"] == "اتصلنا به وحُلّت المشكلة"
    assert "اتصلنا به وحُلّت المشكلة" in d.find_element(By.ID, "closure").text
    assert js_errors(d) == []
