"""Build the report template (doc_templates/sheets/report.docx): a board's periodic report
and a survey's printed results share it.

Run `python -m doc_templates.board_report`. The association's letterhead (without a letter
number: a report is printed, not issued), the title and period, then each section: its
heading, a right-to-left table of (what, figure) and its chart when it has one.
"""

from __future__ import annotations

from pathlib import Path

from doc_templates.attendance import sheet_document
from doc_templates.letterhead import title
from doc_templates.ooxml import (
    ACCENT,
    GREY,
    if_paragraphs,
    para,
    row,
    row_tag,
    spacer,
    table,
    tag,
    value_cell,
)

PATH = Path(__file__).resolve().parent / "sheets" / "report.docx"
WIDTHS = [5638, 4000]  # what | figure


def rows_table() -> str:
    label, value = WIDTHS
    return table(
        [
            row_tag("{%tr for r in s.rows %}"),
            row(value_cell("{{ r[0] }}", label), value_cell("{{ r[1] }}", value), split=True),
            row_tag("{%tr endfor %}"),
        ],
        WIDTHS,
    )


def body() -> list[str]:
    return [
        title("{{ report.title }}"),
        para("**الفترة:** {{ report.period }}", jc="start", after=20),
        para("طُبع في {{ report.printed }}", jc="start", size_pt=9, color=GREY, after=120),
        tag("{%p for s in sections %}"),
        para("**{{ s.title }}**", jc="start", size_pt=13, color=ACCENT, keep=True, after=60),
        rows_table(),
        *if_paragraphs("s.chart", para("{{ s.chart }}", jc="center", after=60)),
        spacer(6),
        tag("{%p endfor %}"),
    ]


def build() -> bytes:
    return sheet_document(body(), "تقرير")


def main() -> None:
    PATH.parent.mkdir(exist_ok=True)
    PATH.write_bytes(build())
    print(f"wrote {PATH.relative_to(PATH.parent.parent.parent)}")


if __name__ == "__main__":
    main()
