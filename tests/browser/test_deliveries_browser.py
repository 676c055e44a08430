"""The recipient signs a voucher on the delivery's page, in Chromium: the voucher prints it."""

from __future__ import annotations

import io
import zipfile

from selenium.webdriver.common.by import By

from tests.browser.conftest import js_errors
from tests.browser.test_forms_browser import draw_signature, wait

DELIVERY = {
    "kind": "in_kind",
    "date": "2026-11-20",
    "name": "منى سعد الدوسري",
    "national_id": "1000000008",
    "beneficiary_id": 1,
    "quantity": 2,
    "description": "سلة غذائية",
    "proofs": [],
    "vouchers": [],
    "transfer": None,
}


def test_a_receipt_voucher_carries_the_signature_drawn_on_the_page(browser, live_server):
    data = live_server.app.extensions["rifd_store"]
    did = data.insert("deliveries", DELIVERY)
    d = browser
    d.get(live_server.url(f"/deliveries/{did}"))
    form = d.find_element(By.ID, "voucher-receipt_voucher")
    hidden = form.find_element(By.CSS_SELECTOR, 'input[type=hidden][name="signature"]')
    draw_signature(d, form.find_element(By.CSS_SELECTOR, ".signature-pad canvas"))
    wait(d).until(lambda d: hidden.get_property("value").startswith("data:image/png;base64,"))
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(d).until(lambda d: data.get("deliveries", did)["vouchers"])
    [voucher] = data.get("deliveries", did)["vouchers"]
    assert voucher["number"].startswith("RV/") and voucher["signature"]["sha256"]
    letter = data.get("letters", voucher["letter_id"])
    with zipfile.ZipFile(io.BytesIO(data.read_file(letter["sha256"]))) as docx:
        body = docx.read("word/document.xml").decode()
    assert body.count("<w:drawing") == 1 and "منى سعد الدوسري" in body
    wait(d).until(lambda d: voucher["number"] in d.page_source)
    assert js_errors(d) == []
