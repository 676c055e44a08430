"""`flask --app app forms export-xlsform FORM_ID -o FILE.xlsx`, and the way back.

Every shipped form and every fixture goes out as an XLSForm and comes back as the
same definition; pyxform, the reference converter, turns every export into an
XForm (ODK Validate stays off: it is a Java download).
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from pyxform.xls2xform import convert

from tests.forms.xlsforms.forms_good import GOOD

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = sorted(p.stem for p in (ROOT / "forms" / "library").glob("*.json"))
FIXTURES = Path(__file__).resolve().parent / "xlsforms"


def _definition(form_id: str) -> dict:
    path = ROOT / "forms" / "library" / f"{form_id}.json"
    if not path.exists():
        path = FIXTURES / f"{form_id}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("$schema", None)  # an editor's hint, not part of the form
    return data


def _add_to_library(app, data: dict) -> None:
    folder = Path(app.config["DATA_DIR"]) / "forms"
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False)
    (folder / f"{data['id']}.json").write_text(text, encoding="utf-8")


def _export(runner, form_id: str, out: Path):
    return runner.invoke(args=["forms", "export-xlsform", form_id, "-o", str(out)])


def _round_trip(runner, tmp_path: Path, form_id: str) -> tuple[dict, Path]:
    xlsx, back = tmp_path / f"{form_id}.xlsx", tmp_path / f"{form_id}.json"
    result = _export(runner, form_id, xlsx)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{xlsx}: written ({form_id}, version")
    result = runner.invoke(args=["forms", "import-xlsform", str(xlsx), "-o", str(back)])
    assert result.exit_code == 0, result.output
    return json.loads(back.read_text(encoding="utf-8")), xlsx


@pytest.mark.parametrize("form_id", LIBRARY + sorted(GOOD))
def test_export_imports_back_to_the_same_definition(app, runner, tmp_path, form_id):
    original = _definition(form_id)
    if form_id in GOOD:
        _add_to_library(app, original)
    back, xlsx = _round_trip(runner, tmp_path, form_id)
    assert back == original
    result = convert(xlsx.read_bytes(), validate=False)
    assert f'<data id="{form_id}" version="{original["version"]}">' in result.xform


def test_sheets_are_right_to_left_with_arabic_first(runner, tmp_path):
    _export(runner, "support_request", tmp_path / "sr.xlsx")
    book = openpyxl.load_workbook(tmp_path / "sr.xlsx")
    assert book.sheetnames == ["survey", "choices", "settings"]
    assert all(sheet.sheet_view.rightToLeft for sheet in book.worksheets)
    header = [cell.value for cell in book["survey"][1]]
    assert header[:5] == [
        "type",
        "name",
        "label::Arabic (ar)",
        "label::English (en)",
        "hint::Arabic (ar)",
    ]
    settings = dict(zip(*book["settings"].iter_rows(values_only=True), strict=True))
    assert settings["form_title"] == "طلب دعم مستفيد"
    assert settings["default_language"] == "Arabic (ar)"


def test_pyxform_reads_rifd_types_as_their_xlsform_stand_ins(runner, tmp_path):
    _export(runner, "satisfaction_survey", tmp_path / "s.xlsx")
    _export(runner, "support_request", tmp_path / "r.xlsx")
    survey = convert((tmp_path / "s.xlsx").read_bytes(), validate=False).xform
    request = convert((tmp_path / "r.xlsx").read_bytes(), validate=False).xform
    assert 'appearance="rating" start="1" end="5" step="1"' in survey
    assert 'start="0" end="10" step="1"' in survey  # nps
    assert 'appearance="signature"' in request
    assert 'accept=".pdf,.jpg,.png,.docx"' in request
    # yes_no is a yes/no select in XLSForm, and its conditions compare with 'yes'.
    assert "relevant=\" /data/expenses/has_debts  = 'yes'\"" in request
    assert "count-selected" not in request and "selected( /data/income/income_sources" in request


def test_an_edited_export_imports_with_the_edits(runner, tmp_path):
    xlsx = tmp_path / "complaint.xlsx"
    _export(runner, "complaint", xlsx)
    book = openpyxl.load_workbook(xlsx)
    sheet = book["survey"]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[header.index("name")].value == "reply_email":
            row[header.index("label::Arabic (ar)")].value = "بريدك الإلكتروني"
            row[header.index("relevant")].value = "${wants_reply} = 'yes' and ${kind} != 'thanks'"
    book.save(xlsx)
    out = tmp_path / "complaint.json"
    result = runner.invoke(args=["forms", "import-xlsform", str(xlsx), "-o", str(out)])
    assert result.exit_code == 0, result.output
    fields = json.loads(out.read_text(encoding="utf-8"))["sections"][1]["fields"]
    email = next(f for f in fields if f["name"] == "reply_email")
    assert email["label"]["ar"] == "بريدك الإلكتروني"
    assert email["visible_if"] == "wants_reply == true and kind != 'thanks'"


# Everything the format has that the shipped forms do not use.
EVERY_KEY = {
    "id": "every_key",
    "version": 7,
    "title": {"ar": "نموذج ${شامل}"},
    "description": {"ar": "وصف", "en": "Description"},
    "public": False,
    "ref_prefix": "EK",
    "choice_lists": {
        "colours": [{"value": "red.dark-1", "label": {"ar": "أحمر 'داكن'", "en": 'Dark "red"'}}]
    },
    "sections": [
        {
            "name": "quote",
            "title": {"ar": "قسم"},
            "visible_if": "quote != 'it\\'s \"x\"' or -(score - 2) * 3 > 1.5",
            "staff_only": True,
            "fields": [
                {
                    "name": "quote",
                    "type": "text",
                    "label": {"ar": "نص"},
                    "default": "a 'b'",
                    "constraints": {
                        "pattern": "[^'\"]+",
                        "min_length": 0,
                        "max_length": 9,
                        "messages": {"pattern": {"ar": "ن"}, "max_length": {"ar": "ط", "en": "L"}},
                    },
                },
                {
                    "name": "score",
                    "type": "decimal",
                    "label": {"ar": "رقم"},
                    "default": -1.5,
                    "required": False,
                    "required_if": "empty(quote)",
                    "staff_only": False,
                    "constraints": {"min": -2.5, "max": 1000000},
                },
                {
                    "name": "colour",
                    "type": "select_one",
                    "label": {"ar": "لون"},
                    "appearance": "dropdown",
                    "choices": "colours",
                    "default": "red.dark-1",
                    "required": True,
                    "required_if": "filled(quote)",
                },
                {
                    "name": "many",
                    "type": "select_multiple",
                    "label": {"ar": "عدة"},
                    "default": ["a", "b"],
                    "choices": [
                        {"value": "a", "label": {"ar": "أ"}},
                        {"value": "b", "label": {"ar": "ب"}},
                    ],
                },
                {
                    "name": "agree",
                    "type": "yes_no",
                    "label": {"ar": "موافق"},
                    "default": False,
                    "visible_if": "not (score > 1) or (count(many) >= 2 and selected(many, 'a'))",
                },
                {
                    "name": "rows",
                    "type": "repeat",
                    "label": {"ar": "صفوف"},
                    "min": 1,
                    "max": 4,
                    "add_label": {"ar": "أضف", "en": "Add"},
                    "fields": [
                        {
                            "name": "cell",
                            "type": "iban",
                            "label": {"ar": "آيبان"},
                            "visible_if": "agree == false or not (agree == true)",
                        }
                    ],
                },
                {
                    "name": "fixed",
                    "type": "repeat",
                    "label": {"ar": "ثابت"},
                    "min": 3,
                    "max": 3,
                    "fields": [
                        {"name": "doc", "type": "file", "label": {"ar": "ملف"}, "max_size_mb": 2.5},
                        {
                            "name": "photos",
                            "type": "file",
                            "label": {"ar": "صور"},
                            "accept": ["jpg", "png"],
                            "multiple": True,
                            "max_files": 4,
                            "max_total_mb": 12.5,
                            "camera": True,
                        },
                    ],
                },
                {
                    "name": "open_rows",
                    "type": "repeat",
                    "label": {"ar": "مفتوح"},
                    "max": 5,
                    "fields": [
                        {
                            "name": "stamp",
                            "type": "date",
                            "label": {"ar": "تاريخ"},
                            "default": "2025-01-31",
                        }
                    ],
                },
            ],
        },
        {
            # Names pyxform keeps for itself, and a section named like a field.
            "name": "data",
            "title": {"ar": "بيانات"},
            "fields": [
                {"name": "meta", "type": "text", "label": {"ar": "وصف", "en": "Price in ${}"}},
                {
                    "name": "data_note",
                    "type": "note",
                    "label": {"ar": "ملاحظة"},
                    "visible_if": "filled(meta)",
                },
            ],
        },
        {
            "name": "score",
            "title": {"ar": "النتيجة"},
            "fields": [
                {
                    "name": "meta_pick",
                    "type": "select_one",
                    "label": {"ar": "اختر"},
                    "choices": [{"value": "x", "label": {"ar": "س"}}],
                    "visible_if": "meta == 'x'",
                }
            ],
        },
    ],
}


def test_every_key_of_the_format_survives_the_round_trip(app, runner, tmp_path):
    _add_to_library(app, EVERY_KEY)
    back, xlsx = _round_trip(runner, tmp_path, "every_key")
    assert back == EVERY_KEY
    convert(xlsx.read_bytes(), validate=False)


def test_unknown_form_id(runner, tmp_path):
    result = _export(runner, "suport_request", tmp_path / "x.xlsx")
    assert result.exit_code == 1
    assert 'there is no form "suport_request" (did you mean "support_request"?)' in result.output
    assert not (tmp_path / "x.xlsx").exists()
    result = _export(runner, "zzz", tmp_path / "x.xlsx")
    assert result.exit_code == 1
    assert 'there is no form "zzz" (the forms: complaint, ' in result.output


def test_repeats_inside_repeats_export_nested_and_pyxform_reads_their_paths(app, runner, tmp_path):
    _add_to_library(app, _definition("family_visits"))
    xlsx = tmp_path / "fv.xlsx"
    assert _export(runner, "family_visits", xlsx).exit_code == 0
    book = openpyxl.load_workbook(xlsx)
    rows = [(r[0], r[1]) for r in book["survey"].iter_rows(min_row=2, values_only=True)]
    repeats = [row for row in rows if row[0] in ("begin_repeat", "end_repeat")]
    assert repeats == [
        ("begin_repeat", "family"),
        ("begin_repeat", "member"),
        ("begin_repeat", "follow_up"),
        ("end_repeat", "follow_up"),
        ("end_repeat", "member"),
        ("end_repeat", "family"),
    ]
    xform = convert(xlsx.read_bytes(), validate=False).xform
    # pyxform reads each ${name} relative to the row it is in: the member's own row,
    # the family's row around it, the family's row two repeats up, the form.
    assert '<repeat nodeset="/data/visit/family/member/follow_up">' in xform
    assert 'jr:count=" ../members_count "' in xform
    assert "relevant=\" ../member_age  &lt; 18 and  ../../head_name  != ''\"" in xform
    assert 'relevant=" ../../../members_count  &gt; 1"' in xform
    label = '<output value=" ../../member_name "/> من <output value=" /data/visit/researcher "/>'
    assert label in xform
    assert 'calculate="sum( ../member/member_income )"' in xform
