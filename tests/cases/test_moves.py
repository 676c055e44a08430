"""Moves off the main road: withdrawing a request, the committee asking for more research."""

from __future__ import annotations

import re

from accounts.audit import COLLECTION as AUDIT
from cases.service import CASES
from tests.cases.conftest import move, post, research_payload, submit_request


def to_committee(people, cid: int) -> None:
    sara = people["sara"]
    page = sara.get(f"/cases/{cid}").get_data(as_text=True)
    items = re.findall(r'name="checklist" value="([^"]+)"', page)
    assert move(sara, cid, "verify", {"checklist": items}).status_code == 302
    post(sara, f"/cases/{cid}", f"/cases/{cid}/letter/declaration")
    assert move(sara, cid, "declare", {"signed": "yes"}).status_code == 302
    assert move(sara, cid, "submit").status_code == 302


def test_the_committee_sends_a_request_back_for_more_research(store, people):
    cid = submit_request(people["sara"], "interview")
    to_committee(people, cid)
    huda, ali = people["huda"], people["ali"]
    assert move(huda, cid, "return_to_research").status_code == 400  # says why
    assert move(huda, cid, "return_to_research", {"note": "زيارة منزلية"}).status_code == 302
    case = store.get(CASES, cid)
    url = f"/cases/{cid}/research"
    data = {"rifd-channel": "interview", **research_payload(), "request_ref": case["ref"]}
    data |= {"applicant_name": case["name"], "applicant_national_id": "1000000008"}
    assert post(ali, url, url, data).status_code == 302
    assert move(ali, cid, "research_done").status_code == 302
    # Back to where it stood: the declaration is signed, it goes to the committee again.
    assert store.get(CASES, cid)["state"] == "declared"
    assert move(people["sara"], cid, "submit").status_code == 302


def test_a_request_is_withdrawn_with_a_note_and_nothing_moves_after(store, people):
    sara = people["sara"]
    cid = submit_request(sara, "interview")
    assert move(sara, cid, "withdraw").status_code == 400
    assert move(sara, cid, "withdraw", {"note": "طلب مكرر"}).status_code == 302
    assert store.get(CASES, cid)["state"] == "closed"
    for name in ("verify", "refer", "submit", "close", "serve", "nonsense"):
        response = move(sara, cid, name)
        assert response.status_code in (400, 404), name
    assert store.get(CASES, cid)["state"] == "closed"
    page = people["vera"].get("/cases/").get_data(as_text=True)
    assert f'href="/cases/{cid}"' in page  # a withdrawn request stays listed, undecided


def test_an_unknown_request_or_a_long_note_is_refused(store, people):
    sara = people["sara"]
    assert sara.get("/cases/999").status_code == 404
    assert post(sara, "/cases/", "/cases/999/move/verify").status_code == 404
    cid = submit_request(sara, "interview")
    response = move(sara, cid, "refer", {"note": "س" * 2001})
    assert response.status_code == 400 and "أطول من المسموح" in response.get_data(as_text=True)
    assert store.get(CASES, cid)["history"] == []
    assert not [e for e in store.iter(AUDIT) if e["action"] == "case.refer"]


def test_a_second_letter_of_the_same_kind_needs_a_confirmation(store, people):
    # Each click took a new outgoing number: a double click left two declarations.
    sara = people["sara"]
    cid = submit_request(sara, "interview")
    url = f"/cases/{cid}/letter/declaration"
    assert post(sara, f"/cases/{cid}", url).status_code == 302
    again = post(sara, f"/cases/{cid}", url)
    page = again.get_data(as_text=True)
    assert again.status_code == 400 and "صدر هذا الخطاب لهذا الطلب برقم" in page
    assert [x["letter_type"] for x in store.iter("letters")] == ["declaration"]  # no number used
    number = store.get("letters", 1)["number"]
    shown = sara.get(f"/cases/{cid}").get_data(as_text=True)
    assert 'name="again" value="yes" required' in shown and number in shown
    assert post(sara, f"/cases/{cid}", url, {"again": "yes"}).status_code == 302
    numbers = sorted(x["number"] for x in store.iter("letters"))
    assert len(numbers) == 2 and numbers[0] == number


def test_the_address_a_refused_move_leaves_leads_back_to_the_request(store, people):
    # The refused move's page stays at .../move/verify; opened again it was a 405.
    sara = people["sara"]
    cid = submit_request(sara, "interview")
    refused = move(sara, cid, "verify")
    assert refused.status_code == 400 and "أكّد كل بند في قائمة التحقق" in refused.get_data(
        as_text=True
    )
    for path in (f"/cases/{cid}/move/verify", f"/cases/{cid}/letter/declaration"):
        again = sara.get(path)
        assert again.status_code == 302 and again.headers["Location"] == f"/cases/{cid}"
    assert store.get(CASES, cid)["state"] == "received" and store.count("letters") == 0
