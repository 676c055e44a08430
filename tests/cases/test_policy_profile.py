"""The policy profile edited in the app: checked, saved whole, audited, and in force at once."""

from __future__ import annotations

import io
import re
import zipfile

from docx import Document
from lxml import etree

from accounts.audit import COLLECTION as AUDIT
from association.profile import current
from letters.issue import REGISTER
from tests.cases.conftest import edit_policy, move, page_fields, post, submit_request

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


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


def header_lines(data: bytes) -> list[str]:
    """Return the paragraphs of a .docx's page headers, isolates and joiners removed."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = [n for n in package.namelist() if re.fullmatch(r"word/header\d*\.xml", n)]
        roots = [etree.fromstring(package.read(n)) for n in names]
    return [
        re.sub("[\u2060\u2066-\u2069]", "", "".join(p.itertext())).replace("\u202f", " ")
        for root in roots
        for p in root.iter(f"{W}p")
    ]


def test_the_letterhead_carries_the_associations_own_lines_and_licence_sentence(store, people):
    own = ["تحت إشراف وزارة الموارد البشرية والتنمية الاجتماعية", "إكس وإنستغرام: @sanad_ahsa"]
    response = edit_policy(
        people["nora"],
        **{
            "licence_number": "4567",
            "licence_sentence": "مرخصة من المركز الوطني لتنمية القطاع غير الربحي برقم "
            "({licence_number}) وتاريخ 1442/05/01 هـ",
            "letterhead_lines": "\n".join([own[0], "", own[1] + "  "]),
            "bank.name": "مصرف الراجحي",
            "bank.iban": "SA03 8000 0000 6080 1016 7519",
        },
    )
    assert response.status_code == 302
    profile = current(store)
    assert profile["letterhead_lines"] == own
    sentence = "مرخصة من المركز الوطني لتنمية القطاع غير الربحي برقم (4567) وتاريخ 1442/05/01 هـ"
    # The page shows them back as typed, one line each.
    page = people["nora"].get("/policy/edit").get_data(as_text=True)
    assert "{licence_number}" in page and "\n".join(own) in page

    # A letter issued after the change prints them in its letterhead, with the bank account.
    sara = people["sara"]
    cid = submit_request(sara, "interview")
    assert post(sara, f"/cases/{cid}", f"/cases/{cid}/letter/declaration").status_code == 302
    [letter] = store.iter(REGISTER)
    lines = header_lines(sara.get(f"/letters/{letter['id']}.docx").data)
    assert sentence in lines and "Licence No. 4567" in lines
    assert lines.index(own[0]) + 1 == lines.index(own[1])
    assert any("مصرف الراجحي — الآيبان: SA03 8000 0000 6080 1016 7519" in line for line in lines)
    assert not any("مسجلة لدى المركز الوطني" in line for line in lines)

    # So does the printed policy, bank account included.
    printed = header_lines(people["vera"].get("/policy/policy.docx").data)
    assert sentence in printed and own[0] in printed and own[1] in printed
    assert any("مصرف الراجحي — الآيبان: SA03 8000 0000 6080 1016 7519" in line for line in printed)

    # Cleared, the sentence is the usual one again, built from the licence number.
    assert edit_policy(people["nora"], licence_sentence="", letterhead_lines="").status_code == 302
    assert "letterhead_lines" not in current(store) and "licence_sentence" not in current(store)
    printed = header_lines(people["vera"].get("/policy/policy.docx").data)
    usual = "مسجلة لدى المركز الوطني لتنمية القطاع غير الربحي برقم ترخيص 4567"
    assert usual in printed and own[0] not in printed
