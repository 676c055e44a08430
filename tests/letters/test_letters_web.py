"""Letters through the pages: upload a template, issue from a submission, download, verify."""

import datetime as dt
import hashlib
import io
import re
import zipfile

import pytest
from docx import Document
from openpyxl import load_workbook

from forms.dates import hijri as hijri_date
from forms.dates import hijri_year
from letters import address, templates
from letters.issue import REGISTER, qr_png
from tests.conftest import csrf_token, post_form, require_tool
from tests.letters.test_lint import bomb, macro_enabled


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

    # The QR code is the picture of the verification address and nothing else.
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        pictures = [package.read(n) for n in package.namelist() if n.startswith("word/media/")]
    # No public address is set: this machine's own, never the request's Host header.
    assert pictures == [qr_png(f"{address.fallback()}/verify/{record['code']}")]

    book = load_workbook(io.BytesIO(client.get("/letters/register.xlsx").data))
    sheet = book.worksheets[0]
    assert sheet.sheet_view.rightToLeft
    assert [c.value for c in sheet[1]] == [
        "الرقم", "التاريخ", "نوع الخطاب", "إصدار القالب", "المستلم", "أصدره", "ردًا على",
        "SHA-256", "الحالة", "سبب الإلغاء",
    ]  # fmt: skip
    row = [c.value for c in sheet[2]]
    number, date, kind, version, recipient, by, answers, digest, status, voided = row
    assert (status, voided) == ("ساري", None)
    assert (number, kind, version) == (
        record["number"],
        "acceptance_custom",
        "acceptance_custom v1",
    )
    assert "هـ" in date and record["date"].replace("-", "/") in date
    assert (recipient, by, digest) == ("سعد & <ليان>", "staff", record["sha256"])
    assert answers == record["answers"]["ref"] and answers.startswith("IN-")  # what it answers


def test_the_public_verify_page_shows_little_and_judges_the_exact_bytes(
    client, anon, store, valid_intake
):
    rid = submit(client, valid_intake, full_name="سعد بن عبدالله العتيبي")
    _issue_shipped(client, rid, "acceptance")
    upload(client, "notice", docx("{{ beneficiary.name }} {{ letter.number }}"))
    _issue_shipped(client, rid, "notice")
    accepted, notice = list(store.iter(REGISTER))
    verify = f"/verify/{accepted['code']}"
    page = anon.get(verify).get_data(as_text=True)  # no sign-in: the QR code opens it
    assert accepted["number"] in page and "إشعار قبول" in page and "هـ" in page
    assert "سعد ب. ع. ا." in page and "العتيبي" not in page and "1000000008" not in page
    assert "<dd>notice</dd>" in anon.get(f"/verify/{notice['code']}").get_data(as_text=True)

    def judge(data: bytes) -> str:
        html = post_form(anon, verify, {"file": (io.BytesIO(data), "letter.docx")})
        assert html.status_code == 200
        text = html.get_data(as_text=True)
        return "genuine" if "الخطاب أصلي" in text else "not" if "لا يطابق" in text else "?"

    letter = store.read_file(accepted["sha256"])
    assert judge(letter) == "genuine"
    assert judge(store.read_file(notice["sha256"])) == "not"  # Rifd's, but another letter
    assert judge(letter.replace(b"word/document.xml", b"word/document.xmm", 1)) == "not"
    assert judge(b"%PDF-1.4 a scan of something else") == "not"
    assert judge(letter + bytes(10 * 1024 * 1024)) == "not"  # too large to be it
    assert anon.get("/verify/ZZZZZZZZZZ").status_code == 404
    assert anon.get("/verify/<script>").status_code == 404


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


@pytest.mark.parametrize(
    ("data", "arabic", "english"),
    [
        (
            docx("{{ beneficary.name }}"),
            "عنصر غير معروف: beneficary.name (هل تقصد beneficiary.name؟)",
            "unknown placeholder: beneficary.name (did you mean beneficiary.name?)",
        ),
        (
            docx("السلام عليكم", "{% if x %} بلا نهاية"),
            "خطأ في صياغة القالب",
            "Unexpected end of template",
        ),
        (
            docx("{{ ''.__class__.__mro__ }}"),
            ".__class__.__mro__ يصل إلى خفايا بايثون",
            ".__class__.__mro__ reaches into Python internals",
        ),
        (bytes(5 * 1024 * 1024 + 1), "حجم الملف أكبر من 5 ميغابايت", "larger than 5 MB"),
        (macro_enabled(), "يحتوي على وحدات ماكرو", "the file contains macros"),
        (bomb(60 * 1024 * 1024), "ينفك إلى حجم يفوق حجمه بكثير", "unpacks to far more"),
        (b"PK\x03\x04 not really", "الملف ليس مستند Word", "not a Word document"),
    ],
    ids=["unknown", "syntax", "sandbox", "too-large", "macros", "zip-bomb", "not-docx"],
)
def test_upload_refusals_are_in_the_pages_language(client, store, data, arabic, english):
    response = upload(client, "notice", data)
    assert response.status_code == 400
    assert arabic in response.get_data(as_text=True)
    client.get("/lang/en")
    response = upload(client, "notice", data)
    assert response.status_code == 400 and english in response.get_data(as_text=True)
    assert list(store.iter("letter_templates")) == []


def _issue(client, rid: int, template: str) -> None:
    page = f"/forms/intake/submissions/{rid}"
    data = {"csrf_token": csrf_token(client, page), "template": template, "again": "y"}
    assert client.post(f"/letters/from/intake/{rid}", data=data).status_code == 302


def first_line(data: bytes) -> str:
    return Document(io.BytesIO(data)).paragraphs[0].text


def test_versions_are_kept_and_letters_keep_theirs(client, store, valid_intake):
    upload(client, "notice", docx("v1 {{ letter.number }}"))
    upload(client, "notice", docx("v2 {{ letter.number }}"))
    listing = client.get("/letters/templates/").get_data(as_text=True)
    assert "v1" in listing and "v2" in listing
    assert "v1" in first_line(client.get("/letters/templates/notice/1.docx").data)
    rid = submit(client, valid_intake)
    _issue(client, rid, "notice")
    [before] = list(store.iter(REGISTER))
    assert before["template"]["version"] == 2
    kept = client.get(f"/letters/{before['id']}.docx").data

    upload(client, "notice", docx("v3 {{ letter.number }}"))
    _issue(client, rid, "notice")
    first, second = list(store.iter(REGISTER))
    assert first == before and second["template"]["version"] == 3
    assert client.get(f"/letters/{first['id']}.docx").data == kept  # the v2 letter as issued
    assert first_line(kept).startswith("v2 ")
    assert first_line(client.get(f"/letters/{second['id']}.docx").data).startswith("v3 ")
    assert "v2" in client.get(f"/letters/{first['id']}").get_data(as_text=True)
    for version in (1, 2, 3):  # every version stays, to download and to preview
        preview = client.get(f"/letters/templates/notice/{version}/preview.docx")
        assert first_line(preview.data) == f"v{version} 1448/000000"  # the sample number


def test_the_preview_fills_a_shipped_letter_with_sample_data(client, store):
    preview = client.get("/letters/templates/acceptance/1/preview.docx")
    assert preview.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(preview.data)).paragraphs)
    assert "محمد عبدالله سعد القحطاني" in text and "None" not in text
    assert list(store.iter(REGISTER)) == []  # a preview issues nothing


def test_dates_in_both_calendars_digits_and_amounts_in_words(client, store, valid_intake):
    upload(
        client,
        "figures",
        docx(
            "{{ letter.date_hijri }} | {{ letter.date_gregorian }} | {{ letter.date }}",
            "{{ letter.number|digits }} | {{ letter.date_hijri|digits }}",
            "{{ decision.amount }} | {{ decision.amount_words }}",
        ),
    )
    rid = submit(client, valid_intake)
    _issue_shipped(client, rid, "figures", amount="١٥٠٠٫٥")
    [record] = list(store.iter(REGISTER))
    lines = [p.text for p in Document(io.BytesIO(store.read_file(record["sha256"]))).paragraphs]
    today = dt.date.today()
    hijri = hijri_date(today)
    hijri_text = f"{hijri.year}/{hijri.month:02d}/{hijri.day:02d} هـ"
    gregorian = f"{today:%Y/%m/%d} م"
    assert lines[0] == f"{hijri_text} | {gregorian} | {hijri_text} ({gregorian})"
    arabic = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    assert lines[1] == f"{record['number'].translate(arabic)} | {hijri_text.translate(arabic)}"
    assert lines[2] == "1,500.50 | ألف وخمسمائة ريال وخمسون هللة"


def test_letters_follow_the_associations_number_pattern(client, store, valid_intake):
    store.update("settings", 1, {"letter_number_pattern": "ص/{year}/{seq:04d}"})
    upload(client, "notice", docx("{{ letter.number }}"))
    rid = submit(client, valid_intake)
    page = f"/forms/intake/submissions/{rid}"
    for _ in range(2):
        token = csrf_token(client, page)
        data = {"csrf_token": token, "template": "notice", "again": "y"}
        client.post(f"/letters/from/intake/{rid}", data=data)
    numbers = [r["number"] for r in store.iter(REGISTER)]
    year = hijri_year(dt.date.today())
    assert numbers == [f"ص/{year}/0001", f"ص/{year}/0002"]


def _issue_shipped(client, rid: int, template: str, **fields) -> str:
    page = f"/forms/intake/submissions/{rid}"
    data = {"csrf_token": csrf_token(client, page), "template": template, "again": "y", **fields}
    response = client.post(f"/letters/from/intake/{rid}", data=data)
    assert response.status_code == 302
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_values_left_empty_are_listed_on_the_issued_letter(client, store, valid_intake):
    rid = submit(client, valid_intake)
    page = _issue_shipped(client, rid, "program_acceptance", program_place="مقر الجمعية")
    warning = re.search(r'<div class="alert" role="alert">(.*?)</div>', page, re.DOTALL)
    assert warning and "قيم لم تتوفر وطُبعت فارغة" in warning.group(1)
    assert "program.name" in warning.group(1) and "program.start_date" in warning.group(1)
    assert "program.place" not in warning.group(1)
    [record] = list(store.iter(REGISTER))
    assert record["missing"] == ["program.name", "program.start_date"]
    letter = Document(io.BytesIO(client.get(f"/letters/{record['id']}.docx").data))
    text = "\n".join(p.text for p in letter.paragraphs)
    assert "برنامج «»" in text and "None" not in text

    full = _issue_shipped(
        client, rid, "program_acceptance", program_name="دورة الحاسب",
        program_place="مقر الجمعية", program_start_date="1448/07/01",
    )  # fmt: skip
    assert "قيم لم تتوفر" not in full
    assert list(store.iter(REGISTER))[-1]["missing"] == []


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
    client, runner, store, valid_intake, monkeypatch, tmp_path
):
    record = _issue_simple(client, store, valid_intake)
    # A machine without LibreOffice: no soffice or libreoffice anywhere on the PATH.
    (tmp_path / "bin").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    response = client.get(f"/letters/{record['id']}.pdf")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "يحتاج برنامج LibreOffice" in page
    assert store.get(REGISTER, record["id"]).get("pdf_sha256") is None
    word = client.get(f"/letters/{record['id']}.docx")
    assert word.status_code == 200 and hashlib.sha256(word.data).hexdigest() == record["sha256"]

    token = csrf_token(client, "/forms/intake/submissions")
    payload = {"csrf_token": token, "form_id": "intake", "template": "simple", "scope": "all"}
    refused = client.post("/letters/bulk", data=dict(payload, output="merged_pdf"))
    assert refused.status_code == 400
    assert "تحتاج برنامج LibreOffice" in refused.get_data(as_text=True)
    out = tmp_path / "letters.zip"
    args = ["letters", "bulk", "simple", "--form", "intake", "--all", "--pdf", "-o", str(out)]
    result = runner.invoke(args=[*args, "--base-url", "http://t"])
    assert result.exit_code == 1 and "PDF needs LibreOffice" in result.output
    assert store.count(REGISTER) == 1 and not out.exists()


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
