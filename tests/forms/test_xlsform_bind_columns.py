"""The older spellings of columns (bind::relevant, bind:jr:constraintMsg, control:appearance)
read as the columns they fill, as pyxform reads them."""

import pytest

from forms.xlsform import import_xlsform
from tests.forms.xlsforms.build import workbook


@pytest.mark.parametrize("sep", ["::", ":"])
def test_bind_and_control_columns_are_their_modern_columns(sep):
    survey = [
        ["type", "name", "label", f"bind{sep}required", f"bind{sep}relevant",
         f"bind{sep}constraint", f"bind{sep}jr:constraintMsg", f"control{sep}appearance",
         f"bind{sep}readonly"],
        ["integer", "age", "Age", "yes", "", ". <= 120", "At most 120", "", ""],
        ["select_one yn", "pick", "Pick", "", "${age} > 17", "", "", "minimal", ""],
        ["text", "shown", "Shown", "", "", "", "", "", "true()"],
    ]  # fmt: skip
    choices = [["list_name", "name", "label"], ["yn", "y", "Yes"], ["yn", "n", "No"]]
    form = import_xlsform(workbook({"survey": survey, "choices": choices}), "old.xlsx")
    age, pick, shown = form["sections"][0]["fields"]
    assert age["required"] is True
    assert age["constraints"] == {"max": 120, "messages": {"max": {"ar": "At most 120"}}}
    assert pick["visible_if"] == "age > 17"
    assert pick["appearance"] == "dropdown"
    assert shown["read_only"] is True
