"""Issue 14's walk: a program from announcement (seats, a wait-list move, the acceptance
notice) to attendance, a request's cash aid from the committee to the bank, and every
piece found again in the delivery register.

The two paths an auditor asks about meet in one register: the program's session
(delivered to the people who attended, with the signed sheet and a photo of the event)
and a request's cash aid (its disbursement voucher verified, its transfer confirmed by
the bank). Each step goes through the pages people use.
"""

from __future__ import annotations

import base64
import io

from openpyxl import load_workbook

from tests.cases.conftest import post
from tests.cases.test_letters_say_the_decision import docx_text
from tests.cases.test_program_registration import (
    announce,
    register,
    registration_of,
    review,
    valid_id,
)
from tests.deliveries.conftest import accepted
from tests.deliveries.test_deliveries import NAME, cash, confirmation, delivery_id, upload
from tests.test_library import SIGNATURE

PNG = base64.b64decode(SIGNATURE.split(",", 1)[1])
HIND, SALMA, REEM = "هند سعد العتيبي", "سلمى خالد الحربي", "ريم علي الزهراني"


def test_a_program_and_a_requests_aid_are_both_in_the_register_with_their_proofs(
    app, store, people, anon
):
    sara, omar, nora = people["sara"], people["omar"], people["nora"]

    # The program: announced, three register from the public link for two seats.
    pid = announce(people)
    for i, name in enumerate((HIND, SALMA, REEM)):
        assert register(app, pid, name, valid_id(40 + i), f"05600000{i:02d}").status_code == 302
    review(sara, pid, [HIND, SALMA, REEM], "accept", store)  # the seats take two
    assert registration_of(store, REEM)["status"] == "pending"
    review(sara, pid, [REEM], "waitlist", store)
    review(sara, pid, [SALMA], "decline", store)  # her seat moves the first waiting up
    assert registration_of(store, REEM)["status"] == "accepted"
    assert registration_of(store, REEM)["moved_up"] is True
    # Her acceptance notice says the program and its place.
    notice = store.get("letters", registration_of(store, REEM)["notice"]["letter_id"])
    words = docx_text(store.read_file(notice["sha256"]))
    assert REEM in words and "دورة الإسعافات الأولية" in words
    assert "قاعة التدريب بالدور الأول" in words
    sheet = docx_text(sara.get(f"/programs/{pid}/sessions/1/sheet.docx").data)
    assert HIND in sheet and REEM in sheet and SALMA not in sheet
    # Attendance taken for one; the signed sheet and a photo of the event kept.
    url = f"/programs/{pid}/sessions/1/attendance"
    hind = registration_of(store, HIND)
    assert post(sara, url, url, {"present": [str(hind["id"])]}).status_code == 302
    page = f"/programs/{pid}"
    for purpose, filename in (("sheet", "signed.png"), ("event", "event.png")):
        files = {"scan": (io.BytesIO(PNG), filename), "purpose": purpose}
        assert post(sara, page, f"{url.rsplit('/', 1)[0]}/scan", files).status_code == 302
    # The session, delivered to the group that attended.
    session = {"kind": "session", "group": "حضور الجلسة الأولى", "quantity": "1"}
    program_delivery = delivery_id(post(sara, "/", f"/deliveries/new?program={pid}", session))

    # The request: cash aid, its voucher verified, its transfer confirmed by the bank.
    cid = accepted(people)
    aid = delivery_id(cash(sara, cid, "1500"))
    voucher_url = f"/deliveries/{aid}/voucher/disbursement_voucher"
    assert (
        post(sara, f"/deliveries/{aid}", voucher_url, {"signature": SIGNATURE}).status_code == 302
    )
    [voucher] = store.get("deliveries", aid)["vouchers"]
    letter = store.get("letters", voucher["letter_id"])
    assert letter["number"] in anon.get(f"/verify/{letter['code']}").get_data(as_text=True)
    made = post(omar, "/deliveries/transfers/", "/deliveries/transfers/batch")
    batch = int(made.headers["Location"].rsplit("/", 1)[1])
    rows = list(
        load_workbook(
            io.BytesIO(omar.get(f"/deliveries/transfers/{batch}/sheet.xlsx").data)
        ).active.iter_rows(values_only=True)
    )
    [(reference, *_rest)] = rows[1:]
    assert upload(omar, batch, confirmation([[reference, "تم", ""]])).status_code == 302

    # The register: both, each with its proofs, on the page, in Excel and in print.
    listed = nora.get("/deliveries/").get_data(as_text=True)
    assert f'href="/deliveries/{program_delivery}"' in listed
    assert f'href="/deliveries/{aid}#proofs"' in listed or f'href="/deliveries/{aid}"' in listed
    excel = load_workbook(io.BytesIO(nora.get("/deliveries/export.xlsx").data)).active
    lines = {row[0]: row for row in excel.iter_rows(min_row=2, values_only=True)}
    assert set(lines) == {program_delivery, aid}
    assert lines[program_delivery][8] == "دورة الإسعافات الأولية"
    assert lines[aid][2] == NAME and letter["number"] in lines[aid][9]
    assert "تم التحويل" in lines[aid][10]
    printed = docx_text(nora.get("/deliveries/register.docx").data)
    for expected in (letter["number"], NAME, "حضور الجلسة الأولى", "دورة الإسعافات الأولية"):
        assert expected in printed, expected
    assert "تم التحويل" in printed and "مجموع المبالغ: 1,500 ريال" in printed
    # The program's page keeps what the session left: attendance and the event's photo.
    program_page = sara.get(page).get_data(as_text=True)
    assert "توثيق الفعالية:</span>" in program_page and "event.png" in program_page
