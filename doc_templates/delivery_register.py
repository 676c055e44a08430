"""Build the printable delivery register (doc_templates/sheets/delivery_register.docx).

Run `python -m doc_templates.delivery_register`. What an auditor asks for: the deliveries
of a period, a program or a beneficiary, each line with what was given, to whom, when,
how much, for which request or program and with which proofs (vouchers, transfers,
files), then the totals and a line to sign. It is printed, not issued: no letter number.
"""

from __future__ import annotations

from pathlib import Path

from doc_templates.attendance import sheet_document
from doc_templates.letterhead import title
from doc_templates.ooxml import (
    DOTS,
    GREY,
    head_cell,
    para,
    row,
    row_tag,
    spacer,
    table,
    value_cell,
)

PATH = Path(__file__).resolve().parent / "sheets" / "delivery_register.docx"
# number | date | beneficiary | what | amount or quantity | request or program | proofs
WIDTHS = [800, 1300, 1800, 1100, 1200, 1800, 1638]
COLUMNS = [
    ("رقم", "{{ d.id }}", "center"),
    ("التاريخ", "{{ d.date }}", "center"),
    ("المستفيد", "{{ d.name }}", "start"),
    ("ما قُدّم", "{{ d.what }}", "start"),
    ("المبلغ أو الكمية", "{{ d.amount }}", "center"),
    ("الطلب أو البرنامج", "{{ d.for }}", "start"),
    ("الإثبات", "{{ d.proofs }}", "start"),
]


def deliveries_table() -> str:
    span = len(COLUMNS)
    return table(
        [
            row(
                *(head_cell(h, w) for (h, _v, _j), w in zip(COLUMNS, WIDTHS, strict=True)),
                header=True,
            ),
            row_tag("{%tr for d in deliveries %}", span=span),
            row(
                *(value_cell(v, w, jc=j) for (_h, v, j), w in zip(COLUMNS, WIDTHS, strict=True)),
                split=True,
            ),
            row_tag("{%tr endfor %}", span=span),
        ],
        WIDTHS,
    )


def body() -> list[str]:
    return [
        title("سجل التسليم"),
        para("**الفترة:** {{ sheet.period }}", jc="start", after=20),
        para("{% if sheet.about %}**النطاق:** {{ sheet.about }}{% endif %}", jc="start", after=80),
        deliveries_table(),
        spacer(6),
        para(
            "**عدد عمليات التسليم:** {{ sheet.total }}    "
            "**مجموع المبالغ:** {{ sheet.amount }} ريال",
            jc="start",
            after=20,
        ),
        para(
            "{% if sheet.more %}**ملاحظة:** {{ sheet.more }}{% endif %}",
            jc="start",
            after=60,
        ),
        para("اسم المسؤول عن السجل وتوقيعه: " + DOTS, jc="start", after=0),
        para("طُبع في {{ sheet.printed }}", jc="end", size_pt=8, color=GREY, after=0),
    ]


def build() -> bytes:
    return sheet_document(body(), "سجل التسليم")


def main() -> None:
    PATH.parent.mkdir(exist_ok=True)
    PATH.write_bytes(build())
    print(f"wrote {PATH.relative_to(PATH.parent.parent.parent)}")


if __name__ == "__main__":
    main()
