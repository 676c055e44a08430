"""Cascading choices, "or other" and labels showing answers, from XLSForm and back.

The spreadsheet is written as ODK and KoboToolbox users write one (mixed-case names,
a choice_filter on extra columns of the choices sheet, `selected(${x}, name)`); it
imports through the CLI, exports back, pyxform accepts the export with the same
itemset filters, and the export imports to the same definition again.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pyxform.xls2xform import convert

from forms.definition import parse_definition
from forms.xlsform import XLSFormError, export_xlsform, import_xlsform
from tests.forms.xlsforms.build import workbook

S = ["type", "name", "label::Arabic (ar)", "label::English (en)", "hint::Arabic (ar)"]
S += ["choice_filter", "relevant"]
ODK = {
    "survey": [
        S,
        ["select_one state", "State", "المنطقة", "Region"],
        ["select_one county", "County", "المحافظة", "County", "", "state=${State}"],
        ["select_one city", "City", "المدينة في ${County}", "City in ${County}",
         "مدن ${State}", "state=${State} and county=${County}"],
        ["select_multiple services", "wanted", "المطلوب", "Wanted"],
        ["select_one services", "first", "الأهم", "First", "", "selected(${wanted}, name)"],
        ["select_one services or_other", "support", "الدعم", "Support"],
        ["begin_repeat", "visits", "الزيارات", "Visits"],
        ["select_one city", "visit_city", "مدينة الزيارة", "Visit city", "", "county=${County}"],
        ["text", "visit_note", "ملاحظات عن ${visit_city}", "Notes on ${visit_city}"],
        ["end_repeat"],
    ],
    "choices": [
        ["list_name", "name", "label::Arabic (ar)", "label::English (en)", "state", "county"],
        ["state", "riyadh", "الرياض", "Riyadh"],
        ["state", "makkah", "مكة", "Makkah"],
        ["county", "riyadh_c", "محافظة الرياض", "Riyadh county", "riyadh"],
        ["county", "jeddah_c", "محافظة جدة", "Jeddah county", "makkah"],
        ["city", "olaya", "العليا", "Olaya", "riyadh", "riyadh_c"],
        ["city", "balad", "البلد", "Al-Balad", "makkah", "jeddah_c"],
        ["services", "food", "سلة غذائية", "Food"],
        ["services", "rent", "إيجار", "Rent"],
    ],
}  # fmt: skip


def _fields(form: dict) -> dict[str, dict]:
    out = {}
    for section in form["sections"]:
        for fdef in section["fields"]:
            out[fdef["name"]] = fdef
            out.update({sub["name"]: sub for sub in fdef.get("fields", ())})
    return out


def _imported(runner, tmp_path: Path, data: bytes) -> dict:
    path, out = tmp_path / "odk.xlsx", tmp_path / "odk.json"
    path.write_bytes(data)
    result = runner.invoke(args=["forms", "import-xlsform", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text(encoding="utf-8"))


def test_an_odk_cascade_imports_with_its_filters_data_other_and_live_labels(runner, tmp_path):
    form = _imported(runner, tmp_path, workbook(ODK))
    fields = _fields(form)
    assert fields["county"]["choice_filter"] == "choice('state') == state"
    assert fields["city"]["choice_filter"] == (
        "choice('state') == state and choice('county') == county"
    )
    assert fields["first"]["choice_filter"] == "selected(wanted, choice('value'))"
    assert fields["visit_city"]["choice_filter"] == "choice('county') == county"
    lists = form["choice_lists"]
    assert lists["county"][1] == {
        "value": "jeddah_c",
        "label": {"ar": "محافظة جدة", "en": "Jeddah county"},
        "data": {"state": "makkah"},
    }
    assert lists["city"][0]["data"] == {"state": "riyadh", "county": "riyadh_c"}
    assert "data" not in lists["services"][0]  # no filter reads its columns
    # Labels and hints show answers under their Rifd names.
    assert fields["city"]["label"] == {"ar": "المدينة في ${county}", "en": "City in ${county}"}
    assert fields["city"]["hint"] == {"ar": "مدن ${state}"}
    assert fields["visit_note"]["label"]["en"] == "Notes on ${visit_city}"
    # or_other: the flag; the page has the choice and its text field.
    assert fields["support"]["or_other"] is True
    other = parse_definition(form).field("support_other")
    assert other["visible_if"] == "selected(support, 'other')" and other["required"] is True


def test_the_export_is_accepted_by_pyxform_and_imports_back_the_same(runner, tmp_path):
    form = _imported(runner, tmp_path, workbook(ODK))
    data = export_xlsform(parse_definition(form))
    path = tmp_path / "back.xlsx"
    path.write_bytes(data)
    result = convert(xlsform=str(path))
    itemsets = re.findall(r'<itemset nodeset="([^"]+)"', result.xform)
    assert "instance('county')/root/item[state =  /data/section_1/state ]" in itemsets
    both = "state =  /data/section_1/state  and county =  /data/section_1/county "
    assert f"instance('city')/root/item[{both}]" in itemsets
    assert "instance('services')/root/item[selected( /data/section_1/wanted , name)]" in itemsets
    assert "/data/section_1/support_other" in result.xform  # pyxform's own text for other
    # ODK shows the answers in the labels too.
    assert '<output value=" /data/section_1/county "/>' in result.xform
    assert import_xlsform(data, "back.xlsx") == form


def test_a_label_naming_what_rifd_cannot_show_is_told_at_its_cell():
    sheets = {
        "survey": [
            ["type", "name", "label", "relevant"],
            ["begin_group", "g", "مجموعة ${a}"],
            ["text", "a", "أ"],
            ["end_group"],
            ["begin_repeat", "r", "صفوف"],
            ["text", "inner", "داخل"],
            ["end_repeat"],
            ["text", "b", "قيمة ${inner}"],
            ["text", "c", "قيمة ${nope}"],
        ]
    }
    with pytest.raises(XLSFormError) as refused:
        import_xlsform(workbook(sheets), "f.xlsx")
    assert refused.value.messages == [
        "f.xlsx: survey row 2, column label: Rifd texts are fixed: they cannot show another"
        " answer (${...})",
        'f.xlsx: survey row 8, column label: "${inner}" is inside the repeat "r": from outside'
        " a repeat Rifd can only count its rows (count(${r}))",
        'f.xlsx: survey row 9, column label: unknown field "${nope}"',
    ]


def test_a_label_shows_a_calculate_that_a_relevant_also_reads():
    sheets = {
        "survey": [
            ["type", "name", "label", "calculation", "relevant"],
            ["decimal", "bill", "الفاتورة"],
            ["calculate", "tip", "", "${bill} * 0.15"],
            ["note", "shown", "الإكرامية: ${tip}"],
            ["text", "why", "لماذا كبيرة؟", "", "${tip} > 100"],
        ]
    }
    form = import_xlsform(workbook(sheets), "tip.xlsx")
    fields = _fields(form)
    # Kept as a field for the label, and put in place where the relevant reads it.
    assert fields["tip"]["calculation"] == "bill * 0.15"
    assert fields["shown"]["label"] == {"ar": "الإكرامية: ${tip}"}
    assert fields["why"]["visible_if"] == "bill * 0.15 > 100"
    parse_definition(form)


def test_pyxforms_older_or_specify_other_is_or_other():
    sheets = {
        "survey": [["type", "name", "label"], ["select one from sexes or specify other", "s", "أ"]],
        "choices": [["list_name", "name", "label"], ["sexes", "male", "ذكر"]],
    }
    assert _fields(import_xlsform(workbook(sheets), "s.xlsx"))["s"]["or_other"] is True
