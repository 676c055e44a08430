"""position() in Chromium: a question shown from the second row on, a row's number.

The page reads each row with its number as forms/validation.py does, and the server
stores the same rows (tests/web/test_repeat_position.py holds the form).
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from submissions import service
from tests.browser.conftest import add_form, js_errors
from tests.browser.test_forms_browser import (
    assert_saved,
    choose_channel,
    open_form,
    set_value,
    submit,
    wait,
)
from tests.web.test_repeat_position import PARTY

pytestmark = pytest.mark.browser


def rows(driver):
    return driver.find_elements(By.CSS_SELECTOR, '[data-name="guests"] .repeat-rows > .repeat-row')


def shown(row, name: str) -> bool:
    return row.find_element(By.CSS_SELECTOR, f'.field[data-name="{name}"]').is_displayed()


def number(row) -> str:
    return row.find_element(By.CSS_SELECTOR, '.field[data-name="number"] output').text


def test_a_rows_number_decides_what_it_asks_and_the_server_agrees(browser, live_server):
    add_form(live_server.app, PARTY)
    d = browser
    open_form(d, live_server.url("/forms/party/new"))
    add = d.find_element(By.CSS_SELECTOR, '[data-name="guests"] [data-add-row]')
    while len(rows(d)) < 2:
        add.click()
    set_value(d, "guest", "سارة", scope=rows(d)[0])
    set_value(d, "guest", "علي", scope=rows(d)[1])
    wait(d).until(lambda d: number(rows(d)[1]) == "2")
    assert number(rows(d)[0]) == "1"
    assert not shown(rows(d)[0], "relation")
    assert shown(rows(d)[1], "relation")
    set_value(d, "relation", "أخوها", scope=rows(d)[1])
    choose_channel(d)
    submit(d)
    assert_saved(d, "party")
    [record] = list(live_server.app.extensions["rifd_store"].iter(service.collection("party")))
    assert record["answers"]["guests"] == [
        {"guest": "سارة", "number": 1},
        {"guest": "علي", "relation": "أخوها", "number": 2},
    ]
    assert js_errors(d) == []
