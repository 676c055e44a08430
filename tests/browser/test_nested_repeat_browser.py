"""A repeat inside a repeat in Chromium: a family's members, each with its own table of
chronic illnesses (computed per row, numbered by position(), shown by a condition that
reads the illness, the member and the form) and of courses counted by the member's own
answer. Rows are added and removed at both levels, and the server stores what the page
showed."""

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
from tests.web.test_nested_repeat import FAMILY

pytestmark = pytest.mark.browser


def members(driver):
    return driver.find_elements(By.CSS_SELECTOR, "[data-name=members] > .repeat-rows > .repeat-row")


def inner(row, name: str = "illnesses"):
    return row.find_elements(By.CSS_SELECTOR, f"[data-name={name}] > .repeat-rows > .repeat-row")


def shown(scope, name: str) -> str:
    field = scope.find_element(By.CSS_SELECTOR, f'.field[data-name="{name}"]')
    return field.find_element(By.CSS_SELECTOR, "output").text


def rule_note(scope) -> str:
    notes = scope.find_elements(By.CSS_SELECTOR, '.field[data-name="monthly_cost"] .live-rule')
    return notes[0].text if notes and notes[0].is_displayed() else ""


def add(row, name: str = "illnesses"):
    row.find_element(By.CSS_SELECTOR, f"[data-name={name}] > [data-add-row]").click()


def test_two_members_inner_rows_added_removed_computed_and_stored(browser, live_server):
    add_form(live_server.app, FAMILY)
    d = browser
    open_form(d, live_server.url("/forms/family/new"))
    set_value(d, "head", "صالح")
    set_value(d, "insured", "yes")
    set_value(d, "member", "سارة", scope=members(d)[0])
    set_value(d, "age", "40", scope=members(d)[0])
    assert len(inner(members(d)[0])) == 1  # a new member comes with one empty illness row
    assert inner(members(d)[0], "courses") == []  # counted by an answer not given yet
    d.find_element(By.CSS_SELECTOR, "[data-name=members] > [data-add-row]").click()
    wait(d).until(lambda d: len(members(d)) == 2)
    second = members(d)[1]
    assert len(inner(second)) == 1
    set_value(d, "member", "خالد", scope=second)
    set_value(d, "age", "70", scope=second)
    set_value(d, "course_count", "1", scope=second)
    wait(d).until(lambda d: len(inner(members(d)[1], "courses")) == 1)
    set_value(d, "course", "الإسعافات", scope=inner(second, "courses")[0])
    # Two illnesses for the second member; the first member's table is left alone.
    set_value(d, "illness", "السكري", scope=inner(second)[0])
    hint = inner(second)[0].find_element(By.CSS_SELECTOR, '.field[data-name="illness"] .hint')
    assert hint.text == "مرض يعاني منه خالد"  # ${member}: the member of its own row
    # A rule of the illness reading the member's age, said live once the field is left.
    set_value(d, "monthly_cost", "6000", scope=inner(second)[0])
    set_value(d, "illness", "السكري", scope=inner(second)[0])
    assert rule_note(inner(second)[0]) == ""  # 70 years old: allowed
    set_value(d, "age", "30", scope=second)
    wait(d).until(lambda d: rule_note(inner(members(d)[1])[0]) == "تكلفة عالية لمن دون الستين.")
    set_value(d, "age", "70", scope=second)
    wait(d).until(lambda d: rule_note(inner(members(d)[1])[0]) == "")
    set_value(d, "monthly_cost", "100", scope=inner(second)[0])
    wait(d).until(lambda d: shown(inner(members(d)[1])[0], "yearly_cost") == "1200")
    add(second)
    wait(d).until(lambda d: len(inner(members(d)[1])) == 2)
    assert len(inner(members(d)[0])) == 1
    assert second.find_element(
        By.CSS_SELECTOR, "[data-name=illnesses] > [data-add-row]"
    ).get_attribute("disabled")  # its max of 2 reached
    set_value(d, "illness", "الضغط", scope=inner(second)[1])
    set_value(d, "monthly_cost", "٥٠", scope=inner(second)[1])
    wait(d).until(lambda d: shown(inner(members(d)[1])[1], "yearly_cost") == "600")
    assert shown(inner(second)[1], "illness_no") == "2"
    unit = inner(second)[1].find_element(By.CSS_SELECTOR, "[data-name=unit] input")
    assert unit.get_attribute("value") == "ريال" and unit.get_attribute("readonly")
    wait(d).until(lambda d: shown(members(d)[1], "member_cost") == "1800")
    assert shown(d, "family_cost") == "1800"
    # The insurance question sees the illness (a cost), the member (an adult), the form.
    covered = inner(second)[1].find_element(By.CSS_SELECTOR, ".field[data-name=covered]")
    assert covered.is_displayed()
    set_value(d, "age", "10", scope=second)
    wait(d).until(lambda d: not covered.is_displayed())
    set_value(d, "age", "70", scope=second)
    wait(d).until(lambda d: covered.is_displayed())
    # Remove the first illness: the other becomes number 1, the totals follow.
    d.execute_script("window.confirm = function () { return true; };")
    inner(second)[0].find_element(By.CSS_SELECTOR, "[data-remove-row]").click()
    wait(d).until(lambda d: len(inner(members(d)[1])) == 1)
    assert len(members(d)) == 2
    wait(d).until(lambda d: shown(members(d)[1], "member_cost") == "600")
    assert shown(inner(members(d)[1])[0], "illness_no") == "1"
    assert shown(d, "family_cost") == "600"
    set_value(d, "covered", "yes", scope=inner(members(d)[1])[0])
    choose_channel(d)
    submit(d)
    assert_saved(d, "family")
    assert js_errors(d) == []
    [record] = list(live_server.app.extensions["rifd_store"].iter(service.collection("family")))
    assert record["answers"] == {
        "head": "صالح",
        "insured": True,
        "members": [
            {"member": "سارة", "age": 40, "member_cost": 0},
            {
                "member": "خالد", "age": 70, "course_count": 1,
                "illnesses": [
                    {"illness": "الضغط", "monthly_cost": 50, "unit": "ريال",
                     "yearly_cost": 600, "illness_no": 1, "covered": True},
                ],
                "courses": [{"course": "الإسعافات"}],
                "member_cost": 600,
            },
        ],
        "family_cost": 600,
    }  # fmt: skip
    # The saved page shows the member's illness in a table inside his row.
    table = d.find_element(
        By.CSS_SELECTOR, 'table[data-repeat="members"] table[data-repeat="illnesses"]'
    )
    assert "الضغط" in table.text and "600" in table.text
