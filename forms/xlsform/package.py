"""Look inside an uploaded .xlsx before openpyxl opens it: a workbook, sane sizes, a survey.

openpyxl loads a workbook's shared strings whole and streams sheets of any length,
so a small file that unpacks to gigabytes would cost memory and minutes, and a Word
document renamed .xlsx would fail deep inside it. Both are refused here from what
the zip says of itself, before any part is inflated (forms.zip_limits).
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from forms import zip_xml
from forms.zip_limits import MB, ZIP_ERRORS, ZipLimits

# The largest XLSForm Rifd reads (3,000 questions, 20,000 choices) unpacks to ~10 MB.
LIMITS = ZipLimits(entries=500, unpacked=20 * MB)
XLSFORM_SHEETS = ("survey", "choices", "settings")
NO_SHEETS = "none of survey, choices, settings"
CONTENT_TYPES = "[Content_Types].xml"
# forms.zip_xml's refusals: Excel never writes a DTD, nor XML in another encoding.
DECLARED = {
    "entities": "declares XML entities in {part} (<!DOCTYPE), which Excel never writes",
    "encoding": "holds XML in an encoding Rifd does not read ({part})",
}
_WORKBOOK_TYPES = {
    f"application/vnd.{kind}.main+xml"
    for kind in (
        "openxmlformats-officedocument.spreadsheetml.sheet",
        "openxmlformats-officedocument.spreadsheetml.template",
        "ms-excel.sheet.macroEnabled",
        "ms-excel.template.macroEnabled",
    )
}


def package_problem(data: bytes) -> str | None:
    """Return why the zip `data` is no XLSForm workbook to open, or None when it may be one."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zipped:
            return _problem(zipped)
    except ZIP_ERRORS:
        return "is not a readable .xlsx workbook (the zip file is damaged)"
    except etree.XMLSyntaxError:
        return "is not a readable .xlsx workbook (its list of sheets is not valid XML)"


def no_survey(names: list[str]) -> str:
    """Say that a workbook has no survey sheet, naming the XLSForm sheets it has."""
    found = ", ".join(f'"{name}"' for name in names if name in XLSFORM_SHEETS)
    return f'has no "survey" sheet (its XLSForm sheets: {found or NO_SHEETS})'


def _problem(zipped: zipfile.ZipFile) -> str | None:
    infos = zipped.infolist()
    bomb = LIMITS.excess(infos)
    if bomb:
        return f"unpacks to far more than an XLSForm ({bomb})"
    declared = zip_xml.declaration(zipped)
    if declared:
        return DECLARED[declared[0]].format(part=declared[1])
    names = {info.filename for info in infos}
    workbook = _workbook_part(zipped, names)
    if workbook is None:
        if "word/document.xml" in names:
            return "is a Word document (.docx), not an .xlsx workbook"
        return "is not a readable .xlsx workbook (it holds no workbook)"
    sheets = sheet_names(zipped.read(workbook))
    return None if "survey" in sheets else no_survey(sheets)


def _xml(data: bytes):
    # A parser per call (lxml parsers are not shared between threads); no entities,
    # no network: the XML comes from whoever uploaded the file.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    return etree.fromstring(data, parser)


def _workbook_part(zipped: zipfile.ZipFile, names: set[str]) -> str | None:
    """Return the name of the workbook part that [Content_Types].xml declares, or None."""
    if CONTENT_TYPES not in names:
        return None
    for node in _xml(zipped.read(CONTENT_TYPES)).iter("{*}Override"):
        part = (node.get("PartName") or "").lstrip("/")
        if node.get("ContentType") in _WORKBOOK_TYPES and part in names:
            return part
    return None


def sheet_names(workbook_xml: bytes) -> list[str]:
    """Return the workbook's sheet names as XLSForm reads them: trimmed, lower case."""
    root = _xml(workbook_xml)
    return [(node.get("name") or "").strip().lower() for node in root.iter("{*}sheet")]
