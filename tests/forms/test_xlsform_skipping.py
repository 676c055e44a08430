"""An honest import: refused with the whole list, or imported without exactly that list.

Through the CLI runner, as `flask --app app forms import-xlsform` is used, and on a
small corpus of XLSForms built here with openpyxl, each with what real forms from
KoboToolbox and ODK hold (the refusal categories of issue 16).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import PatternFill

from forms.definition import parse_definition
from forms.xlsform import XLSFormError, export_xlsform, import_xlsform, sheets
from forms.xlsform.arabic import in_arabic
from forms.xlsform.skipping import import_skipping
from tests.forms.xlsforms.build import workbook
from tests.forms.xlsforms.forms_bad import FIELD_VISIT, FOLLOW_UP
from tests.forms.xlsforms.forms_good import GOOD

FOLDER = Path(__file__).resolve().parent / "xlsforms"
LABELS = ["type", "name", "label::Arabic (ar)", "label::English (en)"]


def _import(runner, path: Path, out: Path, *options: str):
    return runner.invoke(args=["forms", "import-xlsform", str(path), "-o", str(out), *options])


def _fields(form: dict) -> list[str]:
    found = []

    def walk(fields):
        for fdef in fields:
            found.append(fdef["name"])
            walk(fdef.get("fields", []))

    for section in form["sections"]:
        walk(section["fields"])
    return found


def test_cli_refuses_with_the_whole_list_and_writes_nothing(runner, tmp_path):
    out = tmp_path / "visit.json"
    result = _import(runner, FOLDER / "field_visit_unsupported.xlsx", out)
    assert result.exit_code == 1
    for row in (3, 4, 6, 7, 9, 10):  # video (5) and audio (8) are recorded files
        assert f"survey row {row}, column type:" in result.output
    assert "survey row 11, column appearance:" in result.output
    assert not out.exists()


def test_cli_skip_unsupported_imports_without_exactly_the_listed_items(runner, tmp_path):
    out = tmp_path / "visit.json"
    result = _import(runner, FOLDER / "field_visit_unsupported.xlsx", out, "--skip-unsupported")
    assert result.exit_code == 0, result.output
    assert "7 items left out:" in result.output
    for row in (3, 4, 6, 7, 9, 10):
        assert f"survey row {row}, column type:" in result.output
    assert result.output.count("(skipped: the row)") == 6
    assert 'row 11, column appearance: appearance "url"' in result.output
    assert "(skipped: the cell)" in result.output
    form = json.loads(out.read_text(encoding="utf-8"))
    parse_definition(form)
    # What Rifd can represent is kept (row 11 without its appearance, the recorded files),
    # the rest is gone.
    assert _fields(form) == ["visitor", "visit_video", "voice_note", "id_number", "rooms"]


def test_cli_skip_takes_out_cells_and_language_columns_not_their_questions(runner, tmp_path):
    path, out = tmp_path / "follow_up.xlsx", tmp_path / "follow_up.json"
    path.write_bytes(workbook(FOLLOW_UP))
    result = _import(runner, path, out, "--skip-unsupported")
    assert result.exit_code == 0, result.output
    assert 'column label::French: language "French"' in result.output
    assert "(skipped: the column)" in result.output
    assert "survey row 5, column choice_filter:" in result.output
    form = json.loads(out.read_text(encoding="utf-8"))
    names = _fields(form)
    # A cell taken out keeps its question; the row with ${name} in its label goes.
    assert {"visit_date", "city", "members", "age", "french"} <= set(names)
    assert "greeting" not in names
    age = next(f for s in form["sections"] for f in s["fields"] if f["name"] == "age")
    assert "constraints" not in age
    assert "French" not in out.read_text(encoding="utf-8")


def test_a_file_that_cannot_be_read_is_refused_even_when_skipping(runner, tmp_path):
    path, out = tmp_path / "junk.xlsx", tmp_path / "junk.json"
    path.write_bytes(b"not a workbook")
    result = _import(runner, path, out, "--skip-unsupported")
    assert result.exit_code == 1
    assert "is not an .xlsx workbook" in result.output
    assert not out.exists()


def _with_formatted_rows(sheets: dict, rows: list[int]) -> bytes:
    """The workbook of `sheets` with a filled but empty cell on each of `rows` of survey."""
    book = Workbook()
    book.remove(book.active)
    for title, content in sheets.items():
        sheet = book.create_sheet(title)
        for row in content:
            sheet.append(row)
        if title == "survey":
            for number in rows:
                sheet.cell(row=number, column=1).fill = PatternFill("solid", fgColor="FFFF00")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


SMALL = {
    "survey": [LABELS, ["text", "name", "الاسم", "Name"], ["integer", "age", "العمر", "Age"]],
    "settings": [["form_id", "form_title"], ["small", "نموذج"]],
}


def test_trailing_formatted_rows_are_ignored_even_past_the_last_row_read():
    # Row 12000 lies past the 10000 rows a survey may hold: formatting there is not a row.
    form = import_xlsform(_with_formatted_rows(SMALL, [40, 12000]), "small.xlsx")
    assert _fields(form) == ["name", "age"]


def test_formatting_past_the_rows_streamed_is_refused_with_its_arabic(monkeypatch):
    monkeypatch.setattr(sheets, "SCAN_ROWS", 50)
    try:
        import_xlsform(_with_formatted_rows(SMALL, [60]), "long.xlsx")
    except XLSFormError as exc:
        assert exc.messages == [
            "long.xlsx: survey row 51: the sheet goes on past row 50 (empty rows count too):"
            " delete the rows below the last one in use"
        ]
        assert "تمتد الورقة بعد الصف 50" in in_arabic(exc)[0]
    else:
        raise AssertionError("rows past those streamed were let through unread")


def test_a_real_row_past_the_last_row_is_still_refused():
    sheets = {**SMALL, "survey": [*SMALL["survey"], *[[None]] * 10000, ["text", "far", "بعيد"]]}
    try:
        import_xlsform(workbook(sheets), "far.xlsx")
    except XLSFormError as exc:
        assert any("the sheet has rows past row 10000" in m for m in exc.messages)
    else:
        raise AssertionError("a question past row 10000 was dropped silently")


# The corpus: forms written as KoboToolbox and ODK users write them, each holding some
# of the refusal categories issue 16 counted on real forms.
CORPUS = {
    **{name: sheets for name, sheets in GOOD.items()},
    "field_visit": FIELD_VISIT,
    "follow_up": FOLLOW_UP,
    "nested_repeats": {
        "survey": [
            [*LABELS, "read_only"],
            ["text", "head", "رب الأسرة", "Head"],
            ["begin_repeat", "members", "الأفراد", "Members"],
            ["text", "member", "الفرد", "Member"],
            ["begin_repeat", "visits", "الزيارات", "Visits"],
            ["date", "visit", "الزيارة", "Visit"],
            ["end_repeat"],
            ["end_repeat"],
            ["text", "note_taker", "الكاتب", "Writer", "yes"],
        ],
        "settings": [["form_id", "form_title"], ["nested", "أسر"]],
    },
    "same_names": {
        "survey": [
            [*LABELS, "appearance"],
            ["begin_group", "mother", "الأم", "Mother"],
            ["text", "name", "الاسم", "Name"],
            ["end_group"],
            ["begin_group", "father", "الأب", "Father", "table-list"],
            ["text", "name", "الاسم", "Name"],
            ["end_group"],
            ["select_one yn", "ok", "موافق", "Agree", "quick"],
        ],
        "choices": [["list_name", "name", "label::Arabic (ar)"], ["yn", "yes", "نعم"]],
    },
    "external": {
        "survey": [LABELS, ["text", "name", "الاسم", "Name"]],
        "external_choices": [["list_name", "name"], ["cities", "riyadh"]],
    },
    "no_questions": {"survey": [LABELS, ["note", "", "", ""]], "settings": [["form_id"], ["x"]]},
}


def _outcome(data: bytes) -> str:
    try:
        import_xlsform(data, "corpus.xlsx")
        return "whole"
    except XLSFormError:
        pass
    try:
        form, skipped = import_skipping(data, "corpus.xlsx")
    except XLSFormError as exc:
        assert exc.messages, "a refusal names its problems"
        return "refused"
    parse_definition(form)
    assert skipped
    return "skipped"


def test_corpus_imports_whole_or_with_listed_skips_or_is_refused_with_a_list(capsys):
    outcomes = {name: _outcome(workbook(sheets)) for name, sheets in CORPUS.items()}
    counts = {
        k: sum(1 for v in outcomes.values() if v == k) for k in ("whole", "skipped", "refused")
    }
    with capsys.disabled():
        print(f"\nXLSForm corpus of {len(CORPUS)}: {counts}")
    assert sum(counts.values()) == len(CORPUS)  # 0 crashes: every form has an outcome
    assert all(outcomes[name] == "whole" for name in GOOD)
    assert outcomes["field_visit"] == outcomes["follow_up"] == "skipped"
    assert outcomes["nested_repeats"] == "whole"  # a repeat inside a repeat, read-only text
    assert outcomes["external"] == "refused"


def test_a_calculate_nothing_reads_becomes_a_rifd_calculate_field_and_exports_back():
    data = workbook(
        {
            "survey": [
                ["type", "name", "label::Arabic (ar)", "calculation", "relevant"],
                ["integer", "nights", "الليالي"],
                ["integer", "price", "السعر"],
                ["calculate", "total", "المجموع", "${nights} * ${price}"],
                ["calculate", "double", "", "${nights} * 2"],
                ["text", "why", "لماذا", "", "${double} > 4"],
            ],
            "settings": [["form_id", "form_title"], ["stay", "إقامة"]],
        }
    )
    form = import_xlsform(data, "stay.xlsx")
    parse_definition(form)
    fields = form["sections"][0]["fields"]
    # Read by nothing: kept as a computed field where it stands; read by a relevant: inline.
    assert fields[2] == {
        "name": "total",
        "type": "calculate",
        "label": {"ar": "المجموع"},
        "calculation": "nights * price",
    }
    assert [f["name"] for f in fields] == ["nights", "price", "total", "why"]
    assert fields[3]["visible_if"] == "nights * 2 > 4"
    again = import_xlsform(export_xlsform(parse_definition(form)), "stay.xlsx")
    assert again["sections"][0]["fields"] == fields
