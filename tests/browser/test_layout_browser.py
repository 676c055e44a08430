"""Staff and public pages on a phone in Chromium: nothing pushed off screen, dates kept whole.

Found by using Rifd on a phone-sized window: the top bar did not wrap, so every staff
page was wider than the screen and the sign-out button and the language switch sat
off its edge; wide tables did the same; a date split between lines as "(2026/12/17"
and "م)"; on public pages the name in the top bar was dark ink on the dark green.
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from tests.browser.conftest import signed_in

pytestmark = pytest.mark.browser

PAGE_WIDTH = "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
# The element's box as [left, right], against the width of the viewport.
# How many lines each element spans: the distinct tops of its boxes.
LINES = "return arguments[0].map(e => new Set([...e.getClientRects()].map(r => r.top|0)).size)"
BOX = "const r = arguments[0].getBoundingClientRect(); return [r.left, r.right, innerWidth];"


def on_screen(driver, element) -> bool:
    left, right, width = driver.execute_script(BOX, element)
    return left >= 0 and right <= width


@pytest.mark.parametrize("path", ["/users/", "/audit/", "/cases/", "/policy/"])
def test_a_staff_page_fits_a_phone_with_sign_out_and_language_in_reach(
    phone, app, live_server, path
):
    signed_in(phone, app)  # every role: the longest row of links there is
    phone.get(live_server.url(path))
    scroll_width, client_width = phone.execute_script(PAGE_WIDTH)
    assert scroll_width <= client_width, (
        f"{path} is {scroll_width}px wide on a {client_width}px phone"
    )
    sign_out = phone.find_element(By.CSS_SELECTOR, ".signout button")
    language = phone.find_element(By.CSS_SELECTOR, ".lang-switch a")
    assert on_screen(phone, sign_out) and on_screen(phone, language)
    for link in phone.find_elements(By.CSS_SELECTOR, ".nav a"):
        assert on_screen(phone, link), link.text


def test_a_date_in_a_table_is_never_split_inside(phone, app, live_server):
    signed_in(phone, app)
    phone.get(live_server.url("/users/"))
    dates = phone.find_elements(By.CSS_SELECTOR, "#users td .date, table td .date")
    assert len(dates) >= 2  # the Hijri and the Gregorian halves of the creation date
    # One line = every box of the span at the same height (bidi runs give several boxes).
    lines = phone.execute_script(LINES, dates)
    assert lines == [1] * len(dates)
    cell = dates[0].find_element(By.XPATH, "..")
    assert "هـ" in cell.text and "م)" in cell.text


def test_the_name_in_a_public_page_top_bar_is_light_on_the_green(phone, live_server):
    phone.get(live_server.url("/f/satisfaction_survey"))
    brand = phone.find_element(By.CSS_SELECTOR, ".topbar .brand")
    bar = phone.find_element(By.CSS_SELECTOR, ".topbar")
    assert brand.value_of_css_property("color") == "rgba(255, 255, 255, 1)"
    assert bar.value_of_css_property("background-color") == "rgba(11, 110, 79, 1)"
    scroll_width, client_width = phone.execute_script(PAGE_WIDTH)
    assert scroll_width <= client_width
