"""Server-side checking of a whole submission: types, conditions, repeats, files."""

import base64
import io

import pytest
from werkzeug.datastructures import FileStorage

from forms.definition import parse_definition
from forms.types import PendingFile
from forms.validation import store_files, validate_answers

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def text(ar):
    return {"ar": ar, "en": ar}


FORM = parse_definition(
    {
        "id": "t",
        "version": 2,
        "title": text("ت"),
        "choice_lists": {
            "yn": [{"value": "a", "label": text("أ")}, {"value": "b", "label": text("ب")}]
        },
        "sections": [
            {
                "name": "s1",
                "title": text("١"),
                "fields": [
                    {
                        "name": "name",
                        "type": "text",
                        "label": text("الاسم"),
                        "required": True,
                        "constraints": {
                            "min_length": 2,
                            "max_length": 20,
                            "messages": {"min_length": {"ar": "قصير جدًا", "en": "Too short"}},
                        },
                    },
                    {
                        "name": "postal",
                        "type": "text",
                        "label": text("الرمز البريدي"),
                        "constraints": {"pattern": r"\d{5}"},
                    },
                    {
                        "name": "age",
                        "type": "integer",
                        "label": text("العمر"),
                        "constraints": {"min": 0, "max": 120},
                    },
                    {"name": "amount", "type": "decimal", "label": text("المبلغ")},
                    {"name": "born", "type": "date", "label": text("الميلاد")},
                    {"name": "kind", "type": "select_one", "label": text("النوع"), "choices": "yn"},
                    {
                        "name": "many",
                        "type": "select_multiple",
                        "label": text("عدة"),
                        "choices": "yn",
                    },
                    {"name": "married", "type": "yes_no", "label": text("متزوج")},
                    {
                        "name": "spouse",
                        "type": "text",
                        "label": text("الزوج"),
                        "required": True,
                        "visible_if": "married",
                    },
                    {
                        "name": "spouse_id",
                        "type": "national_id",
                        "label": text("هوية الزوج"),
                        "required": True,
                        "visible_if": "filled(spouse)",
                    },
                    {
                        "name": "why",
                        "type": "textarea",
                        "label": text("لماذا"),
                        "required_if": "kind = 'b'",
                    },
                    {"name": "stars", "type": "rating", "label": text("تقييم")},
                    {"name": "score", "type": "nps", "label": text("توصية")},
                    {"name": "mail", "type": "email", "label": text("بريد")},
                    {"name": "phone", "type": "mobile", "label": text("جوال")},
                    {"name": "iban", "type": "iban", "label": text("آيبان")},
                    {
                        "name": "doc",
                        "type": "file",
                        "label": text("ملف"),
                        "accept": ["pdf"],
                        "max_size_mb": 1,
                    },
                    {"name": "sign", "type": "signature", "label": text("توقيع")},
                    {"name": "secret", "type": "text", "label": text("داخلي"), "staff_only": True},
                ],
            },
            {
                "name": "s2",
                "title": text("٢"),
                "visible_if": "age > 17",
                "fields": [
                    {"name": "job", "type": "text", "label": text("العمل"), "required": True},
                    {
                        "name": "kids",
                        "type": "repeat",
                        "label": text("الأبناء"),
                        "min": 1,
                        "max": 3,
                        "fields": [
                            {
                                "name": "kid",
                                "type": "text",
                                "label": text("الاسم"),
                                "required": True,
                            },
                            {"name": "kid_age", "type": "integer", "label": text("العمر")},
                            {
                                "name": "school",
                                "type": "text",
                                "label": text("المدرسة"),
                                "required": True,
                                "visible_if": "kid_age >= 6",
                            },
                        ],
                    },
                ],
            },
        ],
    },
    "t.json",
)


def check(audience="staff", lang="ar", **raw):
    return validate_answers(FORM, {"name": "سارة", **raw}, lang, audience)


@pytest.mark.parametrize(
    ("name", "typed", "stored"),
    [
        ("name", "  سارة  ", "سارة"),
        ("postal", "٣٦٣٦١", "36361"),
        ("age", "١٢", 12),
        ("age", "۱۲", 12),
        ("amount", "١٢٫٥", 12.5),
        ("amount", "1,500", 1500),
        ("born", "1990-05-01", "1990-05-01"),
        ("born", "١٩٩٠/٠٥/٠١", "1990-05-01"),
        ("born", "1410/10/06", "1990-05-01"),  # Hijri, as a Saudi ID prints it
        ("born", "١٤١٠/١٠/٠٦ هـ", "1990-05-01"),
        ("born", "1990/5/1 م", "1990-05-01"),
        ("kind", "a", "a"),
        ("many", ["b", "a", "b"], ["b", "a"]),
        ("married", "no", False),
        ("stars", "٥", 5),
        ("score", "0", 0),
        ("mail", "Sara@Example.COM", "Sara@example.com"),
        ("phone", "٠٥٠١٢٣٤٥٦٧", "+966501234567"),
        ("iban", "sa03 8000 0000 6080 1016 7519", "SA0380000000608010167519"),
    ],
)
def test_values_are_stored_normalised(name, typed, stored):
    result = check(**{name: typed})
    assert result.errors == {}
    assert result.answers[name] == stored


@pytest.mark.parametrize(
    ("name", "typed", "message"),
    [
        ("name", "س", "قصير جدًا"),
        ("name", "x" * 1_000_000, "النص أطول من المسموح"),
        ("age", "abc", "أدخل عددًا صحيحًا."),
        ("age", "121", "القيمة أكبر من 120."),
        ("age", "1.5", "أدخل عددًا صحيحًا."),
        ("amount", "12..5", "أدخل رقمًا."),
        ("born", "1990-02-30", "أدخل تاريخًا صحيحًا"),
        ("born", "1410/13/01", "أدخل تاريخًا صحيحًا"),  # no 13th Hijri month
        ("born", "1446/05/31", "أدخل تاريخًا صحيحًا"),  # Jumada al-Ula 1446 has 29 days
        ("kind", "c", "اختر من القائمة."),
        ("many", ["a", "zz"], "اختر من القائمة."),
        ("married", "maybe", "اختر نعم أو لا."),
        ("stars", "6", "اختر تقييمًا من ١ إلى ٥."),
        ("score", "11", "اختر رقمًا من ٠ إلى ١٠."),
        ("mail", "not-an-email", "أدخل بريدًا إلكترونيًا صحيحًا."),
        ("phone", "0412345678", "أدخل رقم جوال سعودي"),
        ("iban", "SA0480000000608010167519", "رقم الآيبان غير صحيح"),
        ("sign", "data:image/png;base64,AAAA", "التوقيع غير صالح"),
        ("sign", "javascript:alert(1)", "التوقيع غير صالح"),
    ],
)
def test_bad_values_get_a_message_beside_the_field(name, typed, message):
    result = check(**{name: typed})
    assert message in result.errors[name]
    assert name not in result.answers


def test_english_messages():
    assert check(lang="en", age="x").errors["age"] == "Enter a whole number."


def test_hidden_field_is_not_required_and_not_stored():
    # married is "no": spouse is hidden, so it is neither required nor kept.
    result = check(married="no", spouse="ignored")
    assert result.ok and "spouse" not in result.answers
    result = check(married="yes")
    assert result.errors["spouse"] == "هذا الحقل مطلوب."


def test_chained_hiding_counts_hidden_fields_as_empty():
    # spouse_id depends on spouse, which is hidden: so spouse_id is hidden too.
    result = check(married="no", spouse="x", spouse_id="1000000000")
    assert result.ok
    assert "spouse_id" not in result.answers
    result = check(married="yes", spouse="نورة", spouse_id="1000000000")
    assert "spouse_id" in result.errors


def test_required_if():
    assert "why" not in check(kind="a").errors
    assert check(kind="b").errors["why"] == "هذا الحقل مطلوب."


def test_section_visibility_and_repeat_rows():
    hidden = check(age="10", job="")
    assert hidden.ok and "job" not in hidden.answers
    shown = check(age="30", job="")
    assert shown.errors["job"] == "هذا الحقل مطلوب."
    assert shown.errors["kids"] == "هذا الحقل مطلوب."  # min 1 row


def test_repeat_rows_checked_per_row():
    rows = [
        {"#": 0, "kid": "علي", "kid_age": "٤"},
        {"#": 1, "kid": "", "kid_age": "", "school": ""},  # an empty row is dropped
        {"#": 4, "kid": "منى", "kid_age": "8"},  # school required when 6 or older
    ]
    result = check(age="40", job="معلم", kids=rows)
    assert result.errors == {"kids-4-school": "هذا الحقل مطلوب."}
    rows[2]["school"] = "الأمل"
    result = check(age="40", job="معلم", kids=rows)
    assert result.ok
    assert result.answers["kids"] == [
        {"kid": "علي", "kid_age": 4},
        {"kid": "منى", "kid_age": 8, "school": "الأمل"},
    ]


def test_too_many_rows_are_refused_not_cut():
    rows = [{"#": i, "kid": f"k{i}"} for i in range(4)]
    result = check(age="40", job="x", kids=rows)
    assert result.errors["kids"] == "عدد الصفوف أكثر من 3."
    assert "kids" not in result.answers


def test_unknown_names_are_dropped():
    result = check(evil="1", __class__="x")
    assert result.ok and set(result.answers) == {"name"}


def test_staff_only_fields_are_not_on_public_forms():
    assert "secret" in check(secret="x").answers
    assert "secret" not in check(audience="public", secret="x").answers


def upload(data: bytes, name: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


def test_files_checked_by_content_not_name():
    ok = check(doc=upload(PDF, "../../etc/passwd.pdf"))
    pending = ok.answers["doc"]
    assert isinstance(pending, PendingFile) and pending.ext == "pdf"
    assert "/" not in pending.filename
    fake = check(doc=upload(b"MZ\x90\x00 this is an exe", "invoice.pdf"))
    assert "نوع الملف غير مسموح" in fake.errors["doc"]
    png = check(doc=upload(PNG, "x.pdf"))
    assert "نوع الملف غير مسموح" in png.errors["doc"]
    big = check(doc=upload(PDF + b"0" * (1024 * 1024), "big.pdf"))
    assert "حجم الملف أكبر من 1" in big.errors["doc"]


def test_signature_and_store_files():
    data_url = "data:image/png;base64," + base64.b64encode(PNG).decode()
    result = check(sign=data_url, doc=upload(PDF, "id.pdf"))
    assert result.ok
    kept = {}

    def put(data):
        digest = f"{len(kept):064x}"
        kept[digest] = data
        return digest

    answers = store_files(result.answers, put)
    sign = answers["sign"]
    assert sign == {
        "sha256": sign["sha256"],
        "type": "png",
        "size": len(PNG),
        "name": "signature.png",
    }
    assert kept[sign["sha256"]] == PNG
    assert answers["doc"]["type"] == "pdf" and answers["doc"]["name"] == "id.pdf"
    assert kept[answers["doc"]["sha256"]] == PDF
