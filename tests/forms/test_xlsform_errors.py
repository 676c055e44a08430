"""What Rifd cannot take from an XLSForm is refused, every problem named by row and column.

Through the CLI runner, as `flask --app app forms import-xlsform` is used: nothing
is written, the exit status is 1, and no line is a stack trace.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from tests.forms.xlsforms.build import workbook

FOLDER = Path(__file__).resolve().parent / "xlsforms"


def _import(runner, path: Path, out: Path):
    return runner.invoke(args=["forms", "import-xlsform", str(path), "-o", str(out)])


def _lines(output: str, source: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(source)]


def test_unsupported_types_are_all_reported(runner, tmp_path):
    out = tmp_path / "out.json"
    result = _import(runner, FOLDER / "field_visit_unsupported.xlsx", out)
    assert result.exit_code == 1
    assert not out.exists()
    assert "Traceback" not in result.output
    where = "field_visit_unsupported.xlsx: survey row"
    assert _lines(result.output, "field_visit_unsupported.xlsx") == [
        f'{where} 3, column type: "geotrace" is not supported by Rifd',
        f'{where} 4, column type: "geoshape" is not supported by Rifd',
        f'{where} 6, column type: "select_one_from_file districts.csv" is not supported by Rifd',
        f'{where} 7, column type: "rank districts" is not supported by Rifd',
        f'{where} 9, column type: "email" is ODK metadata (the device account); for an e-mail'
        ' question use type text with "email" in the rifd_type column',
        f"{where} 10, column type: a range from 1 to 7 in steps of 1 is not supported: Rifd has"
        " ratings (start=1 end=5) and NPS (start=0 end=10)",
        f'{where} 11, column appearance: appearance "url" is not supported by Rifd for a text'
        " question",
    ]


def test_unsupported_functions_and_columns_are_all_reported(runner, tmp_path):
    result = _import(runner, FOLDER / "follow_up_unsupported.xlsx", tmp_path / "out.json")
    assert result.exit_code == 1
    where = "follow_up_unsupported.xlsx: survey row"
    help_ = (
        "Rifd constraints are ranges (. >= 1), lengths (string-length(.) <= 50) and patterns"
        " (regex(., '^[0-9]{5}$')) joined with and"
    )
    assert _lines(result.output, "follow_up_unsupported.xlsx") == [
        'follow_up_unsupported.xlsx: survey, column label::French: language "French"'
        ' is not supported by Rifd without its code: name it as in "French (xx)"',
        f"{where} 3, column constraint: the function today() is not supported in a Rifd"
        f" constraint: {help_}",
        f"{where} 5, column choice_filter: the function starts-with() is not supported by Rifd",
        f'{where} 6, column constraint: "mod" is not supported in a Rifd constraint: {help_}',
        f'{where} 7, column label::Arabic (ar): unknown field "${{nmae}}" (did you mean'
        ' "${name}"?)',
        f"{where} 8, column relevant: the function coalesce() is not supported by Rifd",
        f'{where} 9, column relevant: "mod" is not supported by Rifd',
        f"{where} 10, column calculation: the function pulldata() is not supported by Rifd",
        f'{where} 11, column relevant: unknown field "${{nmae}}" (did you mean "${{name}}"?)',
        f"{where} 12, column relevant: paths (/data/name, ../name, name) are not supported:"
        " refer to a field as ${name} at 0",
        f"{where} 13, column constraint: a Rifd constraint cannot compare with another answer"
        f" (${{members}}): {help_}",
    ]


SURVEY = ["type", "name", "label"]
BROKEN = {
    "empty name": (
        {"survey": [SURVEY, ["text", "", "الاسم"]]},
        [
            "survey row 2, column name: the name is empty",
        ],
    ),
    "duplicate names": (
        {"survey": [SURVEY, ["integer", "Age", "العمر"], ["text", "age", "العمر"]]},
        [
            'survey row 3, column name: "age" is already the name of a question at row 2',
        ],
    ),
    "arabic name": (
        {"survey": [SURVEY, ["text", "الاسم", "الاسم"]]},
        [
            'survey row 2, column name: "الاسم" cannot be a Rifd name: use English letters, digits'
            " and _ (e.g. family_size)",
        ],
    ),
    "group never closed": (
        {"survey": [SURVEY, ["begin_group", "g", "مجموعة"], ["text", "a", "أ"]]},
        [
            'survey row 2, column type: the group "g" is never closed: add an end_group row',
        ],
    ),
    "end without begin": (
        {"survey": [SURVEY, ["text", "a", "أ"], ["end_group", "", ""]]},
        [
            "survey row 3, column type: end_group has no begin_group before it",
        ],
    ),
    "end_group closing a repeat": (
        {
            "survey": [
                SURVEY,
                ["begin_repeat", "r", "صف"],
                ["text", "a", "أ"],
                ["end_group", "", ""],
            ]
        },
        [
            'survey row 4, column type: end_group closes the repeat "r" opened at row 2: use'
            " end_repeat",
        ],
    ),
    "four repeats one inside another": (
        {
            "survey": [
                SURVEY,
                ["begin_repeat", "r", "صف"],
                ["begin_repeat", "s", "صف"],
                ["begin_repeat", "t", "صف"],
                ["begin_repeat", "u", "صف"],
                ["text", "a", "أ"],
                ["end_repeat"],
                ["end_repeat"],
                ["end_repeat"],
                ["end_repeat"],
            ]
        },
        [
            "survey row 5, column type: more than 3 repeats one inside another are not"
            " supported by Rifd"
        ],
    ),
    "empty group": (
        {"survey": [SURVEY, ["begin_group", "g", "مجموعة"], ["end_group"]]},
        [
            'survey row 2, column type: the group "g" holds no question',
        ],
    ),
    "missing list": (
        {"survey": [SURVEY, ["select_one places", "place", "المكان"]]},
        [
            'survey row 2, column type: there is no list "places" in the choices sheet',
        ],
    ),
    "no type": (
        {"survey": [SURVEY, ["", "a", "أ"]]},
        ["survey row 2, column type: the type is empty"],
    ),
    "no question": (
        {"survey": [SURVEY, ["start", "start", ""]]},
        ["survey: the sheet holds no question"],
    ),
    "no list name": (
        {"survey": [SURVEY, ["select_one", "a", "أ"]]},
        [
            'survey row 2, column type: "select_one" needs the name of its list from the choices'
            " sheet"
        ],
    ),
    "no type column": (
        {"survey": [["name", "label"], ["a", "أ"]]},
        ['survey row 1: the sheet has no "type" column'],
    ),
    "calculated default": (
        {"survey": [["type", "name", "label", "default"], ["time", "t", "وقت", "now()"]]},
        [
            "survey row 2, column default: a calculated default other than today() on a date"
            " is not supported by Rifd"
        ],
    ),
    "trigger in a repeat": (
        {
            "survey": [
                ["type", "name", "label", "calculation", "trigger"],
                ["begin_repeat", "r", "ر", "", ""],
                ["text", "a", "أ", "", ""],
                ["calculate", "at", "", "now()", "${a}"],
                ["end_repeat", "", "", "", ""],
            ]
        },
        [
            "survey row 4, column trigger: a calculation with a trigger inside a repeat is not"
            " supported by Rifd (yet)"
        ],
    ),
    "trigger not a name": (
        {
            "survey": [
                ["type", "name", "label", "calculation", "trigger"],
                ["integer", "a", "أ", "", ""],
                ["calculate", "at", "", "now()", "${a} + 1"],
            ]
        },
        ["survey row 3, column trigger: a trigger names one question: ${name}"],
    ),
    "loop never closed": (
        {
            "survey": [
                ["type", "name", "label"],
                ["text", "family", "Family"],
                ["begin loop over rooms", "each", ""],
                ["integer", "n", "How many %(label)s?"],
            ],
            "choices": [["list_name", "name", "label"], ["rooms", "bed", "Bedrooms"]],
        },
        ['survey row 3, column type: the loop "each" is never closed: add an end_loop row'],
    ),
    "loop over no list": (
        {
            "survey": [
                ["type", "name", "label"],
                ["text", "family", "Family"],
                ["begin loop over rooms", "each", ""],
                ["integer", "n", "How many %(label)s?"],
                ["end loop", "", ""],
            ]
        },
        ['survey row 3, column type: there is no list "rooms" in the choices sheet'],
    ),
    "last saved default": (
        {
            "survey": [
                ["type", "name", "label", "default"],
                ["text", "s", "شارع", "${last-saved#s}"],
                ["text", "t", "حي", "${last-saved#s}"],
            ]
        },
        [
            "survey row 3, column default: a default from the last saved record (last-saved)"
            " is supported by Rifd only as the question's own answer: ${last-saved#<its name>}"
        ],
    ),
    "answer in a choice label": (
        {
            "survey": [SURVEY, ["select_one l", "a", "أ"]],
            "choices": [["list_name", "name", "label"], ["l", "x", "مثل ${a}"]],
        },
        [
            "choices row 2, column label: Rifd texts are fixed: they cannot show another answer"
            " (${...})"
        ],
    ),
    "rifd columns": (
        {
            "survey": [
                [
                    "type",
                    "name",
                    "label",
                    "rifd_staff_only",
                    "rifd_type",
                    "rifd_max_size_mb",
                    "rifd_max_files",
                    "rifd_multiple",
                ],
                ["text", "a", "أ", "", "phone"],
                ["file", "b", "ب", "maybe", "", "50", "2.5", "often"],
            ],
            "settings": [["rifd_public", "rifd_ref_prefix"], ["sometimes", "abc"]],
        },
        [
            'settings row 2, column rifd_public: "sometimes" is neither yes nor no',
            "settings row 2, column rifd_ref_prefix: must be 1 to 4 capital letters",
            'survey row 2, column type: rifd_type "phone" is not one of email, mobile,'
            " national_id, iban, yes_no",
            'survey row 3, column rifd_staff_only: "maybe" is neither yes nor no',
            "survey row 3, column rifd_max_size_mb: must be a number above 0, up to 20",
            "survey row 3, column rifd_max_files: must be a whole number from 2 to 10",
            'survey row 3, column rifd_multiple: "often" is neither yes nor no',
        ],
    ),
    "calculate with a relevant": (
        {
            "survey": [
                ["type", "name", "label", "relevant", "calculation"],
                ["integer", "a", "أ"],
                ["calculate", "twice", "", "${a} > 1", "${a} * 2"],
                ["note", "n", "ن", "${twice} > 4"],
            ]
        },
        ["survey row 3, column relevant: a calculate with a relevant is not supported by Rifd"],
    ),
    "unread calculate too long": (
        {
            "survey": [
                ["type", "name", "label", "calculation"],
                ["integer", "age", "العمر"],
                ["calculate", "months", "", " + ".join(["${age}"] * 300)],
                ["calculate", "twice", "", "${months} + ${months}"],  # months put in twice
            ]
        },
        [
            "survey row 4, column calculation: the calculation is longer than Rifd's 2000"
            " characters once translated"
        ],
    ),
    "no label": (
        {"survey": [SURVEY, ["text", "a", ""]]},
        ["survey row 2, column label: the label is empty"],
    ),
    "bad choice and version": (
        {
            "survey": [SURVEY, ["select_one l", "a", "أ"]],
            "choices": [["list_name", "name", "label"], ["l", "two words", "كلمتان"]],
            "settings": [["form_id", "version"], ["f", "1.2"]],
        },
        [
            'settings row 2, column version: "1.2" is not a whole number from 1 up: Rifd versions'
            " count 1, 2, 3...",
            'choices row 2, column name: "two words" is not a Rifd choice value: use 1 to 64'
            " English letters, digits, _ . or -",
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_spreadsheets_get_clear_messages(runner, tmp_path, case):
    sheets, expected = BROKEN[case]
    path = tmp_path / "broken.xlsx"
    path.write_bytes(workbook(sheets))
    result = _import(runner, path, tmp_path / "out.json")
    assert result.exit_code == 1, result.output
    assert _lines(result.output, "broken.xlsx") == [f"broken.xlsx: {line}" for line in expected]
    assert not (tmp_path / "out.json").exists()


def _zip_without_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"type,name,label\ntext,a,b\n", "is not an .xlsx workbook (it is not a zip file)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "is an old Excel 97-2003 (.xls)"),
        (_zip_without_workbook(), "is not a readable .xlsx workbook ("),
        (workbook({"Sheet1": [["a"]]}), 'has no "survey" sheet (its XLSForm sheets: none of'),
        (
            workbook({"choices": [["list_name"]]}),
            'has no "survey" sheet (its XLSForm sheets: "choices")',
        ),
    ],
)
def test_files_that_are_not_xlsforms(runner, tmp_path, content, expected):
    path = tmp_path / "upload.xlsx"
    path.write_bytes(content)
    result = _import(runner, path, tmp_path / "out.json")
    assert result.exit_code == 1
    assert result.output.startswith(f"upload.xlsx: {expected}")
    assert "Traceback" not in result.output


def test_a_missing_file(runner, tmp_path):
    result = _import(runner, tmp_path / "nowhere.xlsx", tmp_path / "out.json")
    assert result.exit_code == 1
    assert result.output.startswith("nowhere.xlsx: cannot be read")


def test_problems_of_every_sheet_come_in_one_run(runner, tmp_path):
    sheets = {
        "survey": [
            ["type", "name", "label", "relevant"],
            ["geotrace", "route", "المسار"],
            ["text", "a", "أ", "${b} = 'x'"],
            ["select_one l", "b", "ب"],
        ],
        "choices": [["list_name", "name", "label"], ["l", "x", ""]],
    }
    path = tmp_path / "many.xlsx"
    path.write_bytes(workbook(sheets))
    result = _import(runner, path, tmp_path / "out.json")
    assert _lines(result.output, "many.xlsx") == [
        "many.xlsx: choices row 2, column label: the label is empty",
        'many.xlsx: survey row 2, column type: "geotrace" is not supported by Rifd',
    ]
