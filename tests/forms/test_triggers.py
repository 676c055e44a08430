"""A calculate with a trigger, on the server's side: computed once its trigger is answered."""

import pytest

from forms.definition import DefinitionError, parse_definition
from forms.validation import validate_answers


def form(**calc_keys):
    calc = {
        "name": "first_seen",
        "type": "calculate",
        "label": {"ar": "أول ظهور"},
        "calculation": "if(first_seen == '', concat('at ', name), first_seen)",
        "trigger": "name",
        **calc_keys,
    }
    return parse_definition(
        {
            "id": "seen",
            "version": 1,
            "title": {"ar": "ظهور"},
            "sections": [
                {
                    "name": "s",
                    "title": {"ar": "ظهور"},
                    "fields": [{"name": "name", "type": "text", "label": {"ar": "الاسم"}}, calc],
                }
            ],
        }
    )


def test_it_is_computed_at_the_save_once_its_trigger_is_answered_never_posted():
    definition = form()
    posted = {"name": "Amal", "first_seen": "tampered"}
    assert validate_answers(definition, posted).answers == {
        "name": "Amal",
        "first_seen": "at Amal",
    }
    assert validate_answers(definition, {"first_seen": "tampered"}).answers == {}


@pytest.mark.parametrize("trigger", ["nobody", "first_seen"])
def test_a_trigger_names_another_field(trigger):
    with pytest.raises(DefinitionError) as caught:
        form(trigger=trigger)
    problem = f'trigger: "{trigger}" is no other field of the form'
    assert any(problem in line for line in caught.value.messages), caught.value.messages


def test_only_a_triggered_calculation_reads_its_own_last_value():
    data = form().data
    del data["sections"][0]["fields"][1]["trigger"]
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data)
    problem = 'a field cannot depend on itself ("first_seen")'
    assert any(problem in line for line in caught.value.messages), caught.value.messages


def test_only_a_calculate_has_a_trigger():
    data = form().data
    data["sections"][0]["fields"].append(
        {"name": "other", "type": "text", "label": {"ar": "أخرى"}, "trigger": "name"}
    )
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data)
    assert any(
        'trigger: does not apply to a field of type "text"' in m for m in caught.value.messages
    )
