"""A request's moves queue the beneficiary's messages, in Arabic, with the move itself."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

from association.profile import current
from cases import outbox
from cases.service import CASES
from messages import deadlines
from messages.templates import sms_parts
from tests.cases.conftest import move, post, submit_request
from tests.cases.test_moves import to_committee

EVENTS_PAGE = "/settings/messages/events"


def messages(store, cid):
    return store.find(outbox.OUTBOX, where={"case_id": cid})


def test_a_request_tells_its_beneficiary_when_received_and_decided(store, people):
    cid = submit_request(people["sara"], "interview")
    case = store.get(CASES, cid)
    person = store.get("beneficiaries", case["beneficiary_id"])
    (received,) = messages(store, cid)
    assert received["event"] == "request_received" and received["status"] == outbox.QUEUED
    assert received["mobile"] == person["mobile"] and received["mobile"].startswith("+9665")
    assert f"استلمنا طلبك رقم {case['ref']}" in received["text"]
    to_committee(people, cid)
    decision = {"meeting_number": "12", "reasons": "مستوفية للشروط", "support_types": ["rent"]}
    assert move(people["huda"], cid, "accept", decision | {"amount": "1500"}).status_code == 302
    found = messages(store, cid)
    assert [m["event"] for m in found] == ["request_received", "committee_decision"]
    assert f"صدر قرار اللجنة في طلبك {case['ref']}: مقبول" in found[1]["text"]
    assert "خطاب القرار" in found[1]["text"]
    # Served: his own survey link (signed, on the public address).
    sara = people["sara"]
    assert move(sara, cid, "register").status_code == 302
    proof = (current(store).get("proof_of_delivery") or [{"value": "bank_transfer"}])[0]["value"]
    service = {"proof": proof, "service_date": "2026-11-20", "service_note": "إيجار شهرين"}
    service |= {"kind": "in_kind", "quantity": "1"}  # its delivery record
    assert move(sara, cid, "serve", service).status_code == 302
    survey = messages(store, cid)[-1]
    assert survey["event"] == "survey_after_service"
    link = re.search(r"(\S+/f/satisfaction_survey\S*)$", survey["text"]) or re.search(
        r"(https?://\S+)$", survey["text"]
    )
    assert link and "?b=" in link.group(1), survey["text"]
    assert "شاركنا رأيك في الخدمة" in survey["text"]


def test_the_quality_officer_edits_a_text_previews_it_and_switches_an_event_off(store, people):
    officer = people["nora"]
    url = f"{EVENTS_PAGE}/request_received"
    text = "{{ association }}: وصلنا طلبك {{ ref }} وسنتصل بك خلال يومين."
    preview = post(
        officer, EVENTS_PAGE, url, {"on": "yes", "ar": text, "en": "", "action": "preview"}
    )
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "وصلنا طلبك SR-1447-0012 وسنتصل بك خلال يومين." in page
    made = "جمعية سند: وصلنا طلبك SR-1447-0012 وسنتصل بك خلال يومين."
    assert f'data-length="{len(made)}" data-parts="1"' in page
    assert (
        post(officer, EVENTS_PAGE, url, {"on": "yes", "ar": text, "action": "save"}).status_code
        == 302
    )
    cid = submit_request(people["sara"], "interview")
    ref = store.get(CASES, cid)["ref"]
    assert messages(store, cid)[0]["text"].endswith(f"وصلنا طلبك {ref} وسنتصل بك خلال يومين.")
    # Off: the next request sends nothing.
    assert post(officer, EVENTS_PAGE, url, {"ar": text, "action": "save"}).status_code == 302
    assert messages(store, submit_request(people["sara"], "interview")) == []


def test_a_broken_or_hostile_template_is_refused_with_a_reason(store, people):
    officer = people["nora"]
    url = f"{EVENTS_PAGE}/request_received"
    for bad in ("{{ ref ", "{{ ''.__class__.__mro__ }}", "{{ 'x' * 100000000 }}"):
        answer = post(officer, EVENTS_PAGE, url, {"on": "yes", "ar": bad, "action": "save"})
        assert answer.status_code == 400 and 'role="alert"' in answer.get_data(as_text=True)
    cid = submit_request(people["sara"], "interview")
    assert "استلمنا طلبك" in messages(store, cid)[0]["text"]  # the shipped text still


def test_sms_parts_counts_arabic_and_latin():
    assert sms_parts("ب" * 70) == (70, 1, "UCS-2")
    assert sms_parts("ب" * 71) == (71, 2, "UCS-2")
    assert sms_parts("ب" * 134) == (134, 2, "UCS-2")
    assert sms_parts("ب" * 135) == (135, 3, "UCS-2")
    assert sms_parts("a" * 160) == (160, 1, "GSM-7")
    assert sms_parts("a" * 161) == (161, 2, "GSM-7")


def test_staff_get_one_deadline_digest_a_day_by_email(store, people):
    cid = submit_request(people["sara"], "interview")
    ref = store.get(CASES, cid)["ref"]
    url = "/settings/messages"
    form = {"provider": "outbox", "staff_emails": "quality@example.org، boss@example.org"}
    assert post(people["boss"], url, url, form).status_code == 302
    later = dt.date.today() + dt.timedelta(days=60)  # long past its deadline
    assert deadlines.daily(store, later) == 2
    assert deadlines.daily(store, later) == 0  # once a day
    mails = store.find(outbox.OUTBOX, where={"channel": outbox.EMAIL})
    assert sorted(m["email"] for m in mails) == ["boss@example.org", "quality@example.org"]
    assert f"- {ref}: الموعد" in mails[0]["text"] and "متأخر" in mails[0]["text"]
    bad = post(people["boss"], url, url, form | {"staff_emails": "not an address"})
    assert bad.status_code == 400


def test_the_received_message_links_to_the_requests_own_page(store, people, anon):
    cid = submit_request(people["sara"], "interview")
    ref = store.get(CASES, cid)["ref"]
    (received,) = messages(store, cid)
    link = re.search(r"تابعه هنا: (\S+)$", received["text"])
    assert link, received["text"]
    path = urlsplit(link.group(1)).path
    page = anon.get(path)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and ref in text and "مستلم" in text
    assert "تراجع الجمعية بياناتك" in text and 'id="due"' in text
    assert "1000000008" not in text  # no identifier, no name
    assert anon.get(path[:-3] + "xyz").status_code == 404  # a forged link


def test_erasing_the_person_blanks_his_request_messages(store, people, runner):
    cid = submit_request(people["sara"], "interview")
    national_id = store.get(CASES, cid)["national_id"]
    assert messages(store, cid)[0]["mobile"]
    result = runner.invoke(args=["privacy", "erase", national_id, "--yes"])
    assert result.exit_code == 0, result.output
    (erased,) = messages(store, cid)
    assert erased["status"] == "erased" and erased["mobile"] == "" and erased["text"] == ""
