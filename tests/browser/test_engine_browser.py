"""What forms compute with, live in Chromium: sums over a repeat, the server agreeing."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from tests.browser.conftest import add_form, js_errors
from tests.browser.test_forms_browser import (
    assert_saved,
    choose_channel,
    open_form,
    set_value,
    submit,
    t,
    visible_names,
    wait,
)

pytestmark = pytest.mark.browser

FAMILY = {
    "id": "browser_engine",
    "version": 1,
    "ref_prefix": "BE",
    "title": t("نموذج الحساب", "Computing form"),
    "sections": [
        {
            "name": "s",
            "title": t("الأسرة", "Family"),
            "fields": [
                {
                    "name": "family",
                    "type": "repeat",
                    "label": t("الأفراد", "Members"),
                    "fields": [
                        {"name": "member", "type": "text", "label": t("الاسم", "Name")},
                        {"name": "income", "type": "decimal", "label": t("الدخل", "Income")},
                    ],
                },
                {
                    "name": "support_reason",
                    "type": "text",
                    "label": t("سبب الدعم", "Why support"),
                    "visible_if": "count(family) > 0 and sum(income) < 3000",
                },
                {
                    "name": "top_earner",
                    "type": "text",
                    "label": t("صاحب أعلى دخل", "Top earner"),
                    "visible_if": "max(income) >= 2000 and concat(member) != ''",
                },
            ],
        }
    ],
}


def rows(driver):
    return driver.find_elements(By.CSS_SELECTOR, '[data-name="family"] .repeat-rows > .repeat-row')


def test_sum_and_max_over_a_repeat_show_fields_as_the_person_types(browser, live_server):
    add_form(live_server.app, FAMILY)
    d = browser
    open_form(d, live_server.url("/forms/browser_engine/new"))
    assert visible_names(d) == {"family"}
    set_value(d, "member", "سارة", scope=rows(d)[0])
    set_value(d, "income", "١٠٠٠", scope=rows(d)[0])
    wait(d).until(lambda d: visible_names(d) == {"family", "support_reason"})
    d.find_element(By.CSS_SELECTOR, '[data-name="family"] [data-add-row]').click()
    wait(d).until(lambda d: len(rows(d)) == 2)
    set_value(d, "member", "علي", scope=rows(d)[1])
    set_value(d, "income", "2500", scope=rows(d)[1])
    # 1000 + 2500 is 3500: no reason asked; 2500 is the top income.
    wait(d).until(lambda d: visible_names(d) == {"family", "top_earner"})
    set_value(d, "top_earner", "علي")
    choose_channel(d)
    submit(d)
    assert_saved(d, "browser_engine")
    assert js_errors(d) == []
