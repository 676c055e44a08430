"""The form editor's server side with repeats inside repeats: saved, checked, placed as they are."""

from __future__ import annotations

import pytest

from forms import drafts
from tests.web.editor_helpers import created_editor, nested_survey

VISITS = "sections[0].fields[2].fields[2]"
NOTES = f"{VISITS}.fields[2]"


def test_saving_round_trips_a_nested_definition_unchanged(client, store):
    data = nested_survey()
    editor = created_editor(client, data)
    state = editor.state()
    assert state["problems"] == []
    assert state["definition"] == dict(data, id="family_survey", version=1)
    assert drafts.get(store, "family_survey")["definition"] == state["definition"]
    # Saved again as it came back, it comes back the same once more.
    assert editor.save(state["definition"]).status_code == 200
    assert editor.state()["definition"] == state["definition"]


@pytest.mark.parametrize(
    ("change", "prop"),
    [
        (lambda notes: notes["fields"][0].update(label={"ar": ""}), "label.ar"),
        # A name already given to a field of the child's row.
        (lambda notes: notes["fields"][0].update(name="kid_name"), "name"),
    ],
)
def test_a_problem_deep_inside_is_placed_on_its_field(client, change, prop):
    data = nested_survey()
    change(data["sections"][0]["fields"][2]["fields"][2]["fields"][2])
    editor = created_editor(client, data)
    found = [(p["item"], p["property"]) for p in editor.state()["problems"]]
    assert found == [(f"{NOTES}.fields[0]", prop)]


def test_a_fourth_repeat_inside_is_refused_where_it_is(client):
    data = nested_survey()
    notes = data["sections"][0]["fields"][2]["fields"][2]["fields"][2]
    notes["fields"].append(
        {
            "name": "too_deep",
            "type": "repeat",
            "label": {"ar": "أعمق"},
            "fields": [{"name": "deep_text", "type": "text", "label": {"ar": "نص"}}],
        }
    )
    editor = created_editor(client, data)
    [problem] = editor.state()["problems"]
    assert (problem["item"], problem["property"]) == (f"{NOTES}.fields[1]", "type")
    assert problem["message_ar"] == (
        "لا تتداخل المجموعات المتكررة أكثر من 3 مستويات، وهذه في المستوى 4:"
        " انقل حقولها إلى المجموعة التي تحتويها أو إلى مجموعة مستقلة"
    )


@pytest.mark.parametrize(
    ("where", "expression", "unknown"),
    [
        # An inner row reads its own row, each row around it and the form.
        (f"{NOTES}.fields[0]", "visit_kind == 'home' and kid_name != '' and status == 'x'", []),
        (f"{VISITS}.fields[1]", "kid_age >= 6 and filled(status)", []),
        # The visit's repeat itself is a field of the child's row: it reads that row.
        (VISITS, "kid_age > 1", []),
        # A visit's answer from the child's row: which visit's cannot be told.
        ("sections[0].fields[2].fields[1]", "visit_kind == 'home'", ["visit_kind"]),
        ("sections[0].fields[1]", "note_text == 'x'", ["note_text"]),
    ],
)
def test_a_condition_deep_inside_knows_the_rows_around_it(client, where, expression, unknown):
    editor = created_editor(client, nested_survey())
    body = {"definition": nested_survey(), "where": where, "key": "visible_if"}
    found = editor.post("condition", {**body, "expression": expression}).get_json()["problems"]
    assert [p["message"].split(" (")[0] for p in found] == [f'unknown field "{n}"' for n in unknown]
