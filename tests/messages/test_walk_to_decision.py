"""One request walked from intake to the committee's decision, as staff and the beneficiary
click through it, with the SMS gateway pointed at the fake provider: the sender delivers
each message the walk owed him, in order, once, and the outbox shows them sent."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from cases import outbox, own_access
from cases.service import CASES
from forms.dates import format_date, saudi_today
from messages import sender
from tests.cases.conftest import People, move, post, research_payload, submit_request
from tests.cases.test_moves import to_committee
from tests.cases.test_own_page import PDF, enter, own_path
from tests.messages.fake_gateway import PATHS

WALK = [
    "request_received",
    "something_missing",
    own_access.EVENT,  # the code he asked for to open his page
    "research_visit",
    "visit_appointment",
    "committee_decision",
]
RECIPIENT = {"unifonic": "Recipient", "taqnyat": "recipients", "msegat": "numbers"}


@pytest.fixture
def provider():
    """One provider is enough here: each driver meets every answer in test_drivers.py."""
    return "unifonic"


@pytest.fixture
def people(app):
    return People(app)


def walk(store, people, anon) -> int:
    """Take one request from intake to acceptance through the pages; return its id."""
    sara, ali, huda = people["sara"], people["ali"], people["huda"]
    cid = submit_request(sara, "interview")
    note = {"kind": "document", "note": "صورة صك الإعالة"}
    assert post(sara, f"/cases/{cid}", f"/cases/{cid}/missing", note).status_code == 302
    path = own_path(store, cid)
    enter(store, anon, cid, path)
    sent = {"what": "item-1", "document": (io.BytesIO(PDF), "sak.pdf")}
    assert post(anon, path, f"{path}/upload", sent).status_code == 302
    assert move(sara, cid, "refer", {"note": "زيارة منزلية"}).status_code == 302
    day = saudi_today() + dt.timedelta(days=3)
    visit = {"visit_day": day.isoformat(), "visit_time": "10:30"}
    assert post(ali, f"/cases/{cid}", f"/cases/{cid}/visit", visit).status_code == 302
    case = store.get(CASES, cid)
    url = f"/cases/{cid}/research"
    research = {"rifd-channel": "interview", **research_payload(), "request_ref": case["ref"]}
    research |= {"applicant_name": case["name"], "applicant_national_id": "1000000008"}
    assert post(ali, url, url, research).status_code == 302
    assert move(ali, cid, "research_done").status_code == 302
    to_committee(people, cid)
    decision = {"meeting_number": "12", "reasons": "مستوفية للشروط", "support_types": ["rent"]}
    assert move(huda, cid, "accept", decision | {"amount": "1500"}).status_code == 302
    assert store.get(CASES, cid)["state"] == "accepted"
    return cid


def test_the_walk_from_intake_to_decision_reaches_the_gateway_in_order(
    store, people, anon, configured
):
    gateway = configured
    cid = walk(store, people, anon)
    case = store.get(CASES, cid)
    mobile = store.get("beneficiaries", case["beneficiary_id"])["mobile"]
    queued = store.find(outbox.OUTBOX, where={"case_id": cid, "channel": outbox.SMS})
    assert [m["event"] for m in sorted(queued, key=lambda m: m["id"])] == WALK
    assert gateway.requests == []  # queued with each step; nothing leaves before the sender
    assert sender.send_due(store) == len(WALK)
    assert sender.send_due(store) == 0  # nothing twice
    assert [r["path"] for r in gateway.requests] == [PATHS[gateway.provider]] * len(WALK)
    number = mobile.lstrip("+")
    assert all(number in str(r["body"][RECIPIENT[gateway.provider]]) for r in gateway.requests)
    texts = gateway.texts()
    ref = case["ref"]
    assert f"استلمنا طلبك رقم {ref}" in texts[0] and "/r/" in texts[0]
    assert f"ينقص طلبك {ref}: صورة صك الإعالة." in texts[1]
    assert f"رمز الدخول إلى صفحة طلبك {ref}" in texts[2]
    assert f"أُحيل طلبك {ref} إلى الباحث الاجتماعي" in texts[3]
    day = saudi_today() + dt.timedelta(days=3)
    assert f"لطلبك {ref}:" in texts[4] and format_date(day, "ar") in texts[4]
    assert "10:30" in texts[4]
    assert f"صدر قرار اللجنة في طلبك {ref}: مقبول" in texts[5]
    after = store.find(outbox.OUTBOX, where={"case_id": cid, "channel": outbox.SMS})
    assert {m["status"] for m in after} == {outbox.SENT}
    assert all(m["attempts"] == 1 and m["answer"] for m in after)
    # The outbox page shows them sent.
    page = people["sara"].get("/outbox/?status=sent").get_data(as_text=True)
    for message in after:
        assert f'data-message="{message["id"]}" data-status="sent"' in page
