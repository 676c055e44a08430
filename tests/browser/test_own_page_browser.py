"""The beneficiary's own page on a phone: ask for the code, enter it, see his research
visit, send the document staff asked for and download his letter, as he would from the
link in his message."""

from __future__ import annotations

import datetime as dt

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from cases.service import CASES
from forms.dates import saudi_today
from tests.browser.conftest import js_errors
from tests.cases.conftest import People, move, post, submit_request
from tests.cases.test_own_page import PDF, last_code, own_path


def shows(phone, words: str) -> None:
    """Wait for the page the last click opened to say `words` (a click does not wait)."""
    WebDriverWait(phone, 20).until(lambda d: words in d.page_source)


FETCH = """
const done = arguments[arguments.length - 1];
fetch(arguments[0]).then(r => r.arrayBuffer().then(b => done([r.status,
  String.fromCharCode(...new Uint8Array(b.slice(0, 2)))])));
"""


def test_he_opens_his_page_with_the_code_sends_a_document_and_gets_his_letter(
    app, live_server, phone, tmp_path
):
    store = app.extensions["rifd_store"]
    people = People(app)
    cid = submit_request(people["sara"], "interview")
    post(people["sara"], f"/cases/{cid}", f"/cases/{cid}/letter/declaration")
    asked = {"kind": "document", "note": "صورة صك الإعالة"}
    assert post(people["sara"], f"/cases/{cid}", f"/cases/{cid}/missing", asked).status_code == 302
    assert move(people["sara"], cid, "refer", {"note": "زيارة منزلية"}).status_code == 302
    visit = {"visit_day": (saudi_today() + dt.timedelta(days=2)).isoformat(), "visit_time": "16:45"}
    assert post(people["ali"], f"/cases/{cid}", f"/cases/{cid}/visit", visit).status_code == 302
    path = own_path(store, cid)
    phone.get(live_server.url(path))
    assert phone.find_element(By.TAG_NAME, "html").get_attribute("dir") == "rtl"
    phone.find_element(By.ID, "send-code").click()
    shows(phone, "أرسلنا رمزًا")
    phone.find_element(By.ID, "code").send_keys(last_code(store, cid))
    phone.find_element(By.ID, "enter-code").click()
    WebDriverWait(phone, 20).until(lambda d: d.find_elements(By.ID, "own-name"))
    assert store.get(CASES, cid)["name"] in phone.find_element(By.ID, "own-name").text
    # Nothing runs off the phone's screen.
    width = phone.execute_script("return document.documentElement.scrollWidth")
    assert width <= 412, width
    scan = tmp_path / "bill.pdf"
    scan.write_bytes(PDF)
    assert "16:45" in phone.find_element(By.ID, "own-visit").text
    what = Select(phone.find_element(By.ID, "what")).first_selected_option.text
    assert what == "صورة صك الإعالة"  # what staff asked for comes first
    phone.find_element(By.ID, "document").send_keys(str(scan))
    phone.find_element(By.ID, "upload").click()
    shows(phone, "وصل المستند")
    assert what in phone.find_element(By.ID, "own-sent").text
    assert store.get(CASES, cid)["documents"][0]["what"] == what
    assert store.get(CASES, cid)["missing"][0]["state"] == "settled"
    link = phone.find_element(By.CSS_SELECTOR, "#own-letters a[href$='.docx']")
    status, start = phone.execute_async_script(FETCH, link.get_attribute("href"))
    assert (status, start) == (200, "PK")
    assert js_errors(phone) == []
