"""Real-world XLSForms of the corpus, imported and then filled through the staff page.

What the import now keeps must work on the page and on the server: a required
question's own message, a phone number that takes digits only, a date that defaults
to the day the page is opened.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from forms.xlsform import import_xlsform
from tests.conftest import post_form, sign_in
from tests.forms.corpus.build import corpus, xlsx
from tests.web.test_staff_forms import errors_by_field, stored

FORMS = {path.name: path for path in corpus()}


@pytest.fixture
def imported(app, own_forms):
    """Import one corpus form as a quality officer would and put it in use."""

    def put(name: str) -> str:
        definition = import_xlsform(xlsx(FORMS[name]), name)
        folder = Path(app.config["DATA_DIR"]) / "forms"
        path = folder / f"{definition['id']}.json"
        path.write_text(json.dumps(definition, ensure_ascii=False), "utf-8")
        return f"/forms/{definition['id']}/new"

    return put


def test_a_required_question_shows_its_own_message(client, store, imported):
    url = imported("logic_05_required_message.rst")
    response = post_form(client, url, {"rifd-channel": "interview", "name": ""})
    assert response.status_code == 400
    assert errors_by_field(response.get_data(as_text=True)) == {
        "name": "Please answer the question."
    }
    response = post_form(client, url, {"rifd-channel": "interview", "name": "Amal"})
    assert response.status_code == 302
    [record] = stored(store, url.split("/")[2])
    assert record["answers"] == {"name": "Amal"}


def test_a_phone_number_takes_digits_only(client, store, imported):
    url = imported("example_group.md")
    page = client.get(url).get_data(as_text=True)
    phone = re.search(r'<input[^>]*name="phone_number"[^>]*>', page).group(0)
    assert 'inputmode="numeric"' in phone
    answers = {"rifd-channel": "interview", "family_name": "Ali", "age": "60"}
    response = post_form(client, url, {**answers, "phone_number": "+966 50"})
    assert response.status_code == 400
    assert errors_by_field(response.get_data(as_text=True)) == {"phone_number": "أدخل أرقامًا فقط."}
    response = post_form(client, url, {**answers, "phone_number": "0501234567"})
    assert response.status_code == 302
    [record] = stored(store, url.split("/")[2])
    assert record["answers"]["phone_number"] == "0501234567"


def test_a_date_defaults_to_the_day_the_page_opens(client, store, imported):
    url = imported("logic_07_default_now.rst")
    today = dt.date.today().isoformat()
    page = client.get(url).get_data(as_text=True)
    onset = re.search(r'<input[^>]*name="fever_onset"[^>]*>', page).group(0)
    assert f'value="{today}"' in onset
    # The default only fills a new page: an answer the person changed is what is stored.
    response = post_form(client, url, {"rifd-channel": "interview", "fever_onset": "2026-01-02"})
    assert response.status_code == 302
    [record] = stored(store, url.split("/")[2])
    assert record["answers"] == {"fever_onset": "2026-01-02"}


def test_a_counted_repeat_holds_no_more_filled_rows_than_the_answer(client, store, imported):
    url = imported("logic_20_repeat_dynamic_count.rst")
    page = client.get(url).get_data(as_text=True)
    assert 'data-count="number_of_children"' in page
    assert "data-add-row" not in page  # the rows follow the answer
    rows = {
        "child_questions-0-child_name": "سارة",
        "child_questions-0-child_age": "7",
        "child_questions-1-child_name": "علي",
        "child_questions-2-child_name": "",  # a row offered and left empty is fine
    }
    answers = {"rifd-channel": "interview", **rows}
    for count, limit in (("1", 1), ("", 0)):
        response = post_form(client, url, {**answers, "number_of_children": count})
        assert response.status_code == 400
        box = response.get_data(as_text=True).split('data-name="child_questions"')[1]
        error = re.search(r'class="error" role="alert">([^<]*)<', box).group(1)
        assert error == f"عدد الصفوف أكثر من {limit}."
    assert stored(store, url.split("/")[2]) == []
    response = post_form(client, url, {**answers, "number_of_children": "٣"})
    assert response.status_code == 302, errors_by_field(response.get_data(as_text=True))
    [record] = stored(store, url.split("/")[2])
    assert record["answers"]["child_questions"] == [
        {"child_name": "سارة", "child_age": 7},
        {"child_name": "علي"},
    ]


def test_a_time_set_by_a_trigger_is_the_servers_when_its_question_is_answered(
    client, store, imported
):
    url = imported("logic_14_first_update_times.rst")
    page = client.get(url).get_data(as_text=True)
    assert 'data-trigger="name"' in page
    before = dt.datetime.now().strftime("%Y-%m-%dT%H:%M")
    answers = {
        "rifd-channel": "interview",
        "name": "Amal",
        "life_story": "",
        # What a tampered page might post: never read.
        "name_first_update_time": "1999-01-01T00:00",
        "life_story_first_update_time": "1999-01-01T00:00",
    }
    response = post_form(client, url, answers)
    assert response.status_code == 302, errors_by_field(response.get_data(as_text=True))
    after = dt.datetime.now().strftime("%Y-%m-%dT%H:%M")
    [record] = stored(store, url.split("/")[2])
    assert set(record["answers"]) == {"name", "name_first_update_time"}
    assert before <= record["answers"]["name_first_update_time"] <= after


def test_a_third_language_is_kept_and_shown_when_chosen(client, store, imported):
    url = imported("language_02_multiple.rst")
    page = client.get(url).get_data(as_text=True)
    assert "What colors do you like?" in page and "¿Qué colores te gustan?" not in page
    picker = re.search(r'<nav class="form-languages".*?</nav>', page, re.S).group(0)
    assert f'href="{url}?form_lang=es"' in picker
    spanish = client.get(f"{url}?form_lang=es").get_data(as_text=True)
    for text in ("¿Qué colores te gustan?", "Seleccione tres.", "Amarillo", "Púrpura"):
        assert text in spanish, text
    assert "What colors do you like?" not in spanish
    assert 'name="form_lang" value="es"' in spanish
    # A language the form does not have shows the page's own.
    assert "What colors do you like?" in client.get(f"{url}?form_lang=fr").get_data(as_text=True)
    # Sent back with an error, the page stays in Spanish.
    response = post_form(client, f"{url}?form_lang=es", {"form_lang": "es", "color_prefs": "black"})
    assert response.status_code == 400
    assert "¿Qué colores te gustan?" in response.get_data(as_text=True)
    response = post_form(
        client,
        url,
        {"rifd-channel": "interview", "form_lang": "es", "color_prefs": ["red", "blue"]},
    )
    assert response.status_code == 302, errors_by_field(response.get_data(as_text=True))
    [record] = stored(store, url.split("/")[2])
    assert record["answers"] == {"color_prefs": ["red", "blue"]}


def test_a_read_only_total_is_the_servers_sum_of_the_incomes(client, store, imported):
    url = imported("logic_15_read_only_total.rst")
    page = client.get(url).get_data(as_text=True)
    total = re.search(r'<input[^>]*name="total_income"[^>]*>', page).group(0)
    assert "readonly" in total
    assert 'data-default-calculation="salary_income + self_income + other_income"' in total
    answers = {
        "rifd-channel": "interview",
        "salary_income": "3000",
        "self_income": "٥٠٠",
        "other_income": "250.5",
        "total_income": "1",  # what a tampered page might post: never kept
    }
    response = post_form(client, url, answers)
    assert response.status_code == 302, errors_by_field(response.get_data(as_text=True))
    [record] = stored(store, url.split("/")[2])
    assert record["answers"]["total_income"] == 3750.5


def test_a_username_default_is_the_signed_in_staff_members_and_empty_in_public(
    client, anon, store, imported, app
):
    url = imported("logic_08_default_username.rst")
    form_id = url.split("/")[2]
    page = client.get(url).get_data(as_text=True)
    field = re.search(r'<input[^>]*name="confirmed_username"[^>]*>', page).group(0)
    assert 'value="staff"' in field
    # Each member sees his own name: the page is never one drawn for another.
    other = app.test_client()
    sign_in(other, app, "other_staff")
    page = other.get(url).get_data(as_text=True)
    assert re.search(r'<input[^>]*name="confirmed_username"[^>]*value="other_staff"', page)
    # What the person sends is stored, the name only starts the page.
    response = post_form(client, url, {"rifd-channel": "interview", "confirmed_username": "sara"})
    assert response.status_code == 302
    [record] = stored(store, form_id)
    assert record["answers"] == {"confirmed_username": "sara"}
    folder = Path(app.config["DATA_DIR"]) / "forms"
    definition = json.loads((folder / f"{form_id}.json").read_text("utf-8"))
    definition["public"] = True
    (folder / f"{form_id}.json").write_text(json.dumps(definition, ensure_ascii=False), "utf-8")
    public = anon.get(f"/f/{form_id}").get_data(as_text=True)
    field = re.search(r'<input[^>]*name="confirmed_username"[^>]*>', public).group(0)
    assert "value=" not in field or 'value=""' in field


def test_a_last_saved_default_is_the_staff_members_own_last_answer(client, store, imported, app):
    url = imported("logic_04_last_saved.rst")

    def street(who) -> str:
        page = who.get(url).get_data(as_text=True)
        return re.search(r'<input[^>]*name="street"[^>]*>', page).group(0)

    assert 'value=""' in street(client)  # nothing saved yet
    for sent in ("شارع الملك فهد", "شارع العليا"):
        response = post_form(client, url, {"rifd-channel": "interview", "street": sent})
        assert response.status_code == 302
    assert 'value="شارع العليا"' in street(client)  # the last one saved
    other = app.test_client()
    sign_in(other, app, "other_staff")
    assert 'value=""' in street(other)  # another member's answers are not his
