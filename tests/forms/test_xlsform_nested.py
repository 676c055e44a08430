"""Repeats inside repeats in an XLSForm: what a one-level repeat has works in the inner one.

The fixture family_visits (forms_nested.py) is imported and exported by the import and
export tests; here a smaller sheet holds what it does not: the same name in the outer
and the inner row, a cascading choice in the inner row filtered by answers of the form
and of the outer row, position(..) and a calculate field of the inner row. Each comes
back the same through the export, which pyxform accepts.
"""

from __future__ import annotations

from pyxform.xls2xform import convert

from forms.definition import parse_definition
from forms.xlsform import export_xlsform, import_xlsform
from tests.forms.xlsforms.build import workbook

SHEETS = {
    "survey": [
        ["type", "name", "label", "relevant", "choice_filter", "calculation"],
        ["select_one region", "region", "المنطقة"],
        ["begin_repeat", "family", "الأسرة"],
        ["text", "name", "اسم رب الأسرة"],
        ["select_one city", "family_city", "مدينة الأسرة", "", "region=${region}"],
        ["begin_repeat", "member", "الفرد"],
        ["text", "name", "اسم الفرد"],
        [
            "select_one city",
            "city",
            "مدينة الفرد",
            "",
            "region=${region} and name != ${family_city}",
        ],
        ["integer", "age", "العمر", "position(..) > 1"],
        ["calculate", "months", "", "", "", "${age} * 12"],
        ["end_repeat"],
        ["end_repeat"],
    ],
    "choices": [
        ["list_name", "name", "label", "region"],
        ["region", "riyadh", "الرياض"],
        ["city", "diriyah", "الدرعية", "riyadh"],
        ["city", "kharj", "الخرج", "riyadh"],
    ],
}


def test_an_inner_repeat_keeps_what_a_repeat_has_and_exports_back():
    form = import_xlsform(workbook(SHEETS), "nested.xlsx")
    family = form["sections"][0]["fields"][1]
    member = family["fields"][2]
    assert [f["name"] for f in member["fields"]] == ["member__name", "city", "age", "months"]
    city, age, months = member["fields"][1:]
    # The form's answer and the family row's answer, read from the member's row.
    assert city["choice_filter"] == "choice('region') == region and choice('value') != family_city"
    assert age["visible_if"] == "position() > 1"
    assert months == {
        "name": "months",
        "type": "calculate",
        "label": {"ar": "months"},
        "calculation": "age * 12",
    }
    parse_definition(form)
    data = export_xlsform(parse_definition(form))
    xform = convert(data, validate=False).xform
    assert '<bind nodeset="/data/section_1/family/member/name"' in xform  # its name, as it came
    assert import_xlsform(data, "again.xlsx") == form
