"""Every field type through the staff page: digits, defaults, hints, own messages, limits."""

import io
import json
import re
from pathlib import Path

import pytest

from tests.conftest import post_form
from tests.web.conftest import PDF, PNG, t
from tests.web.test_staff_forms import errors_by_field, stored

URL = "/forms/every_type/new"


EVERY_TYPE = {
    "id": "every_type",
    "version": 2,
    "ref_prefix": "ET",
    "title": t("نموذج كل الأنواع", "Every type"),
    "choice_lists": {
        "marital": [
            {"value": "single", "label": t("أعزب", "Single")},
            {"value": "married", "label": t("متزوج", "Married")},
        ]
    },
    "sections": [
        {
            "name": "main",
            "title": t("البيانات", "Details"),
            "fields": [
                {"name": "intro", "type": "note", "label": t("اقرأ قبل التعبئة", "Read first")},
                {
                    "name": "city",
                    "type": "text",
                    "label": t("المدينة", "City"),
                    "default": "الأحساء",
                },
                {
                    "name": "postal",
                    "type": "text",
                    "label": t("الرمز البريدي", "Postal code"),
                    "constraints": {
                        "pattern": "\\d{5}",
                        "messages": {"pattern": t("خمسة أرقام فقط", "Five digits only")},
                    },
                },
                {
                    "name": "about",
                    "type": "textarea",
                    "label": t("نبذة", "About"),
                    "hint": t("سطران أو ثلاثة", "Two or three lines"),
                    "constraints": {"min_length": 5},
                },
                {
                    "name": "age",
                    "type": "integer",
                    "label": t("العمر", "Age"),
                    "default": 30,
                    "constraints": {
                        "min": 18,
                        "max": 99,
                        "messages": {"max": t("العمر أكبر من المسموح", "Too old for this program")},
                    },
                },
                {"name": "income", "type": "decimal", "label": t("الدخل", "Income")},
                {"name": "born", "type": "date", "label": t("الميلاد", "Born")},
                {
                    "name": "marital",
                    "type": "select_one",
                    "label": t("الحالة", "Status"),
                    "choices": "marital",
                    "default": "married",
                },
                {
                    "name": "needs",
                    "type": "select_multiple",
                    "label": t("الاحتياج", "Needs"),
                    "choices": [
                        {"value": "food", "label": t("غذاء", "Food")},
                        {"value": "rent", "label": t("إيجار", "Rent")},
                    ],
                    "default": ["rent"],
                },
                {
                    "name": "employed",
                    "type": "yes_no",
                    "label": t("يعمل؟", "Employed?"),
                    "default": False,
                },
                {"name": "stars", "type": "rating", "label": t("التقييم", "Rating"), "default": 4},
                {"name": "score", "type": "nps", "label": t("التوصية", "Recommend")},
                {"name": "mail", "type": "email", "label": t("البريد", "E-mail")},
                {"name": "mobile", "type": "mobile", "label": t("الجوال", "Mobile")},
                {
                    "name": "nid",
                    "type": "national_id",
                    "label": t("رقم الهوية", "ID number"),
                    "hint": t("عشرة أرقام", "Ten digits"),
                },
                {"name": "iban", "type": "iban", "label": t("الآيبان", "IBAN")},
                {
                    "name": "doc",
                    "type": "file",
                    "label": t("مستند", "Document"),
                    "accept": ["pdf"],
                    "max_size_mb": 1,
                },
                {"name": "sign", "type": "signature", "label": t("التوقيع", "Signature")},
                {
                    "name": "kids",
                    "type": "repeat",
                    "label": t("الأبناء", "Children"),
                    "min": 1,
                    "max": 2,
                    "fields": [
                        {
                            "name": "kid_name",
                            "type": "text",
                            "label": t("الاسم", "Name"),
                            "required": True,
                        },
                        {"name": "kid_age", "type": "integer", "label": t("العمر", "Age")},
                    ],
                },
            ],
        }
    ],
}


@pytest.fixture(autouse=True)
def every_type(app, own_forms):
    folder = Path(app.config["DATA_DIR"]) / "forms"
    (folder / "every_type.json").write_text(json.dumps(EVERY_TYPE, ensure_ascii=False), "utf-8")


def answers(**changes) -> dict:
    """A valid POST of the form, as the page sends it."""
    return {
        "rifd-channel": "interview",
        "city": "الهفوف",
        "postal": "36361",
        "about": "أسرة من خمسة أفراد.",
        "age": "40",
        "income": "1500.75",
        "born": "1990/05/01",
        "marital": "single",
        "needs": ["food"],
        "employed": "no",
        "stars": "4",
        "score": "9",
        "mail": "Sara@Example.COM",
        "mobile": "0512345678",
        "nid": "1000000008",
        "iban": "SA0380000000608010167519",
        "kids-0-kid_name": "علي",
        "kids-0-kid_age": "7",
        **changes,
    }


STORED = {
    "city": "الهفوف",
    "postal": "36361",
    "about": "أسرة من خمسة أفراد.",
    "age": 40,
    "income": 1500.75,
    "born": "1990-05-01",
    "marital": "single",
    "needs": ["food"],
    "employed": False,
    "stars": 4,
    "score": 9,
    "mail": "Sara@example.com",
    "mobile": "+966512345678",
    "nid": "1000000008",
    "iban": "SA0380000000608010167519",
    "kids": [{"kid_name": "علي", "kid_age": 7}],
}
# Every field where a number, an ID, a phone or an IBAN is typed.
NUMERIC = ["postal", "age", "income", "born", "stars", "score", "mobile", "nid", "iban"]
NUMERIC_IN_ROWS = ["kids-0-kid_age"]


def test_every_type_is_stored_as_its_kind_and_the_note_stores_nothing(client, store):
    page = client.get(URL).get_data(as_text=True)
    assert "اقرأ قبل التعبئة" in page
    response = post_form(client, URL, answers())
    assert response.status_code == 302, errors_by_field(response.get_data(as_text=True))
    [record] = stored(store, "every_type")
    assert record["answers"] == STORED
    assert record["form_version"] == 2 and record["ref"].startswith("ET-")


@pytest.mark.parametrize("digits", ["٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹"], ids=["arabic-indic", "persian"])
def test_numbers_ids_phones_and_ibans_take_arabic_indic_and_persian_digits(client, store, digits):
    table = str.maketrans("0123456789.", digits + "٫")
    typed = answers(
        **{name: answers()[name].translate(table) for name in NUMERIC + NUMERIC_IN_ROWS}
    )
    assert typed["nid"] != "1000000008" and typed["income"].endswith(digits[7] + digits[5])
    response = post_form(client, URL, typed)
    assert response.status_code == 302, errors_by_field(response.get_data(as_text=True))
    [record] = stored(store, "every_type")
    assert record["answers"] == STORED  # ASCII digits, numbers as numbers
    on_disk = "".join(p.read_text("utf-8") for p in Path(store.root).rglob("every_type/*.json"))
    assert not set(digits) & set(on_disk)
    found = client.get("/forms/every_type/submissions?q=" + "1000000008".translate(table))
    assert "العدد: 1" in found.get_data(as_text=True)


def _input(html: str, name: str, value: str) -> str:
    found = re.search(rf'<input[^>]* name="{name}"[^>]* value="{value}"[^>]*>', html)
    assert found, (name, value)
    return found.group(0)


def _option(html: str, name: str, value: str) -> str:
    select = re.search(rf'<select[^>]* name="{name}".*?</select>', html, re.DOTALL)
    found = re.search(rf'<option[^>]* value="{value}"[^>]*>', select.group(0))
    assert found, (name, value)
    return found.group(0)


def test_defaults_fill_the_new_page_but_never_a_posted_one(client, store):
    page = client.get(URL).get_data(as_text=True)
    assert 'value="الأحساء"' in page and 'name="age" type="text" value="30"' in page
    assert "selected" in _option(page, "marital", "married")
    assert "selected" not in _option(page, "marital", "single")
    assert "checked" in _input(page, "needs", "rent")
    assert "checked" not in _input(page, "needs", "food")
    assert "checked" in _input(page, "employed", "no")
    assert "checked" in _input(page, "stars", "4") and "checked" not in _input(page, "stars", "5")
    # A person who unticks every need and clears the age gets no default in their place.
    sent = answers()
    del sent["needs"]
    response = post_form(client, URL, dict(sent, age=""))
    assert response.status_code == 302
    [record] = stored(store, "every_type")
    assert "needs" not in record["answers"] and "age" not in record["answers"]


@pytest.mark.parametrize(
    ("lang", "hint", "messages"),
    [
        (
            "ar",
            "سطران أو ثلاثة",
            {"postal": "خمسة أرقام فقط", "age": "العمر أكبر من المسموح",
             "about": "النص أقصر من 5 حرفًا."},
        ),
        (
            "en",
            "Two or three lines",
            {"postal": "Five digits only", "age": "Too old for this program",
             "about": "The text is shorter than 5 characters."},
        ),
    ],
)  # fmt: skip
def test_hints_and_the_forms_own_messages_follow_the_language(client, store, lang, hint, messages):
    client.get(f"/lang/{lang}")
    page = client.get(URL).get_data(as_text=True)
    assert hint in page and ("Ten digits" if lang == "en" else "عشرة أرقام") in page
    response = post_form(client, URL, answers(postal="123", age="120", about="قصير"))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert errors_by_field(html) == messages
    assert 'value="الهفوف"' in html  # what was typed stays
    assert stored(store, "every_type") == []


def _repeat_error(html: str) -> str:
    found = re.search(r'data-name="kids".*?<p class="error" role="alert">([^<]*)<', html, re.S)
    return found.group(1) if found else ""


def test_repeat_rows_below_the_minimum_or_above_the_maximum(client, store):
    none = answers(**{"kids-0-kid_name": "", "kids-0-kid_age": ""})
    response = post_form(client, URL, none)
    assert response.status_code == 400
    assert _repeat_error(response.get_data(as_text=True)) == "هذا الحقل مطلوب."  # min 1
    rows = {f"kids-{i}-kid_name": f"ابن {i}" for i in range(3)}
    response = post_form(client, URL, answers(**rows))
    assert _repeat_error(response.get_data(as_text=True)) == "عدد الصفوف أكثر من 2."
    assert stored(store, "every_type") == []


def test_a_file_over_its_own_limit_or_of_another_type_is_refused(client, store):
    big = PDF + b"0" * (1024 * 1024)
    response = post_form(client, URL, answers(doc=(io.BytesIO(big), "big.pdf")))
    assert response.status_code == 400
    assert errors_by_field(response.get_data(as_text=True)) == {
        "doc": "حجم الملف أكبر من 1 ميجابايت."
    }
    response = post_form(client, URL, answers(doc=(io.BytesIO(PNG), "scan.pdf")))
    assert errors_by_field(response.get_data(as_text=True)) == {
        "doc": "نوع الملف غير مسموح. الأنواع المسموحة: pdf."
    }
    assert stored(store, "every_type") == []
    response = post_form(client, URL, answers(doc=(io.BytesIO(PDF), "id.pdf")))
    assert response.status_code == 302
    [record] = stored(store, "every_type")
    assert store.read_file(record["answers"]["doc"]["sha256"]) == PDF
