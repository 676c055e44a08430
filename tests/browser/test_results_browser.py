"""In Chromium: a survey's results page shows its figures and its charts (drawn, not
broken images), and its filter narrows them."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.browser.conftest import js_errors
from tests.web.survey_answers import CSAT, send_all

pytestmark = pytest.mark.browser


def _drawn(d) -> list:
    """Return the charts the browser has loaded and drawn (an image with a width)."""
    charts = d.find_elements(By.CSS_SELECTOR, "img.chart")
    for chart in charts:
        d.execute_script("arguments[0].scrollIntoView()", chart)  # lazy images load
    check = "return arguments[0].complete && arguments[0].naturalWidth > 0"
    return [c for c in charts if d.execute_script(check, c)]


def test_the_results_page_shows_figures_and_charts_and_filters(browser, live_server, monkeypatch):
    send_all(live_server.app, monkeypatch)
    d = browser
    d.get(live_server.url("/forms/"))
    d.find_element(By.ID, "results-satisfaction_survey").click()
    WebDriverWait(d, 20).until(lambda d: d.find_elements(By.ID, "fig-csat"))
    assert f"{CSAT}%" in d.find_element(By.ID, "fig-csat").text
    assert d.find_element(By.TAG_NAME, "html").get_attribute("dir") == "rtl"
    charts = d.find_elements(By.CSS_SELECTOR, "img.chart")
    # the trend, 2 choice questions and 7 scales
    assert len(charts) == 10
    WebDriverWait(d, 60).until(lambda d: len(_drawn(d)) == len(charts))
    # Beside each chart, its table (for screen readers and copying).
    overall = d.find_element(By.ID, "q-rate_overall")
    assert overall.find_element(By.CSS_SELECTOR, "img.chart").is_displayed()
    assert overall.find_element(By.ID, "table-rate_overall").is_displayed()

    Select(d.find_element(By.ID, "filter-channel")).select_by_value("interview")
    d.find_element(By.CSS_SELECTOR, "#results-filter button[type=submit]").click()
    WebDriverWait(d, 20).until(lambda d: "channel=interview" in d.current_url)
    assert d.find_element(By.CSS_SELECTOR, "#fig-responses .big").text == "3"
    assert "أقل من 5 إجابات" in d.find_element(By.ID, "fig-nps").text
    WebDriverWait(d, 60).until(
        lambda d: len(_drawn(d)) == len(d.find_elements(By.CSS_SELECTOR, "img.chart"))
    )
    assert js_errors(d) == []
