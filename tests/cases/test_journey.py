"""The whole journey of a support request, through the pages, for every shipped policy profile.

Intake receives and verifies it, refers it to the researcher, issues the declaration,
sends it to the committee, which decides; the decision letter is one click; then
registration, service with its proof, and closing. Each person uses only his own role.
"""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.audit import COLLECTION as AUDIT
from app import create_app
from association.profile import current
from cases.service import CASES
from letters.issue import REGISTER
from tests.cases.conftest import move, post, research_payload, submit_request


@pytest.fixture
def app(tmp_path, profile_name):
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "data"), "SECRET_KEY": "t"})
    result = app.test_cli_runner().invoke(args=["seed", "--profile", profile_name])
    assert result.exit_code == 0, result.output
    return app


def case_of(store, cid: int) -> dict:
    return store.get(CASES, cid)


def test_a_request_walks_the_whole_policy(app, store, people, profile_name):
    profile = current(store)
    sara, ali, huda = people["sara"], people["ali"], people["huda"]
    channel = profile["channels"][-1]["value"]

    cid = submit_request(sara, channel)
    case = case_of(store, cid)
    assert case["state"] == "received" and case["channel"] == channel
    page = sara.get(f"/cases/{cid}").get_data(as_text=True)
    due = dt.date.fromisoformat(case["opened_on"]) + dt.timedelta(days=14)
    assert f'data-due="{due.isoformat()}"' in page  # every shipped policy: two weeks
    assert "فاطمة محمد عبدالله القحطاني" in page

    # Data verified: every item of the checklist, or nothing moves.
    response = move(sara, cid, "verify", {"checklist": ["اكتمال المرفقات المطلوبة"]})
    assert response.status_code == 400 and "أكّد كل بند" in response.get_data(as_text=True)
    assert case_of(store, cid)["state"] == "received"
    checklist = profile.get("verification_checklist") or []
    items = checklist or [
        line.split('value="')[1].split('"')[0]
        for line in page.splitlines()
        if 'name="checklist"' in line
    ]
    assert items
    assert move(sara, cid, "verify", {"checklist": items}).status_code == 302

    # Referred to the researcher, who fills the social research for this request.
    assert move(sara, cid, "refer", {"note": ""}).status_code == 400  # a referral says why
    assert move(sara, cid, "refer", {"note": "الإجراءات غير واضحة للمستفيدة"}).status_code == 302
    assert move(ali, cid, "research_done").status_code == 400  # no research yet
    form = ali.get(f"/cases/{cid}/research").get_data(as_text=True)
    assert case["ref"] in form  # the request's reference comes filled in
    url = f"/cases/{cid}/research"
    data = {"rifd-channel": channel, "request_ref": case["ref"], **research_payload()}
    data |= {"applicant_name": case["name"], "applicant_national_id": "1000000008"}
    assert post(ali, url, url, data).status_code == 302
    assert case_of(store, cid)["research"]["form_id"] == "social_research"
    assert move(ali, cid, "research_done").status_code == 302
    assert case_of(store, cid)["state"] == "verified"  # back where it was referred from

    # The declaration: issued in one click, then signed.
    response = move(sara, cid, "declare", {"signed": "yes"})
    assert response.status_code == 400 and "أصدر إقرار" in response.get_data(as_text=True)
    assert post(sara, f"/cases/{cid}", f"/cases/{cid}/letter/declaration").status_code == 302
    assert move(sara, cid, "declare", {}).status_code == 400  # signed must be confirmed
    assert move(sara, cid, "declare", {"signed": "yes"}).status_code == 302
    assert move(sara, cid, "submit").status_code == 302
    assert case_of(store, cid)["state"] == "committee"

    # Only the committee decides, with its meeting number.
    assert move(sara, cid, "accept", {"meeting_number": "7"}).status_code == 403
    assert move(huda, cid, "accept", {"meeting_number": ""}).status_code == 400
    decision = {"meeting_number": "١٢", "reasons": "مستوفية للشروط", "support_types": ["rent"]}
    assert move(huda, cid, "accept", decision | {"amount": "1500"}).status_code == 302
    case = case_of(store, cid)
    assert case["state"] == "accepted"
    assert case["decision"]["meeting_number"] == "12" and case["decision"]["by"] == "huda"

    # The acceptance letter, filled from the decision; the rejection letter is refused.
    assert post(huda, f"/cases/{cid}", f"/cases/{cid}/letter/rejection").status_code == 400
    assert post(huda, f"/cases/{cid}", f"/cases/{cid}/letter/acceptance").status_code == 302
    letters = store.find(
        REGISTER,
        where={
            "answers": {
                "form_id": "support_request",
                "submission_id": case["submission_id"],
                "ref": case["ref"],
            }
        },
    )
    assert [x["letter_type"] for x in letters] == ["declaration", "acceptance"]

    # Registration, the service with its proof, and closing.
    assert move(sara, cid, "serve", {"proof": "x"}).status_code == 400  # not registered yet
    assert move(sara, cid, "register").status_code == 302
    proof = (profile.get("proof_of_delivery") or [{"value": "bank_transfer"}])[0]["value"]
    assert move(sara, cid, "serve", {"proof": "nothing"}).status_code == 400
    service = {"proof": proof, "service_date": "٢٠٢٦-١١-٢٠", "service_note": "إيجار شهرين"}
    # A request is served only with a delivery record: the move without one is refused.
    assert move(sara, cid, "serve", service).status_code == 400
    assert case_of(store, cid)["state"] == "registered"
    service |= {"kind": "in_kind", "quantity": "١"}
    assert move(sara, cid, "serve", service).status_code == 302
    assert move(sara, cid, "close").status_code == 302

    case = case_of(store, cid)
    assert case["state"] == "closed"
    assert case["services"][0]["proof"] == proof
    assert case["services"][0]["service_date"] == "2026-11-20"
    steps = [(h["from"], h["to"], h["by"]) for h in case["history"]]
    assert steps == [
        ("received", "verified", "sara"),
        ("verified", "research", "sara"),
        ("research", "verified", "ali"),
        ("verified", "declared", "sara"),
        ("declared", "committee", "sara"),
        ("committee", "accepted", "huda"),
        ("accepted", "registered", "sara"),
        ("registered", "served", "sara"),
        ("served", "closed", "sara"),
    ]
    actions = [e["action"] for e in store.iter(AUDIT) if e["entity"] == "case"]
    assert actions[0] == "open" and "case.accept" in actions and actions[-1] == "case.close"


def test_a_rejected_request_gets_its_letter_and_closes(app, store, people):
    sara, huda = people["sara"], people["huda"]
    cid = submit_request(sara, current(store)["channels"][0]["value"])
    page = sara.get(f"/cases/{cid}").get_data(as_text=True)
    items = [
        x.split('value="')[1].split('"')[0]
        for x in page.splitlines()
        if "checklist" in x and 'value="' in x
    ]
    assert move(sara, cid, "verify", {"checklist": items}).status_code == 302
    post(sara, f"/cases/{cid}", f"/cases/{cid}/letter/declaration")
    assert move(sara, cid, "declare", {"signed": "yes"}).status_code == 302
    assert move(sara, cid, "submit").status_code == 302
    assert move(huda, cid, "reject", {"meeting_number": "3", "reasons": ""}).status_code == 400
    rejection = {"meeting_number": "3", "reasons": "الدخل يغطي الحاجة", "appeal": "خلال ٣٠ يومًا"}
    assert move(huda, cid, "reject", rejection).status_code == 302
    assert move(sara, cid, "register").status_code == 400  # the policy has no such move
    assert post(huda, f"/cases/{cid}", f"/cases/{cid}/letter/rejection").status_code == 302
    assert move(sara, cid, "close").status_code == 302
    assert store.get(CASES, cid)["decision"]["reasons"] == "الدخل يغطي الحاجة"
