"""letters.lint: unsafe files refused, syntax errors in their paragraph, unknown names listed."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document

from forms.definition import load_definition, parse_definition
from letters.lint import lint

SUPPORT = "forms/library/support_request.json"
DOCUMENT = "word/document.xml"


def docx_bytes(*paragraphs: str, rows: tuple[str, ...] = (), header: str = "") -> bytes:
    """Build a small template: paragraphs, then a one-column table, and a header line."""
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    if rows:
        table = doc.add_table(rows=len(rows), cols=1)
        for cell, text in zip(table.columns[0].cells, rows, strict=True):
            cell.text = text
    if header:
        doc.sections[0].header.paragraphs[0].text = header
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def repack(data: bytes, drop: str = "", replaced: dict | None = None, extra: dict | None = None):
    """Copy a .docx, leaving out `drop`, replacing parts and adding `extra` members."""
    replaced = replaced or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            if item.filename != drop:
                dst.writestr(item, replaced.get(item.filename, src.read(item.filename)))
        for name, body in (extra or {}).items():
            dst.writestr(name, body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def small_form():
    return parse_definition(
        {
            "id": "tiny",
            "version": 1,
            "title": {"ar": "نموذج"},
            "sections": [
                {
                    "name": "main",
                    "title": {"ar": "البيانات"},
                    "fields": [
                        {"name": "national_id", "type": "national_id", "label": {"ar": "الهوية"}},
                        {"name": "city", "type": "text", "label": {"ar": "المدينة"}},
                    ],
                }
            ],
        }
    )


GOOD = docx_bytes(
    "إلى {{ beneficiary.title }} {{ beneficiary.name }} حفظه الله",
    "رقم الهوية: {{ answers.national_id }} — المدينة: {{ answers['city'] }}",
    "{% set total = decision.amount %}المبلغ: {{ total }} ({{ decision.amount_words }})",
    "{% for item in commitments %}{{ loop.index|digits }}. {{ item }} {% endfor %}",
    rows=("{%tr for row in answer_rows %}", "{{ row.label }}: {{ row.value }}", "{%tr endfor %}"),
    header="{{ association.name_ar }} — {{ letter.number }} — {{ today }}",
)


def test_a_good_template_is_ok():
    report = lint(GOOD, small_form())
    assert report.ok, report.messages()
    assert report.errors == report.unknown == []
    assert "beneficiary.name" in report.placeholders
    assert "answers.city" in report.placeholders
    assert "association.name_ar" in report.placeholders  # headers are read too


def test_names_bound_in_the_template_are_not_placeholders():
    placeholders = lint(GOOD).placeholders
    for local in ("row", "row.label", "item", "total", "loop.index"):
        assert local not in placeholders
    macro = docx_bytes(
        "{% macro line(who) %}{{ who.name }}{{ caller() }}{% endmacro %}"
        "{% call line(beneficiary) %} {{ range(2)|list }}{% endcall %}"
    )
    report = lint(macro)
    assert report.ok, report.messages()
    assert report.placeholders == ["beneficiary"]


@pytest.mark.parametrize(
    "paragraph, message",
    [
        ("يسعدنا {% if beneficiary.name %} إبلاغكم", "Unexpected end of template"),
        ("الاسم الكريم {{ name } حفظه الله", "unexpected '}'"),
        ("{{ beneficiary.name|nosuchfilter }} تحية", "No filter named 'nosuchfilter'"),
    ],
)
def test_syntax_errors_show_the_paragraph(paragraph, message):
    report = lint(docx_bytes("السلام عليكم", paragraph))
    assert not report.ok
    assert len(report.errors) == 1
    assert message in report.errors[0]
    assert paragraph in report.errors[0]
    assert paragraph in report.messages("ar")[0]


def test_unknown_placeholders_are_listed_with_a_suggestion():
    report = lint(
        docx_bytes(
            "{{ beneficary.name }} {{ decision.amout }} {{ decision.amount }}",
            "{{ benficiary }} {{ qr.size }} {{ decision.amout }}",
        )
    )
    assert report.errors == []
    assert report.unknown == ["beneficary.name", "decision.amout", "benficiary", "qr.size"]
    assert report.suggestions["beneficary.name"] == "beneficiary.name"
    assert report.suggestions["decision.amout"] == "decision.amount"
    assert report.suggestions["benficiary"] == "beneficiary"
    assert "unknown placeholder: decision.amout (did you mean decision.amount?)" in (
        report.messages()
    )
    assert "عنصر غير معروف: decision.amout (هل تقصد decision.amount؟)" in report.messages("ar")


def test_answers_are_checked_against_the_form():
    data = docx_bytes(
        "{{ answers.nationalid }} {{ answers.national_id }} {{ answers.family_name }}"
    )
    assert lint(data).ok  # no form chosen: any answer may be printed
    report = lint(data, load_definition(SUPPORT))
    assert report.unknown == ["answers.nationalid"]
    assert report.suggestions["answers.nationalid"] == "answers.national_id"
    assert lint(data, small_form()).unknown == ["answers.nationalid", "answers.family_name"]


@pytest.mark.parametrize(
    "text", ["{{ ''.__class__.__mro__ }}", "{{ beneficiary.name.__class__ }}", "{{ x['_y'] }}"]
)
def test_reaching_into_python_is_refused(text):
    report = lint(docx_bytes("نص", text))
    assert not report.ok
    assert any(e.startswith("forbidden: ") and "_" in e for e in report.errors), report.errors


def test_include_and_import_are_refused():
    report = lint(docx_bytes("{% include 'other.docx' %}"))
    assert report.errors == ["a letter cannot include, import or extend another template"]


def macro_enabled() -> bytes:
    types = zipfile.ZipFile(io.BytesIO(GOOD)).read("[Content_Types].xml")
    types = types.replace(b"document.main+xml", b"document.macroEnabled.main+xml")
    return repack(GOOD, replaced={"[Content_Types].xml": types})


def bomb(size: int) -> bytes:
    return repack(GOOD, extra={"word/media/zeros.bin": bytes(size)})


@pytest.mark.parametrize(
    "data, message",
    [
        (b"this is a text file", "not a Word document"),
        (b"", "not a Word document"),
        (GOOD[: len(GOOD) // 2], "not a Word document"),
        # Built when the test runs, not when every worker collects (the bombs took seconds).
        (lambda: repack(GOOD, drop="word/document.xml"), "word/document.xml is missing"),
        (lambda: repack(GOOD, drop="[Content_Types].xml"), "[Content_Types].xml is missing"),
        (lambda: bytes(5 * 1024 * 1024 + 1), "larger than 5 MB"),
        (lambda: repack(GOOD, extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}), "macros"),
        (macro_enabled, "macros"),
        (lambda: bomb(60 * 1024 * 1024), "60 MB unpacked"),
        (lambda: bomb(10 * 1024 * 1024), "times its packed size"),
        (
            lambda: repack(GOOD, extra={f"customXml/n{i}.xml": b"<a/>" for i in range(1001)}),
            "entries",
        ),
        (lambda: repack(GOOD, replaced={DOCUMENT: b"<w:document><w:body>"}), "word/document.xml"),
        (lambda: repack(GOOD, replaced={DOCUMENT: "<a>نص</a>".encode("utf-16")}), "not UTF-8"),
    ],
    ids=[
        "text",
        "empty",
        "truncated",
        "no-document",
        "no-content-types",
        "too-large",
        "vba-project",
        "macro-content-type",
        "bomb-size",
        "bomb-ratio",
        "bomb-entries",
        "broken-xml",
        "utf16-xml",
    ],
)
def test_unsafe_or_invalid_files_are_refused(data, message):
    report = lint(data() if callable(data) else data)
    assert not report.ok
    assert len(report.errors) == 1, report.errors  # stops at the first refusal
    assert message in report.errors[0]
    assert report.placeholders == []
    assert report.messages("ar")[0]  # an Arabic line for the web page
