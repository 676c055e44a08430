"""A submitted request corrected by a person who may: a new revision, nothing lost."""

from __future__ import annotations

import re

from accounts.audit import COLLECTION as AUDIT
from cases.beneficiaries import BENEFICIARIES
from cases.service import CASES
from letters.issue import REGISTER
from submissions import service
from tests.cases.conftest import page_fields, post, submit_request
from tests.cases.test_letters_say_the_decision import docx_text
from tests.cases.test_lists import declared

FORM = "support_request"


def correction(client, case: dict, **changes):
    """Open the correction page, change some answers as a person would, and send it."""
    url = f"/forms/{FORM}/submissions/{case['submission_id']}/correct"
    page = client.get(url)
    assert page.status_code == 200
    fields = page_fields(page.get_data(as_text=True), url)
    fields.update(changes)
    return post(client, url, url, fields)


def test_a_correction_is_a_new_revision_and_the_old_values_stay(store, people):
    sara = people["sara"]
    cid = submit_request(sara, "interview", first_name="أحمد")
    declared(people, cid)  # a letter printed with the first name
    case = store.get(CASES, cid)
    before = service.get(store, FORM, case["submission_id"])

    refused = correction(sara, case, first_name="محمد")  # no reason given
    assert refused.status_code == 400 and "سبب التصحيح" in refused.get_data(as_text=True)
    assert service.get(store, FORM, case["submission_id"]) == before

    done = correction(sara, case, first_name="محمد", **{"rifd-why": "خطأ في كتابة الاسم"})
    assert done.status_code == 302, done.get_data(as_text=True)[:3000]
    after = service.get(store, FORM, case["submission_id"])
    assert after["answers"]["first_name"] == "محمد" and after["revision"] == 2
    (revision,) = after["revisions"]
    assert revision["by"] == "sara" and revision["why"] == "خطأ في كتابة الاسم"
    assert revision["fields"] == ["first_name"]
    # Everything else as it was: the signature, the files, the other answers.
    unchanged = {k: v for k, v in before["answers"].items() if k != "first_name"}
    assert {k: after["answers"][k] for k in unchanged} == unchanged
    # The request and the beneficiary's file follow; the audit keeps the old value.
    assert store.get(CASES, cid)["name"].startswith("محمد")
    assert store.get(BENEFICIARIES, case["beneficiary_id"])["name"].startswith("محمد")
    entry = next(e for e in store.iter(AUDIT) if e["action"] == "correct")
    assert entry["before"] == {"first_name": "أحمد"}
    assert entry["after"] == {"first_name": "محمد", "why": "خطأ في كتابة الاسم"}
    # The letter issued before keeps what it printed.
    (letter,) = store.iter(REGISTER)
    text = docx_text(store.read_file(letter["sha256"]))
    assert "أحمد" in text and "محمد " + before["answers"]["father_name"] not in text

    page = people["vera"].get(f"/forms/{FORM}/submissions/{case['submission_id']}")
    html = page.get_data(as_text=True)
    assert 'id="revisions"' in html and "خطأ في كتابة الاسم" in html
    assert re.search(r"<td>الاسم الأول</td>|الاسم الأول", html)


def test_what_a_correction_may_not_do(store, people):
    sara = people["sara"]
    cid = submit_request(sara, "interview")
    case = store.get(CASES, cid)
    why = {"rifd-why": "تصحيح رقم الهوية"}
    moved = correction(sara, case, national_id="2172323137", **why)
    assert moved.status_code == 400 and "لا يُصحَّح رقم الهوية" in moved.get_data(as_text=True)
    same = correction(sara, case, **{"rifd-why": "لا شيء تغير هنا"})
    assert same.status_code == 400 and "لم يتغير شيء" in same.get_data(as_text=True)
    url = f"/forms/{FORM}/submissions/{case['submission_id']}/correct"
    assert people["vera"].get(url).status_code == 403  # a viewer corrects nothing
    assert people["huda"].get(url).status_code == 403
    assert sara.get(f"/forms/{FORM}/submissions/999/correct").status_code == 404
    assert not [e for e in store.iter(AUDIT) if e["action"] == "correct"]
