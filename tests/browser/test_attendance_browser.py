"""In Chromium at a phone's size: attendance taken from the list of the accepted, and a
walk-in registered on the spot, on a page that fits the screen."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from cases.attendance import ATTENDANCE
from cases.registrations import REGISTRATIONS
from tests.browser.conftest import js_errors, signed_in
from tests.cases.conftest import People
from tests.cases.test_program_registration import (
    announce,
    register,
    registration_of,
    review,
    valid_id,
)

pytestmark = pytest.mark.browser
NAMES = ("هند سعد العتيبي", "سلمى خالد الحربي")


def test_attendance_taken_on_a_phone(phone, live_server, app, store):
    people = People(app)
    pid = announce(people)
    for i, name in enumerate(NAMES):
        assert register(app, pid, name, valid_id(i + 1), f"055123450{i}").status_code == 302
    review(people["sara"], pid, list(NAMES), "accept", store)
    d = phone
    signed_in(d, app, "sara", ["intake"])
    d.get(live_server.url(f"/programs/{pid}/sessions/1/attendance"))
    rows = d.find_elements(By.CSS_SELECTOR, "#attendance-list label")
    assert [next(n for n in NAMES if n in r.text) for r in rows] == sorted(NAMES)
    # The page fits the phone: nothing to scroll sideways, the boxes big enough to tap.
    width = d.execute_script("return document.documentElement.scrollWidth")
    assert width <= d.execute_script("return window.innerWidth")
    box = rows[0].rect
    assert box["height"] >= 24 and box["width"] > 200
    # Tick Hind (a tap on her name), save.
    hind = next(r for r in rows if NAMES[0] in r.text)
    hind.click()
    assert hind.find_element(By.TAG_NAME, "input").is_selected()
    d.find_element(By.ID, "save-attendance").click()
    WebDriverWait(d, 10).until(lambda d: "حُفظ الحضور" in d.page_source)
    record = next(iter(store.iter(ATTENDANCE)))
    assert record["present"] == [registration_of(store, NAMES[0])["id"]]
    # After saving, her box stays ticked and Salma's not.
    ticked = [
        r.text
        for r in d.find_elements(By.CSS_SELECTOR, "#attendance-list label")
        if r.find_element(By.TAG_NAME, "input").is_selected()
    ]
    assert len(ticked) == 1 and NAMES[0] in ticked[0]
    # A walk-in, typed on the phone, is registered and present.
    d.find_element(By.ID, "walk-name").send_keys("خالد عبدالله الحاضر")
    d.find_element(By.ID, "walk-mobile").send_keys("0559999999")
    d.find_element(By.CSS_SELECTOR, "#walk-in button[type=submit]").click()
    WebDriverWait(d, 10).until(lambda d: "وحضوره" in d.page_source)
    walker = registration_of(store, "خالد عبدالله الحاضر")
    assert walker["walk_in"] and walker["mobile"] == "+966559999999"
    assert sorted(next(iter(store.iter(ATTENDANCE)))["present"]) == sorted(
        [registration_of(store, NAMES[0])["id"], walker["id"]]
    )
    assert store.count(REGISTRATIONS) == 3
    assert js_errors(d) == []
