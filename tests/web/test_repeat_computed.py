"""Read-only and calculate fields inside a repeat: computed per row by the server (what
was posted for them is never read), shown not editable, and read from outside the
repeat as a column (sum of the rows' totals)."""

import json
from pathlib import Path

import pytest

from forms.definition import parse_definition
from forms.xlsform import export_xlsform, import_xlsform
from tests.conftest import post_form
from tests.web.conftest import t
from tests.web.test_staff_forms import errors_by_field, stored

URL = "/forms/basket/new"

BASKET = {
    "id": "basket",
    "version": 1,
    "ref_prefix": "BK",
    "title": t("سلة المساعدات", "Aid basket"),
    "sections": [
        {
            "name": "main",
            "title": t("المواد", "Items"),
            "fields": [
                {
                    "name": "items",
                    "type": "repeat",
                    "label": t("المواد", "Items"),
                    "fields": [
                        {"name": "item", "type": "text", "label": t("المادة", "Item")},
                        {
                            "name": "unit",
                            "type": "text",
                            "label": t("الوحدة", "Unit"),
                            "read_only": True,
                            "default": "كرتون",
                        },
                        {"name": "quantity", "type": "integer", "label": t("الكمية", "Qty")},
                        {"name": "price", "type": "decimal", "label": t("السعر", "Price")},
                        {
                            "name": "line_total",
                            "type": "calculate",
                            "label": t("المجموع", "Line total"),
                            "calculation": "quantity * price",
                        },
                        {
                            "name": "big",
                            "type": "calculate",
                            "label": t("كبيرة", "Big"),
                            "calculation": "line_total > 100",
                        },
                    ],
                },
                {
                    "name": "total",
                    "type": "calculate",
                    "label": t("الإجمالي", "Total"),
                    "calculation": "sum(line_total)",
                },
                {
                    "name": "approval",
                    "type": "text",
                    "label": t("رقم الموافقة", "Approval"),
                    "required_if": "total > 500",
                },
            ],
        }
    ],
}


@pytest.fixture(autouse=True)
def basket_form(app, own_forms):
    folder = Path(app.config["DATA_DIR"]) / "forms"
    (folder / "basket.json").write_text(json.dumps(BASKET, ensure_ascii=False), "utf-8")


def row(i: int, item: str, quantity: str, price: str, **extra) -> dict:
    out = {f"items-{i}-item": item, f"items-{i}-quantity": quantity, f"items-{i}-price": price}
    out.update({f"items-{i}-{k}": v for k, v in extra.items()})
    return out


def test_each_row_is_computed_and_the_read_only_default_kept(client, store):
    page = client.get(URL).get_data(as_text=True)
    assert 'data-calculation="quantity * price"' in page
    assert 'name="items-0-unit"' in page and "readonly" in page
    sent = {
        "rifd-channel": "interview",
        # A tampered page: another unit, a total of its own; neither is read.
        **row(0, "أرز", "3", "20", unit="كيس", line_total="9999"),
        **row(1, "زيت", "2", "75.5"),
        **row(2, "", "", ""),  # an empty row: no total, not stored
    }
    response = post_form(client, URL, sent)
    assert response.status_code == 302, errors_by_field(response.get_data(as_text=True))
    [record] = stored(store, "basket")
    assert record["answers"] == {
        "items": [
            {"item": "أرز", "unit": "كرتون", "quantity": 3, "price": 20, "line_total": 60,
             "big": False},
            {"item": "زيت", "unit": "كرتون", "quantity": 2, "price": 75.5, "line_total": 151,
             "big": True},
        ],
        "total": 211,
    }  # fmt: skip
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "151" in shown and "211" in shown


def test_the_rows_totals_decide_what_is_required(client, store):
    sent = {"rifd-channel": "interview", **row(0, "خيمة", "2", "300")}
    response = post_form(client, URL, sent)
    assert response.status_code == 400
    assert errors_by_field(response.get_data(as_text=True)) == {"approval": "هذا الحقل مطلوب."}
    response = post_form(client, URL, {**sent, "approval": "A-17"})
    assert response.status_code == 302
    assert stored(store, "basket")[0]["answers"]["total"] == 600


def test_a_row_with_only_its_read_only_default_is_not_a_row(client, store):
    response = post_form(client, URL, {"rifd-channel": "interview", "items-0-unit": "كرتون"})
    assert response.status_code == 302, errors_by_field(response.get_data(as_text=True))
    assert "items" not in stored(store, "basket")[0]["answers"]


def test_a_calculate_in_a_repeat_goes_to_xlsform_and_back():
    back = import_xlsform(export_xlsform(parse_definition(BASKET)), "basket.xlsx")
    fields = back["sections"][0]["fields"]
    rows = fields[0]["fields"]
    # The row's read-only unit and its total, as they were.
    assert rows[:5] == BASKET["sections"][0]["fields"][0]["fields"][:5]
    # The import puts a calculate another expression reads in its place (as before):
    # "big" reads the row's total, the form's condition the rows' column of totals.
    assert rows[5]["calculation"] == "quantity * price > 100"
    assert fields[-1]["required_if"] == "sum(line_total) > 500"
