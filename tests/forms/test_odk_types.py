"""ODK question types read as Rifd's own: phone number, and trigger (acknowledge's old name)."""

from pyxform.xls2xform import convert

from forms.definition import parse_definition
from forms.xlsform import export_xlsform, import_xlsform
from tests.forms.xlsforms.build import workbook

SURVEY = ["type", "name", "label"]


def imported(*rows) -> list[dict]:
    form = import_xlsform(workbook({"survey": [SURVEY, *rows]}), "odk.xlsx")
    return form["sections"][0]["fields"]


def test_a_phone_number_is_a_text_of_digits_with_pyxforms_message():
    [phone] = imported(["phone number", "phone", "رقم الهاتف"])
    assert phone == {
        "name": "phone",
        "type": "text",
        "label": {"ar": "رقم الهاتف"},
        "appearance": "numbers",
        "constraints": {
            "pattern": r"^\d*$",
            "messages": {"pattern": {"ar": "أدخل أرقامًا فقط.", "en": "Enter numbers only."}},
        },
    }


def test_a_phone_numbers_own_constraint_replaces_the_digits_as_in_pyxform():
    form = import_xlsform(
        workbook(
            {
                "survey": [
                    [*SURVEY, "constraint"],
                    ["phone number", "phone", "الهاتف", "string-length(.) <= 12"],
                ]
            }
        ),
        "odk.xlsx",
    )
    assert form["sections"][0]["fields"][0]["constraints"] == {"max_length": 12}


def test_trigger_is_acknowledge_and_both_export_back_for_pyxform():
    fields = imported(["trigger", "ok", "أقر"], ["phone number", "phone", "الهاتف"])
    assert fields[0] == {"name": "ok", "type": "acknowledge", "label": {"ar": "أقر"}}
    form = import_xlsform(workbook({"survey": [SURVEY, ["trigger", "ok", "أقر"]]}), "a.xlsx")
    data = export_xlsform(parse_definition(form))
    assert convert(data, validate=False).xform
    assert import_xlsform(data, "again.xlsx") == form
