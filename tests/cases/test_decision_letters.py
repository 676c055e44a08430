"""A request's decision letters come only after the committee's matching decision, by any road.

Found in use: from the request's page an acceptance was refused before the decision,
but the same letter went out from the submission's page, or for a rejected request
from the bulk page ("all the requests of this form"), each with an outgoing number.
"""

from __future__ import annotations

from letters.issue import REGISTER
from tests.cases.conftest import move, post, submit_request
from tests.cases.test_moves import to_committee

FORM = "support_request"


def issue_from_submission(client, rid: int, template: str):
    page = f"/forms/{FORM}/submissions/{rid}"
    return post(client, page, f"/letters/from/{FORM}/{rid}", {"template": template})


def bulk(client, template: str, **choice):
    page = f"/letters/bulk?form={FORM}"
    data = {"form_id": FORM, "template": template, "output": "zip_docx", **choice}
    return post(client, page, "/letters/bulk", data)


def letters_of(store, rid: int) -> list[str]:
    return [x["letter_type"] for x in store.iter(REGISTER) if x["answers"]["submission_id"] == rid]


def test_no_acceptance_or_rejection_before_the_committee_decides(store, people):
    sara = people["sara"]
    cid = submit_request(sara, "interview")
    rid = store.get("cases", cid)["submission_id"]
    for template in ("acceptance", "rejection"):
        response = issue_from_submission(sara, rid, template)
        assert response.status_code == 302  # back to the submission, with the reason
        page = sara.get(response.headers["Location"]).get_data(as_text=True)
        assert "لا يصدر هذا الخطاب قبل قرار اللجنة المطابق له." in page
        refused = bulk(sara, template, scope="all")
        assert refused.status_code == 400
        assert store.get("cases", cid)["ref"] in refused.get_data(as_text=True)
    assert store.count(REGISTER) == 0  # and no outgoing number was used


def test_after_a_rejection_only_the_rejection_goes_out(store, people):
    sara, huda = people["sara"], people["huda"]
    cid = submit_request(sara, "interview")
    rid = store.get("cases", cid)["submission_id"]
    to_committee(people, cid)
    decision = {"meeting_number": "7", "reasons": "الدخل يكفي حاجة الأسرة"}
    assert move(huda, cid, "reject", decision).status_code == 302
    assert bulk(huda, "acceptance", scope="selected", ids=[str(rid)]).status_code == 400
    issue_from_submission(huda, rid, "acceptance")
    assert letters_of(store, rid) == ["declaration"]
    assert issue_from_submission(huda, rid, "rejection").status_code == 302
    # A declaration is signed before the committee decides: not after, by any road.
    refused = bulk(huda, "declaration", scope="all", again="y")
    assert refused.status_code == 400
    assert "يصدر الإقرار قبل قرار اللجنة فقط." in refused.get_data(as_text=True)
    issue_from_submission(huda, rid, "declaration")
    assert sorted(letters_of(store, rid)) == ["declaration", "rejection"]


def test_a_closed_request_gets_no_letter_even_by_a_direct_post(store, people):
    sara, huda = people["sara"], people["huda"]
    cid = submit_request(sara, "interview")
    to_committee(people, cid)
    decision = {"meeting_number": "7", "reasons": "الدخل يكفي حاجة الأسرة"}
    assert move(huda, cid, "reject", decision).status_code == 302
    assert move(sara, cid, "close", {}).status_code == 302
    page = sara.get(f"/cases/{cid}").get_data(as_text=True)
    assert 'id="letter-declaration"' not in page and 'id="letter-rejection"' not in page
    before = store.count(REGISTER)
    for kind in ("declaration", "rejection"):
        response = post(sara, f"/cases/{cid}", f"/cases/{cid}/letter/{kind}", {"again": "yes"})
        assert response.status_code == 400
        assert "الطلب مغلق: لا يصدر له هذا الخطاب." in response.get_data(as_text=True)
    assert store.count(REGISTER) == before


def test_the_command_line_refuses_them_too(app, store, people, tmp_path):
    cid = submit_request(people["sara"], "interview")
    out = tmp_path / "letters.zip"
    args = ["letters", "bulk", "acceptance", "--form", FORM, "--all", "-o", str(out)]
    result = app.test_cli_runner().invoke(args=[*args, "--base-url", "http://t"])
    assert result.exit_code == 1 and store.get("cases", cid)["ref"] in result.output
    assert "لا يصدر هذا الخطاب قبل قرار اللجنة المطابق له." in result.output
    assert store.count(REGISTER) == 0 and not out.exists()
