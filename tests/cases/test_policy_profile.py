"""The policy profile edited in the app: checked, saved whole, audited, and in force at once."""

from __future__ import annotations

import io

from docx import Document

from accounts.audit import COLLECTION as AUDIT
from association.profile import current
from tests.cases.conftest import edit_policy, move, page_fields, post, submit_request


def test_saving_the_page_unchanged_keeps_the_profile(store, people):
    before = current(store)
    assert edit_policy(people["nora"]).status_code == 302
    assert current(store) == before


def test_the_board_changes_the_deadline_and_new_requests_follow(store, people):
    response = edit_policy(
        people["boss"],
        **{"decision_deadline.days": "١٠", "decision_deadline.count": "work_days"},
    )
    assert response.status_code == 302
    assert current(store)["decision_deadline"] == {"days": 10, "count": "work_days"}
    cid = submit_request(people["sara"], "interview")
    case = store.get("cases", cid)
    assert case["deadline"] == {"days": 10, "count": "work_days"}
    entry = [e for e in store.iter(AUDIT) if e["entity"] == "policy_profile"][-1]
    assert entry["actor"] == "boss" and entry["before"]["decision_deadline"]["days"] == 14


def test_adding_a_channel_row_and_clearing_one(store, people):
    fields = {"channels.8.value": "whatsapp", "channels.8.label.ar": "واتساب"}
    fields |= {"channels.0.value": "", "channels.0.label.ar": "", "channels.0.label.en": ""}
    assert edit_policy(people["nora"], **fields).status_code == 302
    values = [c["value"] for c in current(store)["channels"]]
    assert values[-1] == "whatsapp" and "interview" not in values and len(values) == 8
    page = people["sara"].get("/forms/support_request/new").get_data(as_text=True)
    assert "واتساب" in page and ">المقابلة<" not in page


def test_bad_input_is_shown_beside_its_field_and_nothing_is_saved(store, people):
    before = current(store)
    cases = [
        ({"decision_deadline.days": "أسبوعان"}, "يجب أن يكون رقمًا"),
        ({"channels.1.value": "interview"}, "القيمة «interview» مكررة"),
        ({"channels.1.value": "Phone Calls"}, "أحرف إنجليزية صغيرة وأرقام و _ فقط، ويبدأ بحرف"),
        (
            {
                "eligibility.general.0.id": "area",
                "eligibility.general.0.text.ar": "داخل النطاق",
                "eligibility.general.0.rule": "city == ",
            },
            "نهاية الشرط في غير موضعه",
        ),
        (
            {
                "eligibility.general.0.id": "area",
                "eligibility.general.0.text.ar": "داخل النطاق",
                "eligibility.general.0.rule": "ctiy == 'hofuf'",
            },
            "لا توجد إجابة ولا قيمة محسوبة باسم «ctiy»",
        ),
        ({"name.ar": ""}, "«النص العربي» مطلوب"),
    ]
    for change, expected in cases:
        response = edit_policy(people["nora"], **change)
        page = response.get_data(as_text=True)
        assert response.status_code == 400, change
        assert "لم تُحفظ السياسة" in page and expected in page, (change, expected)
    nora = people["nora"]
    nora.get("/lang/en")  # the English page keeps the checks' own words
    page = edit_policy(nora, **{"channels.1.value": "interview"}).get_data(as_text=True)
    assert "interview&#34; is used twice" in page and "مكررة" not in page
    assert current(store) == before


def test_only_admins_and_quality_officers_edit_it(people):
    for name in ("sara", "ali", "huda", "vera"):
        assert people[name].get("/policy/edit").status_code == 403
        assert people[name].get("/policy/").status_code == 200


def test_documents_at_hand_are_uploaded_and_opened_from_the_intake_screen(store, people):
    nora, sara = people["nora"], people["sara"]
    pdf = b"%PDF-1.4\n%by-law\n" + b"0" * 200
    url = "/policy/documents/bylaw"
    assert post(nora, "/policy/", url, {"file": (io.BytesIO(pdf), "x.pdf")}).status_code == 302
    bad = post(nora, "/policy/", url, {"file": (io.BytesIO(b"MZ\x90\x00" * 50), "a.pdf")})
    assert (
        bad.status_code == 302
        and "file" not in [d for d in current(store)["documents"] if d["id"] == "research_guide"][0]
    )
    intake = sara.get("/forms/support_request/new").get_data(as_text=True)
    assert 'href="/policy/documents/bylaw"' in intake
    assert sara.get("/policy/documents/bylaw").data == pdf
    assert sara.get("/policy/documents/research_guide").status_code == 404  # not uploaded
    assert sara.get("/policy/documents/../secret").status_code == 404
    page = "/forms/support_request/new"
    assert post(sara, page, url, {"file": (io.BytesIO(pdf), "x.pdf")}).status_code == 403


def test_the_schema_is_published(anon):
    schema = anon.get("/schema/policy-profile.json").get_json()
    assert "decision_deadline" in schema["required"]


def test_only_the_request_form_opens_a_request(store, people):
    cid = submit_request(people["sara"], "phone")
    assert store.count("cases") == 1
    assert move(people["vera"], cid, "verify").status_code == 403  # the viewer only reads
    url = "/forms/complaint/new"
    fields = page_fields(people["sara"].get(url).get_data(as_text=True), url)
    response = post(people["sara"], url, url, fields)
    assert response.status_code == 400  # an empty complaint is refused...
    assert store.count("cases") == 1  # ...and opens nothing


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    return "\n".join(p.text for p in doc.paragraphs)


def test_the_printed_policy_follows_the_profile_edited_in_the_app(store, people):
    nora = people["nora"]
    response = people["vera"].get("/policy/policy.docx")
    assert response.status_code == 200 and response.mimetype.endswith("document")
    before = docx_text(response.data)
    assert "أسبوعين" in before and "مناديب المكاتب الفرعية" in before
    edit_policy(
        nora,
        **{
            "decision_deadline.days": "10",
            "decision_deadline.count": "work_days",
            "approval.board_meeting": "9",
        },
    )
    after = docx_text(people["vera"].get("/policy/policy.docx").data)
    assert "أسبوعين" not in after and "١٠ أيام عمل" in after
    assert "رقم (\u20669\u2069)" in after and "رقم (\u20664\u2069)" in before


def test_the_associations_own_arabic_text_keeps_its_direction_on_the_english_page(store, people):
    # Written in Arabic only, the commitments showed left to right with the full stop first.
    vera = people["vera"]
    vera.get("/lang/en")
    page = vera.get("/policy/").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in page
    commitments = current(store)["commitments"]
    assert commitments
    for text in commitments:
        assert f'<li dir="auto">{text}</li>' in page
    assert '<h1 dir="auto">' in page
