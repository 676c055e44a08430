"""Time, date and time, acknowledge and calculate through the staff page, its
submission page and the Excel export; a rule comparing two answers refuses a POST."""

import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from forms.definition import DefinitionError, parse_definition
from tests.conftest import post_form
from tests.web.conftest import PDF, PNG, t
from tests.web.test_staff_forms import errors_by_field, stored

URL = "/forms/engine_types/new"

ENGINE = {
    "id": "engine_types",
    "version": 1,
    "ref_prefix": "EN",
    "title": t("نموذج الأنواع الجديدة", "New types"),
    "sections": [
        {
            "name": "main",
            "title": t("الزيارة", "Visit"),
            "fields": [
                {"name": "first_name", "type": "text", "label": t("الاسم", "Name")},
                {
                    "name": "phone_of",
                    "type": "text",
                    "label": t("جوال ${first_name}", "${first_name}'s phone"),
                    "hint": t("نتصل بـ ${first_name} <مساءً>", "We call ${first_name} <evenings>"),
                },
                {"name": "start_time", "type": "time", "label": t("وقت البدء", "Start time")},
                {"name": "visit_at", "type": "datetime", "label": t("موعد الزيارة", "Visit at")},
                {
                    "name": "consent",
                    "type": "acknowledge",
                    "label": t("أوافق على حفظ البيانات", "I agree to keep the data"),
                    "required": True,
                },
                {"name": "nights", "type": "integer", "label": t("عدد الليالي", "Nights")},
                {"name": "price", "type": "decimal", "label": t("سعر الليلة", "Price")},
                {
                    "name": "total",
                    "type": "calculate",
                    "label": t("الإجمالي", "Total"),
                    "calculation": "nights * price",
                },
                {
                    "name": "greeting",
                    "type": "calculate",
                    "label": t("التحية", "Greeting"),
                    "calculation": "if(total > 1000, concat('إقامة طويلة: ', total), 'قصيرة')",
                },
                {"name": "location", "type": "geopoint", "label": t("الموقع", "Location")},
                {"name": "card", "type": "barcode", "label": t("رمز البطاقة", "Card code")},
                {"name": "photo", "type": "image", "label": t("صورة المنزل", "Photo")},
                {"name": "start_date", "type": "date", "label": t("من", "From")},
                {
                    "name": "end_date",
                    "type": "date",
                    "label": t("إلى", "To"),
                    "constraints": {
                        "rule": "end_date > start_date",
                        "messages": {"rule": t("النهاية بعد البداية", "End after start")},
                    },
                },
            ],
        }
    ],
}


@pytest.fixture(autouse=True)
def engine_form(app, own_forms):
    folder = Path(app.config["DATA_DIR"]) / "forms"
    (folder / "engine_types.json").write_text(json.dumps(ENGINE, ensure_ascii=False), "utf-8")


def answers(**changes) -> dict:
    return {
        "rifd-channel": "interview",
        "start_time": "٠٨:٣٠",
        "visit_at": "2026-03-15T10:05",
        "consent": "OK",
        "nights": "3",
        "price": "450.5",
        "total": "1",  # what a tampered page might post: never read
        "start_date": "2026-03-01",
        "end_date": "2026-03-04",
        **changes,
    }


def test_the_new_types_are_stored_and_the_calculation_is_the_servers(client, store):
    page = client.get(URL).get_data(as_text=True)
    assert 'type="time"' in page and 'type="datetime-local"' in page
    assert 'data-calculation="nights * price"' in page
    assert 'value="OK"' in page and "أُقرّ بذلك" in page
    response = post_form(client, URL, answers())
    assert response.status_code == 302, errors_by_field(response.get_data(as_text=True))
    [record] = stored(store, "engine_types")
    assert record["answers"] == {
        "start_time": "08:30",
        "visit_at": "2026-03-15T10:05",
        "consent": True,
        "nights": 3,
        "price": 450.5,
        "total": 1351.5,
        "greeting": "إقامة طويلة: 1351.5",
        "start_date": "2026-03-01",
        "end_date": "2026-03-04",
    }
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    for text in ("08:30", "2026-03-15 10:05", "تم الإقرار", "1351.5", "إقامة طويلة: 1351.5"):
        assert text in shown, text


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"start_time": "25:00"}, "start_time", "أدخل وقتًا صحيحًا (ساعة:دقيقة)."),
        ({"visit_at": "2026-02-30T10:00"}, "visit_at", "أدخل تاريخًا ووقتًا صحيحين."),
        ({"consent": ""}, "consent", "هذا الحقل مطلوب."),
        ({"consent": "yes"}, "consent", "ضع علامة للإقرار."),
        ({"end_date": "2026-02-28"}, "end_date", "النهاية بعد البداية"),
    ],
)
def test_bad_answers_are_named_beside_their_field(client, store, changes, field, message):
    response = post_form(client, URL, answers(**changes))
    assert response.status_code == 400
    assert errors_by_field(response.get_data(as_text=True)) == {field: message}
    assert stored(store, "engine_types") == []


def test_no_answers_no_calculation_stored(client, store):
    response = post_form(client, URL, answers(nights="", price=""))
    assert response.status_code == 302
    [record] = stored(store, "engine_types")
    assert "total" not in record["answers"]
    assert record["answers"]["greeting"] == "قصيرة"


def test_labels_show_other_answers_escaped(client, store):
    page = client.get(URL).get_data(as_text=True)
    assert 'جوال <span class="ref" data-ref="first_name"></span>' in page
    assert 'نتصل بـ <span class="ref" data-ref="first_name"></span> &lt;مساءً&gt;' in page
    response = post_form(client, URL, answers(first_name="<b>سارة</b>", phone_of="0500000000"))
    assert response.status_code == 302, errors_by_field(response.get_data(as_text=True))
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<dt>جوال &lt;b&gt;سارة&lt;/b&gt;</dt>" in shown
    assert "<b>سارة</b>" not in shown


def test_a_label_naming_no_field_is_refused(app):
    data = json.loads(json.dumps(ENGINE))
    data["sections"][0]["fields"][1]["label"]["ar"] = "جوال ${frist_name}"
    with pytest.raises(DefinitionError) as err:
        parse_definition(data)
    assert 'label.ar: unknown field "${frist_name}" (did you mean "first_name"?)' in str(err.value)


def test_a_place_a_code_and_a_photo(client, store):
    page = client.get(URL).get_data(as_text=True)
    assert 'data-locate="location"' in page and 'data-scan="card"' in page
    assert 'data-resize="1600"' in page and 'accept="image/jpeg,.jpg,.jpeg,image/png' in page
    photo = (io.BytesIO(PNG), "house.png")
    sent = answers(location="٢٤٫٧١٣٦ 46.6753 612 8.5", card="6281000000001", photo=photo)
    response = post_form(client, URL, sent)
    assert response.status_code == 302, errors_by_field(response.get_data(as_text=True))
    [record] = stored(store, "engine_types")
    got = record["answers"]
    assert got["location"] == {"lat": 24.7136, "lon": 46.6753, "altitude": 612, "accuracy": 8.5}
    assert got["card"] == "6281000000001"
    assert got["photo"]["type"] == "png" and got["photo"]["name"] == "house.png"
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "24.7136, 46.6753 (± 8.5 م)" in shown
    assert 'data-map data-lat="24.7136" data-lon="46.6753"' in shown
    assert "/static/vendor/leaflet/leaflet.js" in shown and "/static/js/map.js" in shown
    assert client.get("/static/vendor/leaflet/leaflet.js").status_code == 200


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"location": "95 46"},
            "location",
            "حدد الموقع، أو اكتب خط العرض ثم خط الطول (مثل 24.7136 46.6753).",
        ),
        (
            {"location": "24.7"},
            "location",
            "حدد الموقع، أو اكتب خط العرض ثم خط الطول (مثل 24.7136 46.6753).",
        ),
        (
            {"photo": (io.BytesIO(PDF), "x.pdf")},
            "photo",
            "نوع الملف غير مسموح. الأنواع المسموحة: jpg, png, webp.",
        ),
    ],
)
def test_a_bad_place_or_photo_is_named(client, store, changes, field, message):
    response = post_form(client, URL, answers(**changes))
    assert response.status_code == 400
    assert errors_by_field(response.get_data(as_text=True)) == {field: message}


def test_a_page_without_a_place_loads_no_map(client, store):
    response = post_form(client, URL, answers())
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "leaflet" not in shown


def test_the_excel_export_keeps_times_as_times_and_the_calculation(client, store):
    assert post_form(client, URL, answers()).status_code == 302
    book = load_workbook(io.BytesIO(client.get("/forms/engine_types/export.xlsx").data))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    row = next(sheet.iter_rows(min_row=2, values_only=True))
    got = dict(zip(header, row, strict=True))
    assert got["وقت البدء"] == dt.time(8, 30)
    assert got["موعد الزيارة"] == dt.datetime(2026, 3, 15, 10, 5)
    assert got["أوافق على حفظ البيانات"] == "تم الإقرار"
    assert got["الإجمالي"] == 1351.5


LOOKS = {
    "id": "looks",
    "version": 1,
    "ref_prefix": "LK",
    "title": t("نموذج طرق العرض", "Looks"),
    "sections": [
        {
            "name": "main",
            "title": t("الأسئلة", "Questions"),
            "fields": [
                {
                    "name": "branch",
                    "type": "text",
                    "label": t("الفرع", "Branch"),
                    "default": "الأحساء",
                    "read_only": True,
                },
                {
                    "name": "program",
                    "type": "select_one",
                    "label": t("البرنامج", "Program"),
                    "choices": [
                        {"value": "food", "label": t("سلة غذائية", "Food basket")},
                        {"value": "rent", "label": t("إيجار", "Rent")},
                    ],
                    "default": "food",
                    "read_only": True,
                },
                {
                    "name": "mood",
                    "type": "select_one",
                    "label": t("الرضا", "Satisfaction"),
                    "appearance": "likert",
                    "choices": [
                        {"value": "low", "label": t("منخفض", "Low")},
                        {"value": "high", "label": t("مرتفع", "High")},
                    ],
                },
                {
                    "name": "days",
                    "type": "select_multiple",
                    "label": t("الأيام", "Days"),
                    "appearance": "horizontal",
                    "choices": [
                        {"value": "sun", "label": t("الأحد", "Sunday")},
                        {"value": "mon", "label": t("الاثنين", "Monday")},
                    ],
                },
                {
                    "name": "story",
                    "type": "text",
                    "label": t("القصة", "Story"),
                    "appearance": "multiline",
                },
                {
                    "name": "code",
                    "type": "text",
                    "label": t("الرمز", "Code"),
                    "appearance": "numbers",
                },
            ],
        }
    ],
}


def test_read_only_fields_keep_their_default_and_appearances_draw(app, client, store):
    folder = Path(app.config["DATA_DIR"]) / "forms"
    (folder / "looks.json").write_text(json.dumps(LOOKS, ensure_ascii=False), "utf-8")
    page = client.get("/forms/looks/new").get_data(as_text=True)
    assert 'name="branch" readonly type="text" value="الأحساء"' in page
    assert re.search(r'<select class="input" disabled id="program"', page)
    assert '<option selected value="food">' in page
    assert 'class="choices scale" role="radiogroup"' in page  # likert
    assert 'class="choices horizontal" role="group"' in page
    assert '<textarea class="input" id="story" name="story">' in page
    assert 'id="code" inputmode="numeric" name="code"' in page
    sent = {"rifd-channel": "interview", "branch": "الرياض", "program": "rent", "story": "سطر"}
    response = post_form(client, "/forms/looks/new", sent)
    assert response.status_code == 302, errors_by_field(response.get_data(as_text=True))
    [record] = stored(store, "looks")
    assert record["answers"] == {"branch": "الأحساء", "program": "food", "story": "سطر"}
