"""Build the attendance sheet template (doc_templates/sheets/attendance_sheet.docx).

Run `python -m doc_templates.attendance`. The sheet carries the association's letterhead
(without a letter number: a sheet is printed, not issued), the program and session, and
a right-to-left table: number, name, masked ID, mobile, a column to sign, and the total.
It lives in a folder of its own, so that it is never offered as a letter to issue.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document

from doc_templates.build_templates import (
    core_properties,
    reproducible,
    set_page,
    set_settings,
    set_styles,
)
from doc_templates.letterhead import association_head, title
from doc_templates.ooxml import (
    DOTS,
    GREY,
    fill,
    head_cell,
    para,
    row,
    row_tag,
    spacer,
    table,
    value_cell,
)

PATH = Path(__file__).resolve().parent / "sheets" / "attendance_sheet.docx"
WIDTHS = [600, 3300, 1700, 1700, 2338]  # number | name | ID | mobile | signature


def people_table() -> str:
    n, name, nid, mobile, sign = WIDTHS
    return table(
        [
            row(
                head_cell("م", n),
                head_cell("الاسم", name),
                head_cell("رقم الهوية", nid),
                head_cell("الجوال", mobile),
                head_cell("التوقيع", sign),
                header=True,
            ),
            row_tag("{%tr for p in people %}", span=5),
            row(
                value_cell("{{ p.number }}", n, jc="center"),
                value_cell("{{ p.name }}", name),
                value_cell("{{ p.national_id }}", nid, jc="center"),
                value_cell("{{ p.mobile }}", mobile, jc="center"),
                value_cell("", sign),
                split=True,
            ),
            row_tag("{%tr endfor %}", span=5),
        ],
        WIDTHS,
    )


def body() -> list[str]:
    return [
        title("كشف حضور"),
        para("**البرنامج:** {{ sheet.program }}", jc="start", after=20),
        para(
            "**الجلسة:** {{ sheet.session }} — {{ sheet.day }}{% if sheet.time %} — "
            "{{ sheet.time }}{% endif %}",
            jc="start",
            after=20,
        ),
        para("**المكان:** {{ sheet.place }}", jc="start", after=80),
        people_table(),
        spacer(6),
        para(
            "**عدد المسجلين:** {{ sheet.total }}    **عدد الحاضرين:** " + DOTS[:16],
            jc="start",
            after=60,
        ),
        para("اسم المسؤول عن الكشف وتوقيعه: " + DOTS, jc="start", after=0),
        para("طُبع في {{ sheet.printed }}", jc="end", size_pt=8, color=GREY, after=0),
    ]


def build() -> bytes:
    return sheet_document(body(), "كشف حضور")


def sheet_document(parts: list[str], name: str) -> bytes:
    """Return a printed sheet (no letter number): the association's letterhead above
    `parts`, right to left, reproducible byte for byte; `name` is its document title."""
    doc = Document()
    set_styles(doc)
    set_settings(doc)
    section = doc.sections[0]
    set_page(section)
    header = section.header
    header.is_linked_to_previous = False
    for child in list(header._element):
        header._element.remove(child)
    fill(header._element, [association_head(), spacer(4)])
    fill(doc.element.body, parts)
    out = io.BytesIO()
    doc.save(out)
    return reproducible(out.getvalue(), {"docProps/core.xml": core_properties(name)})


def main() -> None:
    PATH.parent.mkdir(exist_ok=True)
    PATH.write_bytes(build())
    print(f"wrote {PATH.relative_to(PATH.parent.parent.parent)}")


if __name__ == "__main__":
    main()
