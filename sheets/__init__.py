"""Plain tables as Excel sheets: right to left, bold header, every value written as text.

For registers and logs (the outgoing register, the audit trail), where each
value is something a person typed or Rifd wrote and none may ever run as a
formula. Submissions have their own typed export (submissions/export.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from submissions.export import clean_text


def _text(ws, value) -> WriteOnlyCell:
    # A control character from an old record would make openpyxl refuse the whole sheet.
    cell = WriteOnlyCell(ws, value="" if value is None else clean_text(str(value)))
    cell.data_type = "s"  # "=1+1" stays text
    return cell


def write_table(
    title: str,
    headers: list[str],
    rows: Iterable[list],
    out,
    *,
    rtl: bool = True,
    numbers: frozenset[int] = frozenset(),
) -> int:
    """Write one sheet (write-only, so long tables stay light) to `out`; return the row count.

    The columns at `numbers` (an amount a bank sums) keep their numbers as numbers.
    """
    book = Workbook(write_only=True)
    ws = book.create_sheet(title)
    ws.sheet_view.rightToLeft = rtl
    header = []
    for name in headers:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    count = 0
    for row in rows:
        ws.append(
            [
                value if i in numbers and isinstance(value, int | float) else _text(ws, value)
                for i, value in enumerate(row)
            ]
        )
        count += 1
    book.save(out)
    return count
