"""The form editor as a quality officer uses it in Chromium: build, reorder, publish, fill, export.

The officer signs in with the quality_officer role only. Everything is done through
the editor's page (no JSON typed anywhere); the public link is then filled twice as
a beneficiary would, and both submissions are looked for in the Excel export.
"""

from __future__ import annotations

import io
import urllib.request

import pytest
from openpyxl import load_workbook
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from forms import drafts, versions
from tests.browser.conftest import js_errors, signed_in
from tests.web.editor_helpers import survey

pytestmark = pytest.mark.browser

WAIT = 10
FORM = "family_survey"
CHOICES = [("single", "أعزب"), ("married", "متزوج"), ("widowed", "أرمل")]


def card(d, item: str):
    return d.find_element(By.CSS_SELECTOR, f"[data-item='{item}']")


def prop(d, item: str, name: str):
    return card(d, item).find_element(By.CSS_SELECTOR, f"[data-prop='{name}']")


def type_into(element, text: str) -> None:
    element.clear()
    element.send_keys(text)


def status_is(d, text: str) -> None:
    WebDriverWait(d, WAIT).until(
        lambda _d: text in _d.find_element(By.ID, "editor-status").text,
        f"status never said {text!r}",
    )


def checked(d) -> None:
    """Wait until the server has checked the latest change (no check pending, none running)."""
    editor = d.find_element(By.ID, "form-editor")
    WebDriverWait(d, WAIT).until(lambda _d: editor.get_attribute("aria-busy") == "false")


def titles(d, container: str) -> list[str]:
    items = d.find_elements(By.CSS_SELECTOR, f"[data-container='{container}'] > .ed-item .ed-title")
    return [e.text for e in items]


def add_field(d, section: str, kind: str) -> None:
    adder = card(d, section).find_element(By.CSS_SELECTOR, ":scope > .ed-body > .ed-adder")
    Select(adder.find_element(By.CSS_SELECTOR, "[data-role='new-type']")).select_by_value(kind)
    adder.find_element(By.CSS_SELECTOR, "[data-action='add-field']").click()


def create_form(d, live_server) -> None:
    d.get(live_server.url("/editor/"))
    d.find_element(By.ID, "form_id").send_keys(FORM)
    d.find_element(By.ID, "title_ar").send_keys("استبيان الأسرة")
    d.find_element(By.CSS_SELECTOR, "#new-form button[type=submit]").click()
    WebDriverWait(d, WAIT).until(EC.url_matches(rf"/editor/{FORM}$"))
    status_is(d, "فُتحت المسودة المحفوظة")


def build_the_survey(d) -> None:
    """A public form: a name, a select_one of three choices, a field shown for one of them."""
    prop(d, "form", "public").click()
    f = "sections[0].fields"
    card(d, f"{f}[0]").find_element(By.CSS_SELECTOR, ".ed-title").click()
    type_into(prop(d, f"{f}[0]", "label.ar"), "الاسم")
    add_field(d, "sections[0]", "select_one")
    type_into(prop(d, f"{f}[1]", "name"), "marital_status")
    type_into(prop(d, f"{f}[1]", "label.ar"), "الحالة الاجتماعية")
    prop(d, f"{f}[1]", "required").click()
    card(d, f"{f}[1]").find_element(By.CSS_SELECTOR, "[data-action='add-choice']").click()
    for i, (value, label) in enumerate(CHOICES):
        type_into(prop(d, f"{f}[1]", f"choices[{i}].value"), value)
        type_into(prop(d, f"{f}[1]", f"choices[{i}].label.ar"), label)
    add_field(d, "sections[0]", "text")
    type_into(prop(d, f"{f}[2]", "name"), "spouse_name")
    type_into(prop(d, f"{f}[2]", "label.ar"), "اسم الزوج أو الزوجة")
    use_condition_helper(d, f"{f}[2]")


def use_condition_helper(d, item: str) -> None:
    widget = card(d, item).find_element(By.CSS_SELECTOR, ".ed-condition[data-key='visible_if']")
    Select(widget.find_element(By.CSS_SELECTOR, "[data-role='cond-field']")).select_by_value(
        "marital_status"
    )
    Select(widget.find_element(By.CSS_SELECTOR, "[data-role='cond-op']")).select_by_value("==")
    Select(widget.find_element(By.CSS_SELECTOR, "[data-role='cond-value']")).select_by_value(
        "married"
    )
    widget.find_element(By.CSS_SELECTOR, "[data-action='cond-add']").click()
    box = widget.find_element(By.CSS_SELECTOR, "[data-prop='visible_if']")
    assert box.get_attribute("value") == "marital_status == 'married'"
    said = widget.find_element(By.CSS_SELECTOR, ".ed-cond-problems")
    # Read back in words, with the labels the person typed, not the codes.
    WebDriverWait(d, WAIT).until(lambda _d: said.text.startswith("يظهر إذا كان"))
    assert said.text == "يظهر إذا كان «الحالة الاجتماعية» = «متزوج»"


def reorder(d) -> None:
    """The choice question first (button), the name question last (drag and drop)."""
    f = "sections[0].fields"
    card(d, f"{f}[1]").find_element(By.CSS_SELECTOR, "[data-action='up']").click()
    assert titles(d, "sections[0]") == ["الحالة الاجتماعية", "الاسم", "اسم الزوج أو الزوجة"]
    handle = card(d, f"{f}[1]").find_element(By.CSS_SELECTOR, ".ed-handle")
    last = card(d, f"{f}[2]").find_element(By.CSS_SELECTOR, ".ed-head")
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", last)
    ActionChains(d).click_and_hold(handle).move_to_element(last).move_by_offset(
        0, 12
    ).release().perform()
    WebDriverWait(d, WAIT).until(
        lambda _d: (
            titles(_d, "sections[0]") == ["الحالة الاجتماعية", "اسم الزوج أو الزوجة", "الاسم"]
        )
    )


def fill_public(d, url: str, status: str, spouse: str | None, name: str) -> str:
    d.get(url)
    spouse_box = d.find_element(By.CSS_SELECTOR, ".field[data-name='spouse_name']")
    assert not spouse_box.is_displayed()
    Select(d.find_element(By.ID, "marital_status")).select_by_value(status)
    assert spouse_box.is_displayed() is (spouse is not None)
    if spouse is not None:
        d.find_element(By.ID, "spouse_name").send_keys(spouse)
    d.find_element(By.CSS_SELECTOR, "[data-name='field_1'] input").send_keys(name)
    d.find_element(By.CSS_SELECTOR, "form.rifd-form button[type=submit]").click()
    WebDriverWait(d, WAIT).until(EC.url_matches(rf"/f/{FORM}/thanks$"))
    return d.find_element(By.CSS_SELECTOR, ".ref").text


def export_rows(d, live_server) -> list[dict]:
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in d.get_cookies())
    request = urllib.request.Request(  # noqa: S310 (our live server)
        live_server.url(f"/forms/{FORM}/export.xlsx"), headers={"Cookie": cookie}
    )
    with urllib.request.urlopen(request, timeout=WAIT) as response:  # noqa: S310
        sheet = load_workbook(io.BytesIO(response.read())).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_a_quality_officer_builds_publishes_and_the_public_fills_it(officer, app, live_server):
    d = officer
    create_form(d, live_server)
    build_the_survey(d)
    reorder(d)
    d.find_element(By.CSS_SELECTOR, "[data-action='publish']").click()
    status_is(d, "نُشر الإصدار 1")
    link = d.find_element(By.ID, "public-link")
    WebDriverWait(d, WAIT).until(lambda _d: link.is_displayed())
    public_url = link.get_attribute("href")
    assert public_url == live_server.url(f"/f/{FORM}")
    assert js_errors(d) == []

    # Leave the editor first: a preview it was still refreshing, asked for once the
    # cookies are gone, would be sent to the sign-in page, which refuses to be framed.
    d.get("about:blank")
    d.execute_cdp_cmd("Network.clearBrowserCookies", {})  # now a beneficiary with the link
    married = fill_public(d, public_url, "married", "نورة", "سالم")
    single = fill_public(d, public_url, "single", None, "خالد")
    assert married != single
    assert js_errors(d) == []

    signed_in(d, app, "huda", ["quality_officer"])
    by_ref = {row["رقم المرجع"]: row for row in export_rows(d, live_server)}
    assert set(by_ref) == {married, single}
    assert by_ref[married]["الحالة الاجتماعية"] == "متزوج"
    assert by_ref[married]["اسم الزوج أو الزوجة"] == "نورة"
    assert by_ref[single]["الحالة الاجتماعية"] == "أعزب"
    assert by_ref[single]["اسم الزوج أو الزوجة"] is None
    assert by_ref[single]["الاسم"] == "خالد" and by_ref[single]["إصدار النموذج"] == 1
    # The headers follow the order the officer gave the questions.
    header = list(by_ref[married])
    names = ["الحالة الاجتماعية", "اسم الزوج أو الزوجة", "الاسم"]
    assert sorted(names, key=header.index) == names


@pytest.fixture
def drafted(app):
    """The family survey saved as a draft (set up through the store; the editor opens it)."""
    drafts.save(app.extensions["rifd_store"], FORM, survey(), by="huda", revision=0, based_on=None)


def in_preview(d, check):
    """Run `check` inside the preview frame once it shows the current draft."""
    d.switch_to.frame(d.find_element(By.ID, "preview-frame"))
    try:
        return check()
    finally:
        d.switch_to.default_content()


def test_the_preview_shows_the_form_with_its_conditions_working(officer, live_server, drafted):
    d = officer
    d.get(live_server.url(f"/editor/{FORM}"))
    status_is(d, "فُتحت المسودة المحفوظة")

    def spouse_follows_the_choice():
        WebDriverWait(d, WAIT).until(EC.presence_of_element_located((By.ID, "status")))
        assert d.find_element(By.TAG_NAME, "html").get_attribute("dir") == "rtl"
        spouse = d.find_element(By.CSS_SELECTOR, ".field[data-name='spouse']")
        assert not spouse.is_displayed()
        Select(d.find_element(By.ID, "status")).select_by_value("married")
        assert spouse.is_displayed()
        Select(d.find_element(By.ID, "status")).select_by_value("widowed")
        assert not spouse.is_displayed()
        assert d.find_element(By.CSS_SELECTOR, "button[type=submit]").get_attribute("disabled")

    in_preview(d, spouse_follows_the_choice)

    # A change in the editor reaches the preview: the condition now names the widowed.
    f = "sections[0].fields[1]"
    card(d, f).find_element(By.CSS_SELECTOR, ".ed-title").click()
    type_into(prop(d, f, "visible_if"), "status == 'widowed'")
    checked(d)

    def spouse_follows_the_new_condition():
        # The preview reloads with the new draft: what was found may be gone a moment later.
        WebDriverWait(d, WAIT, ignored_exceptions=(StaleElementReferenceException,)).until(
            lambda _d: (
                "widowed"
                in _d.find_element(By.CSS_SELECTOR, ".field[data-name='spouse']").get_attribute(
                    "data-visible-if"
                )
            )
        )
        Select(d.find_element(By.ID, "status")).select_by_value("widowed")
        assert d.find_element(By.CSS_SELECTOR, ".field[data-name='spouse']").is_displayed()

    in_preview(d, spouse_follows_the_new_condition)
    assert js_errors(d) == []


def test_an_invalid_edit_is_named_beside_its_field_and_blocks_publishing(
    officer, app, live_server, drafted
):
    d = officer
    d.get(live_server.url(f"/editor/{FORM}"))
    status_is(d, "فُتحت المسودة المحفوظة")
    publish = d.find_element(By.CSS_SELECTOR, "[data-action='publish']")
    assert publish.is_enabled()

    f = "sections[0].fields[1]"
    card(d, f).find_element(By.CSS_SELECTOR, ".ed-title").click()
    type_into(prop(d, f, "name"), "Spouse Name")
    type_into(prop(d, f, "visible_if"), "status = 'married' && kids")
    checked(d)
    name_problem = card(d, f).find_element(
        By.CSS_SELECTOR, "[data-control='name'] .ed-problem[data-for='name']"
    )
    assert "غير صالح" in name_problem.text
    said = card(d, f).find_element(By.CSS_SELECTOR, "[data-control='visible_if'] .ed-cond-problems")
    WebDriverWait(d, WAIT).until(lambda _d: "اكتب and بدل &&" in said.text)
    assert card(d, f).find_element(By.CSS_SELECTOR, ".ed-badge").text == "2"
    assert not publish.is_enabled()

    # Even forced, the server refuses to publish and says why.
    d.find_element(By.CSS_SELECTOR, "[data-action='save']").click()
    status_is(d, "وفيها أخطاء تمنع نشرها")
    d.execute_script("arguments[0].disabled = false; arguments[0].click();", publish)
    status_is(d, "لم يُنشر النموذج")
    assert versions.listing(app.extensions["rifd_store"], FORM) == []

    # Fixed, it publishes.
    type_into(prop(d, f, "name"), "spouse")
    type_into(prop(d, f, "visible_if"), "status == 'married'")
    checked(d)
    WebDriverWait(d, WAIT).until(lambda _d: publish.is_enabled())
    assert d.find_elements(By.CSS_SELECTOR, ".ed-problem") == []
    publish.click()
    status_is(d, "نُشر الإصدار 1")
    assert js_errors(d) == []


def test_a_new_fields_name_follows_its_arabic_label_until_one_is_written(officer, live_server):
    d = officer
    create_form(d, live_server)
    f = "sections[0].fields"
    add_field(d, "sections[0]", "text")
    type_into(prop(d, f"{f}[1]", "label.ar"), "رقم الجوال")
    assert prop(d, f"{f}[1]", "name").get_property("value") == "rqm_aljwal"
    add_field(d, "sections[0]", "text")
    type_into(prop(d, f"{f}[2]", "label.ar"), "رقم الجوال")  # the same label: numbered
    assert prop(d, f"{f}[2]", "name").get_property("value") == "rqm_aljwal_2"
    type_into(prop(d, f"{f}[2]", "name"), "mobile")  # written by the person: kept
    type_into(prop(d, f"{f}[2]", "label.ar"), "الجوال")
    assert prop(d, f"{f}[2]", "name").get_property("value") == "mobile"
    # The field the form was made with is not new here: its name never moves.
    card(d, f"{f}[0]").find_element(By.CSS_SELECTOR, ".ed-title").click()
    before = prop(d, f"{f}[0]", "name").get_property("value")
    type_into(prop(d, f"{f}[0]", "label.ar"), "الاسم الكامل")
    assert prop(d, f"{f}[0]", "name").get_property("value") == before
    assert js_errors(d) == []


def test_other_and_a_choice_filter_are_set_in_the_editor(officer, app, live_server, drafted):
    d = officer
    d.get(live_server.url(f"/editor/{FORM}"))
    status_is(d, "فُتحت المسودة المحفوظة")
    f = "sections[0].fields[0]"
    card(d, f).find_element(By.CSS_SELECTOR, ".ed-title").click()
    prop(d, f, "or_other").click()
    type_into(prop(d, f, "choice_filter"), "choice('value') != 'widowed'")
    checked(d)
    assert card(d, f).find_elements(By.CSS_SELECTOR, ".ed-problem") == []

    def other_and_no_widowed():
        WebDriverWait(d, WAIT).until(
            lambda _d: _d.find_elements(By.CSS_SELECTOR, "#status option[value=other]")
        )
        widowed = d.find_element(By.CSS_SELECTOR, "#status option[value=widowed]")
        assert widowed.get_property("hidden") and not widowed.is_enabled()
        other = d.find_element(By.CSS_SELECTOR, ".field[data-name='status_other']")
        assert not other.is_displayed()
        Select(d.find_element(By.ID, "status")).select_by_value("other")
        assert other.is_displayed()

    in_preview(d, other_and_no_widowed)
    d.find_element(By.CSS_SELECTOR, "[data-action='save']").click()
    status_is(d, "حُفظت المسودة")
    saved = drafts.get(app.extensions["rifd_store"], FORM)["definition"]["sections"][0]
    assert saved["fields"][0]["or_other"] is True
    assert saved["fields"][0]["choice_filter"] == "choice('value') != 'widowed'"
    assert js_errors(d) == []
