"""Cascading choices and "or other" in Chromium: the choices follow the earlier answers
as the person picks, a pick no longer offered is cleared, and the server stores it."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from submissions import service
from tests.browser.conftest import add_form, js_errors
from tests.browser.test_forms_browser import (
    assert_saved,
    box,
    choose_channel,
    open_form,
    set_value,
    submit,
    visible_names,
    wait,
)
from tests.web.test_choices import PLACES

pytestmark = pytest.mark.browser


def offered(driver, name: str, scope=None) -> list[str]:
    """The choices a person can pick in a field: shown and enabled."""
    field = (scope or driver).find_element(By.CSS_SELECTOR, f'.field[data-name="{name}"]')
    selects = field.find_elements(By.TAG_NAME, "select")
    if selects:
        options = selects[0].find_elements(By.TAG_NAME, "option")
        return [
            o.get_attribute("value")
            for o in options
            if o.get_attribute("value") and o.is_enabled() and not o.get_property("hidden")
        ]
    inputs = field.find_elements(By.CSS_SELECTOR, "input[type=radio], input[type=checkbox]")
    return [i.get_attribute("value") for i in inputs if i.is_displayed() and i.is_enabled()]


def picked(driver, name: str) -> str:
    select = Select(box(driver, name).find_element(By.TAG_NAME, "select"))
    return select.first_selected_option.get_attribute("value")


def rows(driver):
    return driver.find_elements(By.CSS_SELECTOR, "[data-name=branches] .repeat-rows > .repeat-row")


def test_region_city_district_follow_each_other(browser, live_server, store):
    add_form(live_server.app, PLACES)
    d = browser
    open_form(d, live_server.url("/forms/places/new"))
    # Nothing chosen yet: no city and no district is offered.
    assert offered(d, "city") == [] and offered(d, "district") == []
    set_value(d, "region", "riyadh")
    wait(d).until(lambda d: offered(d, "city") == ["riyadh_city", "kharj"])
    assert offered(d, "branch_city", scope=rows(d)[0]) == ["riyadh_city", "kharj"]
    set_value(d, "city", "riyadh_city")
    wait(d).until(lambda d: offered(d, "district") == ["olaya", "malaz"])
    set_value(d, "district", "malaz")
    # Another region: the city and, through it, the district are cleared.
    set_value(d, "region", "makkah")
    wait(d).until(lambda d: offered(d, "city") == ["jeddah", "taif"])
    assert picked(d, "city") == ""
    assert offered(d, "district") == []
    assert not box(d, "district").find_element(By.CSS_SELECTOR, "input[value=malaz]").is_selected()
    set_value(d, "city", "jeddah")
    wait(d).until(lambda d: offered(d, "district") == ["balad", "rawdah"])
    set_value(d, "district", "balad")
    # A choice filtered by a multiple choice: only what was wanted can come first.
    set_value(d, "wanted", "food,bills")
    wait(d).until(lambda d: offered(d, "first") == ["food", "bills"])
    set_value(d, "first", "bills")
    set_value(d, "branch_city", "taif", scope=rows(d)[0])
    # "other" is offered whatever the list, and asks for its text.
    assert "support_other" not in visible_names(d)
    set_value(d, "support", "other")
    wait(d).until(lambda d: "support_other" in visible_names(d))
    set_value(d, "support_other", "نظارات طبية")
    choose_channel(d)
    submit(d)
    assert_saved(d, "places")
    assert js_errors(d) == []
    [record] = store.iter(service.collection("places"))
    assert record["answers"] == {
        "region": "makkah",
        "city": "jeddah",
        "district": "balad",
        "wanted": ["food", "bills"],
        "first": ["bills"],
        "support": "other",
        "support_other": "نظارات طبية",
        "branches": [{"branch_city": "taif"}],
    }


def test_a_tampered_choice_is_refused_by_the_server(browser, live_server):
    add_form(live_server.app, PLACES)
    d = browser
    open_form(d, live_server.url("/forms/places/new"))
    set_value(d, "region", "riyadh")
    wait(d).until(lambda d: offered(d, "city") == ["riyadh_city", "kharj"])
    choose_channel(d)
    # A page changed by hand, last before sending: the hidden Jeddah picked all the same.
    d.execute_script(
        "var o = document.querySelector('[data-name=city] option[value=jeddah]');"
        "o.disabled = false; o.hidden = false; o.selected = true;"
    )
    submit(d)
    error = box(d, "city").find_element(By.CSS_SELECTOR, ".error").text
    assert error == "هذا الاختيار لا يوافق إجابة سابقة، اختر من الخيارات المعروضة."
