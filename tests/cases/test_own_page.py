"""The beneficiary's own page: a one-time code to his mobile opens his details, letters
and an upload of what is missing; each access audited as the beneficiary."""

from __future__ import annotations

import datetime as dt
import io
import re
from unittest.mock import ANY
from urllib.parse import urlsplit

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from cases import outbox, own_access
from cases.service import CASES
from tests.cases.conftest import post, submit_request
from web.own_request import SALT

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def own_path(store, cid: int) -> str:
    received = store.find(outbox.OUTBOX, where={"case_id": cid, "event": "request_received"})
    return urlsplit(re.search(r"تابعه هنا: (\S+)$", received[0]["text"]).group(1)).path


def last_code(store, cid: int) -> str:
    sent = store.find(outbox.OUTBOX, where={"case_id": cid, "event": own_access.EVENT})
    return re.search(r": (\d{6}) ", sent[-1]["text"]).group(1)


def audited(store, action: str, entity: str = "case") -> list[dict]:
    return store.find("audit", where={"action": action, "entity": entity, "actor": "beneficiary"})


@pytest.fixture
def opened(store, people):
    cid = submit_request(people["sara"], "interview")
    return cid, own_path(store, cid)


def ask_code(anon, path: str):
    return post(anon, path, f"{path}/code")


def test_the_code_goes_to_his_mobile_and_opens_his_details(store, people, anon, opened):
    cid, path = opened
    case = store.get(CASES, cid)
    page = anon.get(path).get_data(as_text=True)
    assert "أرسل لي رمزًا" in page and case["name"] not in page
    assert ask_code(anon, path).status_code == 302
    (sent,) = store.find(outbox.OUTBOX, where={"case_id": cid, "event": own_access.EVENT})
    person = store.get("beneficiaries", case["beneficiary_id"])
    assert sent["mobile"] == person["mobile"] and sent["status"] == outbox.QUEUED
    code = last_code(store, cid)
    (kept,) = store.find(own_access.OWN_CODES, where={"case_id": cid})
    assert code not in str(kept)  # kept hashed only
    assert post(anon, path, f"{path}/enter", {"code": code}).status_code == 302
    shown = anon.get(path).get_data(as_text=True)
    assert case["name"] in shown and "******" + case["national_id"][-4:] in shown
    assert case["national_id"] not in shown
    assert audited(store, "view") and audited(store, "enter_code")
    # The code is taken once: the same code again is refused.
    again = post(anon, path, f"{path}/enter", {"code": code})
    assert again.status_code == 400 and "اطلب رمزًا جديدًا" in again.get_data(as_text=True)


def test_wrong_codes_are_refused_then_limited(store, anon, opened):
    cid, path = opened
    ask_code(anon, path)
    right = last_code(store, cid)
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    for _try in range(own_access.MAX_TRIES):
        refused = post(anon, path, f"{path}/enter", {"code": wrong})
        assert refused.status_code == 400
    assert "الرمز غير صحيح" in refused.get_data(as_text=True)
    late = post(anon, path, f"{path}/enter", {"code": right})
    assert late.status_code == 429 and "انتظر ربع ساعة" in late.get_data(as_text=True)
    assert ask_code(anon, path).status_code == 429  # no new code while he waits
    assert len(audited(store, "wrong_code")) == own_access.MAX_TRIES
    assert 'id="own-letters"' not in anon.get(path).get_data(as_text=True)


def test_codes_are_limited_per_request_and_expire(store, anon, opened):
    cid, path = opened
    for _n in range(own_access.SENDS_PER_HOUR):
        assert ask_code(anon, path).status_code == 302
    assert ask_code(anon, path).status_code == 429
    code = last_code(store, cid)
    case = store.get(CASES, cid)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=own_access.CODE_MINUTES + 1)
    who = own_access.beneficiary("127.0.0.1")
    with pytest.raises(own_access.Refused, match="انتهت صلاحية الرمز"):
        own_access.check_code(store, case, "test", code, who, now=later)


def enter(store, anon, cid: int, path: str) -> None:
    ask_code(anon, path)
    assert post(anon, path, f"{path}/enter", {"code": last_code(store, cid)}).status_code == 302


def test_his_letter_downloads_and_is_audited(store, people, anon, opened):
    cid, path = opened
    post(people["sara"], f"/cases/{cid}", f"/cases/{cid}/letter/declaration")
    assert anon.get(f"{path}/letters/1.docx").status_code == 403  # before the code
    enter(store, anon, cid, path)
    page = anon.get(path).get_data(as_text=True)
    (href,) = re.findall(r'href="([^"]+/letters/\d+\.docx)"', page)
    got = anon.get(href)
    assert got.status_code == 200 and got.data[:2] == b"PK"
    (trail,) = audited(store, "download", "letter")
    assert trail["after"]["format"] == "docx"


def test_an_upload_attaches_to_his_request_and_shows_to_staff(store, people, client, anon, opened):
    cid, path = opened
    enter(store, anon, cid, path)
    page = anon.get(path).get_data(as_text=True)
    # What his answers lack: the lease he did not attach; not the medical report he was
    # never asked for, nor the ID copy he attached.
    names = re.findall(r'<option value="([^"]+)">([^<]+)<', page)
    assert "lease_contract" in dict(names) and "medical_report" not in dict(names)
    assert "id_copy" not in dict(names)
    label = dict(names)["lease_contract"]
    bad = {"what": "lease_contract", "document": (io.BytesIO(b"MZ" * 40), "a.exe")}
    refused = post(anon, path, f"{path}/upload", bad)
    assert refused.status_code == 400 and "نوع الملف غير مسموح" in refused.get_data(as_text=True)
    none = post(anon, path, f"{path}/upload", {"what": "lease_contract"})
    assert none.status_code == 400 and "هذا الحقل مطلوب" in none.get_data(as_text=True)
    stray = {"what": "id_copy", "document": (io.BytesIO(PDF), "id.pdf")}
    assert post(anon, path, f"{path}/upload", stray).status_code == 400  # not missing
    sent = {"what": "lease_contract", "document": (io.BytesIO(PDF), "lease.pdf")}
    assert post(anon, path, f"{path}/upload", sent).status_code == 302
    (document,) = store.get(CASES, cid)["documents"]
    assert document["field"] == "lease_contract" and document["what"] == label
    assert document["type"] == "pdf" and document["by"] == "beneficiary"
    assert store.read_file(document["sha256"]) == PDF
    (trail,) = audited(store, "upload")
    assert trail["entity_id"] == str(cid) and trail["after"] == {"what": label}
    staff = people["sara"].get(f"/cases/{cid}").get_data(as_text=True)
    assert 'id="beneficiary-documents"' in staff and label in staff
    opened_file = client.get(f"/cases/{cid}/files/{document['sha256']}")  # may reveal
    assert opened_file.status_code == 200 and opened_file.data == PDF
    after = anon.get(path).get_data(as_text=True)
    assert 'id="own-sent"' in after and 'value="lease_contract"' not in after


def test_a_forged_or_expired_link_says_so_in_arabic(store, anon, opened):
    cid, path = opened
    forged = anon.get(path[:-3] + "xyz")
    assert forged.status_code == 404 and "هذا الرابط غير صحيح" in forged.get_data(as_text=True)
    ref = store.get(CASES, cid)["ref"]
    expired = anon.get("/r/" + _signed_long_ago(ref, days=181))
    assert expired.status_code == 410 and "انتهت صلاحية هذا الرابط" in expired.get_data(
        as_text=True
    )
    assert anon.get("/r/" + _signed_long_ago(ref, days=179)).status_code == 200
    assert anon.post(path[:-3] + "xyz/code").status_code in (400, 404)
    assert anon.get(path[:-3] + "xyz/letters/1.docx").status_code == 404
    assert anon.get(path + "/letters/abc.docx").status_code == 404


def _signed_long_ago(ref: str, days: int) -> str:
    signed_at = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)

    class Past(TimestampSigner):
        def get_timestamp(self) -> int:  # itsdangerous signs with this moment
            return int(signed_at.timestamp())

    return URLSafeTimedSerializer("test", salt=SALT, signer=Past).dumps({"r": ref})


def test_erasing_him_drops_the_documents_he_sent(store, anon, runner, opened):
    cid, path = opened
    enter(store, anon, cid, path)
    sent = {"what": "lease_contract", "document": (io.BytesIO(PDF), "lease.pdf")}
    assert post(anon, path, f"{path}/upload", sent).status_code == 302
    case = store.get(CASES, cid)
    digest = case["documents"][0]["sha256"]
    result = runner.invoke(args=["privacy", "erase", case["national_id"], "--yes"])
    assert result.exit_code == 0, result.output
    assert store.get(CASES, cid)["documents"] == [{"field": "lease_contract", "at": ANY}]
    assert not store.has_file(digest)


def test_his_page_reads_in_english_after_the_switch(store, anon, opened):
    cid, path = opened
    anon.get("/lang/en")
    page = anon.get(path).get_data(as_text=True)
    assert "Send me a code" in page and 'dir="ltr"' in page.split(">", 2)[1]
    enter(store, anon, cid, path)
    shown = anon.get(path).get_data(as_text=True)
    assert "Your letters" in shown and "What your request is missing" in shown


def test_without_a_mobile_he_is_told_to_ask_the_association(store, anon, opened):
    cid, path = opened
    case = store.get(CASES, cid)
    store.update("beneficiaries", case["beneficiary_id"], {"mobile": ""})
    refused = ask_code(anon, path)
    assert refused.status_code == 400 and "لا يوجد جوال مسجل" in refused.get_data(as_text=True)
    assert not store.find(outbox.OUTBOX, where={"case_id": cid, "event": own_access.EVENT})
