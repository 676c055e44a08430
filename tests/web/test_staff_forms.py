"""Staff fill a form for a beneficiary through the web pages, as a person would."""

import hashlib
import io
import re
from pathlib import Path

import pytest

from submissions import service
from tests.conftest import csrf_token, post_form, sign_in
from tests.web.conftest import PDF, PNG

URL = "/forms/intake/new"


def errors_by_field(html: str) -> dict[str, str]:
    """Map each field's data-name to the error shown inside its box."""
    found = {}
    boxes = html.split('<div class="field has-error" data-name="')[1:]
    for box in boxes:
        name = box.split('"', 1)[0]
        own = box.split('<div class="field', 1)[0]  # stop at the next field's box
        msg = re.search(r'class="error"[^>]*>([^<]*)<', own)
        if msg:
            found[name] = msg.group(1)
    return found


def stored(store, form_id="intake"):
    return list(store.iter(service.collection(form_id)))


def test_forms_list_and_page_are_arabic_rtl(client):
    page = client.get("/forms/").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert "نموذج استقبال" in page and "طلب دعم مستفيد" in page
    form = client.get(URL).get_data(as_text=True)
    assert 'name="csrf_token"' in form
    assert form.count('<option value="') >= 8  # the association's eight channels
    assert "مناديب المكاتب الفرعية" in form
    assert 'data-visible-if="married"' in form
    assert '<template data-prototype data-placeholder="__index__">' in form


@pytest.mark.parametrize(
    ("role", "may_fill"),
    [("intake", True), ("researcher", True), ("quality_officer", False), ("viewer", False)],
)
def test_the_forms_list_offers_filling_only_to_those_who_may(app, role, may_fill):
    # The quality officer and the viewer were shown a fill button that led to a 403.
    person = app.test_client()
    sign_in(person, app, username=f"list_{role}", roles=[role])
    page = person.get("/forms/").get_data(as_text=True)
    assert "طلب دعم مستفيد" in page and "/forms/support_request/submissions" in page
    assert ('href="/forms/support_request/new"' in page) is may_fill
    assert (person.get("/forms/support_request/new").status_code == 200) is may_fill


def test_valid_submission_is_stored_whole(client, store, valid_intake):
    data = dict(valid_intake, id_copy=(io.BytesIO(PDF), "هوية.pdf"))
    response = post_form(client, URL, data)
    assert response.status_code == 302
    [record] = stored(store)
    assert response.headers["Location"].endswith(
        f"/forms/intake/submissions/{record['id']}?saved=1"
    )
    assert re.fullmatch(r"IN-14\d\d-00001", record["ref"])
    assert record["form_id"] == "intake" and record["form_version"] == 3
    assert record["channel"] == "interview" and record["entered_by"] == "staff"
    assert record["created_at"]
    answers = record["answers"]
    assert answers["national_id"] == "1000000008"
    assert answers["mobile"] == "+966512345678"
    assert answers["income"] == 3500.5
    assert answers["married"] is True and answers["spouse"] == "نورة"
    assert answers["members"] == [{"member_name": "سارة", "member_age": 9}]
    # Files live on disk by content hash; the record only refers to them.
    assert answers["id_copy"]["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert answers["sign"]["sha256"] == hashlib.sha256(PNG).hexdigest()
    assert store.read_file(answers["sign"]["sha256"]) == PNG
    assert "base64" not in repr(record)

    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "تم حفظ الطلب بنجاح" in page and record["ref"] in page
    assert "1985/03/14 م" in page and "هـ" in page  # Hijri with the Gregorian beside
    assert 'class="signature-img"' in page
    pdf = client.get(
        f"/forms/intake/submissions/{record['id']}/files/{answers['id_copy']['sha256']}"
    )
    assert pdf.status_code == 200 and pdf.data == PDF


def test_hidden_field_is_neither_required_nor_stored(client, store, valid_intake):
    data = dict(valid_intake, married="no", spouse="should be dropped")
    assert post_form(client, URL, data).status_code == 302
    assert "spouse" not in stored(store)[0]["answers"]


BAD = [
    ("national_id", "1000000000", "رقم الهوية أو الإقامة غير صحيح"),
    ("national_id", "<script>alert(1)</script>", "رقم الهوية أو الإقامة يتكون من ١٠ أرقام"),
    ("iban", "SA0480000000608010167519", "رقم الآيبان غير صحيح"),
    ("mobile", "12345", "أدخل رقم جوال سعودي"),
    ("income", "a lot", "أدخل رقمًا"),
    ("birth", "31/31/2020", "أدخل تاريخًا صحيحًا"),
    ("married", "perhaps", "اختر نعم أو لا"),
    ("full_name", "x" * 1_000_000, "النص أطول من المسموح"),
    ("full_name", "", "هذا الحقل مطلوب"),
    ("sign", "data:image/png;base64,not-a-png", "التوقيع غير صالح"),
    ("members-0-member_age", "٩٩x", "أدخل عددًا صحيحًا"),
]


@pytest.mark.parametrize(
    ("name", "value", "message"), BAD, ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD)]
)
def test_bad_input_comes_back_with_message_and_nothing_stored(
    client, store, valid_intake, name, value, message
):
    response = post_form(client, URL, dict(valid_intake, **{name: value}))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "لم يُحفظ الطلب" in html
    field = name.split("-")[-1]
    assert message in errors_by_field(html)[field]
    # What the person typed is still there (escaped), apart from the faulty 1 MB value.
    assert 'value="محمد بن عبدالله"' in html or name == "full_name"
    assert "<script>alert" not in html
    assert stored(store) == []


def test_forbidden_file_type_by_content(client, store, valid_intake):
    exe = (io.BytesIO(b"MZ\x90\x00\x03" + b"\x00" * 200), "cv.pdf")
    response = post_form(client, URL, dict(valid_intake, id_copy=exe))
    assert response.status_code == 400
    assert "نوع الملف غير مسموح" in errors_by_field(response.get_data(as_text=True))["id_copy"]
    assert stored(store) == []


def test_a_valid_file_must_be_attached_again_after_an_error(client, store, valid_intake):
    data = dict(valid_intake, national_id="1000000000", id_copy=(io.BytesIO(PDF), "id.pdf"))
    html = post_form(client, URL, data).get_data(as_text=True)
    assert "أعد إرفاق الملف" in errors_by_field(html)["id_copy"]
    assert store.collections() == [] or stored(store) == []


def test_too_many_repeat_rows(client, store, valid_intake):
    rows = {f"members-{i}-member_name": f"فرد {i}" for i in range(6)}
    response = post_form(client, URL, dict(valid_intake, **rows))
    assert response.status_code == 400
    assert "عدد الصفوف أكثر من 3" in response.get_data(as_text=True)
    assert stored(store) == []


def test_unknown_and_tampered_fields(client, store, valid_intake):
    response = post_form(
        client, URL, dict(valid_intake, **{"is_admin": "1", "rifd-channel": "hacked"})
    )
    assert response.status_code == 400
    assert "قناة غير معروفة" in response.get_data(as_text=True)
    assert stored(store) == []
    assert post_form(client, URL, dict(valid_intake, is_admin="1")).status_code == 302
    assert "is_admin" not in stored(store)[0]["answers"]


def test_missing_or_wrong_csrf_token_stores_nothing(client, store, valid_intake):
    response = client.post(URL, data=valid_intake)
    assert response.status_code == 400
    assert "انتهت صلاحية الصفحة" in response.get_data(as_text=True)
    response = client.post(URL, data=dict(valid_intake, csrf_token="forged"))
    assert response.status_code == 400
    assert stored(store) == []


def test_oversized_request_gets_a_page_not_a_crash(app, client, store, valid_intake):
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    big = (io.BytesIO(PDF + b"0" * (2 * 1024 * 1024)), "big.pdf")
    response = post_form(client, URL, dict(valid_intake, id_copy=big))
    assert response.status_code == 413
    assert "حجم ما أرسلته أكبر من المسموح" in response.get_data(as_text=True)
    assert stored(store) == []


def test_no_input_produces_a_500(client, store):
    token = csrf_token(client, URL)
    payloads = [
        {"married": ["yes", "no"], "members-99999999999-member_name": "x"},
        {"members-x-member_name": "x", "members--1-member_name": "y"},
        {"national_id": "\x00\x01\x02", "birth": "9999-99-99", "income": "1e309"},
        {
            "iban": "SA" + "٩" * 22,
            "mobile": "+" * 500,
            "sign": "data:image/png;base64," + "A" * 5000,
        },
        {"full_name": ["a", "b"], "rifd-channel": ["interview", "phone"]},
    ]
    for payload in payloads:
        response = client.post(URL, data={"csrf_token": token, **payload})
        assert response.status_code == 400, payload
    assert stored(store) == []


def test_search_and_paging(client, store, app, valid_intake):
    with app.app_context():
        form = app.extensions["rifd_forms"].get("intake")
        for i in range(25):
            answers = {"full_name": f"مستفيد {i}", "national_id": "1000000008", "married": False}
            answers["mobile"] = f"+9665{i:08d}"
            service.save(store, form, answers, channel="phone", entered_by="staff")
    first = client.get("/forms/intake/submissions").get_data(as_text=True)
    assert "العدد: 25" in first and "صفحة 1 من 2" in first
    assert "IN-" in first and first.index("00025") < first.index("00024")  # newest first
    second = client.get("/forms/intake/submissions?page=2").get_data(as_text=True)
    assert "صفحة 2 من 2" in second and second.count("/forms/intake/submissions/") == 5
    found = client.get("/forms/intake/submissions?q=مستفيد 7").get_data(as_text=True)
    assert "العدد: 1" in found
    assert "العدد: 1" in client.get("/forms/intake/submissions?q=-٠٠٠٠٣").get_data(as_text=True)
    assert "العدد: 1" in client.get("/forms/intake/submissions?q=0500000012").get_data(as_text=True)
    assert client.get("/forms/intake/submissions?page=abc").status_code == 200
    assert client.get("/forms/intake/submissions/999").status_code == 404


def test_unknown_form_and_bad_file_digest_are_404(client):
    assert client.get("/forms/nope/new").status_code == 404
    assert client.get("/forms/intake/submissions/1/files/../../secret_key").status_code == 404
    assert client.get("/forms/intake/submissions/1/files/" + "a" * 64).status_code == 404


def test_a_broken_definition_is_listed_not_fatal(app, client):
    folder = Path(app.config["DATA_DIR"]) / "forms"
    (folder / "broken.json").write_text(
        '{"id": "broken", "version": 1, "title": {"ar": "x"}, '
        '"sections": [{"name": "s", "title": {"ar": "s"}, "fields": '
        '[{"name": "a", "type": "nationalid", "label": {"ar": "a"}}]}]}'
    )
    page = client.get("/forms/").get_data(as_text=True)
    assert page.count("نماذج لم تُحمَّل لوجود أخطاء") == 1
    assert (
        "broken.json: sections[0].fields[0].type: &#34;nationalid&#34; is not a field type" in page
    )
    assert "نموذج استقبال" in page  # the other forms still work
    assert client.get("/forms/broken/new").status_code == 404


def test_the_schema_is_published(client):
    response = client.get("/schema/form-definition.json")
    assert response.status_code == 200 and response.is_json
    assert "national_id" in response.json["$defs"]["field"]["properties"]["type"]["enum"]
