"""After a failed save the problems are summarised at the top, and each link finds its field."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from tests.browser.test_forms_browser import (
    BAD_ID,
    choose_channel,
    open_form,
    set_value,
    submit,
)

ACTIVE = "return document.activeElement"


def test_the_summary_takes_the_focus_and_each_link_reaches_its_field(browser, live_server):
    d = browser
    open_form(d, live_server.url("/forms/support_request/new"))
    choose_channel(d)
    set_value(d, "national_id", "1000000000")
    submit(d)

    summary = d.find_element(By.ID, "error-summary")
    links = summary.find_elements(By.CSS_SELECTOR, "a[data-focus]")
    assert len(links) >= 5  # a long form left mostly empty: every problem listed
    assert d.execute_script(ACTIVE) == summary
    assert summary.location["y"] < d.execute_script("return window.scrollY + innerHeight")
    boxes = d.find_elements(By.CSS_SELECTOR, ".field.has-error")
    assert len(boxes) == len(links)  # one line for each field marked on the page

    wanted = next(a for a in links if BAD_ID in a.text)
    wanted.click()
    active = d.execute_script(ACTIVE)
    assert active.get_attribute("name") == "national_id"
    top = d.execute_script("return arguments[0].getBoundingClientRect().top", active)
    assert 0 <= top <= d.execute_script("return innerHeight")  # scrolled to, in view
    for link in links:  # every link names an element that is on the page
        assert d.find_elements(By.ID, link.get_attribute("data-focus")), link.text
