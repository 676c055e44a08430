"""The same question name in different groups: qualified inside Rifd, original outside.

Imported through the CLI as a quality officer does, exported back, handed to pyxform.
"""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from pyxform.xls2xform import convert

from forms.definition import parse_definition
from forms.xlsform import XLSFormError, export_xlsform, import_xlsform
from forms.xlsform.arabic import in_arabic
from tests.forms.xlsforms.build import workbook

HEAD = ["type", "name", "label::Arabic (ar)", "relevant"]
PARENTS = {
    "survey": [
        HEAD,
        ["begin_group", "mother", "الأم"],
        ["text", "name", "الاسم"],
        ["integer", "age", "العمر"],
        ["end_group"],
        ["begin_group", "father", "الأب"],
        ["text", "name", "الاسم"],
        ["integer", "age", "العمر"],
        ["begin_group", "work", "العمل"],
        ["text", "name", "اسم جهة العمل"],
        ["end_group"],
        ["end_group"],
    ],
    "settings": [["form_id", "form_title"], ["parents", "الوالدان"]],
}


def _fields(form: dict) -> dict[str, list[str]]:
    return {s["name"]: [f["name"] for f in s["fields"]] for s in form["sections"]}


def _names(data: bytes) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    rows = list(book["survey"].iter_rows(values_only=True))
    at = {title: index for index, title in enumerate(rows[0])}
    rifd = at.get("rifd_name")
    return [(r[at["type"]], r[at["name"]], None if rifd is None else r[rifd]) for r in rows[1:]]


def test_cli_imports_the_same_name_in_other_groups_qualified_by_its_group(runner, tmp_path):
    path, out = tmp_path / "parents.xlsx", tmp_path / "parents.json"
    path.write_bytes(workbook(PARENTS))
    result = runner.invoke(args=["forms", "import-xlsform", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    form = json.loads(out.read_text(encoding="utf-8"))
    # The first keeps its name, the others take their group's before theirs.
    assert _fields(form) == {
        "mother": ["name", "age"],
        "father": ["father__name", "father__age", "work", "work__name"],
    }
    parse_definition(form)


def test_reading_a_name_that_several_groups_hold_is_refused_with_its_arabic():
    survey = [*PARENTS["survey"], ["text", "note_age", "ملاحظة", "${age} > 17"]]
    with pytest.raises(XLSFormError) as refused:
        import_xlsform(workbook({**PARENTS, "survey": survey}), "parents.xlsx")
    # pyxform refuses the same: which `age` is meant cannot be told.
    assert refused.value.messages == [
        'parents.xlsx: survey row 13, column relevant: "${age}" names questions in several'
        " groups: which one is meant cannot be told (give each its own name)"
    ]
    assert "اسم أسئلة في أكثر من مجموعة" in in_arabic(refused.value)[0]


def test_export_writes_the_original_names_back_and_pyxform_accepts_them():
    form = import_xlsform(workbook(PARENTS), "parents.xlsx")
    data = export_xlsform(parse_definition(form))
    asked = [(kind, name, rifd) for kind, name, rifd in _names(data) if kind != "note"]
    assert asked[1:3] + asked[5:8] == [
        ("text", "name", None),
        ("integer", "age", None),
        ("text", "name", "father__name"),
        ("integer", "age", "father__age"),
        # A second `name` would now stand in the group father (work is a heading in
        # Rifd, not a group): XLSForm forbids it, so this one keeps its Rifd name.
        ("text", "work__name", None),
    ]
    assert convert(data, validate=False).xform
    assert import_xlsform(data, "again.xlsx") == form


def test_a_qualified_name_an_expression_reads_keeps_its_rifd_name_on_export():
    form = import_xlsform(workbook(PARENTS), "parents.xlsx")
    # Edited in Rifd: a question that reads father's age by its Rifd name.
    form["sections"][1]["fields"].append(
        {
            "name": "retired",
            "type": "text",
            "label": {"ar": "متقاعد"},
            "visible_if": "father__age > 60",
        }
    )
    data = export_xlsform(parse_definition(form))
    # Written back as `age`, ${age} would be ambiguous (pyxform refuses it).
    assert ("integer", "father__age", None) in _names(data)
    assert ("text", "father__name", None) not in _names(data)
    assert convert(data, validate=False).xform
    assert import_xlsform(data, "again.xlsx") == form


def test_the_same_name_twice_in_one_group_is_still_refused():
    sheets = {
        "survey": [
            HEAD,
            ["begin_group", "a", "أ"],
            ["text", "n", "ن"],
            ["text", "n", "ن"],
            ["end_group"],
        ]
    }
    with pytest.raises(XLSFormError) as refused:
        import_xlsform(workbook(sheets), "twice.xlsx")
    assert refused.value.messages == [
        'twice.xlsx: survey row 4, column name: "n" is already the name of a question at row 3'
    ]
