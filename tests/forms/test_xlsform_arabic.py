"""Every problem an XLSForm import can report is said in Arabic, its names and numbers kept.

The problems are provoked by real imports: the broken spreadsheets of the other
import tests, the two unsupported fixtures, the spreadsheets of forms_arabic.py and
files that are no XLSForm at all. Each must have its Arabic sentence, and each
Arabic rule must be met by at least one of them (a rule nothing provokes is a
sentence the importer no longer says, or says differently).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook

from forms.xlsform import XLSFormError, import_xlsform
from forms.xlsform import arabic_expressions as expressions
from forms.xlsform import arabic_rules as rules
from forms.xlsform.arabic import in_arabic, sentence
from forms.xlsform.problems import Problems
from forms.xlsform.xpath import XPathError, parse
from tests.forms.test_xlsform_errors import BROKEN
from tests.forms.xlsforms.build import workbook
from tests.forms.xlsforms.forms_arabic import PROVOKING

FOLDER = Path(__file__).resolve().parent / "xlsforms"
SURVEY = {"survey": [["type", "name", "label"], ["text", "a", "أ"]]}
# Said only when the importer itself has a gap: checked below through Problems.
DEFENSIVE = {
    r"could not be made a valid Rifd form:",
    # 100000 rows to provoke: test_xlsform_skipping provokes it with the limit lowered.
    r"the sheet goes on past row (?P<n>\d+) \(empty rows count too\): delete the rows"
    r" below the last one in use",
}


def rezip(data: bytes, change) -> bytes:
    """Return the zip `data` with each member passed through change(name, bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, change(info.filename, src.read(info.filename)))
    return out.getvalue()


def zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def docx() -> bytes:
    out = io.BytesIO()
    Document().save(out)
    return out.getvalue()


def damaged() -> bytes:
    """A workbook whose [Content_Types].xml fails its CRC check when read."""
    data = bytearray(rezip(workbook(SURVEY), lambda _name, body: body))
    at = data.index(b"[Content_Types].xml") + len(b"[Content_Types].xml")
    data[at + 5] ^= 0xFF  # stored, not compressed: the byte flips, the CRC no longer fits
    return bytes(data)


def far_down() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    sheet.append(["type", "name", "label"])
    sheet.append(["text", "a", "أ"])
    sheet.cell(row=10005, column=1, value="text")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


LAUGHS = (
    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"]>"
)
OUTSIDE = b'<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'


def with_doctype(
    data: bytes, part: str, doctype: bytes = LAUGHS, use: bytes = b"&lol9;", text: bytes = b"<t>"
) -> bytes:
    """Put a DOCTYPE after the XML declaration of `part`, and its entity in the first text."""

    def change(name: str, body: bytes) -> bytes:
        if name != part:
            return body
        end = body.index(b"?>") + 2 if body.startswith(b"<?xml") else 0
        body = body[:end] + doctype + body[end:]
        return body.replace(text, text + use, 1) if use else body

    return rezip(data, change)


def reencoded(data: bytes, part: str, encoding: str, doctype: bytes = b"") -> bytes:
    """Write `part` in `encoding` (declared), with `doctype`: what a parser reads and a
    search of bytes would not see."""

    def change(name: str, body: bytes) -> bytes:
        if name != part:
            return body
        text = re.sub(r"^<\?xml[^>]*\?>", "", body.decode("utf-8"))
        head = f'<?xml version="1.0" encoding="{encoding}"?>' + doctype.decode()
        return (head + text).encode(encoding)

    return rezip(data, change)


def broken_sheet_list(name: str, body: bytes) -> bytes:
    return b"<workbook" if name == "xl/workbook.xml" else body


def not_xlsforms() -> list[bytes]:
    return [
        b"type,name,label\ntext,a,b\n",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
        damaged(),
        rezip(workbook(SURVEY), broken_sheet_list),
        zip_of({"hello.txt": b"not a workbook"}),
        with_doctype(workbook(SURVEY), "xl/worksheets/sheet1.xml"),
        reencoded(workbook(SURVEY), "xl/worksheets/sheet1.xml", "utf-7"),
        docx(),
        zip_of({f"part{i}.xml": b"<a/>" for i in range(501)}),
        zip_of({"big.xml": b"\0" * (21 * 1024 * 1024)}),
        zip_of({"big.xml": b"\0" * (5 * 1024 * 1024)}),
        workbook({"Sheet1": [["a"]]}),
        workbook({"choices": [["list_name"]]}),
        workbook({**SURVEY, "external_choices": [["list_name", "name"], ["l", "x"]]}),
        workbook({"survey": [["type", "name", "label", "label"], ["text", "a", "أ", "ب"]]}),
        workbook(
            {"survey": [["type", "name", "label"]] + [["text", f"q{i}", "س"] for i in range(3001)]}
        ),
        far_down(),
    ]


def provoked() -> list[str]:
    """Return the sentence of every problem the imports here provoke, in sheets and files."""
    files = [workbook(sheets) for sheets, _expected in BROKEN.values()]
    files += [workbook(sheets) for sheets in PROVOKING.values()]
    files += [(FOLDER / f"{n}_unsupported.xlsx").read_bytes() for n in ("field_visit", "follow_up")]
    found = []
    for data in files + not_xlsforms():
        with pytest.raises(XLSFormError) as refused:
            import_xlsform(data, "upload.xlsx")
        found += [problem.text for problem in refused.value.problems]
    with pytest.raises(XPathError) as empty:
        parse("")
    return found + [str(empty.value)]


TABLES = rules.FILE + rules.ROWS + rules.DETAILS
TABLES += expressions.CONSTRAINTS + expressions.WHY + expressions.EXPRESSIONS


def _pieces(text: str) -> list[str]:
    """Return the sentence, without its hint and position, and the parts its rules capture."""
    text = re.sub(r' \(did you mean "[^"]*"\?\)$', "", text)
    at = re.fullmatch(r"(.+) at \d+", text)
    out = [text] + ([at[1]] if at else [])
    for piece in list(out):
        for english, _arabic in TABLES:
            found = re.fullmatch(english, piece)
            out += [value for value in found.groupdict().values() if value] if found else []
    return out


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    return provoked()


def test_every_problem_provoked_has_its_arabic(sentences):
    assert len(sentences) > 100
    assert [text for text in sentences if sentence(text) is None] == []
    assert not [text for text in map(sentence, sentences) if re.search(r"\bRifd\b", text)]


def test_every_rule_is_met_by_a_problem(sentences):
    pieces = [piece for text in sentences for piece in _pieces(text)]
    unmet = [
        english
        for english, _arabic in TABLES
        if english not in DEFENSIVE and not any(re.fullmatch(english, p) for p in pieces)
    ]
    assert unmet == []


def test_the_arabic_lines_keep_the_file_sheet_row_column_and_names():
    data = (FOLDER / "follow_up_unsupported.xlsx").read_bytes()
    with pytest.raises(XLSFormError) as refused:
        import_xlsform(data, "follow_up.xlsx")
    lines = in_arabic(refused.value)
    assert len(lines) == len(refused.value.messages)
    assert (
        "follow_up.xlsx: الورقة survey، الصف 11، العمود relevant:"
        " لا يوجد حقل «${nmae}» (هل تقصد «${name}»؟)"
    ) in lines
    assert (
        "follow_up.xlsx: الورقة survey، الصف 12، العمود relevant: رِفد لا يدعم المسارات"
        " (‎/data/name و‎../name وname): اكتب الحقل هكذا ${name} (عند الحرف 0)"
    ) in lines
    assert "follow_up.xlsx: الورقة survey، العمود label::French:" in lines[0]


def test_a_file_problem_and_a_definition_problem_in_arabic():
    problems = Problems("f.xlsx")
    problems.file("could not be made a valid Rifd form:")
    problems.lines(["f.xlsx: sections[0].fields[0].type: 'geo' is not a field type"])
    with pytest.raises(XLSFormError) as refused:
        problems.raise_if_any()
    assert in_arabic(refused.value) == [
        "f.xlsx: تعذّر تحويله إلى نموذج رِفد صالح:",
        "f.xlsx: sections[0].fields[0].type: 'geo' ليس من أنواع الحقول",
    ]
