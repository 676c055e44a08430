"""A file field that takes several files, in Chromium: on a phone the input offers the
camera where pictures are wanted, each pick adds to the list, and every file is sent;
in the form editor the field is made to take several files and the camera."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from forms import drafts
from submissions import service
from tests.browser.conftest import add_form, js_errors
from tests.browser.test_editor_browser import (
    FORM,
    add_field,
    card,
    checked,
    create_form,
    prop,
    status_is,
    type_into,
)
from tests.web.conftest import PDF, PNG
from tests.web.test_multi_files import PAPERS

pytestmark = pytest.mark.browser

WAIT = 10


def chosen(d) -> list[str]:
    items = d.find_elements(By.CSS_SELECTOR, "[data-chosen='papers'] li")
    return [item.text.rsplit(" ", 1)[0] for item in items]


def test_several_files_picked_on_a_phone_are_all_sent(phone, app, live_server, tmp_path):
    add_form(app, PAPERS)
    paths = {}
    for name, data in (("عقد.pdf", PDF + b"%1"), ("هوية.png", PNG), ("صك.pdf", PDF + b"%3")):
        paths[name] = tmp_path / name
        paths[name].write_bytes(data)
    d = phone
    d.get(live_server.url("/f/papers"))

    papers = d.find_element(By.ID, "papers")
    assert papers.get_dom_attribute("multiple") is not None
    assert papers.get_dom_attribute("capture") is None
    assert "image/jpeg" in papers.get_dom_attribute("accept")
    photo = d.find_element(By.ID, "photo")
    assert photo.get_dom_attribute("capture") == "environment"
    assert photo.get_dom_attribute("accept") == "image/jpeg,.jpg,.jpeg,image/png,.png"
    deed = d.find_element(By.ID, "deed")
    assert deed.get_dom_attribute("capture") is None  # a PDF may come: never force the camera
    assert "application/pdf" in deed.get_dom_attribute("accept")

    # Two at once, then a third as a phone's camera gives it: each pick adds.
    papers.send_keys(f"{paths['عقد.pdf']}\n{paths['هوية.png']}")
    WebDriverWait(d, WAIT).until(lambda _d: len(chosen(d)) == 2)
    papers.send_keys(str(paths["صك.pdf"]))
    WebDriverWait(d, WAIT).until(lambda _d: len(chosen(d)) == 3)
    assert chosen(d) == ["عقد.pdf", "هوية.png", "صك.pdf"]
    assert d.execute_script("return arguments[0].files.length", papers) == 3
    # One taken off before sending.
    d.find_element(By.CSS_SELECTOR, "[data-chosen='papers'] li:nth-child(3) button").click()
    assert chosen(d) == ["عقد.pdf", "هوية.png"]

    d.find_element(By.ID, "applicant").send_keys("نورة")
    d.find_element(By.CSS_SELECTOR, "form.rifd-form button[type=submit]").click()
    WebDriverWait(d, WAIT).until(EC.url_matches(r"/f/papers/thanks$"))
    assert js_errors(d) == []

    store = app.extensions["rifd_store"]
    (record,) = store.find(service.collection("papers"))
    files = record["answers"]["papers"]
    assert [f["name"] for f in files] == ["عقد.pdf", "هوية.png"]
    assert [store.read_file(f["sha256"]) for f in files] == [PDF + b"%1", PNG]


def test_the_editor_lets_a_file_field_take_several_files_and_the_camera(officer, app, live_server):
    d = officer
    create_form(d, live_server)
    item = "sections[0].fields[1]"
    add_field(d, "sections[0]", "file")
    type_into(prop(d, item, "label.ar"), "صور المنزل")
    assert not card(d, item).find_elements(By.CSS_SELECTOR, "[data-prop='max_files']")
    prop(d, item, "multiple").click()  # its limits appear, the box keeps the focus
    assert d.switch_to.active_element == prop(d, item, "multiple")
    type_into(prop(d, item, "max_files"), "4")
    type_into(prop(d, item, "max_total_mb"), "12")
    prop(d, item, "camera").click()
    checked(d)

    def saved() -> dict:
        d.find_element(By.CSS_SELECTOR, "[data-action='save']").click()
        status_is(d, "حُفظت المسودة")
        draft = drafts.get(app.extensions["rifd_store"], FORM)
        return draft["definition"]["sections"][0]["fields"][1]

    field = saved()
    assert (field["multiple"], field["max_files"], field["max_total_mb"]) == (True, 4, 12)
    assert field["camera"] is True
    # Back to one file: its limits go with it.
    prop(d, item, "multiple").click()
    assert not card(d, item).find_elements(By.CSS_SELECTOR, "[data-prop='max_files']")
    checked(d)
    field = saved()
    assert not {"multiple", "max_files", "max_total_mb"} & set(field) and field["camera"] is True
    assert js_errors(d) == []
