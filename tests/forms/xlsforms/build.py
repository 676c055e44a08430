"""Build the XLSForm fixtures in this folder from the rows written below.

    .venv/bin/python -m tests.forms.xlsforms.build

Each form is written the way people write XLSForms for ODK and KoboToolbox: Excel
booleans and numbers in cells, the column spellings of several eras (label::Arabic
(ar), label:Arabic, "list name", "select one"), metadata rows, comment columns.
test_xlsform_fixtures checks that the committed .xlsx files hold these rows, and
the expected definitions sit beside them as <name>.json.
"""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook

from tests.forms.xlsforms.forms_bad import BAD
from tests.forms.xlsforms.forms_good import GOOD

HERE = Path(__file__).resolve().parent

FIXTURES = {**GOOD, **BAD}


def workbook(sheets: dict[str, list[list]], rtl: bool = True) -> bytes:
    """Return the .xlsx bytes of sheets given as rows (the first row is the header)."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        sheet.sheet_view.rightToLeft = rtl
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main() -> None:
    for name, sheets in FIXTURES.items():
        (HERE / f"{name}.xlsx").write_bytes(workbook(sheets))
        print(f"{name}.xlsx")


if __name__ == "__main__":
    main()
