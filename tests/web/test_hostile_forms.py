"""Hostile input to the forms, staff and public: refused with a message and nothing stored,
or stored as typed and shown back harmless: escaped in pages, text in Excel, intact in Word.

Each table row is one case; the ids say what is tried.
"""

import html
import io
import re

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.conftest import csrf_token, post_form
from tests.web.conftest import PNG, holdings
from tests.web.test_staff_forms import stored

STAFF = "/forms/intake/new"
PUBLIC = "/f/quick_survey"
NOT_SAVED = "لم يُحفظ الطلب"
STALE = "انتهت صلاحية الصفحة أو تعذّر التحقق منها"
BIG = 5 * 1024 * 1024

# --- refused: the form comes back with a message, nothing is stored ------------------

# (id, changes to a valid intake submission (None removes a key), text on the page)
REFUSED_STAFF = [
    ("id-bad-check-digit", {"national_id": "1000000000"}, "رقم الهوية أو الإقامة غير صحيح"),
    ("id-sql", {"national_id": "1' OR '1'='1"}, "رقم الهوية أو الإقامة يتكون من ١٠ أرقام"),
    ("id-script", {"national_id": "<script>1</script>"}, "يتكون من ١٠ أرقام"),
    ("id-eleven-digits", {"national_id": "10000000080"}, "يتكون من ١٠ أرقام"),
    ("id-wrong-prefix", {"national_id": "3000000006"}, "رقم الهوية يبدأ بـ 1"),
    ("iban-bad-checksum", {"iban": "SA0380000000608010167510"}, "رقم الآيبان غير صحيح"),
    ("iban-template", {"iban": "{{ config.SECRET_KEY }}"}, "الآيبان السعودي يبدأ بـ SA"),
    ("mobile-script", {"mobile": "<img src=x onerror=alert(1)>"}, "أدخل رقم جوال سعودي"),
    ("income-sql", {"income": "1; DROP TABLE users"}, "أدخل رقمًا"),
    ("income-infinity", {"income": "Infinity"}, "أدخل رقمًا"),
    ("income-nan", {"income": "NaN"}, "أدخل رقمًا"),
    ("income-exponent", {"income": "1e309"}, "أدخل رقمًا"),
    ("date-impossible", {"birth": "2024-02-30"}, "أدخل تاريخًا صحيحًا"),
    ("date-traversal", {"birth": "../../etc/passwd"}, "أدخل تاريخًا صحيحًا"),
    ("yes-no-forged", {"married": "maybe"}, "اختر نعم أو لا"),
    ("name-too-long", {"full_name": "ا" * 501}, "النص أطول من المسموح"),
    ("name-one-megabyte", {"full_name": "x" * 1024 * 1024}, "النص أطول من المسموح"),
    ("name-only-spaces", {"full_name": "   \t  "}, "هذا الحقل مطلوب"),
    ("name-only-null-bytes", {"full_name": "\x00\x00"}, "هذا الحقل مطلوب"),
    ("required-removed", {"full_name": None}, "هذا الحقل مطلوب"),
    ("hidden-required-forged", {"married": "yes", "spouse": ""}, "هذا الحقل مطلوب"),
    ("channel-forged", {"rifd-channel": "<script>x</script>"}, "قناة غير معروفة"),
    ("channel-missing", {"rifd-channel": None}, "اختر قناة الاستقبال"),
    ("signature-html", {"sign": "data:text/html;base64,PHNjcmlwdD4="}, "التوقيع غير صالح"),
    ("signature-not-base64", {"sign": "data:image/png;base64,%%%"}, "التوقيع غير صالح"),
    ("signature-js-url", {"sign": "javascript:alert(1)"}, "التوقيع غير صالح"),
    ("repeat-too-many-rows", {f"members-{n}-member_name": f"ولد {n}" for n in range(4)}, "عدد"),
    ("repeat-row-script-age", {"members-0-member_age": "<b>9</b>"}, "أدخل عددًا صحيحًا"),
]


@pytest.mark.parametrize(
    "changes, shown", [c[1:] for c in REFUSED_STAFF], ids=[c[0] for c in REFUSED_STAFF]
)
def test_staff_form_refuses(app, client, valid_intake, changes, shown):
    data = {k: v for k, v in {**valid_intake, **changes}.items() if v is not None}
    before = holdings(app)
    response = post_form(client, STAFF, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert NOT_SAVED in page and shown in page
    assert holdings(app) == before
    assert "<script>" not in page and "<img src=x" not in page


# (id, public survey answers, text on the page)
REFUSED_PUBLIC = [
    ("rating-out-of-range", {"overall": "6"}, "اختر تقييمًا من ١ إلى ٥"),
    ("rating-negative", {"overall": "-1"}, "اختر تقييمًا من ١ إلى ٥"),
    ("rating-sql", {"overall": "4 OR 1=1"}, "اختر تقييمًا من ١ إلى ٥"),
    ("rating-template", {"overall": "{{ 4 }}"}, "اختر تقييمًا من ١ إلى ٥"),
    ("comment-too-long", {"overall": "4", "comment": "<" * 5001}, "النص أطول من المسموح"),
    ("rating-missing", {"comment": "<script>alert(1)</script>"}, "هذا الحقل مطلوب"),
]


@pytest.mark.parametrize(
    "data, shown", [c[1:] for c in REFUSED_PUBLIC], ids=[c[0] for c in REFUSED_PUBLIC]
)
def test_public_form_refuses(app, anon, data, shown):
    before = holdings(app)
    response = post_form(anon, PUBLIC, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and NOT_SAVED in page and shown in page
    assert "<script>alert" not in page
    assert holdings(app) == before


def _token_of_another_session(app):
    return csrf_token(app.test_client(), PUBLIC)


# (id, how the token is forged)
FORGED_TOKENS = [
    ("missing", lambda app, client: None),
    ("empty", lambda app, client: ""),
    ("garbage", lambda app, client: "not-a-token"),
    ("other-session", lambda app, client: _token_of_another_session(app)),
    ("truncated", lambda app, client: csrf_token(client, PUBLIC)[:-4]),
    ("script", lambda app, client: "<script>alert(1)</script>"),
]


@pytest.mark.parametrize("forge", [c[1] for c in FORGED_TOKENS], ids=[c[0] for c in FORGED_TOKENS])
@pytest.mark.parametrize("url", [STAFF, PUBLIC], ids=["staff", "public"])
def test_a_forged_csrf_token_keeps_the_form_and_stores_nothing(
    app, client, valid_intake, url, forge
):
    data = dict(valid_intake) if url == STAFF else {"overall": "5", "comment": "ممتاز"}
    token = forge(app, client)
    if token is not None:
        data["csrf_token"] = token
    before = holdings(app)
    response = client.post(url, data=data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and STALE in page
    assert "ممتاز" in page or "محمد بن عبدالله" in page  # what was typed is kept
    assert holdings(app) == before


# (id, raw body, content type)
MALFORMED_BODIES = [
    ("json", b'{"overall": "5"}', "application/json"),
    ("text-plain", b"overall=5", "text/plain"),
    ("xml", b"<?xml version='1.0'?><overall>5</overall>", "application/xml"),
    ("multipart-without-boundary", b"--x\r\n", "multipart/form-data"),
    (
        "multipart-broken",
        b"--b\r\nContent-Disposition: form-data\r\n\r\n",
        "multipart/form-data; boundary=b",
    ),
    ("urlencoded-garbage", b"%%%&&&===%ZZ", "application/x-www-form-urlencoded"),
    ("binary", bytes(range(256)) * 4, "application/octet-stream"),
]


@pytest.mark.parametrize(
    "body, ctype", [c[1:] for c in MALFORMED_BODIES], ids=[c[0] for c in MALFORMED_BODIES]
)
def test_malformed_bodies_and_wrong_content_types_get_a_4xx(app, anon, body, ctype):
    before = holdings(app)
    response = anon.post(PUBLIC, data=body, content_type=ctype)
    assert 400 <= response.status_code < 500
    assert "Traceback" not in response.get_data(as_text=True)
    assert holdings(app) == before


def test_an_oversized_body_gets_413_in_arabic(app, anon):
    before = holdings(app)
    response = anon.post(
        PUBLIC,
        data={"overall": "5", "comment": "x" * (41 * 1024 * 1024)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "حجم ما أرسلته أكبر من المسموح" in response.get_data(as_text=True)
    assert holdings(app) == before


def test_too_many_form_parts_are_refused(app, anon):
    fields = {f"f{n}": "x" for n in range(2100)}
    response = anon.post(PUBLIC, data=fields, content_type="multipart/form-data")
    assert response.status_code == 413
    assert stored(app.extensions["rifd_store"], "quick_survey") == []


def test_unknown_and_staff_only_fields_are_not_stored(app, anon):
    data = {"overall": "4", "internal": "<b>staff</b>", "is_admin": "1", "answers": "{}"}
    assert post_form(anon, PUBLIC, data).status_code == 302
    [record] = stored(app.extensions["rifd_store"], "quick_survey")
    assert record["answers"] == {"overall": 4}
    assert record["entered_by"] == "public" and record["channel"] == "website"


# --- accepted: stored exactly as typed, shown back harmless everywhere ---------------

# (id, what a person types as a name; stored as is, shown as text everywhere)
STORED_AS_TYPED = [
    ("script-tag", "<script>alert('x')</script>"),
    ("attribute-breakout", '"><img src=x onerror=alert(1)>'),
    ("javascript-url", "javascript:alert(document.cookie)"),
    ("sql-or", "' OR '1'='1' --"),
    ("sql-drop", "Robert'); DROP TABLE submissions;--"),
    ("jinja-expression", "{{ 7*7 }}"),
    ("jinja-statement", "{% for x in range(3) %}x{% endfor %}"),
    ("jinja-internals", "{{ ''.__class__.__mro__[1].__subclasses__() }}"),
    ("other-templates", "${7*7} #{7*7} <%= 7*7 %>"),
    ("formula-hyperlink", '=HYPERLINK("http://evil.example","اضغط")'),
    ("formula-dde", "=cmd|' /C calc'!A0"),
    ("formula-plus", "+SUM(1,2)"),
    ("formula-minus", "-2+3+cmd|' /C calc'!A0"),
    ("formula-at", "@SUM(A1:A2)"),
    ("word-xml", "</w:t></w:r><w:r><w:t>حقن"),
    ("xml-specials", "A & B < C > D \"E\" 'F'"),
    ("cdata", "]]><![CDATA[x"),
]


def _name_cell(export: bytes, ref: str):
    ws = load_workbook(io.BytesIO(export)).worksheets[0]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == ref)
    return row[header.index("الاسم")]


def _letter_text(client, page: str, rid: int) -> str:
    token = csrf_token(client, page)
    issued = client.post(
        f"/letters/from/intake/{rid}", data={"csrf_token": token, "template": "acceptance"}
    )
    assert issued.status_code == 302 and "/letters/" in issued.headers["Location"], issued.headers
    docx = client.get(issued.headers["Location"] + ".docx")
    doc = Document(io.BytesIO(docx.data))
    return "\n".join(p.text for p in doc.paragraphs)


@pytest.mark.parametrize(
    "typed", [c[1] for c in STORED_AS_TYPED], ids=[c[0] for c in STORED_AS_TYPED]
)
def test_typed_text_is_stored_as_is_and_shown_harmless(client, store, valid_intake, typed):
    response = post_form(client, STAFF, {**valid_intake, "full_name": typed, "spouse": typed})
    assert response.status_code == 302
    [record] = stored(store)
    assert record["answers"]["full_name"] == typed
    page_url = response.headers["Location"].split("?")[0]
    page = client.get(page_url).get_data(as_text=True)
    assert html.escape(typed, quote=False) in page.replace("&#39;", "'").replace("&#34;", '"')
    if re.search(r"[<>]", typed):
        assert typed not in page
    listing = client.get("/forms/intake/submissions").get_data(as_text=True)
    assert not re.search(r"<script>alert|<img src=x", listing)
    cell = _name_cell(client.get("/forms/intake/export.xlsx").data, record["ref"])
    assert cell.value == typed and cell.data_type == "s"  # text, never a formula
    assert typed in _letter_text(client, page_url, record["id"])


def test_control_characters_are_dropped_and_the_rest_kept(client, store, valid_intake):
    typed = "محمد\x01\x08 بن\x0b عبدالله\x1f"
    response = post_form(client, STAFF, {**valid_intake, "full_name": typed})
    assert response.status_code == 302
    [record] = stored(store)
    assert record["answers"]["full_name"] == "محمد بن عبدالله"
    page_url = response.headers["Location"].split("?")[0]
    assert "محمد بن عبدالله" in _letter_text(client, page_url, record["id"])
    assert client.get("/forms/intake/export.xlsx").status_code == 200
    assert client.get("/letters/register.xlsx").status_code == 200


def test_a_direction_override_is_dropped_so_nothing_shows_reversed(client, store, valid_intake):
    # Kept, U+202E made "gpj.exe" show as "exe.jpg" in pages, Excel and letters.
    response = post_form(client, STAFF, {**valid_intake, "full_name": "محمد\u202egpj.exe"})
    assert response.status_code == 302
    [record] = stored(store)
    assert record["answers"]["full_name"] == "محمدgpj.exe"
    page_url = response.headers["Location"].split("?")[0]
    assert "\u202e" not in client.get(page_url).get_data(as_text=True)
    cell = _name_cell(client.get("/forms/intake/export.xlsx").data, record["ref"])
    assert cell.value == "محمدgpj.exe"
    assert "محمدgpj.exe" in _letter_text(client, page_url, record["id"])


def test_decision_text_with_control_characters_still_issues_the_letter(client, store, valid_intake):
    response = post_form(client, STAFF, valid_intake)
    page_url = response.headers["Location"].split("?")[0]
    rid = stored(store)[0]["id"]
    token = csrf_token(client, page_url)
    reasons = "عدم\x02 اكتمال\x1b المستندات {{ 7*7 }} <w:p/>"
    issued = client.post(
        f"/letters/from/intake/{rid}",
        data={"csrf_token": token, "template": "rejection", "reasons": reasons},
    )
    assert issued.status_code == 302 and re.search(r"/letters/\d+$", issued.headers["Location"])
    doc = Document(io.BytesIO(client.get(issued.headers["Location"] + ".docx").data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "عدم اكتمال المستندات {{ 7*7 }} <w:p/>" in text


def test_a_signature_that_is_not_an_image_is_refused(app, client, valid_intake):
    fake = "data:image/png;base64," + "PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+" * 3  # "<svg onload=...>"
    before = holdings(app)
    response = post_form(client, STAFF, {**valid_intake, "sign": fake})
    assert response.status_code == 400 and "التوقيع غير صالح" in response.get_data(as_text=True)
    assert holdings(app) == before
    assert PNG.startswith(b"\x89PNG")  # the valid fixture signature is a real PNG
