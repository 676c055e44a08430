"""Each shipped letter, issued through the pages after a real decision, says what was decided.

Found in use: the acceptance printed the amount and the meeting number but dropped the
committee's support types, the decision's date and its notes, which were saved with the
decision. These tests read the text of the issued .docx, each value with its label.
"""

from __future__ import annotations

import io
import re

import pytest
from docx import Document

from accounts import users
from accounts.audit import COLLECTION as AUDIT
from forms.dates import format_date
from letters.issue import REGISTER
from tests.cases.conftest import move, post, submit_request
from tests.cases.test_moves import to_committee
from tests.conftest import post_form
from tests.web.conftest import own_forms, valid_intake  # noqa: F401  (fixtures)


def docx_text(data: bytes) -> str:
    """Return every paragraph of the body, its tables, headers and footers, as one text."""
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    for section in doc.sections:
        for part in (section.header, section.footer):
            parts += [p.text for p in part.paragraphs]
            parts += [c.text for t in part.tables for r in t.rows for c in r.cells]
    # Bidi isolates around numbers are layout, not words; so are the joiners that keep a
    # code in one piece (letters.filters.code: a word joiner, narrow no-break spaces).
    text = re.sub("[\u2060\u2066-\u2069\u200e\u200f]", "", "\n".join(parts))
    return text.replace("\u202f", " ")


def issued_text(client, store, kind: str) -> tuple[dict, str]:
    letter = [x for x in store.iter(REGISTER) if x["letter_type"] == kind][-1]
    response = client.get(f"/letters/{letter['id']}.docx")
    assert response.status_code == 200
    return letter, docx_text(response.data)


def issue(client, cid: int, kind: str, **data):
    return post(client, f"/cases/{cid}", f"/cases/{cid}/letter/{kind}", data)


def audited(store, letter: dict) -> dict:
    [entry] = [
        e
        for e in store.iter(AUDIT)
        if e["entity"] == "letter"
        and e["entity_id"] == str(letter["id"])
        and e["action"] == "issue"
    ]
    return entry


HUDA = "هدى سعد الزهراني"


def test_the_acceptance_says_everything_the_committee_decided(store, people):
    sara, huda = people["sara"], people["huda"]
    users.set_roles(store, "huda", ["committee"], full_name=HUDA)
    cid = submit_request(sara, "interview")
    to_committee(people, cid)
    decision = {
        "meeting_number": "١٢/١٤٤٨",
        "reasons": "اكتمال شروط الاستحقاق",
        "support_types": ["food_basket", "rent"],
        "amount": "١٥٠٠",
        "note": "يصرف المبلغ على دفعتين",
    }
    assert move(huda, cid, "accept", decision).status_code == 302
    assert issue(sara, cid, "acceptance", attachments="صورة القرار").status_code == 302
    letter, text = issued_text(sara, store, "acceptance")
    day = store.get("cases", cid)["decision"]["date"]
    hijri = format_date(day, "ar").partition(" (")[0]
    for expected in (
        "إشعار قبول",
        "اجتماعها رقم (12/1448)",
        f"بتاريخ {hijri}",
        "أسباب القرار: اكتمال شروط الاستحقاق",
        "نوع الدعم: سلة غذائية، سداد إيجار",
        "مبلغ الدعم: 1,500 ريال",
        "(ألف وخمسمائة ريال فقط)",
        "ملاحظات: يصرف المبلغ على دفعتين",
        store.get("cases", cid)["ref"],
        letter["number"],
        "صورة القرار",
        HUDA,  # who recorded the decision signs for the committee, by full name
    ):
        assert expected in text, expected
    assert "huda" not in text
    entry = audited(store, letter)
    assert entry["actor"] == "sara" and entry["after"]["case"] == cid
    assert entry["after"]["number"] == letter["number"]


def test_the_rejection_carries_its_reasons_how_to_reapply_and_how_to_appeal(store, people):
    sara, huda = people["sara"], people["huda"]
    cid = submit_request(sara, "interview")
    to_committee(people, cid)
    decision = {
        "meeting_number": "7",
        "reasons": "الدخل يكفي حاجة الأسرة",
        "reapply_after": "ستة أشهر",
        "appeal": "خطاب إلى رئيس مجلس الإدارة خلال ثلاثين يومًا",
        "note": "نوصي بالتسجيل في برامج التدريب",
    }
    assert move(huda, cid, "reject", decision).status_code == 302
    assert issue(huda, cid, "rejection").status_code == 302
    _letter, text = issued_text(huda, store, "rejection")
    assert "huda" not in text  # a login name is never printed; no full name, no line
    for expected in (
        "إشعار اعتذار",
        "اجتماعها رقم (7)",
        "سبب الاعتذار: الدخل يكفي حاجة الأسرة",
        "إعادة التقديم: يمكنكم التقدم بطلب جديد بعد ستة أشهر",
        "التظلم: خطاب إلى رئيس مجلس الإدارة خلال ثلاثين يومًا",
        "ملاحظات: نوصي بالتسجيل في برامج التدريب",
    ):
        assert expected in text, expected


def test_what_is_typed_on_the_submission_page_cannot_change_the_decision(store, people):
    sara, huda = people["sara"], people["huda"]
    cid = submit_request(sara, "interview")
    to_committee(people, cid)
    decision = {"meeting_number": "9", "reasons": "الدخل يكفي حاجة الأسرة"}
    assert move(huda, cid, "reject", decision).status_code == 302
    rid = store.get("cases", cid)["submission_id"]
    page = f"/forms/support_request/submissions/{rid}"
    assert 'id="decision-from-request"' in sara.get(page).get_data(as_text=True)
    typed = {"template": "rejection", "reasons": "سبب آخر كتبه الموظف", "meeting_number": "99"}
    assert post(sara, page, f"/letters/from/support_request/{rid}", typed).status_code == 302
    _letter, text = issued_text(sara, store, "rejection")
    assert "الدخل يكفي حاجة الأسرة" in text and "(9)" in text
    assert "سبب آخر" not in text and "(99)" not in text


def test_the_declaration_prints_the_request_and_its_commitments(store, people):
    sara = people["sara"]
    cid = submit_request(sara, "interview")
    page = sara.get(f"/cases/{cid}").get_data(as_text=True)
    items = re.findall(r'name="checklist" value="([^"]+)"', page)
    assert move(sara, cid, "verify", {"checklist": items}).status_code == 302
    assert issue(sara, cid, "declaration").status_code == 302
    letter, text = issued_text(sara, store, "declaration")
    case = store.get("cases", cid)
    assert "إقرار" in text and case["ref"] in text and letter["number"] in text
    assert case["name"] and case["name"] in text
    profile = store.get("settings", 1)
    for commitment in profile.get("commitments") or []:
        assert commitment in text
    # A second declaration takes a new number only when asked for.
    assert issue(sara, cid, "declaration").status_code == 400
    assert issue(sara, cid, "declaration", again="yes").status_code == 302
    assert [x["letter_type"] for x in store.iter(REGISTER)] == ["declaration"] * 2


@pytest.mark.usefixtures("own_forms")
def test_the_program_acceptance_says_the_program_typed_when_issuing(store, client, request):
    intake = request.getfixturevalue("valid_intake")
    saved = post_form(client, "/forms/intake/new", dict(intake, full_name="سعد العتيبي"))
    rid = int(re.search(r"/submissions/(\d+)", saved.headers["Location"]).group(1))
    page = f"/forms/intake/submissions/{rid}"
    fields = {
        "template": "program_acceptance",
        "program_name": "دورة الحاسب الآلي",
        "program_place": "مقر الجمعية بالهفوف",
        "program_start_date": "1448/07/01",
        "program_time": "من الرابعة إلى السابعة مساءً",
        "program_what_to_bring": "الهوية الوطنية ودفتر",
    }
    assert post(client, page, f"/letters/from/intake/{rid}", fields).status_code == 302
    letter, text = issued_text(client, store, "program_acceptance")
    for key, value in fields.items():
        if key != "template":
            assert value in text, key
    assert "سعد العتيبي" in text and letter["number"] in text
