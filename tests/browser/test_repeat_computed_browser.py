"""Read-only and calculate fields inside a repeat, in Chromium: each row computes its own
total as the person types, the form's total sums them, the unit cannot be typed into,
and the server stores what the page showed."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from submissions import service
from tests.browser.conftest import add_form, js_errors
from tests.browser.test_forms_browser import (
    assert_saved,
    box,
    choose_channel,
    open_form,
    set_value,
    submit,
    wait,
)
from tests.web.test_repeat_computed import BASKET

pytestmark = pytest.mark.browser


def rows(driver):
    return driver.find_elements(By.CSS_SELECTOR, "[data-name=items] .repeat-rows > .repeat-row")


def shown(scope, name: str) -> str:
    field = scope.find_element(By.CSS_SELECTOR, f'.field[data-name="{name}"]')
    return field.find_element(By.CSS_SELECTOR, "output").text


def test_each_row_computes_its_total_and_the_form_sums_them(browser, live_server, store):
    add_form(live_server.app, BASKET)
    d = browser
    open_form(d, live_server.url("/forms/basket/new"))
    unit = rows(d)[0].find_element(By.CSS_SELECTOR, "[data-name=unit] input")
    assert unit.get_attribute("value") == "كرتون" and unit.get_attribute("readonly")
    unit.send_keys("كيس")  # a read-only input takes nothing typed
    assert unit.get_attribute("value") == "كرتون"
    set_value(d, "item", "أرز", scope=rows(d)[0])
    set_value(d, "quantity", "٣", scope=rows(d)[0])
    set_value(d, "price", "20", scope=rows(d)[0])
    wait(d).until(lambda d: shown(rows(d)[0], "line_total") == "60")
    assert shown(rows(d)[0], "big") == "لا"
    d.find_element(By.CSS_SELECTOR, "[data-name=items] [data-add-row]").click()
    wait(d).until(lambda d: len(rows(d)) == 2)
    second = rows(d)[1]
    assert (
        second.find_element(By.CSS_SELECTOR, "[data-name=unit] input").get_attribute("value")
        == "كرتون"
    )
    set_value(d, "item", "زيت", scope=second)
    set_value(d, "quantity", "2", scope=second)
    set_value(d, "price", "75.5", scope=second)
    wait(d).until(lambda d: shown(rows(d)[1], "line_total") == "151")
    assert shown(rows(d)[1], "big") == "نعم"
    wait(d).until(lambda d: box(d, "total").find_element(By.CSS_SELECTOR, "output").text == "211")
    # An empty third row: no total shown for it, and it is not stored.
    d.find_element(By.CSS_SELECTOR, "[data-name=items] [data-add-row]").click()
    wait(d).until(lambda d: len(rows(d)) == 3)
    assert shown(rows(d)[2], "line_total") == ""
    choose_channel(d)
    submit(d)
    assert_saved(d, "basket")
    assert js_errors(d) == []
    [record] = store.iter(service.collection("basket"))
    assert record["answers"]["total"] == 211
    assert [r["line_total"] for r in record["answers"]["items"]] == [60, 151]
    assert {r["unit"] for r in record["answers"]["items"]} == {"كرتون"}
