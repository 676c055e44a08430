"""A letter issued by mistake is voided with a reason: kept, marked, its number never reused."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook

from accounts.audit import COLLECTION as AUDIT
from cases.service import CASES
from letters.issue import REGISTER
from tests.cases.conftest import move, post, submit_request
from tests.cases.test_letters_say_the_decision import docx_text

REASON = "صدر باسم خاطئ"


def declaration(client, cid: int, **data):
    return post(client, f"/cases/{cid}", f"/cases/{cid}/letter/declaration", data)


def void(client, lid: int, reason: str | None = REASON):
    data = {} if reason is None else {"reason": reason}
    return post(client, f"/letters/{lid}", f"/letters/{lid}/void", data)


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_a_voided_letter_stays_in_the_register_marked_and_its_page_says_so(store, people):
    sara = people["sara"]
    cid = submit_request(sara, "interview")
    assert declaration(sara, cid).status_code == 302
    [letter] = list(store.iter(REGISTER))
    lid, number = letter["id"], letter["number"]
    page = sara.get(f"/letters/{lid}").get_data(as_text=True)
    assert 'id="void-form"' in page and "data-confirm=" in page  # asks before it is sent
    assert 'id="void-form"' not in people["vera"].get(f"/letters/{lid}").get_data(as_text=True)

    assert void(people["vera"], lid).status_code == 403
    missing = void(sara, lid, "")
    assert missing.status_code == 400 and "اكتب سبب إلغاء الخطاب." in text(missing)
    long = void(sara, lid, "س" * 501)
    assert long.status_code == 400 and "سبب الإلغاء أطول من المسموح (500 حرف)." in text(long)
    assert post(sara, "/letters/", "/letters/999/void", {"reason": REASON}).status_code == 404
    assert "void" not in store.get(REGISTER, lid)

    done = void(sara, lid)
    assert done.status_code == 302 and done.headers["Location"] == f"/letters/{lid}"
    shown = text(sara.get(f"/letters/{lid}"))
    assert "هذا الخطاب ملغى ولا يُعتد به." in shown and f"سبب الإلغاء: {REASON}" in shown
    assert 'id="void-form"' not in sara.get(f"/letters/{lid}").get_data(as_text=True)
    again = void(sara, lid, "مرة ثانية")
    assert again.status_code == 400 and "هذا الخطاب ملغى من قبل." in text(again)
    assert store.get(REGISTER, lid)["void"]["reason"] == REASON

    register = sara.get("/letters/").get_data(as_text=True)
    row = register.split(number)[1].split("</tr>")[0]
    assert "ملغى" in row and REASON in row
    assert "ملغى" in text(sara.get(f"/cases/{cid}")).split("الخطابات")[1]

    sheet = load_workbook(io.BytesIO(sara.get("/letters/register.xlsx").data)).worksheets[0]
    header, first = ([c.value for c in r] for r in list(sheet.iter_rows())[:2])
    values = dict(zip(header, first, strict=True))
    assert values["الرقم"] == number and values["سبب الإلغاء"] == REASON
    assert values["الحالة"].startswith("ملغى ")

    [entry] = [e for e in store.iter(AUDIT) if e["action"] == "void"]
    assert (entry["actor"], entry["entity"], entry["entity_id"]) == ("sara", "letter", str(lid))
    assert entry["after"] == {"number": number, "void": True, "reason": REASON}


def test_the_verify_page_of_a_voided_letter_says_it_is_void_and_why(store, people, anon):
    sara = people["sara"]
    cid = submit_request(sara, "interview")
    declaration(sara, cid)
    [letter] = list(store.iter(REGISTER))
    code = letter["code"]
    before = text(anon.get(f"/verify/{code}"))
    assert "ملغى" not in before
    word = sara.get(f"/letters/{letter['id']}.docx")
    assert number_in(word.headers["Content-Disposition"]) == letter["number"].replace("/", "-")
    void(sara, letter["id"])

    page = text(anon.get(f"/verify/{code}"))
    assert "هذا الخطاب ملغى ولا يُعتد به." in page and f"سبب الإلغاء: {REASON}" in page
    assert "ألغته الجمعية في" in page and "هـ" in page.split("ألغته الجمعية في")[1][:30]
    # An uploaded copy that matches is a copy of a void letter, never "genuine".
    upload = {"file": (io.BytesIO(word.data), "letter.docx")}
    checked = text(post(anon, f"/verify/{code}", f"/verify/{code}", upload))
    assert "الخطاب ملغى ولا يُعتد به" in checked and "الخطاب أصلي" not in checked

    # Still downloadable for the archive, byte for byte, under a name that says void.
    archived = sara.get(f"/letters/{letter['id']}.docx")
    assert archived.status_code == 200 and archived.data == word.data
    disposition = archived.headers["Content-Disposition"]
    assert disposition.endswith("-void.docx") and letter["number"].replace("/", "-") in disposition
    assert letter["number"] in docx_text(archived.data)


def number_in(disposition: str) -> str:
    return re.search(r"letter-(.+?)\.docx", disposition).group(1)


def test_a_voided_number_is_never_given_again_and_the_correction_needs_no_confirmation(
    store, people
):
    sara = people["sara"]
    cid = submit_request(sara, "interview")
    declaration(sara, cid)
    [first] = list(store.iter(REGISTER))
    void(sara, first["id"])
    # A voided declaration is not the signed declaration the next move needs.
    page = sara.get(f"/cases/{cid}").get_data(as_text=True)
    items = re.findall(r'name="checklist" value="([^"]+)"', page)
    assert move(sara, cid, "verify", {"checklist": items}).status_code == 302
    refused = move(sara, cid, "declare", {"signed": "yes"})
    assert refused.status_code == 400 and "أصدر إقرار صحة البيانات أولًا" in text(refused)
    assert 'name="again"' not in sara.get(f"/cases/{cid}").get_data(as_text=True)

    assert declaration(sara, cid).status_code == 302  # no "again" needed
    second = store.get(REGISTER, max(x["id"] for x in store.iter(REGISTER)))
    assert second["seq"] == first["seq"] + 1 and second["number"] != first["number"]
    assert second["number"] in docx_text(sara.get(f"/letters/{second['id']}.docx").data)
    assert [x["number"] for x in store.iter(REGISTER)] == [first["number"], second["number"]]
    assert move(sara, cid, "declare", {"signed": "yes"}).status_code == 302
    assert store.get(CASES, cid)["state"] == "declared"

    # Voiding the newest letter does not free its number either.
    void(sara, second["id"], "خطأ في التاريخ")
    other = submit_request(sara, "interview")
    declaration(sara, other)
    third = store.get(REGISTER, max(x["id"] for x in store.iter(REGISTER)))
    assert third["seq"] == second["seq"] + 1
