"""A form with repeats inside repeats in the form editor, in Chromium: opened, edited, saved whole.

The quality officer opens a draft whose children's repeat holds each child's visits,
which hold each visit's notes (three repeats deep), renames a question of the
innermost rows, adds and removes questions of the visits, adds a repeat inside the
visits (the third level) and finds none can go inside the notes (a fourth). The
saved draft is read back from the store: the changes made, nothing else changed.
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from forms import drafts
from tests.browser.conftest import answer_confirm, js_errors
from tests.web.editor_helpers import nested_survey

pytestmark = pytest.mark.browser

WAIT = 10
FORM = "family_survey"
KIDS = "sections[0].fields[2]"
VISITS = f"{KIDS}.fields[2]"
NOTES = f"{VISITS}.fields[2]"


def card(d, item: str):
    return d.find_element(By.CSS_SELECTOR, f"[data-item='{item}']")


def open_card(d, item: str) -> None:
    """Select a card by its title (its body opens, and those of the cards around it)."""
    card(d, item).find_element(By.CSS_SELECTOR, ":scope > .ed-head > .ed-title").click()
    WebDriverWait(d, WAIT).until(lambda _d: "is-open" in card(_d, item).get_attribute("class"))


def prop(d, item: str, name: str):
    return card(d, item).find_element(By.CSS_SELECTOR, f"[data-prop='{name}']")


def type_into(element, text: str) -> None:
    element.clear()
    element.send_keys(text)


def titles(d, container: str) -> list[str]:
    """The titles of the cards right inside a section or repeat (not of cards inside those)."""
    cards = d.find_elements(
        By.CSS_SELECTOR, f"[data-container='{container}'] > .ed-item > .ed-head > .ed-title"
    )
    return [e.text for e in cards]


def adder_types(d, item: str) -> list[str]:
    adder = card(d, item).find_element(By.CSS_SELECTOR, ":scope > .ed-body > .ed-adder")
    pick = Select(adder.find_element(By.CSS_SELECTOR, "[data-role='new-type']"))
    return [o.get_attribute("value") for o in pick.options]


def add_field(d, item: str, kind: str) -> None:
    adder = card(d, item).find_element(By.CSS_SELECTOR, ":scope > .ed-body > .ed-adder")
    Select(adder.find_element(By.CSS_SELECTOR, "[data-role='new-type']")).select_by_value(kind)
    adder.find_element(By.CSS_SELECTOR, "[data-action='add-field']").click()


def status_is(d, text: str) -> None:
    WebDriverWait(d, WAIT).until(
        lambda _d: text in _d.find_element(By.ID, "editor-status").text,
        f"status never said {text!r}",
    )


def test_repeats_inside_repeats_are_edited_and_saved_without_losing_anything(
    officer, app, live_server
):
    store = app.extensions["rifd_store"]
    drafts.save(store, FORM, nested_survey(), by="huda", revision=0, based_on=None)
    d = officer
    d.get(live_server.url(f"/editor/{FORM}"))
    status_is(d, "فُتحت المسودة المحفوظة")

    # The innermost repeat shows inside the visits, inside the children.
    for item in (KIDS, VISITS, NOTES):
        open_card(d, item)
    assert titles(d, KIDS) == ["الاسم", "العمر", "الزيارات"]
    assert titles(d, VISITS) == ["تاريخ الزيارة", "نوع الزيارة", "ملاحظات الزيارة"]
    assert titles(d, NOTES) == ["الملاحظة"]
    # A repeat goes inside the visits (the third level), none inside the notes (a fourth).
    assert "repeat" in adder_types(d, VISITS)
    assert "repeat" not in adder_types(d, NOTES)

    # The label of a question of the innermost rows.
    open_card(d, f"{NOTES}.fields[0]")
    type_into(prop(d, f"{NOTES}.fields[0]", "label.ar"), "ملاحظة الباحث")
    assert titles(d, NOTES) == ["ملاحظة الباحث"]
    # Its condition may name the answers of its own row, of the rows around it, of the form.
    widget = card(d, f"{NOTES}.fields[0]").find_element(
        By.CSS_SELECTOR, ".ed-condition[data-key='visible_if'] [data-role='cond-field']"
    )
    offered = [o.get_attribute("value") for o in Select(widget).options][1:]
    assert offered == [
        *("status", "spouse", "kids", "kid_name", "kid_age", "visits"),
        *("visit_date", "visit_kind", "visit_notes"),
    ]

    # A question added to the visits, one taken away from them.
    add_field(d, VISITS, "integer")
    type_into(prop(d, f"{VISITS}.fields[3]", "label.ar"), "عدد الحاضرين")
    type_into(prop(d, f"{VISITS}.fields[3]", "name"), "attendees")
    answer_confirm(d, True)
    card(d, f"{VISITS}.fields[0]").find_element(By.CSS_SELECTOR, "[data-action='remove']").click()

    # A repeat added inside the visits, with a question of its own.
    for item in (KIDS, VISITS):
        open_card(d, item)
    assert titles(d, VISITS) == ["نوع الزيارة", "ملاحظات الزيارة", "عدد الحاضرين"]
    add_field(d, VISITS, "repeat")
    medicines = f"{VISITS}.fields[3]"
    type_into(prop(d, medicines, "label.ar"), "الأدوية")
    type_into(prop(d, medicines, "name"), "medicines")
    assert "repeat" not in adder_types(d, medicines)
    open_card(d, f"{medicines}.fields[0]")
    type_into(prop(d, f"{medicines}.fields[0]", "label.ar"), "اسم الدواء")
    type_into(prop(d, f"{medicines}.fields[0]", "name"), "medicine_name")

    d.find_element(By.CSS_SELECTOR, "[data-action='save']").click()
    status_is(d, "حُفظت المسودة.")
    assert js_errors(d) == []

    expected = nested_survey()
    visits = expected["sections"][0]["fields"][2]["fields"][2]
    visits["fields"][2]["fields"][0]["label"]["ar"] = "ملاحظة الباحث"
    del visits["fields"][0]
    visits["fields"].append(
        {"name": "attendees", "type": "integer", "label": {"ar": "عدد الحاضرين"}}
    )
    visits["fields"].append(
        {
            "name": "medicines",
            "type": "repeat",
            "label": {"ar": "الأدوية"},
            "fields": [{"name": "medicine_name", "type": "text", "label": {"ar": "اسم الدواء"}}],
        }
    )
    saved = drafts.get(store, FORM)["definition"]
    assert saved == dict(expected, id=FORM, version=1)
