"""pyxform's loop over a list: one group per choice, %(label)s the choice's label."""

from pyxform.xls2xform import convert

from forms.definition import parse_definition
from forms.xlsform import export_xlsform, import_xlsform
from tests.forms.xlsforms.build import workbook

SHEETS = {
    "survey": [
        ["type", "name", "label::Arabic (ar)", "label::English (en)"],
        ["begin loop over rooms", "each_room", "", ""],
        ["integer", "beds", "كم سريرًا في %(label)s؟", "How many beds in the %(label)s?"],
        ["end loop", "", "", ""],
        ["text", "notes", "ملاحظات", "Notes"],
    ],
    "choices": [
        ["list_name", "name", "label::Arabic (ar)", "label::English (en)"],
        ["rooms", "bedroom", "غرفة النوم", "bedroom"],
        ["rooms", "hall", "المجلس", "hall"],
    ],
}


def test_a_loop_is_a_group_per_choice_with_its_label_in_each_language():
    form = import_xlsform(workbook(SHEETS), "rooms.xlsx")
    [loop, rest] = form["sections"]
    assert loop["name"] == "each_room"
    assert [(f["name"], f["type"], f["label"]) for f in loop["fields"]] == [
        ("bedroom", "note", {"ar": "غرفة النوم", "en": "bedroom"}),
        (
            "beds",
            "integer",
            {"ar": "كم سريرًا في غرفة النوم؟", "en": "How many beds in the bedroom?"},
        ),
        ("hall", "note", {"ar": "المجلس", "en": "hall"}),
        (
            "hall__beds",
            "integer",
            {"ar": "كم سريرًا في المجلس؟", "en": "How many beds in the hall?"},
        ),
    ]
    assert [f["name"] for f in rest["fields"]] == ["notes"]
    data = export_xlsform(parse_definition(form))
    assert convert(data, validate=False).xform
    assert import_xlsform(data, "again.xlsx") == form
