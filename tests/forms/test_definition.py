"""Definitions are refused with messages naming the file, the JSON path and the problem."""

import copy
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from forms.definition import DefinitionError, field_type_names, load_definition, parse_definition
from forms.types import FIELD_TYPES, UnknownFieldType, get_field_type

BASE = {
    "id": "mini",
    "version": 1,
    "title": {"ar": "نموذج", "en": "Form"},
    "choice_lists": {"marital": [{"value": "single", "label": {"ar": "أعزب"}}]},
    "sections": [
        {
            "name": "one",
            "title": {"ar": "أ"},
            "fields": [
                {"name": "name", "type": "text", "label": {"ar": "الاسم"}},
                {
                    "name": "status",
                    "type": "select_one",
                    "label": {"ar": "الحالة"},
                    "choices": "marital",
                },
            ],
        },
        {
            "name": "two",
            "title": {"ar": "ب"},
            "fields": [
                {"name": "age", "type": "integer", "label": {"ar": "العمر"}},
                {
                    "name": "kids",
                    "type": "repeat",
                    "label": {"ar": "الأبناء"},
                    "max": 3,
                    "fields": [
                        {"name": "kid_name", "type": "text", "label": {"ar": "الاسم"}},
                    ],
                },
                {"name": "phone", "type": "mobile", "label": {"ar": "الجوال"}},
                {"name": "note_1", "type": "note", "label": {"ar": "ملاحظة"}},
            ],
        },
    ],
}


def problems_of(change) -> list[str]:
    data = copy.deepcopy(BASE)
    change(data)
    with pytest.raises(DefinitionError) as err:
        parse_definition(data, "support_request.json")
    return err.value.messages


def test_base_is_valid():
    form = parse_definition(copy.deepcopy(BASE), "mini.json")
    assert [f["name"] for f in form.answer_fields()] == ["name", "status", "age", "kids", "phone"]
    assert form.choices(form.field("status"))[0]["value"] == "single"


def test_unknown_type_message_matches_the_issue():
    def change(d):
        d["sections"][1]["fields"][3]["type"] = "nationalid"

    assert problems_of(change) == [
        'support_request.json: sections[1].fields[3].type: "nationalid" is not a field type'
        ' (did you mean "national_id"?)'
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["sections"][0]["fields"][0].update(lable={"ar": "x"}),
            'sections[0].fields[0].lable: unknown key "lable" (did you mean "label"?)',
        ),
        (
            lambda d: d["sections"][0]["fields"][0].pop("label"),
            'sections[0].fields[0]: "label" is required',
        ),
        (
            lambda d: d["sections"][0]["fields"][0].update(name="Full Name"),
            'sections[0].fields[0].name: "Full Name" is not valid: use lower-case',
        ),
        (lambda d: d.update(version="1"), 'version: must be a whole number, not "1"'),
        (
            lambda d: d["sections"][1]["fields"][0].update(name="name"),
            'sections[1].fields[0].name: "name" is already used by sections[0].fields[0]',
        ),
        (
            lambda d: d["sections"][1]["fields"][1]["fields"][0].update(name="age"),
            'sections[1].fields[1].fields[0].name: "age" is already used by sections[1].fields[0]',
        ),
        (
            lambda d: d["sections"][0]["fields"][1].update(choices="marital_status"),
            'sections[0].fields[1].choices: there is no choice list "marital_status"'
            ' (did you mean "marital"?)',
        ),
        (
            lambda d: d["sections"][1]["fields"][0].update(visible_if="stauts == 'single'"),
            'sections[1].fields[0].visible_if: unknown field "stauts" (did you mean "status"?)',
        ),
        (
            lambda d: d["sections"][1]["fields"][0].update(visible_if="status == "),
            "sections[1].fields[0].visible_if: ",
        ),
        (
            lambda d: d["sections"][0]["fields"][0].update(visible_if="kid_nam == 'x'"),
            'sections[0].fields[0].visible_if: unknown field "kid_nam" (did you mean "kid_name"?)',
        ),
        (
            lambda d: d["sections"][0]["fields"][0].update(required_if="name == 'x'"),
            "a field cannot depend on itself",
        ),
        (
            lambda d: d["sections"][0]["fields"][0].update(constraints={"min": 3}),
            'constraints.min: does not apply to a field of type "text"',
        ),
        (
            lambda d: d["sections"][1]["fields"][0].update(constraints={"min": 9, "max": 2}),
            "constraints.min: is greater than max",
        ),
        (
            lambda d: d["sections"][0]["fields"][0].update(constraints={"pattern": "(["}),
            "constraints.pattern: is not a valid pattern",
        ),
        (
            lambda d: d["sections"][0]["fields"][0].update(fields=[]),
            'sections[0].fields[0]: "fields" belongs only to a field of type "repeat"',
        ),
        (lambda d: d["sections"][1]["fields"][3].update(required=True), "a note cannot be"),
        (lambda d: d["sections"][0]["fields"][1].pop("choices"), '"choices" is required'),
        (
            lambda d: d["sections"].append(
                copy.deepcopy(d["sections"][0])
                | {"fields": [{"name": "zz", "type": "text", "label": {"ar": "ز"}}]}
            ),
            'sections[2].name: "one" is already used by sections[0]',
        ),
        (
            lambda d: d["choice_lists"]["marital"].append(
                {"value": "single", "label": {"ar": "ب"}}
            ),
            'choice_lists.marital[1].value: "single" appears twice',
        ),
        (
            lambda d: d["sections"][0]["fields"][1].update(default="married"),
            'sections[0].fields[1].default: "married" is not a valid value for a field'
            ' of type "select_one"',
        ),
        (
            lambda d: d["sections"][0]["fields"][0].update(appearance="stars"),
            'sections[0].fields[0].appearance: "stars" does not apply to a field of type "text"',
        ),
    ],
)
def test_bad_definitions_are_named(change, expected):
    found = problems_of(change)
    assert any(line.startswith("support_request.json: ") for line in found)
    assert any(expected in line for line in found), found


def test_every_problem_is_reported_not_only_the_first():
    def change(d):
        d["sections"][0]["fields"][0]["type"] = "txt"
        d["sections"][1]["fields"][0]["lable"] = {"ar": "x"}

    assert len(problems_of(change)) == 2


def test_invalid_json_names_line_and_column(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"id": "broken",\n "version": 1,,\n}', encoding="utf-8")
    with pytest.raises(DefinitionError) as err:
        load_definition(path)
    assert err.value.messages[0].startswith("broken.json: line 2 column")
    assert "invalid JSON" in err.value.messages[0]


def test_missing_and_non_object_files(tmp_path):
    with pytest.raises(DefinitionError, match="missing.json: cannot be read"):
        load_definition(tmp_path / "missing.json")
    (tmp_path / "list.json").write_text("[1, 2]")
    with pytest.raises(DefinitionError, match=r"list.json: \$: must be an object"):
        load_definition(tmp_path / "list.json")


def test_schema_types_are_the_registry():
    assert sorted(field_type_names()) == sorted(FIELD_TYPES)


def test_unknown_type_raises_from_the_registry():
    with pytest.raises(UnknownFieldType):
        get_field_type("nationalid")


def test_published_schema_is_valid_json_schema():
    schema = json.loads(Path("forms/schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
