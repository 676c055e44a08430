"""The forms as a person uses them in Chromium: conditions, repeats, signatures, errors.

Each test writes its own small definition into the app's data folder, so that the
shipped library (still growing) cannot break it; only the screenshot of the staff
support request page uses a shipped form.
"""

from __future__ import annotations

import base64
import re
import struct
import urllib.request

import pytest
from selenium.common.exceptions import (
    NoSuchElementException,
    TimeoutException,
    WebDriverException,
)
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.browser.conftest import add_form, js_errors, signed_in

pytestmark = pytest.mark.browser

WAIT = 10
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
DATA_URL = "data:image/png;base64,"
REQUIRED = "هذا الحقل مطلوب."
BAD_ID = "رقم الهوية أو الإقامة غير صحيح، تحقق من الأرقام."
NOT_SAVED = "لم يُحفظ الطلب"
SAVED = "تم حفظ الطلب بنجاح."


def t(ar: str, en: str) -> dict:
    return {"ar": ar, "en": en}


def choice(value: str, ar: str, en: str) -> dict:
    return {"value": value, "label": t(ar, en)}


# --- definitions -------------------------------------------------------------------

CONDITIONS = {
    "id": "browser_conditions",
    "version": 1,
    "ref_prefix": "BC",
    "title": t("نموذج تجربة الشروط", "Conditions test form"),
    "sections": [
        {
            "name": "family",
            "title": t("الأسرة", "Family"),
            "fields": [
                {
                    "name": "applicant_name",
                    "type": "text",
                    "label": t("اسم مقدم الطلب", "Applicant's name"),
                    "required": True,
                },
                {
                    "name": "marital_status",
                    "type": "select_one",
                    "label": t("الحالة الاجتماعية", "Marital status"),
                    "required": True,
                    "choices": [
                        choice("single", "أعزب", "Single"),
                        choice("married", "متزوج", "Married"),
                        choice("widowed", "أرمل", "Widowed"),
                    ],
                },
                {
                    "name": "spouse_name",
                    "type": "text",
                    "label": t("اسم الزوج أو الزوجة", "Spouse's name"),
                    "required": True,
                    "visible_if": "marital_status == 'married'",
                    "constraints": {
                        "pattern": "\\D+",
                        "messages": {"pattern": t("الاسم لا يحتوي على أرقام.", "No digits.")},
                    },
                },
                {
                    "name": "has_children",
                    "type": "yes_no",
                    "label": t("هل لديك أبناء؟", "Do you have children?"),
                    "required": True,
                    "visible_if": "filled(marital_status) and marital_status != 'single'",
                },
                {
                    "name": "children_count",
                    "type": "integer",
                    "label": t("عدد الأبناء", "Number of children"),
                    "required": True,
                    "visible_if": "has_children == true",
                    "constraints": {"min": 1, "max": 20},
                },
                {
                    "name": "school_children",
                    "type": "integer",
                    "label": t("عدد الأبناء في المدارس", "Children at school"),
                    "visible_if": "children_count > 0",
                    "required_if": "children_count >= 3",
                },
                {"name": "age", "type": "integer", "label": t("العمر", "Age"), "required": True},
            ],
        },
        {
            "name": "work",
            "title": t("الدخل", "Income"),
            "visible_if": "age >= 18",
            "fields": [
                {
                    "name": "monthly_income",
                    "type": "decimal",
                    "label": t("الدخل الشهري", "Monthly income"),
                },
                {
                    "name": "income_source",
                    "type": "text",
                    "label": t("مصدر الدخل", "Source of income"),
                    "required_if": "monthly_income > 0",
                },
            ],
        },
    ],
}

LABELS = {f["name"]: f["label"]["ar"] for s in CONDITIONS["sections"] for f in s["fields"]}

REPEAT = {
    "id": "browser_repeat",
    "version": 1,
    "ref_prefix": "BR",
    "title": t("نموذج تجربة الصفوف", "Repeat test form"),
    "sections": [
        {
            "name": "household",
            "title": t("الأسرة", "Household"),
            "fields": [
                {
                    "name": "head_name",
                    "type": "text",
                    "label": t("اسم رب الأسرة", "Head of household"),
                    "required": True,
                },
                {
                    "name": "members",
                    "type": "repeat",
                    "label": t("أفراد الأسرة", "Family members"),
                    "add_label": t("إضافة فرد", "Add a member"),
                    "max": 3,
                    "fields": [
                        {
                            "name": "member_name",
                            "type": "text",
                            "label": t("الاسم", "Name"),
                            "required": True,
                        },
                        {
                            "name": "relation",
                            "type": "select_one",
                            "label": t("صلة القرابة", "Relation"),
                            "required": True,
                            "choices": [
                                choice("son", "ابن", "Son"),
                                choice("daughter", "ابنة", "Daughter"),
                                choice("other", "أخرى", "Other"),
                            ],
                        },
                        {
                            "name": "relation_other",
                            "type": "text",
                            "label": t("صلة أخرى", "Other relation"),
                            "required": True,
                            "visible_if": "relation == 'other'",
                        },
                        {"name": "member_age", "type": "integer", "label": t("العمر", "Age")},
                    ],
                },
            ],
        }
    ],
}

SIGNATURE = {
    "id": "browser_signature",
    "version": 1,
    "ref_prefix": "BS",
    "title": t("نموذج تجربة التوقيع", "Signature test form"),
    "sections": [
        {
            "name": "consent",
            "title": t("الإقرار", "Consent"),
            "fields": [
                {
                    "name": "signer_name",
                    "type": "text",
                    "label": t("الاسم", "Name"),
                    "required": True,
                },
                {
                    "name": "signature",
                    "type": "signature",
                    "label": t("التوقيع", "Signature"),
                    "required": True,
                },
            ],
        }
    ],
}

WITNESSES = {
    "id": "browser_witnesses",
    "version": 1,
    "ref_prefix": "BW",
    "title": t("نموذج تجربة توقيع الشهود", "Witness signatures test form"),
    "sections": [
        {
            "name": "witnessing",
            "title": t("الشهود", "Witnesses"),
            "fields": [
                {
                    "name": "witnesses",
                    "type": "repeat",
                    "label": t("الشهود", "Witnesses"),
                    "max": 3,
                    "fields": [
                        {
                            "name": "witness_name",
                            "type": "text",
                            "label": t("اسم الشاهد", "Witness"),
                            "required": True,
                        },
                        {
                            "name": "witness_signature",
                            "type": "signature",
                            "label": t("توقيع الشاهد", "Witness's signature"),
                            "required": True,
                        },
                    ],
                }
            ],
        }
    ],
}

PUBLIC = {
    "id": "browser_public",
    "version": 1,
    "public": True,
    "ref_prefix": "BP",
    "title": t("استبيان رضا المستفيدين", "Satisfaction survey"),
    "description": t("شاركنا رأيك في خدمات الجمعية.", "Tell us what you think."),
    "sections": [
        {
            "name": "about",
            "title": t("بياناتك", "About you"),
            "fields": [
                {
                    "name": "full_name",
                    "type": "text",
                    "label": t("الاسم", "Name"),
                    "required": True,
                },
                {
                    "name": "mobile",
                    "type": "mobile",
                    "label": t("رقم الجوال", "Mobile"),
                    "required": True,
                },
                {
                    "name": "visit_rating",
                    "type": "rating",
                    "label": t("تقييمك للخدمة", "Your rating"),
                    "required": True,
                },
                {
                    "name": "wants_callback",
                    "type": "yes_no",
                    "label": t("هل تريد أن نتصل بك؟", "Shall we call you?"),
                },
                {
                    "name": "callback_time",
                    "type": "select_one",
                    "label": t("الوقت المناسب للاتصال", "When to call"),
                    "required": True,
                    "visible_if": "wants_callback == true",
                    "choices": [
                        choice("morning", "صباحًا", "Morning"),
                        choice("evening", "مساءً", "Evening"),
                    ],
                },
                {
                    "name": "comments",
                    "type": "textarea",
                    "label": t("ملاحظاتك", "Comments"),
                },
            ],
        }
    ],
}

ERRORS = {
    "id": "browser_errors",
    "version": 1,
    "ref_prefix": "BE",
    "title": t("نموذج تجربة الأخطاء", "Errors test form"),
    "sections": [
        {
            "name": "person",
            "title": t("البيانات", "Details"),
            "fields": [
                {
                    "name": "full_name",
                    "type": "text",
                    "label": t("الاسم", "Name"),
                    "required": True,
                },
                {
                    "name": "national_id",
                    "type": "national_id",
                    "label": t("رقم الهوية", "National ID"),
                    "required": True,
                },
                {"name": "mobile", "type": "mobile", "label": t("الجوال", "Mobile")},
                {
                    "name": "city",
                    "type": "select_one",
                    "label": t("المدينة", "City"),
                    "choices": [
                        choice("hofuf", "الهفوف", "Hofuf"),
                        choice("mubarraz", "المبرز", "Mubarraz"),
                    ],
                },
                {
                    "name": "gender",
                    "type": "select_one",
                    "appearance": "radio",
                    "label": t("الجنس", "Gender"),
                    "choices": [
                        choice("male", "ذكر", "Male"),
                        choice("female", "أنثى", "Female"),
                    ],
                },
                {
                    "name": "needs",
                    "type": "select_multiple",
                    "label": t("الاحتياج", "Needs"),
                    "choices": [
                        choice("food", "سلة غذائية", "Food"),
                        choice("rent", "إيجار", "Rent"),
                        choice("bills", "فواتير", "Bills"),
                    ],
                },
                {"name": "has_income", "type": "yes_no", "label": t("له دخل؟", "Income?")},
                {"name": "notes", "type": "textarea", "label": t("ملاحظات", "Notes")},
                {"name": "signature", "type": "signature", "label": t("التوقيع", "Signature")},
            ],
        }
    ],
}


# --- helpers -----------------------------------------------------------------------


def wait(driver, timeout: float = WAIT) -> WebDriverWait:
    return WebDriverWait(driver, timeout)


def open_form(driver, url: str) -> None:
    driver.get(url)
    wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, "form.rifd-form")))


def box(driver, name: str):
    return driver.find_element(By.CSS_SELECTOR, f'.field[data-name="{name}"]')


VISIBLE_NAMES = """
return Array.from(document.querySelectorAll('form.rifd-form .section > .field[data-name]'))
  .filter(box => box.checkVisibility()).map(box => box.dataset.name);
"""


def visible_names(driver) -> set[str]:
    """The top-level fields a person can see (the JS hides a box, or its section), asked
    of the page in one round trip."""
    return set(driver.execute_script(VISIBLE_NAMES))


def wait_visible(driver, expected: set[str]) -> None:
    try:
        wait(driver).until(lambda d: visible_names(d) == expected)
    except TimeoutException:
        assert visible_names(driver) == expected  # says what differs
        raise


def marked_required(driver, name: str) -> bool:
    """Does the person see the red asterisk beside the field's label?"""
    return box(driver, name).find_element(By.CSS_SELECTOR, ".label .req").is_displayed()


def set_value(driver, name: str, value: str, scope=None) -> None:
    """Answer one field as a person would: pick, click or type."""
    where = scope or driver
    field = where.find_element(By.CSS_SELECTOR, f'.field[data-name="{name}"]')
    kind = field.get_dom_attribute("data-type")  # the attribute as written: no script
    if kind == "yes_no" or field.find_elements(By.CSS_SELECTOR, "input[type=radio]"):
        field.find_element(By.CSS_SELECTOR, f'input[type=radio][value="{value}"]').click()
    elif kind == "select_multiple":
        for item in value.split(","):
            field.find_element(By.CSS_SELECTOR, f'input[type=checkbox][value="{item}"]').click()
    elif kind == "select_one":
        Select(field.find_element(By.TAG_NAME, "select")).select_by_value(value)
    else:
        el = field.find_element(By.CSS_SELECTOR, "input:not([type=hidden]), textarea")
        el.clear()
        el.send_keys(value)


def choose_channel(driver, value: str = "interview") -> None:
    Select(driver.find_element(By.ID, "channel")).select_by_value(value)


NEW_PAGE_LOADED = """
return document.readyState === 'complete'
  && !document.documentElement.hasAttribute('data-test-leaving');
"""


def submit(driver) -> None:
    """Press the send button and wait for the next page to finish loading."""
    driver.execute_script("document.documentElement.setAttribute('data-test-leaving', '')")
    driver.find_element(By.CSS_SELECTOR, "form.rifd-form button[type=submit]").click()
    # While the old page unloads, Chromium may answer with transient errors.
    WebDriverWait(driver, WAIT, ignored_exceptions=(WebDriverException,)).until(
        lambda d: d.execute_script(NEW_PAGE_LOADED)
    )


def assert_saved(driver, form_id: str) -> None:
    assert re.search(rf"/forms/{form_id}/submissions/\d+\?saved=1$", driver.current_url), (
        driver.current_url,
        [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".alert, .error")],
    )
    assert driver.find_element(By.CSS_SELECTOR, ".notice").text == SAVED


def answers(driver) -> dict[str, str]:
    """The saved submission page's answers, label -> shown text (repeats left out)."""
    out = {}
    for item in driver.find_elements(By.CSS_SELECTOR, ".answers > div:not(.wide)"):
        out[item.find_element(By.TAG_NAME, "dt").text] = item.find_element(By.TAG_NAME, "dd").text
    return out


def field_errors(driver) -> dict[str, str]:
    """Field name -> the error message shown beside it."""
    return {
        b.get_attribute("data-name"): b.find_element(By.CSS_SELECTOR, ".error").text
        for b in driver.find_elements(By.CSS_SELECTOR, ".field.has-error[data-name]")
    }


EMPTY_BOX = """
const box = arguments[0];
const own = Array.from(box.querySelectorAll('input, select, textarea'))
  .filter(el => el.closest('.field') === box);
return own.every(el => (el.type === 'radio' || el.type === 'checkbox') ? !el.checked
  : !el.value.trim());
"""


def required_and_empty(driver) -> set[str]:
    """Visible fields that show the required mark and hold nothing."""
    return {
        name
        for name in visible_names(driver)
        if marked_required(driver, name) and driver.execute_script(EMPTY_BOX, box(driver, name))
    }


def draw_signature(driver, canvas) -> None:
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", canvas)
    chain = ActionChains(driver, duration=20)
    chain.move_to_element_with_offset(canvas, -120, 10).click_and_hold()
    for dx, dy in ((25, -20), (25, 25), (30, -30), (25, 20), (30, -10), (20, 15)):
        chain.move_by_offset(dx, dy)
    chain.release().perform()


CANVAS_INKED = """
const c = arguments[0];
const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
for (let i = 3; i < px.length; i += 4) { if (px[i] > 0) return true; }
return false;
"""


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(PNG_MAGIC), data[:16]
    return struct.unpack(">II", data[16:24])


def fetch(url: str, driver) -> tuple[int, str, bytes]:
    """GET `url` with the browser's cookies (staff files need the signed-in session)."""
    assert url.startswith("http://127.0.0.1:"), url
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310 (checked above)
    with urllib.request.urlopen(request, timeout=WAIT) as response:  # noqa: S310
        return response.status, response.headers.get_content_type(), response.read()


def full_page_screenshot(driver, path: str, width: int, phone: bool = False) -> None:
    height = min(driver.execute_script("return document.documentElement.scrollHeight"), 12000)
    if phone:
        metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True}
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    else:
        driver.set_window_size(width, height)
    driver.save_screenshot(path)


# --- 1. conditions -----------------------------------------------------------------

ALWAYS = {"applicant_name", "marital_status", "age"}


def test_dependent_fields_show_and_hide_as_the_person_chooses(browser, live_server):
    add_form(live_server.app, CONDITIONS)
    d = browser
    open_form(d, live_server.url("/forms/browser_conditions/new"))

    # At load only the unconditional fields show; the income section waits for an age.
    wait_visible(d, ALWAYS)
    assert not d.find_element(By.CSS_SELECTOR, '[data-section="work"]').is_displayed()

    set_value(d, "marital_status", "married")
    wait_visible(d, ALWAYS | {"spouse_name", "has_children"})
    set_value(d, "has_children", "yes")
    wait_visible(d, ALWAYS | {"spouse_name", "has_children", "children_count"})

    # required_if: the asterisk follows the number of children.
    set_value(d, "children_count", "4")
    wait_visible(d, ALWAYS | {"spouse_name", "has_children", "children_count", "school_children"})
    assert marked_required(d, "school_children")
    set_value(d, "children_count", "2")
    wait(d).until(lambda d: not marked_required(d, "school_children"))
    assert box(d, "school_children").is_displayed()

    # Leave values the server would refuse in fields about to be hidden.
    set_value(d, "spouse_name", "123")
    set_value(d, "children_count", "99")

    # Another choice hides them again, and the chain follows: has_children hidden
    # means children_count hidden, which hides school_children, though "yes" stays ticked.
    set_value(d, "marital_status", "single")
    wait_visible(d, ALWAYS)
    assert d.find_element(By.CSS_SELECTOR, "input[name=has_children][value=yes]").is_selected()
    set_value(d, "marital_status", "widowed")
    wait_visible(d, ALWAYS | {"has_children", "children_count", "school_children"})
    set_value(d, "marital_status", "single")
    wait_visible(d, ALWAYS)

    # A section with its own condition, read from Arabic-Indic digits.
    set_value(d, "applicant_name", "سارة")
    set_value(d, "age", "٣٠")
    wait_visible(d, ALWAYS | {"monthly_income", "income_source"})
    assert not marked_required(d, "income_source")
    set_value(d, "monthly_income", "٣٥٠٠")
    wait(d).until(lambda d: marked_required(d, "income_source"))
    set_value(d, "income_source", "راتب تقاعدي")

    choose_channel(d)
    submit(d)
    assert_saved(d, "browser_conditions")
    # Hidden fields were not required and their (invalid) values were dropped.
    assert answers(d) == {
        "اسم مقدم الطلب": "سارة",
        "الحالة الاجتماعية": "أعزب",
        "العمر": "30",
        "الدخل الشهري": "3500",
        "مصدر الدخل": "راتب تقاعدي",
    }
    assert js_errors(d) == []


# --- 2. the browser and the server agree -----------------------------------------

CASES = {
    "nothing-chosen": [],
    "single-minor": [("marital_status", "single"), ("age", "17")],
    "married-no-children": [
        ("marital_status", "married"),
        ("has_children", "no"),
        ("age", "30"),
        ("monthly_income", "0"),
    ],
    "widowed-two-children-arabic-digits": [
        ("marital_status", "widowed"),
        ("has_children", "yes"),
        ("children_count", "2"),
        ("age", "١٨"),
        ("monthly_income", "٢٥٠٠"),
    ],
    "three-children-arabic-digits": [
        ("marital_status", "married"),
        ("has_children", "yes"),
        ("children_count", "٣"),
        ("age", "40"),
    ],
    "arabic-decimal-sign": [
        ("marital_status", "widowed"),
        ("has_children", "no"),
        ("age", "18"),
        ("monthly_income", "٠٫٥"),
    ],
}

EVERYTHING = [
    ("applicant_name", "نورة"),
    ("marital_status", "married"),
    ("spouse_name", "خالد"),
    ("has_children", "yes"),
    ("children_count", "5"),
    ("school_children", "3"),
    ("age", "45"),
    ("monthly_income", "1200"),
    ("income_source", "عمل حر"),
]


@pytest.mark.parametrize("steps", CASES.values(), ids=CASES.keys())
def test_server_requires_what_the_browser_marks_required(browser, live_server, steps):
    add_form(live_server.app, CONDITIONS)
    d = browser
    open_form(d, live_server.url("/forms/browser_conditions/new"))
    for name, value in [("applicant_name", "نورة"), *steps]:
        set_value(d, name, value)
    choose_channel(d)
    shown = visible_names(d)
    expected = required_and_empty(d)

    submit(d)
    if not expected:
        assert_saved(d, "browser_conditions")
        return
    assert d.find_element(By.CSS_SELECTOR, ".alert").text.startswith(NOT_SAVED)
    assert field_errors(d) == dict.fromkeys(expected, REQUIRED)
    # The page comes back with the same answers, so the same fields show.
    assert visible_names(d) == shown
    assert js_errors(d) == []


@pytest.mark.parametrize("steps", CASES.values(), ids=CASES.keys())
def test_server_stores_what_the_browser_shows(browser, live_server, steps):
    add_form(live_server.app, CONDITIONS)
    d = browser
    open_form(d, live_server.url("/forms/browser_conditions/new"))
    # Everything answered first, then the person changes their mind.
    for name, value in EVERYTHING + steps:
        set_value(d, name, value)
    choose_channel(d)
    shown = visible_names(d)

    submit(d)
    assert_saved(d, "browser_conditions")
    assert set(answers(d)) == {LABELS[name] for name in shown}
    assert js_errors(d) == []


# --- 3. repeat groups --------------------------------------------------------------


def rows(driver):
    return driver.find_elements(By.CSS_SELECTOR, '[data-name="members"] .repeat-rows > .repeat-row')


def fill_row(driver, row, name: str, relation: str, age: str, other: str = "") -> None:
    set_value(driver, "member_name", name, scope=row)
    set_value(driver, "relation", relation, scope=row)
    other_box = row.find_element(By.CSS_SELECTOR, '.field[data-name="relation_other"]')
    assert other_box.is_displayed() == (relation == "other")
    if other:
        set_value(driver, "relation_other", other, scope=row)
    set_value(driver, "member_age", age, scope=row)


def test_repeat_rows_are_added_removed_and_saved(browser, live_server):
    add_form(live_server.app, REPEAT)
    d = browser
    open_form(d, live_server.url("/forms/browser_repeat/new"))
    add = d.find_element(By.CSS_SELECTOR, '[data-name="members"] [data-add-row]')
    assert add.text == "إضافة فرد"
    assert len(rows(d)) == 1 and add.is_enabled()

    set_value(d, "head_name", "عبدالله")
    fill_row(d, rows(d)[0], "سعد", "son", "12")
    add.click()
    wait(d).until(lambda d: len(rows(d)) == 2)
    fill_row(d, rows(d)[1], "هند", "other", "40", other="زوجة الأخ")
    add.click()
    wait(d).until(lambda d: len(rows(d)) == 3)
    fill_row(d, rows(d)[2], "ليان", "other", "7", other="حفيدة")

    # The definition's max is 3.
    assert not add.is_enabled()
    assert [r.find_element(By.CSS_SELECTOR, "[data-row-number]").text for r in rows(d)] == [
        "1",
        "2",
        "3",
    ]

    # Removing a filled row asks first; saying no keeps it.
    rows(d)[1].find_element(By.CSS_SELECTOR, "[data-remove-row]").click()
    alert = wait(d).until(EC.alert_is_present())
    assert alert.text == "حذف هذا الصف؟"
    alert.dismiss()
    assert len(rows(d)) == 3
    rows(d)[1].find_element(By.CSS_SELECTOR, "[data-remove-row]").click()
    wait(d).until(EC.alert_is_present()).accept()
    wait(d).until(lambda d: len(rows(d)) == 2)
    assert add.is_enabled()
    assert [r.find_element(By.CSS_SELECTOR, "[data-row-number]").text for r in rows(d)] == [
        "1",
        "2",
    ]

    # An empty row goes without a question.
    add.click()
    wait(d).until(lambda d: len(rows(d)) == 3)
    rows(d)[2].find_element(By.CSS_SELECTOR, "[data-remove-row]").click()
    assert EC.alert_is_present()(d) is False
    wait(d).until(lambda d: len(rows(d)) == 2)

    choose_channel(d)
    submit(d)
    assert_saved(d, "browser_repeat")
    table = d.find_element(By.CSS_SELECTOR, ".answers .wide")
    assert table.find_element(By.TAG_NAME, "dt").text == "أفراد الأسرة"
    head = [th.text for th in table.find_elements(By.CSS_SELECTOR, "thead th")]
    assert head == ["#", "الاسم", "صلة القرابة", "صلة أخرى", "العمر"]
    body = [
        [td.text for td in tr.find_elements(By.TAG_NAME, "td")]
        for tr in table.find_elements(By.CSS_SELECTOR, "tbody tr")
    ]
    assert body == [["1", "سعد", "ابن", "", "12"], ["2", "ليان", "أخرى", "حفيدة", "7"]]
    assert js_errors(d) == []


def row_names(driver) -> list[str]:
    """The names of every answer input in the repeat's rows, as the browser will send them."""
    return [
        el.get_attribute("name")
        for row in rows(driver)
        for el in row.find_elements(By.CSS_SELECTOR, "input, select, textarea")
    ]


def fill_three_rows_and_remove_the_second(driver) -> None:
    add = driver.find_element(By.CSS_SELECTOR, '[data-name="members"] [data-add-row]')
    fill_row(driver, rows(driver)[0], "سعد", "son", "12")
    add.click()
    wait(driver).until(lambda d: len(rows(d)) == 2)
    fill_row(driver, rows(driver)[1], "هند", "daughter", "9")
    add.click()
    wait(driver).until(lambda d: len(rows(d)) == 3)
    # "other" with the other relation left empty: an error in the row shown second.
    fill_row(driver, rows(driver)[2], "ليان", "other", "7")
    rows(driver)[1].find_element(By.CSS_SELECTOR, "[data-remove-row]").click()
    wait(driver).until(EC.alert_is_present()).accept()
    wait(driver).until(lambda d: len(rows(d)) == 2)


def test_rows_come_back_after_an_error(browser, live_server):
    add_form(live_server.app, REPEAT)
    d = browser
    open_form(d, live_server.url("/forms/browser_repeat/new"))
    fill_three_rows_and_remove_the_second(d)
    choose_channel(d)
    submit(d)  # head_name left empty too

    assert d.find_element(By.CSS_SELECTOR, ".alert").text.startswith(NOT_SAVED)
    assert len(rows(d)) == 2
    assert [r.find_element(By.CSS_SELECTOR, "[data-row-number]").text for r in rows(d)] == [
        "1",
        "2",
    ]
    first, second = rows(d)
    assert first.find_element(By.CSS_SELECTOR, "[name$=-member_name]").get_property("value") == (
        "سعد"
    )
    assert second.find_element(By.CSS_SELECTOR, "[name$=-member_name]").get_property("value") == (
        "ليان"
    )
    # The row's error sits beside the row it belongs to, and only there.
    assert first.find_elements(By.CSS_SELECTOR, ".error") == []
    other = second.find_element(By.CSS_SELECTOR, '.field[data-name="relation_other"]')
    assert other.is_displayed()
    assert other.find_element(By.CSS_SELECTOR, ".error").text == REQUIRED
    assert field_errors(d)["head_name"] == REQUIRED
    assert js_errors(d) == []


def test_row_added_after_an_error_gets_its_own_names(browser, live_server):
    add_form(live_server.app, REPEAT)
    d = browser
    open_form(d, live_server.url("/forms/browser_repeat/new"))
    fill_three_rows_and_remove_the_second(d)
    choose_channel(d)
    submit(d)
    assert d.find_element(By.CSS_SELECTOR, ".alert").text.startswith(NOT_SAVED)

    set_value(d, "head_name", "عبدالله")
    set_value(d, "relation_other", "حفيدة", scope=rows(d)[1])
    d.find_element(By.CSS_SELECTOR, '[data-name="members"] [data-add-row]').click()
    wait(d).until(lambda d: len(rows(d)) == 3)
    names = row_names(d)
    assert len(names) == len(set(names)), sorted(names)
    fill_row(d, rows(d)[2], "نوف", "daughter", "3")
    submit(d)
    assert_saved(d, "browser_repeat")
    cells = d.find_elements(By.CSS_SELECTOR, ".answers .wide tbody tr td:nth-child(2)")
    assert [c.text for c in cells] == ["سعد", "ليان", "نوف"]


def test_remove_row_question_follows_the_language(browser, live_server):
    add_form(live_server.app, REPEAT)
    d = browser
    d.get(live_server.url("/lang/en?next=/forms/browser_repeat/new"))
    wait(d).until(EC.presence_of_element_located((By.CSS_SELECTOR, "form.rifd-form")))
    assert d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    set_value(d, "member_name", "Saad", scope=rows(d)[0])
    rows(d)[0].find_element(By.CSS_SELECTOR, "[data-remove-row]").click()
    alert = wait(d).until(EC.alert_is_present())
    question = alert.text
    alert.dismiss()
    assert not re.search("[\u0600-\u06ff]", question), question


# --- 4. signatures -----------------------------------------------------------------


def test_signature_is_drawn_saved_and_shown(browser, live_server):
    add_form(live_server.app, SIGNATURE)
    d = browser
    open_form(d, live_server.url("/forms/browser_signature/new"))
    set_value(d, "signer_name", "منى")
    canvas = d.find_element(By.CSS_SELECTOR, ".signature-pad canvas")
    hidden = d.find_element(By.CSS_SELECTOR, 'input[type=hidden][name="signature"]')
    assert hidden.get_property("value") == ""

    draw_signature(d, canvas)
    wait(d).until(lambda d: hidden.get_property("value").startswith(DATA_URL))

    # "Clear" empties both the pad and the answer; then sign again.
    d.find_element(By.CSS_SELECTOR, ".signature-pad [data-clear]").click()
    assert hidden.get_property("value") == ""
    assert d.execute_script(CANVAS_INKED, canvas) is False
    draw_signature(d, canvas)
    wait(d).until(lambda d: hidden.get_property("value").startswith(DATA_URL))
    drawn = base64.b64decode(hidden.get_property("value")[len(DATA_URL) :])
    assert png_size(drawn) == (600, 200)

    choose_channel(d)
    submit(d)
    assert_saved(d, "browser_signature")
    img = d.find_element(By.CSS_SELECTOR, "img.signature-img")
    wait(d).until(lambda d: d.execute_script("return arguments[0].complete", img))
    assert d.execute_script("return arguments[0].naturalWidth", img) == 600
    status, kind, data = fetch(img.get_attribute("src"), d)
    assert (status, kind) == (200, "image/png")
    assert data == drawn
    assert js_errors(d) == []


def signature_input(row):
    pad = row.find_element(By.CSS_SELECTOR, ".signature-pad")
    return row.find_element(By.ID, pad.get_attribute("data-input"))


def test_signature_in_an_added_row(browser, live_server):
    add_form(live_server.app, WITNESSES)
    d = browser
    open_form(d, live_server.url("/forms/browser_witnesses/new"))
    add = d.find_element(By.CSS_SELECTOR, '[data-name="witnesses"] [data-add-row]')
    witness_rows = '[data-name="witnesses"] .repeat-rows > .repeat-row'

    first = d.find_element(By.CSS_SELECTOR, witness_rows)
    set_value(d, "witness_name", "علي", scope=first)
    draw_signature(d, first.find_element(By.TAG_NAME, "canvas"))
    wait(d).until(lambda d: signature_input(first).get_property("value").startswith(DATA_URL))

    add.click()
    wait(d).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, witness_rows)) == 2)
    second = d.find_elements(By.CSS_SELECTOR, witness_rows)[1]
    set_value(d, "witness_name", "حسن", scope=second)
    draw_signature(d, second.find_element(By.TAG_NAME, "canvas"))
    try:
        wait(d, 3).until(
            lambda d: signature_input(second).get_property("value").startswith(DATA_URL)
        )
    except TimeoutException:
        pytest.fail("the signature drawn in the added row did not reach its input")

    choose_channel(d)
    submit(d)
    assert_saved(d, "browser_witnesses")
    assert len(d.find_elements(By.CSS_SELECTOR, ".answers .wide img.signature-img")) == 2


def test_required_channel_is_marked(browser, live_server):
    add_form(live_server.app, SIGNATURE)
    d = browser
    open_form(d, live_server.url("/forms/browser_signature/new"))
    label = d.find_element(By.CSS_SELECTOR, 'label[for="channel"]')
    assert marked_required(d, "signer_name")  # a required field of the form shows its mark
    assert label.find_element(By.CSS_SELECTOR, ".req").is_displayed()


# --- 5. public form on a phone -----------------------------------------------------

REF = re.compile(r"[A-Z]{1,4}-\d{4}-\d{5}")


def assert_rtl_arabic(driver) -> None:
    html = driver.find_element(By.TAG_NAME, "html")
    assert (html.get_attribute("dir"), html.get_attribute("lang")) == ("rtl", "ar")


def assert_fits_the_screen(driver) -> None:
    widths = driver.execute_script(
        "return [document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert widths[0] <= widths[1], f"the page scrolls sideways: {widths}"


def test_public_form_on_a_phone(phone, live_server):
    add_form(live_server.app, PUBLIC)
    d = phone
    open_form(d, live_server.url("/f/browser_public"))
    assert d.execute_script("return window.innerWidth") == 412
    assert_rtl_arabic(d)
    assert d.find_elements(By.ID, "channel") == []  # the public page has no intake channel
    assert_fits_the_screen(d)

    set_value(d, "full_name", "فاطمة")
    set_value(d, "mobile", "0551234567")
    set_value(d, "visit_rating", "5")
    assert not box(d, "callback_time").is_displayed()
    set_value(d, "wants_callback", "yes")
    wait(d).until(lambda d: box(d, "callback_time").is_displayed())
    set_value(d, "callback_time", "evening")
    set_value(d, "comments", "خدمة ممتازة وتعامل راقٍ.")
    assert_fits_the_screen(d)
    full_page_screenshot(d, "/tmp/rifd_public.png", 412, phone=True)
    d.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 412, "height": 915, "deviceScaleFactor": 1, "mobile": True},
    )

    submit(d)
    assert d.current_url == live_server.url("/f/browser_public/thanks")
    assert_rtl_arabic(d)
    shown = d.find_element(By.CSS_SELECTOR, ".ref")
    assert shown.is_displayed()
    ref = shown.text
    assert REF.fullmatch(ref), ref
    assert ref.startswith("BP-")
    assert_fits_the_screen(d)
    assert js_errors(d) == []

    # The staff, once signed in, see the same reference among the form's submissions.
    signed_in(d, live_server.app)
    d.get(live_server.url("/forms/browser_public/submissions"))
    refs = [a.text for a in d.find_elements(By.CSS_SELECTOR, "tbody td:first-child a")]
    assert refs == [ref]


# --- 6. errors come back beside the field, answers kept ---------------------------


def test_invalid_national_id_comes_back_with_the_answers(browser, live_server):
    add_form(live_server.app, ERRORS)
    d = browser
    open_form(d, live_server.url("/forms/browser_errors/new"))
    typed = [
        ("full_name", "محمد العلي"),
        ("national_id", "1000000000"),
        ("mobile", "0501234567"),
        ("city", "mubarraz"),
        ("gender", "male"),
        ("needs", "food,bills"),
        ("has_income", "no"),
        ("notes", "يراجع الباحث الاجتماعي الحالة."),
    ]
    for name, value in typed:
        set_value(d, name, value)
    canvas = d.find_element(By.CSS_SELECTOR, ".signature-pad canvas")
    draw_signature(d, canvas)
    signature = d.find_element(By.NAME, "signature")
    wait(d).until(lambda d: signature.get_property("value").startswith(DATA_URL))
    signed = signature.get_property("value")
    choose_channel(d)

    submit(d)
    assert d.current_url == live_server.url("/forms/browser_errors/new")
    assert d.find_element(By.CSS_SELECTOR, ".alert").text.startswith(NOT_SAVED)
    assert field_errors(d) == {"national_id": BAD_ID}

    # The message sits beside (under) the field and is tied to its input.
    field = box(d, "national_id")
    message = field.find_element(By.CSS_SELECTOR, ".error")
    entry = field.find_element(By.NAME, "national_id")
    assert message.is_displayed()
    assert entry.get_attribute("aria-invalid") == "true"
    assert entry.get_attribute("aria-describedby") == message.get_attribute("id")
    assert message.location["y"] >= entry.location["y"] + entry.size["height"] - 1

    # Everything typed is still there.
    assert d.find_element(By.NAME, "full_name").get_property("value") == "محمد العلي"
    assert entry.get_property("value") == "1000000000"
    assert d.find_element(By.NAME, "mobile").get_property("value") == "0501234567"
    assert Select(d.find_element(By.NAME, "city")).first_selected_option.text == "المبرز"
    assert d.find_element(By.CSS_SELECTOR, "input[name=gender][value=male]").is_selected()
    ticked = d.find_elements(By.CSS_SELECTOR, "input[name=needs]:checked")
    assert [c.get_attribute("value") for c in ticked] == ["food", "bills"]
    assert d.find_element(By.CSS_SELECTOR, "input[name=has_income][value=no]").is_selected()
    assert d.find_element(By.NAME, "notes").get_property("value") == typed[-1][1]
    assert Select(d.find_element(By.ID, "channel")).first_selected_option.get_attribute(
        "value"
    ) == ("interview")
    assert d.find_element(By.NAME, "signature").get_property("value") == signed
    canvas = d.find_element(By.CSS_SELECTOR, ".signature-pad canvas")
    wait(d).until(lambda d: d.execute_script(CANVAS_INKED, canvas))

    # Correcting the one digit is enough.
    set_value(d, "national_id", "1000000008")
    submit(d)
    assert_saved(d, "browser_errors")
    shown = answers(d)
    assert shown["رقم الهوية"].startswith("1•••••••08")  # masked until revealed
    assert shown["الاحتياج"] == "سلة غذائية، فواتير"
    assert d.find_elements(By.CSS_SELECTOR, "img.signature-img")
    assert js_errors(d) == []


# --- screenshot of a shipped form --------------------------------------------------


def test_support_request_page_screenshot(browser, live_server):
    if live_server.app.extensions["rifd_forms"].get("support_request") is None:
        pytest.skip("forms/library/support_request.json is not in the library")
    d = browser
    open_form(d, live_server.url("/forms/support_request/new"))
    assert_rtl_arabic(d)
    try:
        d.find_element(By.CSS_SELECTOR, "form.rifd-form button[type=submit]")
    except NoSuchElementException:
        pytest.fail("the support request page has no submit button")
    full_page_screenshot(d, "/tmp/rifd_support_request.png", 1280)
    assert js_errors(d) == []
