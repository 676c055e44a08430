"""A calculate with a trigger (XLSForm's trigger column) in Chromium.

It is computed again only when its trigger's answer changes, over the answers and its
own last value: a first answer kept, a value that ignores other answers until the
trigger changes, and the corpus form's "last update time" stamped as the name is typed.
"""

from __future__ import annotations

import re

import pytest
from selenium.webdriver.common.by import By

from forms.xlsform import import_xlsform
from tests.browser.conftest import add_form, js_errors
from tests.browser.test_forms_browser import open_form, set_value, t, wait
from tests.forms.corpus.build import corpus, xlsx

pytestmark = pytest.mark.browser

TRIGGERED = {
    "id": "browser_trigger",
    "version": 1,
    "title": t("نموذج المشغل", "Trigger form"),
    "sections": [
        {
            "name": "s",
            "title": t("الاسم", "Name"),
            "fields": [
                {"name": "name", "type": "text", "label": t("الاسم", "Name")},
                {"name": "other", "type": "text", "label": t("أخرى", "Other")},
                {
                    "name": "first_name_typed",
                    "type": "calculate",
                    "label": t("أول ما كُتب", "First typed"),
                    "calculation": "if(first_name_typed == '', name, first_name_typed)",
                    "trigger": "name",
                },
                {
                    "name": "other_when_name",
                    "type": "calculate",
                    "label": t("أخرى عند تغيير الاسم", "Other when the name changed"),
                    "calculation": "concat(other, '/', name)",
                    "trigger": "name",
                },
            ],
        }
    ],
}


def shown(driver, name: str) -> str:
    return driver.find_element(By.CSS_SELECTOR, f'[data-name="{name}"] output').text


def test_a_triggered_calculation_changes_only_with_its_trigger(browser, live_server):
    add_form(live_server.app, TRIGGERED)
    d = browser
    open_form(d, live_server.url("/forms/browser_trigger/new"))
    assert shown(d, "first_name_typed") == shown(d, "other_when_name") == ""
    set_value(d, "other", "x")
    assert shown(d, "other_when_name") == ""  # other is no trigger
    set_value(d, "name", "A")
    wait(d).until(lambda d: shown(d, "other_when_name") == "x/A")
    assert shown(d, "first_name_typed") == "A"
    set_value(d, "other", "y")
    assert shown(d, "other_when_name") == "x/A"
    set_value(d, "name", "AB")
    wait(d).until(lambda d: shown(d, "other_when_name") == "y/AB")
    assert shown(d, "first_name_typed") == "A"  # it read its own last value
    assert js_errors(d) == []


def test_the_corpus_form_stamps_the_time_a_name_is_typed(browser, live_server):
    source = next(p for p in corpus() if p.name == "logic_13_last_update_times.rst")
    definition = import_xlsform(xlsx(source), "stamps.xlsx")
    add_form(live_server.app, definition)
    d = browser
    open_form(d, live_server.url(f"/forms/{definition['id']}/new"))
    assert shown(d, "name_last_update_time") == ""
    set_value(d, "name", "Amal")
    wait(d).until(lambda d: shown(d, "name_last_update_time") != "")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d", shown(d, "name_last_update_time"))
    assert shown(d, "life_story_last_update_time") == ""
    assert js_errors(d) == []
