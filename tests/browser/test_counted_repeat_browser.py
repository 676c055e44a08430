"""A repeat counted by an earlier answer (XLSForm's repeat_count = ${x}) in Chromium.

The corpus form "how many children?" then one row per child: rows appear as the
number is typed, empty ones go when it shrinks, a filled row is never thrown away,
and the server stores what the page sent.
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from forms.xlsform import import_xlsform
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
from tests.forms.corpus.build import corpus, xlsx

pytestmark = pytest.mark.browser

SOURCE = next(p for p in corpus() if p.name == "logic_20_repeat_dynamic_count.rst")


def rows(driver):
    return driver.find_elements(
        By.CSS_SELECTOR, '[data-name="child_questions"] .repeat-rows > .repeat-row'
    )


def count_is(driver, number: int) -> None:
    wait(driver).until(lambda d: len(rows(d)) == number)


def test_rows_follow_the_number_typed_and_the_server_keeps_them(browser, live_server):
    definition = import_xlsform(xlsx(SOURCE), "children.xlsx")
    add_form(live_server.app, definition)
    d = browser
    open_form(d, live_server.url(f"/forms/{definition['id']}/new"))
    count_is(d, 0)  # nothing answered: no row offered
    box = d.find_element(By.CSS_SELECTOR, '[data-name="child_questions"]')
    assert box.find_elements(By.CSS_SELECTOR, "[data-add-row]") == []
    set_value(d, "number_of_children", "٣")
    count_is(d, 3)
    assert box.find_elements(By.CSS_SELECTOR, "[data-remove-row]") == []  # rows follow the count
    set_value(d, "child_name", "سارة", scope=rows(d)[0])
    set_value(d, "child_age", "7", scope=rows(d)[0])
    set_value(d, "child_name", "علي", scope=rows(d)[1])
    set_value(d, "number_of_children", "0")
    # Empty rows go; the filled ones stay, and the server would refuse them with 0.
    count_is(d, 2)
    set_value(d, "number_of_children", "2")
    count_is(d, 2)
    choose_channel(d)
    submit(d)
    assert_saved(d, definition["id"])
    [record] = list(
        live_server.app.extensions["rifd_store"].iter(service.collection(definition["id"]))
    )
    assert record["answers"] == {
        "number_of_children": 2,
        "child_questions": [{"child_name": "سارة", "child_age": 7}, {"child_name": "علي"}],
    }
    assert js_errors(d) == []
