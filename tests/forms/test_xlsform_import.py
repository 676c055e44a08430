"""`flask --app app forms import-xlsform FILE.xlsx -o FORM.json` through the CLI runner.

The fixtures in tests/forms/xlsforms are XLSForms written the way ODK and
KoboToolbox users write them; the good ones must import to the definitions beside
them, the bad ones must be refused with every problem named by row and column.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from forms.definition import parse_definition
from tests.forms.xlsforms.build import FIXTURES, workbook
from tests.forms.xlsforms.forms_good import GOOD

FOLDER = Path(__file__).resolve().parent / "xlsforms"


def _import(runner, path: Path, out: Path):
    return runner.invoke(args=["forms", "import-xlsform", str(path), "-o", str(out)])


@pytest.mark.parametrize("name", sorted(GOOD))
def test_good_fixture_imports_to_its_definition(runner, tmp_path, name):
    out = tmp_path / f"{name}.json"
    result = _import(runner, FOLDER / f"{name}.xlsx", out)
    assert result.exit_code == 0, result.output
    assert f"{out}: written ({name}, version" in result.output
    written = out.read_text(encoding="utf-8")
    assert "\\u0" not in written  # Arabic written as is
    expected = json.loads((FOLDER / f"{name}.json").read_text(encoding="utf-8"))
    assert json.loads(written) == expected
    parse_definition(expected)


def test_committed_fixtures_hold_the_rows_of_build_py():
    for name, sheets in FIXTURES.items():
        book = openpyxl.load_workbook(FOLDER / f"{name}.xlsx", read_only=True)
        assert book.sheetnames == list(sheets), name
        for title, rows in sheets.items():
            found = [
                [v for v in row if v is not None] for row in book[title].iter_rows(values_only=True)
            ]
            assert found == [[v for v in row if v != ""] for row in rows], (name, title)
        book.close()


def _field(form: dict, name: str) -> dict:
    def find(items: list[dict]) -> dict | None:
        for fdef in items:
            if fdef["name"] == name:
                return fdef
            found = find(fdef.get("fields", []))
            if found is not None:
                return found
        return None

    for section in form["sections"]:
        found = find(section["fields"])
        if found is not None:
            return found
    raise KeyError(name)


def test_what_each_feature_became(runner, tmp_path):
    forms = {}
    for name in GOOD:
        _import(runner, FOLDER / f"{name}.xlsx", tmp_path / f"{name}.json")
        forms[name] = json.loads((tmp_path / f"{name}.json").read_text(encoding="utf-8"))
    needs, ratings = forms["household_needs"], forms["satisfaction_ratings"]
    summer, eligibility = forms["summer_registration"], forms["eligibility_check"]
    # A calculate is put in place where a relevant reads it; start/end leave no field.
    assert _field(needs, "low_income_note")["visible_if"] == "salary + social_security < 3000"
    assert not any(
        f["name"] in ("start", "end", "total_income") for f in needs["sections"][0]["fields"]
    )
    assert [r["type"] for r in ratings["sections"][0]["fields"][1:5]] == ["rating"] * 4
    assert _field(ratings, "recommend")["type"] == "nps"
    # A group inside a repeat is flattened: a heading note, its relevant on each question.
    child = _field(summer, "child")
    assert [f["name"] for f in child["fields"]][-3:] == ["schooling", "school_name", "grade"]
    assert {f.get("visible_if") for f in child["fields"][-3:]} == {"child_age >= 6"}
    assert (_field(summer, "emergency")["min"], _field(summer, "emergency")["max"]) == (2, 2)
    assert _field(summer, "signature")["type"] == "signature"
    assert summer["choice_lists"]["grades"][0]["value"] == "1"  # a number typed in Excel
    assert _field(eligibility, "age")["constraints"]["min"] == 18  # "Age" made a Rifd name
    assert _field(eligibility, "family")["constraints"] == {"min": 1, "max": 30}
    assert _field(eligibility, "health_detail")["required_if"] == "age >= 60"
    assert _field(eligibility, "marital")["required"] is True  # TRUE() in the cell
    assert forms["volunteer_interest"]["id"] == "volunteer_interest"  # no settings sheet


def test_repeats_inside_repeats_import_nested_with_their_logic(runner, tmp_path):
    out = tmp_path / "family_visits.json"
    result = _import(runner, FOLDER / "family_visits.xlsx", out)
    assert result.exit_code == 0, result.output
    form = json.loads(out.read_text(encoding="utf-8"))
    family = _field(form, "family")
    member = next(f for f in family["fields"] if f["name"] == "member")
    follow_up = next(f for f in member["fields"] if f["name"] == "follow_up")
    assert [f["type"] for f in (family, member, follow_up)] == ["repeat"] * 3
    # The members are counted by an answer of the family's own row.
    assert member["count"] == "members_count"
    # A calculate of the member's row read in place; a flattened group's relevant on each
    # of its questions, joined with one reading the family's row.
    assert _field(form, "member_income")["visible_if"] == "member_age >= 18"
    assert _field(form, "school")["visible_if"] == "member_age < 18"
    guardian = _field(form, "guardian")
    assert guardian["visible_if"] == "member_age < 18 and filled(head_name)"
    assert guardian["read_only"] is True
    assert _field(form, "member_age")["constraints"] == {"min": 0, "max": 120}
    # The innermost rows read their member's row, the family's row and the form.
    note = _field(form, "follow_up_note")
    assert note["label"]["ar"] == "ملاحظة عن ${member_name} من ${researcher}"
    assert _field(form, "follow_up_date")["visible_if"] == "members_count > 1"
    # The family's row sums its members' column and counts their rows.
    assert _field(form, "family_income")["calculation"] == "sum(member_income)"
    assert _field(form, "large_family")["visible_if"] == "count(member) > 8"
    parse_definition(form)


@pytest.mark.parametrize(
    ("relevant", "problem"),
    [
        # A member's answer from the family's row: which member's cannot be told.
        ("${member_age} > 1", '"${member_age}" is inside the repeat "member"'),
        # From the form, a column of the members lies in every family's row.
        ("sum(${member_age}) > 1", 'which is inside the repeat "family"'),
    ],
)
def test_an_inner_rows_answer_read_from_outside_its_row_is_listed(
    runner, tmp_path, relevant, problem
):
    sheets = {
        "survey": [
            ["type", "name", "label", "relevant"],
            ["begin_repeat", "family", "أسرة"],
            ["begin_repeat", "member", "فرد"],
            ["integer", "member_age", "العمر"],
            ["end_repeat"],
            ["end_repeat"],
            ["note", "outside", "ملاحظة", relevant],
        ]
    }
    path = tmp_path / "nested.xlsx"
    path.write_bytes(workbook(sheets))
    result = _import(runner, path, tmp_path / "out.json")
    assert result.exit_code == 1
    assert "survey row 7, column relevant:" in result.output
    assert problem in result.output
