"""A default computed from other answers (default_calculation) in Chromium.

A read-only total follows the incomes as they are typed, and the server stores the
same total; an editable default follows them only until the person types in it.
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
    t,
    wait,
)

pytestmark = pytest.mark.browser

INCOME = {
    "id": "browser_income",
    "version": 1,
    "title": t("الدخل", "Income"),
    "sections": [
        {
            "name": "s",
            "title": t("الدخل", "Income"),
            "fields": [
                {"name": "salary", "type": "decimal", "label": t("الراتب", "Salary")},
                {"name": "other", "type": "decimal", "label": t("دخل آخر", "Other income")},
                {
                    "name": "total",
                    "type": "decimal",
                    "label": t("المجموع", "Total"),
                    "read_only": True,
                    "default_calculation": "salary + other",
                },
                {
                    "name": "monthly_need",
                    "type": "decimal",
                    "label": t("الاحتياج الشهري", "Monthly need"),
                    "default_calculation": "round(salary / 2)",
                },
            ],
        }
    ],
}


def value(driver, name: str) -> str:
    return driver.find_element(By.CSS_SELECTOR, f'input[name="{name}"]').get_attribute("value")


def test_a_computed_default_follows_the_answers_until_typed_over(browser, live_server):
    add_form(live_server.app, INCOME)
    d = browser
    open_form(d, live_server.url("/forms/browser_income/new"))
    assert value(d, "total") == value(d, "monthly_need") == ""
    set_value(d, "salary", "3001")
    set_value(d, "other", "٢٥٠.٥")
    wait(d).until(lambda d: value(d, "total") == "3251.5")
    assert value(d, "monthly_need") == "1501"
    set_value(d, "monthly_need", "900")
    set_value(d, "salary", "4000")
    wait(d).until(lambda d: value(d, "total") == "4250.5")
    assert value(d, "monthly_need") == "900"  # the person's answer now
    choose_channel(d)
    submit(d)
    assert_saved(d, "browser_income")
    store = live_server.app.extensions["rifd_store"]
    [record] = list(store.iter(service.collection("browser_income")))
    assert record["answers"] == {
        "salary": 4000,
        "other": 250.5,
        "total": 4250.5,
        "monthly_need": 900,
    }
    assert js_errors(d) == []
