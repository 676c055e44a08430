"""A date typed in Hijri or Gregorian shows the other beside it, and is stored as typed."""

from __future__ import annotations

from hijridate import Hijri
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import js_errors


def beside(driver, name: str) -> str:
    box = driver.find_element(By.CSS_SELECTOR, f'.field[data-name="{name}"]')
    return box.find_element(By.CSS_SELECTOR, ".other-calendar").text


def test_a_date_shows_the_other_calendar_as_it_is_typed(browser, live_server):
    d = browser
    d.get(live_server.url("/forms/support_request/new"))
    field = d.find_element(By.NAME, "birth_date")
    assert field.get_attribute("type") == "text"  # typed: no picker refuses a Hijri date

    field.send_keys("1410/10/06")
    WebDriverWait(d, 5).until(lambda d: beside(d, "birth_date"))
    assert beside(d, "birth_date") == "1990/05/01 م"

    field.clear()
    field.send_keys("٢٠٢٤/١١/١٤")  # Arabic-Indic digits
    WebDriverWait(d, 5).until(lambda d: "هـ" in beside(d, "birth_date"))
    assert beside(d, "birth_date") == "1446/05/12 هـ"

    # Every day of a Hijri year agrees with the server's Umm al-Qura tables.
    script = "var i = arguments[0]; i.value = arguments[1]; i.dispatchEvent(new Event('input'));"
    for month, day in ((1, 1), (3, 15), (6, 29), (9, 1), (12, 29)):
        typed = f"1447/{month:02d}/{day:02d}"
        d.execute_script(script, field, typed)
        y, m, dd = Hijri(1447, month, day).to_gregorian().datetuple()
        assert beside(d, "birth_date") == f"{y:04d}/{m:02d}/{dd:02d} م", typed

    d.execute_script(script, field, "1446/13/01")
    assert beside(d, "birth_date") == ""  # no such day: nothing guessed
    assert js_errors(d) == []
