"""Cascading choices (region -> city -> district) and "or other", through the staff page:
what the page carries for the browser's filter, and the server refusing a choice the
filter does not offer, in a row of a repeat too."""

import json
import re
from pathlib import Path

import pytest

from forms.definition import DefinitionError, parse_definition
from forms.problem_text import arabic
from tests.conftest import post_form
from tests.web.conftest import t
from tests.web.test_staff_forms import errors_by_field, stored

URL = "/forms/places/new"


def c(value: str, ar: str, en: str, **data) -> dict:
    out = {"value": value, "label": t(ar, en)}
    if data:
        out["data"] = data
    return out


PLACES = {
    "id": "places",
    "version": 1,
    "ref_prefix": "PL",
    "title": t("نموذج الأماكن", "Places"),
    "choice_lists": {
        "regions": [c("riyadh", "الرياض", "Riyadh"), c("makkah", "مكة المكرمة", "Makkah")],
        "cities": [
            c("riyadh_city", "مدينة الرياض", "Riyadh city", region="riyadh"),
            c("kharj", "الخرج", "Al-Kharj", region="riyadh"),
            c("jeddah", "جدة", "Jeddah", region="makkah"),
            c("taif", "الطائف", "Taif", region="makkah"),
        ],
        "districts": [
            c("olaya", "العليا", "Olaya", city="riyadh_city"),
            c("malaz", "الملز", "Malaz", city="riyadh_city"),
            c("balad", "البلد", "Al-Balad", city="jeddah"),
            c("rawdah", "الروضة", "Ar-Rawdah", city="jeddah"),
        ],
        "services": [
            c("food", "سلة غذائية", "Food basket"),
            c("rent", "إيجار", "Rent"),
            c("bills", "فواتير", "Bills"),
        ],
    },
    "sections": [
        {
            "name": "main",
            "title": t("المكان", "Place"),
            "fields": [
                {"name": "region", "type": "select_one", "label": t("المنطقة", "Region"),
                 "choices": "regions", "required": True},
                {"name": "city", "type": "select_one", "label": t("المدينة", "City"),
                 "choices": "cities", "choice_filter": "choice('region') == region"},
                {"name": "district", "type": "select_one", "label": t("الحي", "District"),
                 "choices": "districts", "appearance": "radio",
                 "choice_filter": "choice('city') == city"},
                {"name": "wanted", "type": "select_multiple", "label": t("المطلوب", "Wanted"),
                 "choices": "services"},
                {"name": "first", "type": "select_multiple", "label": t("الأهم", "First"),
                 "choices": "services", "choice_filter": "selected(wanted, choice('value'))"},
                {"name": "support", "type": "select_one", "label": t("نوع الدعم", "Support"),
                 "choices": "services", "or_other": True},
                {
                    "name": "branches",
                    "type": "repeat",
                    "label": t("الفروع", "Branches"),
                    "fields": [
                        {"name": "branch_city", "type": "select_one",
                         "label": t("مدينة الفرع", "Branch city"), "choices": "cities",
                         "choice_filter": "choice('region') == region"},
                    ],
                },
            ],
        }
    ],
}  # fmt: skip


@pytest.fixture(autouse=True)
def places_form(app, own_forms):
    folder = Path(app.config["DATA_DIR"]) / "forms"
    (folder / "places.json").write_text(json.dumps(PLACES, ensure_ascii=False), "utf-8")


def answers(**changes) -> dict:
    return {"rifd-channel": "interview", "region": "riyadh", "city": "kharj", **changes}


def test_the_page_carries_each_choices_data_for_the_filter(client):
    page = client.get(URL).get_data(as_text=True)
    assert """data-choice-filter="choice(&#39;region&#39;) == region\"""" in page
    assert """data-choice-data='{"jeddah": {"region": "makkah", "value": "jeddah"}, """ in page
    assert """"balad": {"city": "jeddah", "value": "balad"}""" in page
    # City, district, the first need, the row's city and the row copied for a new one.
    assert page.count("data-choice-filter=") == 5


def test_a_city_of_the_chosen_region_is_stored(client, store):
    sent = answers(district="", **{"branches-0-branch_city": "riyadh_city"})
    response = post_form(client, URL, sent)
    assert response.status_code == 302, errors_by_field(response.get_data(as_text=True))
    [record] = stored(store, "places")
    assert record["answers"] == {
        "region": "riyadh",
        "city": "kharj",
        "branches": [{"branch_city": "riyadh_city"}],
    }


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"city": "jeddah"}, "city"),  # a city of Makkah with Riyadh chosen
        ({"city": "riyadh_city", "district": "balad"}, "district"),  # Jeddah's district
        ({"wanted": ["food"], "first": ["food", "rent"]}, "first"),  # rent was not wanted
        ({"branches-0-branch_city": "taif"}, "branches-0-branch_city"),  # in a row
    ],
)
def test_a_choice_the_filter_does_not_offer_is_refused(client, store, changes, field):
    response = post_form(client, URL, answers(**changes))
    assert response.status_code == 400
    message = "هذا الاختيار لا يوافق إجابة سابقة، اختر من الخيارات المعروضة."
    assert errors_by_field(response.get_data(as_text=True)) == {field.split("-")[-1]: message}
    assert stored(store, "places") == []


def test_other_brings_its_text_shown_and_required_when_chosen(client, store):
    page = client.get(URL).get_data(as_text=True)
    assert '<option value="other">أخرى</option>' in page
    assert 'data-name="support_other"' in page
    assert """data-visible-if="selected(support, &#39;other&#39;)\"""" in page
    response = post_form(client, URL, answers(support="other"))
    assert response.status_code == 400
    assert errors_by_field(response.get_data(as_text=True)) == {"support_other": "هذا الحقل مطلوب."}
    response = post_form(client, URL, answers(support="other", support_other="نظارات طبية"))
    assert response.status_code == 302, errors_by_field(response.get_data(as_text=True))
    [record] = stored(store, "places")
    assert record["answers"]["support"] == "other"
    assert record["answers"]["support_other"] == "نظارات طبية"
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "أخرى" in shown and "نظارات طبية" in shown


def test_the_other_text_is_dropped_when_other_is_not_chosen(client, store):
    response = post_form(client, URL, answers(support="food", support_other="لا يُحفظ"))
    assert response.status_code == 302, errors_by_field(response.get_data(as_text=True))
    [record] = stored(store, "places")
    assert "support_other" not in record["answers"]


def _broken(change) -> str:
    data = json.loads(json.dumps(PLACES))
    change(data["sections"][0]["fields"], data)
    with pytest.raises(DefinitionError) as err:
        parse_definition(data)
    return str(err.value)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            lambda f, d: f[1].update(choice_filter="choice('regoin') == region"),
            'fields[1].choice_filter: the choices hold no "regoin" (did you mean "region"?)',
        ),
        (
            lambda f, d: f[1].update(choice_filter="choice(region) == region"),
            "fields[1].choice_filter: choice() takes a key written in quotes, as choice('region')",
        ),
        (
            lambda f, d: f[1].update(choice_filter="choice('region') == regon"),
            'fields[1].choice_filter: unknown field "regon"',
        ),
        (
            lambda f, d: f[1].update(visible_if="choice('region') == 'x'"),
            "fields[1].visible_if: choice() reads a choice only inside a choice_filter",
        ),
        (
            lambda f, d: f.append(
                {"name": "x", "type": "text", "label": t("أ", "a"), "choice_filter": "true"}
            ),
            'fields[7].choice_filter: does not apply to a field of type "text"',
        ),
        (
            lambda f, d: f.append({"name": "support_other", "type": "text", "label": t("أ", "a")}),
            'fields[5].or_other: the field "support_other" it brings is already in the form',
        ),
        (
            lambda f, d: d["choice_lists"]["cities"][0]["data"].update(label="x"),
            'choice_lists.cities[0].data.label: "label" is taken: name the datum otherwise',
        ),
        (
            lambda f, d: d["choice_lists"]["services"].append(c("other", "أخرى", "Other")),
            'fields[5].or_other: the choices already hold "other"',
        ),
    ],
)
def test_a_broken_filter_or_other_is_named(change, problem):
    assert problem in _broken(change)
    sentence = problem.split(": ", 1)[1]
    assert arabic(sentence) != sentence  # the editor says it in Arabic


def test_other_is_read_by_name_in_conditions():
    data = json.loads(json.dumps(PLACES))
    data["sections"][0]["fields"].append(
        {"name": "why", "type": "text", "label": t("لماذا", "Why"),
         "visible_if": "filled(support_other)"}
    )  # fmt: skip
    assert parse_definition(data).field("support_other")["required"] is True


def test_a_choices_data_cannot_break_out_of_its_attribute(client, app):
    data = json.loads(json.dumps(PLACES))
    data["choice_lists"]["cities"][0]["data"]["region"] = "x' onmouseover='alert(1)'><b>"
    folder = Path(app.config["DATA_DIR"]) / "forms"
    (folder / "places.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    page = client.get(URL).get_data(as_text=True)
    assert "onmouseover='alert" not in page and "<b>" not in page
    assert '"region": "x\\u0027 onmouseover=\\u0027alert(1)\\u0027\\u003e\\u003cb\\u003e"' in page


def test_other_is_offered_whatever_the_filter(client, store):
    data = json.loads(json.dumps(PLACES))
    data["sections"][0]["fields"][1]["or_other"] = True  # the city: filtered, and "other"
    folder = Path(client.application.config["DATA_DIR"]) / "forms"
    (folder / "places.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    page = client.get(URL).get_data(as_text=True)
    city = re.search(r'data-name="city".*?data-choice-data=\'([^\']*)\'', page, re.S)[1]
    # The page filters the list's choices; "other" is left alone, always offered.
    assert '"other"' not in city and '"kharj"' in city
    assert '<option value="other">أخرى</option>' in page
    response = post_form(client, URL, answers(city="other", city_other="الدرعية"))
    assert response.status_code == 302, errors_by_field(response.get_data(as_text=True))
    got = stored(store, "places")[0]["answers"]
    assert (got["city"], got["city_other"]) == ("other", "الدرعية")
