"""The warning before a session ends for want of use, and the button that keeps it."""

from __future__ import annotations

import datetime as dt

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import js_errors


def test_the_warning_comes_before_the_end_and_staying_keeps_the_session(browser, live_server):
    live_server.app.config["SESSION_IDLE_LIMIT"] = dt.timedelta(seconds=123)  # warns at 3 s
    d = browser
    d.get(live_server.url("/forms/support_request/new"))
    warning = d.find_element(By.ID, "session-warning")
    assert not warning.is_displayed()
    WebDriverWait(d, 15).until(lambda d: warning.is_displayed())
    assert "دقيقتين" in warning.text
    warning.find_element(By.CSS_SELECTOR, "[data-stay]").click()
    WebDriverWait(d, 10).until(lambda d: not warning.is_displayed())
    # The session is still good: the page opens without a sign-in.
    d.get(live_server.url("/drafts/"))
    assert "/login" not in d.current_url
    assert js_errors(d) == []


def test_a_destructive_step_asks_first(browser, live_server):
    d = browser
    d.get(live_server.url("/forms/support_request/new"))
    d.find_element(By.NAME, "first_name").send_keys("أحمد")
    d.find_element(By.CSS_SELECTOR, "button[name=rifd-action][value=draft]").click()
    WebDriverWait(d, 10).until(lambda d: "draft=" in d.current_url)
    d.get(live_server.url("/drafts/"))
    d.execute_script("window.confirm = function () { return false; };")
    d.find_element(By.CSS_SELECTOR, "#drafts button.danger").click()
    assert d.find_elements(By.CSS_SELECTOR, "#drafts tbody tr")  # refused: still there
    d.execute_script("window.confirm = function () { return true; };")
    d.find_element(By.CSS_SELECTOR, "#drafts button.danger").click()
    WebDriverWait(d, 10).until(lambda d: not d.find_elements(By.CSS_SELECTOR, "#drafts"))
    assert js_errors(d) == []
