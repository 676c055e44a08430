"""The shipped templates, filled from a real support request, as Word and as PDF."""

import datetime as dt
import io
import re
import subprocess
import zipfile

import pytest
from docx import Document

from association import shipped_profile
from forms.dates import format_date
from forms.definition import load_definition
from forms.validation import validate_answers
from letters import pdf, templates
from letters.bulk import issue_one
from letters.context import build_context, signature_image
from letters.filters import code
from letters.issue import issue, qr_png
from store import Store
from submissions import service
from tests.conftest import require_tool
from tests.test_library import LIBRARY, _support_request

TODAY = dt.date(2026, 11, 25)  # 1448/06/15 هـ (Umm al-Qura)
PROGRAM = {
    "name": "دورة الحاسب الآلي",
    "place": "مقر الجمعية",
    "start_date": "1448/07/01 هـ",
    "end_date": "1448/07/10 هـ",
    "time": "٤ مساءً",
    "what_to_bring": "صورة الهوية",
    "contact": "0135000000",
}


@pytest.fixture(scope="module")
def issued(tmp_path_factory):
    data = Store(tmp_path_factory.mktemp("letters"))
    form = load_definition(LIBRARY / "support_request.json")
    result = validate_answers(form, _support_request())
    assert result.ok, result.errors
    record = service.save(data, form, result.answers, channel="interview", entered_by="staff")
    # Sanad's letterhead with the commitments of the policy that lists them (Da'wah's).
    commitments = shipped_profile("dawah_alshaaf")["commitments"]
    profile = {**shipped_profile("sanad_alahsa"), "commitments": commitments}
    letters = {}
    for name in templates.shipped_names():
        decision = {
            "outcome": "accepted",
            "reasons": "اكتمال الشروط",
            "meeting_number": "12",
            "amount": "1500",
        }
        context = build_context(profile, form, record, decision=decision, program=PROGRAM)
        context["signature"] = signature_image(form, record, data.read_file)
        letter = issue(
            data,
            templates.get(data, name),
            context,
            letter_type=name,
            recipient=context["beneficiary"]["name"],
            issued_by="staff",
            base_url="http://rifd.test",
            today=TODAY,
        )
        letters[name] = (letter, data.read_file(letter["sha256"]), context)
    return letters


def all_text(docx: bytes) -> str:
    doc = Document(io.BytesIO(docx))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    for section in doc.sections:
        parts += [p.text for p in section.header.paragraphs] + [
            p.text for p in section.footer.paragraphs
        ]
        parts += [c.text for t in section.header.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def test_the_four_letters_render_for_the_support_request(issued):
    assert set(issued) == {
        "acceptance",
        "rejection",
        "declaration",
        "program_acceptance",
        "disbursement_voucher",
        "receipt_voucher",
    }
    numbers = sorted(letter["number"] for letter, _data, _ctx in issued.values())
    # The vouchers are numbered in series of their own, each from 1.
    assert numbers == [f"1448/00000{i}" for i in range(1, 5)] + ["DV/1448/000001", "RV/1448/000001"]
    for name, (letter, data, context) in issued.items():
        text = all_text(data)
        assert context["beneficiary"]["name"] in text, name
        assert letter["number"] in text, name
        assert "None" not in text, name
        assert "جمعية سند للمسؤولية الاجتماعية بالأحساء" in text, name


def test_the_declaration_carries_answers_commitments_and_signature(issued):
    _letter, data, context = issued["declaration"]
    text = all_text(data)
    assert context["answer_rows"][0]["value"] in text
    assert "الانتظام في الحضور" in text
    assert len(Document(io.BytesIO(data)).inline_shapes) >= 1


def test_pdf_has_the_arabic_name_and_the_hijri_date_in_order(issued, tmp_path):
    require_tool("soffice")
    require_tool("pdftotext")
    _letter, data, context = issued["acceptance"]
    with pdf.PdfConverter(tmp_path / "lo") as converter:
        document = converter.convert(data)
    out = tmp_path / "letter.pdf"
    out.write_bytes(document)
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text)
    # Amiri draws "الله" as one ligature, which pdftotext reads back as "اهلل".
    text = text.replace("اهلل", "الله")
    words = context["beneficiary"]["name"].split()
    assert all(w in text for w in words)
    # The Hijri date reads year/month/day, and comes before the Gregorian one.
    assert "1448/06/15" in text and "2026/11/25" in text
    assert text.index("1448/06/15") < text.index("2026/11/25")


def test_program_acceptance_for_a_program_registration(tmp_path):
    data = Store(tmp_path)
    form = load_definition(LIBRARY / "program_registration.json")
    raw = {
        "program_name": "دورة اللغة العربية",
        "how_heard": "whatsapp",
        "full_name": "أحمد علي خان",
        "national_id": "2172323137",
        "nationality": "pakistani",
        "mobile": "0551234567",
        "gender": "male",
        "birth_date": "1990-01-01",
        "city": "other",
        "city_other": "الشعف",
        "accept_commitments": "yes",
    }
    result = validate_answers(form, raw, audience="public")
    assert result.ok, result.errors
    record = service.save(data, form, result.answers, channel="website", entered_by="public")
    context = build_context(shipped_profile("sanad_alahsa"), form, record, program=PROGRAM)
    letter = issue(
        data,
        templates.get(data, "program_acceptance"),
        context,
        letter_type="program_acceptance",
        recipient=context["beneficiary"]["name"],
        issued_by="staff",
        today=TODAY,
    )
    text = all_text(data.read_file(letter["sha256"]))
    assert "أحمد علي خان" in text and "دورة الحاسب الآلي" in text and "مقر الجمعية" in text
    assert "None" not in text


def test_the_logo_set_from_the_command_line_is_on_the_letterhead(app, runner, tmp_path):
    png = tmp_path / "logo.png"
    png.write_bytes(qr_png("logo"))
    assert runner.invoke(args=["association", "logo", str(png)]).exit_code == 0
    bad = tmp_path / "logo.jpg"
    bad.write_bytes(b"\xff\xd8\xff not a png")
    result = runner.invoke(args=["association", "logo", str(bad)])
    assert result.exit_code == 1 and "must be a PNG" in result.output
    data = app.extensions["rifd_store"]
    form = load_definition(LIBRARY / "support_request.json")
    record = service.save(
        data,
        form,
        validate_answers(form, _support_request()).answers,
        channel="interview",
        entered_by="staff",
    )
    letter = issue_one(
        data,
        form,
        record,
        templates.get(data, "acceptance"),
        fields={},
        issued_by="staff",
        base_url="http://rifd.test",
    )
    with zipfile.ZipFile(io.BytesIO(data.read_file(letter["sha256"]))) as docx:
        header_rels = [n for n in docx.namelist() if n.startswith("word/_rels/header")]
        assert any("media/rifd_" in docx.read(n).decode() for n in header_rels)


def test_codes_print_isolated_once_and_unbreakable(issued):
    # A reference broke after its hyphen at the end of an Arabic line; an ID isolated by the
    # context and again by the template broke inside its digits.
    for name, (letter, data, context) in issued.items():
        text = all_text(data)
        assert "\u2066\u2066" not in text, name
        assert code(letter["number"]) in text, name
        # The letters that do not cite the request: a program's, and the vouchers (a voucher
        # cites its delivery's reference, empty here).
        if name not in ("program_acceptance", "disbursement_voucher", "receipt_voucher"):
            assert f"({code(context['submission']['ref'])})" in text, name
            assert "-\u2060" in code(context["submission"]["ref"])
    declaration = all_text(issued["declaration"][1])
    assert f"({code('1000000008')})" in declaration


def test_the_declarations_table_lists_each_family_member(tmp_path):
    data = Store(tmp_path)
    form = load_definition(LIBRARY / "support_request.json")
    son = {
        "member_name": "خالد",
        "member_relation": "son",
        "member_gender": "male",
        "member_birth_date": "2008-03-10",
        "member_national_id": "1000000008",
        "member_status": "university",
        "member_health": "chronic_illness",
        "member_health_details": "ربو",
    }
    raw = _support_request(family_members=[_support_request()["family_members"][0], son])
    result = validate_answers(form, raw)
    assert result.ok, result.errors
    record = service.save(data, form, result.answers, channel="interview", entered_by="staff")
    context = build_context(shipped_profile("sanad_alahsa"), form, record)
    letter = issue(
        data,
        templates.get(data, "declaration"),
        context,
        letter_type="declaration",
        recipient=context["beneficiary"]["name"],
        issued_by="staff",
        today=TODAY,
    )
    table = Document(io.BytesIO(data.read_file(letter["sha256"]))).tables[0]
    rows = [[cell.text.strip("\u2066\u2068\u2069") for cell in row.cells] for row in table.rows]
    labels = [label for label, _value in rows]
    member = "أفراد الأسرة المقيمون مع مقدم الطلب"
    first, second = labels.index(f"{member} (1)"), labels.index(f"{member} (2)")
    # In the form's order: after the family count, before the support asked for.
    assert labels.index("عدد أفراد الأسرة") < first < second < labels.index("نوع الدعم المطلوب")
    assert rows[first][1] == (
        "الاسم: سارة، صلة القرابة: ابنة، الجنس: أنثى، تاريخ الميلاد: "
        + format_date("2012-05-01", "ar")
        + "، الحالة الدراسية أو العملية: طالب في التعليم العام، الحالة الصحية: سليم"
    )
    for part in (
        "الاسم: خالد",
        "صلة القرابة: ابن",
        "رقم الهوية أو الإقامة: 1000000008",
        "الحالة الدراسية أو العملية: طالب جامعي",
        "وصف الحالة الصحية: ربو",
    ):
        assert part in rows[second][1]
    assert len([label for label in labels if label.startswith(member)]) == 2
