"""A repeat's number of rows computed from an answer (count), on the server's side."""

import pytest

from forms.definition import DefinitionError, parse_definition
from forms.repeat_count import rows_allowed
from forms.validation import validate_answers


def form(**repeat_keys):
    return parse_definition(
        {
            "id": "children",
            "version": 1,
            "title": {"ar": "الأطفال"},
            "sections": [
                {
                    "name": "s",
                    "title": {"ar": "الأطفال"},
                    "fields": [
                        {"name": "children_count", "type": "integer", "label": {"ar": "العدد"}},
                        {
                            "name": "children",
                            "type": "repeat",
                            "label": {"ar": "الأطفال"},
                            "fields": [{"name": "child", "type": "text", "label": {"ar": "الاسم"}}],
                            **repeat_keys,
                        },
                    ],
                }
            ],
        }
    )


@pytest.mark.parametrize(
    ("value", "allowed"),
    [(3, 3), ("٢", 2), (2.7, 2), (-1, 0), (80, 50), (None, 0), ("many", 0), (True, 1)],
)
def test_the_rows_allowed_follow_the_answer_capped_at_fifty(value, allowed):
    fdef = form(count="children_count").data["sections"][0]["fields"][1]
    assert rows_allowed(fdef, {"children_count": value}) == allowed


def test_without_a_count_the_rows_allowed_are_the_max():
    fdef = form(max=4).data["sections"][0]["fields"][1]
    assert rows_allowed(fdef, {}) == 4


def test_filled_rows_past_the_count_are_refused_and_empty_ones_ignored():
    definition = form(count="children_count + 1")
    rows = [{"child": "سارة"}, {"child": ""}, {"child": "علي"}]
    refused = validate_answers(definition, {"children_count": "0", "children": rows})
    assert refused.errors == {"children": "عدد الصفوف أكثر من 1."}
    kept = validate_answers(definition, {"children_count": "1", "children": rows})
    assert kept.ok and kept.answers["children"] == [{"child": "سارة"}, {"child": "علي"}]


@pytest.mark.parametrize(
    ("keys", "problem"),
    [
        ({"count": "child"}, 'count: unknown field "child"'),
        ({"count": "children"}, 'a field cannot depend on itself ("children")'),
        ({"count": "children_count", "max": 3}, "counted by an answer or by min and max"),
    ],
)
def test_a_count_reads_answers_outside_the_repeat_and_replaces_min_and_max(keys, problem):
    with pytest.raises(DefinitionError) as caught:
        form(**keys)
    assert any(problem in line for line in caught.value.messages), caught.value.messages
