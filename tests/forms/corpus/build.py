"""Read the corpus of real-world XLSForms kept here as text, and write each as an .xlsx.

The forms are checked in as their authors published them (SOURCES.md names each
origin and licence), in one of the two text forms XLSForms are published in:

- `.md`: pyxform's markdown tables, `| survey |` then `| | type | name | ... |` rows;
- `.csv`: pyxform's older CSV, laid out as the markdown (the sheet name in column A);
- `.rst`: the ODK documentation's `.. csv-table:: survey` blocks, a `:header:` line
  and comma-separated rows (`:escape:` as the block sets it).

`sheets(path)` returns {sheet name: rows, header first}; `workbook(sheets)` (from
tests.forms.xlsforms.build) turns that into the .xlsx bytes the import reads.

    .venv/bin/python -m tests.forms.corpus.build OUT_FOLDER    # writes every .xlsx
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from tests.forms.xlsforms.build import workbook

HERE = Path(__file__).resolve().parent


def corpus() -> list[Path]:
    """Return every form of the corpus, in a stable order."""
    return sorted(p for p in HERE.glob("*/*") if p.suffix in (".md", ".rst", ".csv"))


def sheets(path: Path) -> dict[str, list[list]]:
    text = path.read_text(encoding="utf-8")
    readers = {".md": _markdown, ".rst": _rst, ".csv": _csv}
    return readers[path.suffix](text)


def xlsx(path: Path) -> bytes:
    return workbook(sheets(path), rtl=False)


def _markdown(text: str) -> dict[str, list[list]]:
    """Read pyxform's markdown: a row whose first cell is set opens a sheet."""
    found: dict[str, list[list]] = {}
    current: list[list] | None = None
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        if cells[0]:
            current = found.setdefault(cells[0], [])
            continue
        row = cells[1:]
        if current is not None and any(row):
            current.append(row)
    return {name: _trimmed(rows) for name, rows in found.items()}


def _csv(text: str) -> dict[str, list[list]]:
    """Read pyxform's old CSV: like the markdown, a row whose first cell is set opens a sheet."""
    found: dict[str, list[list]] = {}
    current: list[list] | None = None
    for row in csv.reader(text.splitlines()):
        if row and row[0]:
            current = found.setdefault(row[0], [])
        elif current is not None and any(row[1:]):
            current.append([c.strip() for c in row[1:]])
    return {name: _trimmed(rows) for name, rows in found.items()}


def _trimmed(rows: list[list]) -> list[list]:
    # A sheet is as wide as its header: cells past the last named column are padding.
    width = len(rows[0]) if rows else 0
    while width and not rows[0][width - 1]:
        width -= 1
    return [[c if c != "" else None for c in row[:width]] for row in rows]


def _rst(text: str) -> dict[str, list[list]]:
    """Read `.. csv-table:: NAME` blocks: options, then the indented rows."""
    found: dict[str, list[list]] = {}
    lines = text.splitlines()
    at = 0
    while at < len(lines):
        line = lines[at].strip()
        at += 1
        if not line.startswith(".. csv-table::"):
            continue
        name = line.split("::", 1)[1].strip().lower()
        options, body = {}, []
        while at < len(lines) and (not lines[at].strip() or lines[at].startswith(" ")):
            stripped = lines[at].strip()
            if stripped.startswith(":") and not body:
                key, _colon, value = stripped[1:].partition(":")
                options[key] = value.strip()
            elif stripped or body:
                body.append(lines[at])
            at += 1
        found[name] = _csv_rows(options, body)
    return found


def _csv_rows(options: dict, body: list[str]) -> list[list]:
    escape = options.get("escape") or None
    text = "\n".join(line.strip() for line in body)

    def parse(source: str) -> list[list[str]]:
        reader = csv.reader(
            source.splitlines(keepends=True), skipinitialspace=True, escapechar=escape
        )
        return [[c.strip() for c in row] for row in reader if any(c.strip() for c in row)]

    rows = parse(options["header"]) + parse(text)
    width = len(rows[0])
    return [[(c or None) for c in row[:width]] for row in rows]


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for path in corpus():
        target = out / f"{path.parent.name}-{path.stem}.xlsx"
        target.write_bytes(xlsx(path))
        print(target)


if __name__ == "__main__":
    main()
