"""Letters through the pages: upload a template, issue from a submission, download, verify."""

import hashlib
import io
import re

from docx import Document
from openpyxl import load_workbook

from letters import pdf, templates
from letters.issue import REGISTER
from tests.conftest import csrf_token, post_form, require_tool
from web import letters as web_letters


def docx(*paragraphs: str) -> bytes:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


LETTER = docx(
    "الرقم: {{ letter.number }} التاريخ: {{ letter.date }}",
    "{{ beneficiary.title }} {{ beneficiary.name }} حفظه الله",
    "رقم الهوية: {{ beneficiary.national_id_masked }} الجوال: {{ answers.mobile }}",
    "{{ decision.reasons }} {{ decision.amount_words }}",
    "{{ qr }} {{ letter.verify_code }}",
    "{{ program.name }} {{ program.place }} {{ decision.appeal }}",
)


def upload(client, name, data, form_id="intake"):
    return post_form(
        client,
        "/letters/templates/",
        {"name": name, "form_id": form_id, "file": (io.BytesIO(data), "t.docx")},
    )


def submit(client, valid_intake, **changes):
    response = post_form(client, "/forms/intake/new", dict(valid_intake, **changes))
    assert response.status_code == 302, response.status_code
    return int(re.search(r"/submissions/(\d+)", response.headers["Location"]).group(1))


def test_upload_issue_download_verify(client, store, valid_intake):
    assert upload(client, "acceptance_custom", LETTER).status_code == 302
    rid = submit(client, valid_intake, full_name="سعد & <ليان>")
    page = f"/forms/intake/submissions/{rid}"
    # the issue form on the submission page posts to its own URL
    action = re.search(
        r'action="(/letters/from/[^"]+)"', client.get(page).get_data(as_text=True)
    ).group(1)
    token = csrf_token(client, page)
    response = client.post(
        action,
        data={
            "csrf_token": token,
            "template": "acceptance_custom",
            "reasons": "اكتمال الشروط",
            "amount": "١٥٠٠",
            "program_name": "دورة الحاسب",
            "program_place": "مقر الجمعية",
            "appeal": "مراجعة الإدارة",
        },
    )
    assert response.status_code == 302
    [record] = list(store.iter(REGISTER))
    assert response.headers["Location"].endswith(f"/letters/{record['id']}")
    assert re.fullmatch(r"14\d\d/000001", record["number"])
    assert record["answers"]["submission_id"] == rid

    letter_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert record["number"] in letter_page
    first = client.get(f"/letters/{record['id']}.docx").data
    again = client.get(f"/letters/{record['id']}.docx").data
    assert first == again and hashlib.sha256(first).hexdigest() == record["sha256"]
    text = "\n".join(p.text for p in Document(io.BytesIO(first)).paragraphs)
    assert "المكرم سعد & <ليان> حفظه الله" in text
    assert "\u20661•••••••08\u2069" in text and "0512345678" in text
    assert "ألف وخمسمائة ريال" in text and record["code"] in text
    assert "هـ" in text
    assert "دورة الحاسب مقر الجمعية مراجعة الإدارة" in text

    verify = f"/verify/{record['code']}"
    public = client.get(verify).get_data(as_text=True)
    assert record["number"] in public and "سعد" in public and "ليان" not in public
    genuine = post_form(client, verify, {"file": (io.BytesIO(first), "l.docx")})
    assert "الخطاب أصلي" in genuine.get_data(as_text=True)
    forged = post_form(client, verify, {"file": (io.BytesIO(first[:-1] + b"x"), "l.docx")})
    assert "لا يطابق" in forged.get_data(as_text=True)
    assert client.get("/verify/NOSUCHCODE").status_code == 404

    book = load_workbook(io.BytesIO(client.get("/letters/register.xlsx").data))
    sheet = book.worksheets[0]
    assert sheet.sheet_view.rightToLeft
    assert [c.value for c in sheet[2]][0] == record["number"]


def test_bad_templates_are_refused_on_upload(client, store):
    response = upload(client, "broken", docx("{% if x %} بلا نهاية"))
    assert response.status_code == 400
    assert "بلا نهاية" in response.get_data(as_text=True)
    response = upload(client, "typo", docx("{{ beneficary.name }}"))
    assert response.status_code == 400 and "beneficary.name" in response.get_data(as_text=True)
    response = upload(client, "notdocx", b"just text")
    assert response.status_code == 400
    assert upload(client, "Bad Name", LETTER).status_code == 400
    assert list(store.iter("letter_templates")) == []


def test_versions_are_kept_and_letters_keep_theirs(client, store, valid_intake):
    upload(client, "notice", docx("v1 {{ letter.number }}"))
    upload(client, "notice", docx("v2 {{ letter.number }}"))
    listing = client.get("/letters/templates/").get_data(as_text=True)
    assert "v1" in listing and "v2" in listing
    v1 = client.get("/letters/templates/notice/1.docx").data
    assert "v1" in Document(io.BytesIO(v1)).paragraphs[0].text
    rid = submit(client, valid_intake)
    page = f"/forms/intake/submissions/{rid}"
    client.post(
        f"/letters/from/intake/{rid}",
        data={"csrf_token": csrf_token(client, page), "template": "notice"},
    )
    [record] = list(store.iter(REGISTER))
    assert record["template"]["version"] == 2
    preview = client.get("/letters/templates/notice/2/preview.docx")
    assert (
        preview.status_code == 200
        and "v2 1448/000000" in Document(io.BytesIO(preview.data)).paragraphs[0].text
    )


def test_a_template_error_issues_nothing(client, store, valid_intake):
    templates.add_version(store, "evil", docx("{{ ''.__class__.__mro__ }}"), uploaded_by="t")
    rid = submit(client, valid_intake)
    page = f"/forms/intake/submissions/{rid}"
    response = client.post(
        f"/letters/from/intake/{rid}",
        data={"csrf_token": csrf_token(client, page), "template": "evil"},
    )
    assert response.status_code == 302
    assert "لم يصدر الخطاب ولم يُستخدم رقم" in client.get(page).get_data(as_text=True)
    assert list(store.iter(REGISTER)) == []


def _issue_simple(client, store, valid_intake):
    upload(client, "simple", docx("{{ beneficiary.name }} {{ letter.number }}"))
    rid = submit(client, valid_intake)
    page = f"/forms/intake/submissions/{rid}"
    client.post(
        f"/letters/from/intake/{rid}",
        data={"csrf_token": csrf_token(client, page), "template": "simple"},
    )
    [record] = list(store.iter(REGISTER))
    return record


def test_pdf_download_is_archived_and_verifiable(client, store, valid_intake):
    require_tool("soffice")
    record = _issue_simple(client, store, valid_intake)
    first = client.get(f"/letters/{record['id']}.pdf")
    assert first.status_code == 200 and first.data.startswith(b"%PDF-")
    assert client.get(f"/letters/{record['id']}.pdf").data == first.data  # kept, not made again
    genuine = post_form(
        client, f"/verify/{record['code']}", {"file": (io.BytesIO(first.data), "l.pdf")}
    )
    assert "الخطاب أصلي" in genuine.get_data(as_text=True)


def test_without_libreoffice_pdf_says_so_and_word_still_works(
    client, store, valid_intake, monkeypatch
):
    record = _issue_simple(client, store, valid_intake)

    class Missing:
        def convert(self, _data):
            raise pdf.PdfUnavailable("LibreOffice is needed")

    monkeypatch.setattr(web_letters, "pdf_converter", lambda: Missing())
    response = client.get(f"/letters/{record['id']}.pdf")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "يحتاج برنامج LibreOffice" in page
    assert client.get(f"/letters/{record['id']}.docx").status_code == 200


def test_two_versions_of_a_template_compare_by_placeholder(client, store):
    upload(client, "notice", docx("{{ letter.number }} {{ beneficiary.name }} {{ answers.iban }}"))
    upload(
        client, "notice", docx("{{ letter.number }} {{ beneficiary.name }} {{ decision.amount }}")
    )
    listing = client.get("/letters/templates/").get_data(as_text=True)
    assert "/letters/templates/notice/diff" in listing
    page = client.get("/letters/templates/notice/diff?a=1&b=2").get_data(as_text=True)

    def listed(section: str) -> list[str]:
        part = page.split(f'id="placeholders-{section}"')[1].split("</section>")[0]
        return re.findall(r'<code dir="ltr">([^<]+)</code>', part)

    assert listed("added") == ["decision.amount"]
    assert listed("removed") == ["answers.iban"]
    assert listed("kept") == ["letter.number", "beneficiary.name"]
    same = client.get("/letters/templates/notice/diff?a=2&b=2").get_data(as_text=True)
    assert "يستعمل الإصداران العناصر نفسها" in same


def test_comparing_with_a_missing_template_version_goes_back(client):
    for query in ("a=1&b=9", "a=x&b=1", ""):
        response = client.get(f"/letters/templates/acceptance/diff?{query}")
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/letters/templates/")
    assert client.get("/letters/templates/Bad Name/diff?a=1&b=1").status_code == 302
