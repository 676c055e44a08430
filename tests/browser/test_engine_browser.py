"""What forms compute with, live in Chromium: sums over a repeat, the server agreeing."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from submissions import service
from tests.browser.conftest import add_form, js_errors
from tests.browser.test_forms_browser import (
    assert_saved,
    choose_channel,
    field_errors,
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


LIVE = {
    "id": "browser_live",
    "version": 1,
    "ref_prefix": "BL",
    "title": t("نموذج الحساب الحي", "Live form"),
    "sections": [
        {
            "name": "s",
            "title": t("الإقامة", "Stay"),
            "fields": [
                {"name": "first_name", "type": "text", "label": t("الاسم", "Name")},
                {
                    "name": "city",
                    "type": "select_one",
                    "label": t("المدينة", "City"),
                    "choices": [
                        {"value": "ahsa", "label": t("الأحساء", "Al-Ahsa")},
                        {"value": "riyadh", "label": t("الرياض", "Riyadh")},
                    ],
                },
                {
                    "name": "phone_of",
                    "type": "text",
                    "label": t("جوال ${first_name} في ${city}", "${first_name}'s phone in ${city}"),
                    "hint": t("المجموع ${total}", "Total ${total}"),
                },
                {"name": "start_time", "type": "time", "label": t("وقت البدء", "Start time")},
                {"name": "visit_at", "type": "datetime", "label": t("الموعد", "Visit at")},
                {
                    "name": "consent",
                    "type": "acknowledge",
                    "label": t("أوافق", "I agree"),
                    "required": True,
                },
                {"name": "nights", "type": "integer", "label": t("الليالي", "Nights")},
                {"name": "price", "type": "decimal", "label": t("السعر", "Price")},
                {
                    "name": "total",
                    "type": "calculate",
                    "label": t("الإجمالي", "Total"),
                    "calculation": "nights * price",
                },
                {
                    "name": "big_stay",
                    "type": "text",
                    "label": t("سبب الإقامة الطويلة", "Why so long"),
                    "visible_if": "total > 1000 and consent",
                },
            ],
        },
        {
            "name": "more",
            "title": t("المزيد", "More"),
            "description": t("عن إقامة ${first_name}", "About ${first_name}'s stay"),
            "fields": [{"name": "remarks", "type": "text", "label": t("ملاحظات", "Remarks")}],
        },
    ],
}


def calculated(driver, name: str) -> str:
    return driver.find_element(By.CSS_SELECTOR, f'.field[data-name="{name}"] output').text


def test_calculate_updates_as_the_person_types_and_the_server_keeps_it(browser, live_server):
    add_form(live_server.app, LIVE)
    d = browser
    open_form(d, live_server.url("/forms/browser_live/new"))
    time_input = d.find_element(By.CSS_SELECTOR, '.field[data-name="start_time"] input')
    assert time_input.get_attribute("type") == "time"
    moment = d.find_element(By.CSS_SELECTOR, '.field[data-name="visit_at"] input')
    assert moment.get_attribute("type") == "datetime-local"
    # The browser's own pickers take their value from script as from a person.
    d.execute_script(
        "arguments[0].value = '08:30'; arguments[1].value = '2026-03-15T10:05';"
        "arguments[1].dispatchEvent(new Event('change', {bubbles: true}));",
        time_input,
        moment,
    )
    assert calculated(d, "total") == ""
    set_value(d, "nights", "3")
    set_value(d, "price", "٤٥٠٫٥")
    wait(d).until(lambda d: calculated(d, "total") == "1351.5")
    assert "big_stay" not in visible_names(d)  # not until consent is ticked
    d.find_element(By.CSS_SELECTOR, '.field[data-name="consent"] input[type=checkbox]').click()
    wait(d).until(lambda d: "big_stay" in visible_names(d))
    set_value(d, "nights", "2")
    wait(d).until(lambda d: calculated(d, "total") == "901")
    assert "big_stay" not in visible_names(d)
    choose_channel(d)
    submit(d)
    assert_saved(d, "browser_live")
    shown = d.find_element(By.CSS_SELECTOR, ".answers").text
    for text in ("08:30", "2026-03-15 10:05", "تم الإقرار", "901"):
        assert text in shown, text
    assert js_errors(d) == []


def label_of(driver, name: str) -> str:
    return driver.find_element(By.CSS_SELECTOR, f'.field[data-name="{name}"] .label').text


def hint_of(driver, name: str) -> str:
    return driver.find_element(By.CSS_SELECTOR, f'.field[data-name="{name}"] .hint').text


@pytest.mark.parametrize(
    ("lang", "label", "hint"),
    [
        ("ar", "جوال <i>سارة</i> في الرياض", "المجموع 901"),
        ("en", "<i>سارة</i>'s phone in Riyadh", "Total 901"),
    ],
)
def test_labels_show_the_answers_as_the_person_types(browser, live_server, lang, label, hint):
    add_form(live_server.app, LIVE)
    d = browser
    d.get(live_server.url(f"/lang/{lang}?next=/forms/browser_live/new"))
    wait(d).until(lambda d: d.find_elements(By.CSS_SELECTOR, "form.rifd-form"))
    assert label_of(d, "phone_of").startswith("جوال في" if lang == "ar" else "'s phone in")
    set_value(d, "first_name", "<i>سارة</i>")  # shown as typed, never as markup
    set_value(d, "city", "riyadh")
    set_value(d, "nights", "2")
    set_value(d, "price", "450.5")
    wait(d).until(lambda d: label_of(d, "phone_of").startswith(label))
    assert hint_of(d, "phone_of") == hint
    about = d.find_element(By.CSS_SELECTOR, '[data-section="more"] p.muted').text
    assert about == ("عن إقامة <i>سارة</i>" if lang == "ar" else "About <i>سارة</i>'s stay")
    assert not d.find_elements(By.CSS_SELECTOR, '.field[data-name="phone_of"] .label i')
    assert js_errors(d) == []


PLACE = {
    "id": "browser_place",
    "version": 1,
    "ref_prefix": "BP",
    "title": t("نموذج الموقع", "Place form"),
    "sections": [
        {
            "name": "s",
            "title": t("الزيارة", "Visit"),
            "fields": [
                {"name": "home", "type": "geopoint", "label": t("موقع المنزل", "Home")},
                {
                    "name": "far_note",
                    "type": "text",
                    "label": t("ملاحظة الموقع", "Place note"),
                    "visible_if": "filled(home)",
                },
                {"name": "card", "type": "barcode", "label": t("رمز البطاقة", "Card")},
            ],
        }
    ],
}


def test_geopoint_takes_the_phones_location_with_its_accuracy(browser, live_server):
    add_form(live_server.app, PLACE)
    d = browser
    origin = live_server.base
    d.execute_cdp_cmd(
        "Browser.grantPermissions", {"origin": origin, "permissions": ["geolocation"]}
    )
    d.execute_cdp_cmd(
        "Emulation.setGeolocationOverride",
        {"latitude": 25.3830, "longitude": 49.5866, "accuracy": 12.5},
    )
    try:
        open_form(d, live_server.url("/forms/browser_place/new"))
        assert visible_names(d) == {"home", "card"}
        d.find_element(By.CSS_SELECTOR, "[data-locate='home']").click()
        field = d.find_element(By.ID, "home")
        wait(d).until(lambda d: field.get_attribute("value").startswith("25.383 49.5866"))
        assert field.get_attribute("value").endswith(" 12.5")
        status = d.find_element(By.CSS_SELECTOR, "[data-location-status='home']").text
        assert status == "الدقة: 12.5 م"
        wait(d).until(lambda d: "far_note" in visible_names(d))
        # The camera button is offered only where the browser can read codes; else typed.
        can_scan = d.execute_script("return 'BarcodeDetector' in window")
        assert d.find_element(By.CSS_SELECTOR, "[data-scan='card']").is_displayed() == can_scan
        set_value(d, "card", "6281000000001")
        choose_channel(d)
        submit(d)
        assert_saved(d, "browser_place")
        assert "25.383, 49.5866 (± 12.5 م)" in d.find_element(By.CSS_SELECTOR, ".answers").text
        # The map is drawn by the Leaflet Rifd serves, with no tiles from elsewhere.
        wait(d).until(lambda d: d.find_elements(By.CSS_SELECTOR, "[data-map].leaflet-container"))
        assert d.find_elements(By.CSS_SELECTOR, "[data-map] path.leaflet-interactive")
        assert js_errors(d) == []
    finally:
        d.execute_cdp_cmd("Emulation.clearGeolocationOverride", {})
        d.execute_cdp_cmd("Browser.resetPermissions", {})


PHOTO = {
    "id": "browser_photo",
    "version": 1,
    "ref_prefix": "BH",
    "title": t("نموذج الصورة", "Photo form"),
    "sections": [
        {
            "name": "s",
            "title": t("المنزل", "Home"),
            "fields": [
                {"name": "house", "type": "image", "label": t("صورة المنزل", "House")},
            ],
        }
    ],
}

# Draw a 3000 x 2000 picture, choose it in the image field as a person would, and
# report what the field holds once the page has made it smaller.
CHOOSE_BIG_PHOTO = """
const done = arguments[arguments.length - 1];
const canvas = document.createElement('canvas');
canvas.width = 3000; canvas.height = 2000;
const ctx = canvas.getContext('2d');
ctx.fillStyle = '#3a7'; ctx.fillRect(0, 0, 3000, 2000);
ctx.fillStyle = '#fff'; ctx.fillRect(1000, 500, 900, 700);
canvas.toBlob(async (blob) => {
  const input = document.getElementById('house');
  const chosen = new DataTransfer();
  chosen.items.add(new File([blob], 'house.png', {type: 'image/png'}));
  input.files = chosen.files;
  input.dispatchEvent(new Event('change', {bubbles: true}));
  for (let i = 0; i < 100 && input.files[0].type !== 'image/jpeg'; i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const file = input.files[0];
  const bitmap = await createImageBitmap(file);
  done({name: file.name, type: file.type, size: file.size, big: blob.size,
        width: bitmap.width, height: bitmap.height});
}, 'image/png');
"""


def test_a_big_photo_is_made_smaller_on_the_phone_before_it_is_sent(browser, live_server):
    add_form(live_server.app, PHOTO)
    d = browser
    open_form(d, live_server.url("/forms/browser_photo/new"))
    d.set_script_timeout(20)
    got = d.execute_async_script(CHOOSE_BIG_PHOTO)
    assert (got["name"], got["type"], got["width"], got["height"]) == (
        "house.jpg",
        "image/jpeg",
        1600,
        1067,
    )
    choose_channel(d)
    submit(d)
    assert_saved(d, "browser_photo")
    [record] = list(
        live_server.app.extensions["rifd_store"].iter(service.collection("browser_photo"))
    )
    assert record["answers"]["house"]["type"] == "jpg"
    assert record["answers"]["house"]["size"] == got["size"]
    assert js_errors(d) == []


RULED = {
    "id": "browser_rule",
    "version": 1,
    "ref_prefix": "BR",
    "title": t("نموذج القاعدة", "Rule form"),
    "sections": [
        {
            "name": "s",
            "title": t("الأسرة", "Family"),
            "fields": [
                {"name": "adults", "type": "integer", "label": t("البالغون", "Adults")},
                {
                    "name": "members",
                    "type": "integer",
                    "label": t("عدد الأفراد", "Members"),
                    "constraints": {
                        "rule": "members >= adults",
                        "messages": {
                            "rule": t("لا يقل عدد الأفراد عن البالغين", "Not fewer than adults")
                        },
                    },
                },
                {"name": "notes", "type": "text", "label": t("ملاحظات", "Notes")},
            ],
        }
    ],
}
RULE_SAID = "لا يقل عدد الأفراد عن البالغين"


def rule_note(driver) -> str:
    notes = driver.find_elements(By.CSS_SELECTOR, '.field[data-name="members"] .live-rule')
    return notes[0].text if notes and notes[0].is_displayed() else ""


def test_a_rule_comparing_two_answers_is_said_as_the_person_answers(browser, live_server):
    add_form(live_server.app, RULED)
    d = browser
    open_form(d, live_server.url("/forms/browser_rule/new"))
    set_value(d, "adults", "٣")
    set_value(d, "members", "2")
    assert rule_note(d) == ""  # not while he is still typing in it
    set_value(d, "notes", "x")  # he moves on: the field is left, its answer checked
    wait(d).until(lambda d: rule_note(d) == RULE_SAID)
    set_value(d, "members", "4")
    wait(d).until(lambda d: rule_note(d) == "")
    set_value(d, "adults", "5")  # the other answer changes: said again at once
    wait(d).until(lambda d: rule_note(d) == RULE_SAID)
    # The server refuses it in the same words.
    choose_channel(d)
    submit(d)
    assert field_errors(d) == {"members": RULE_SAID}
    assert js_errors(d) == []
