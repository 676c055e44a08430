"""A default computed as a new page opens, the user's name, a required field's message."""

import datetime as dt

import pytest

from forms.builder import build_form_class
from forms.definition import DefinitionError, parse_definition
from forms.validation import validate_answers


def form(**fdef_keys):
    fdef = {"name": "visit", "type": "date", "label": {"ar": "تاريخ الزيارة"}, **fdef_keys}
    return parse_definition(
        {
            "id": "visit",
            "version": 1,
            "title": {"ar": "زيارة"},
            "sections": [{"name": "s", "title": {"ar": "زيارة"}, "fields": [fdef]}],
        }
    )


@pytest.mark.parametrize(
    ("keys", "problem"),
    [
        ({"default_calculation": "nobody"}, 'default_calculation: unknown field "nobody"'),
        ({"default_calculation": "visit"}, 'a field cannot depend on itself ("visit")'),
        ({"default_calculation": "today("}, "default_calculation:"),
        (
            {"default_calculation": "today()", "default": "2026-01-01"},
            "a field has a default or a computed one",
        ),
        (
            {"type": "note", "default_calculation": "today()"},
            'default_calculation: does not apply to a field of type "note"',
        ),
    ],
)
def test_a_computed_default_reads_no_answer_and_stands_alone(keys, problem):
    with pytest.raises(DefinitionError) as caught:
        form(**keys)
    assert any(problem in line for line in caught.value.messages), caught.value.messages


def test_a_computed_default_is_the_day_the_page_opens():
    definition = form(default_calculation="today()")
    page = build_form_class(definition, "ar")()
    assert page.visit.data in (dt.date.today().isoformat(), dt.date.today())


def test_a_required_field_says_its_own_message_in_each_language():
    message = {"ar": "اكتب تاريخ الزيارة", "en": "Give the visit's date"}
    definition = form(required=True, required_message=message)
    assert validate_answers(definition, {}, "ar").errors == {"visit": message["ar"]}
    assert validate_answers(definition, {}, "en").errors == {"visit": message["en"]}
    plain = form(required=True)
    assert validate_answers(plain, {}, "ar").errors == {"visit": "هذا الحقل مطلوب."}


def income_form(**total_keys):
    def number(name):
        return {"name": name, "type": "decimal", "label": {"ar": name}}

    total = {
        "name": "total",
        "type": "decimal",
        "label": {"ar": "المجموع"},
        "default_calculation": "salary + other",
        **total_keys,
    }
    return parse_definition(
        {
            "id": "income",
            "version": 1,
            "title": {"ar": "الدخل"},
            "sections": [
                {
                    "name": "s",
                    "title": {"ar": "الدخل"},
                    "fields": [number("salary"), number("other"), total],
                }
            ],
        }
    )


def test_a_read_only_computed_default_is_the_servers_never_the_posted_one():
    definition = income_form(read_only=True)
    posted = {"salary": "1000", "other": "٢٥٠.٥", "total": "999999"}
    assert validate_answers(definition, posted).answers == {
        "salary": 1000,
        "other": 250.5,
        "total": 1250.5,
    }
    assert "total" not in validate_answers(definition, {"salary": "1000"}).answers


def test_an_editable_computed_default_keeps_what_the_person_typed():
    definition = income_form()
    posted = {"salary": "1000", "other": "250", "total": "1300"}
    assert validate_answers(definition, posted).answers["total"] == 1300


def test_the_page_gets_the_expression_only_when_it_reads_answers():
    page = build_form_class(income_form(read_only=True), "ar")()
    assert 'data-default-calculation="salary + other"' in str(page.total)
    assert "readonly" in str(page.total)
    today = build_form_class(form(default_calculation="today()"), "ar")()
    assert "data-default-calculation" not in str(today.visit)


@pytest.mark.parametrize(
    ("keys", "problem"),
    [
        ({"type": "integer"}, 'default_username: does not apply to a field of type "integer"'),
        ({"default": "x"}, "default_username: a field has one default"),
    ],
)
def test_a_username_default_is_a_texts_only_default(keys, problem):
    with pytest.raises(DefinitionError) as caught:
        form(**{"type": "text", "default_username": True, **keys})
    assert any(problem in line for line in caught.value.messages), caught.value.messages


def test_a_section_description_may_show_an_answer_of_the_form_only():
    def with_description(text):
        return {
            "id": "visit",
            "version": 1,
            "title": {"ar": "زيارة"},
            "sections": [
                {
                    "name": "s",
                    "title": {"ar": "زيارة"},
                    "description": {"ar": text},
                    "fields": [{"name": "visit", "type": "text", "label": {"ar": "الزائر"}}],
                }
            ],
        }

    assert parse_definition(with_description("زيارة ${visit}"))
    with pytest.raises(DefinitionError) as caught:
        parse_definition(with_description("زيارة ${vist}"))
    assert 'sections[0].description.ar: unknown field "${vist}"' in caught.value.messages[0]


@pytest.mark.parametrize(
    ("keys", "problem"),
    [
        ({"type": "note"}, 'default_last_saved: does not apply to a field of type "note"'),
        ({"default_username": True}, "a field has one default"),
    ],
)
def test_a_last_saved_default_stands_alone_on_a_field_with_an_answer(keys, problem):
    with pytest.raises(DefinitionError) as caught:
        form(**{"type": "text", "default_last_saved": True, **keys})
    assert any(problem in line for line in caught.value.messages), caught.value.messages
