"""Build the Arabic letter templates Rifd ships (.docx), right to left inside the file.

Run `python -m doc_templates.build_templates` to regenerate acceptance.docx,
rejection.docx, declaration.docx and program_acceptance.docx beside this file.
python-docx makes the package (parts, header, footer, page size); the content is
raw OOXML (doc_templates.ooxml) because python-docx has no API for right-to-left
text. The output is byte-for-byte reproducible, so a test can tell a stale .docx.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Twips

from doc_templates.bodies import LETTERS
from doc_templates.letterhead import footer, letterhead
from doc_templates.ooxml import BODY_SIZE, fill, fonts, size

HERE = Path(__file__).resolve().parent
FIXED_TIME = "2026-01-01T00:00:00Z"
ARABIC_RUN = (
    fonts() + size(BODY_SIZE) + '<w:rtl/><w:lang w:val="en-US" w:eastAsia="en-US" w:bidi="ar-SA"/>'
)
ARABIC_PARAGRAPH = '<w:bidi/><w:spacing w:after="60" w:line="240" w:lineRule="auto"/>'


def set_styles(doc) -> None:
    """Make Arabic, right to left, the default of every paragraph and run, later ones too."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    new = parse_xml(
        f"<w:docDefaults {nsdecls('w')}>"
        f"<w:rPrDefault><w:rPr>{ARABIC_RUN}</w:rPr></w:rPrDefault>"
        f"<w:pPrDefault><w:pPr>{ARABIC_PARAGRAPH}</w:pPr></w:pPrDefault></w:docDefaults>"
    )
    defaults.getparent().replace(defaults, new)
    normal = doc.styles["Normal"].element
    for old in normal.findall(qn("w:pPr")) + normal.findall(qn("w:rPr")):
        normal.remove(old)
    normal.append(parse_xml(f"<w:pPr {nsdecls('w')}>{ARABIC_PARAGRAPH}</w:pPr>"))
    normal.append(parse_xml(f"<w:rPr {nsdecls('w')}>{ARABIC_RUN}</w:rPr>"))
    # Word 2010's copy of the styles would keep the old left-to-right defaults.
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            doc.part.drop_rel(rid)


def set_settings(doc) -> None:
    settings = doc.settings.element
    for compat in settings.iter(qn("w:compatSetting")):
        if compat.get(qn("w:name")) == "compatibilityMode":
            compat.set(qn("w:val"), "15")  # Word 2013 and later
    settings.find(qn("w:themeFontLang")).set(qn("w:bidi"), "ar-SA")


def set_page(section) -> None:
    """A4 portrait, 2 cm margins, the section itself right to left."""
    section.page_width, section.page_height = Twips(11906), Twips(16838)
    section.top_margin = section.bottom_margin = Twips(1134)
    section.left_margin = section.right_margin = Twips(1134)
    section.header_distance = section.footer_distance = Twips(454)
    grid = section._sectPr.find(qn("w:docGrid"))
    grid.addprevious(parse_xml(f"<w:bidi {nsdecls('w')}/>"))


def core_properties(title: str) -> bytes:
    """Return docProps/core.xml, written here: python-docx's output changes once docxcompose
    is imported (it adds a second cp:revision), and a rebuild must give the same bytes."""
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(title)}</dc:title><dc:creator>Rifd</dc:creator>"
        "<dc:language>ar-SA</dc:language><cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{FIXED_TIME}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{FIXED_TIME}</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode()


def reproducible(data: bytes, replace: dict[str, bytes]) -> bytes:
    """Return the package with `replace`d members and fixed zip timestamps."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, replace.get(item.filename) or src.read(item.filename))
    return out.getvalue()


def build(name: str) -> bytes:
    """Return the .docx bytes of the letter template `name` (a key of LETTERS)."""
    doc_title, body, document = LETTERS[name]
    doc = Document()
    set_styles(doc)
    set_settings(doc)
    section = doc.sections[0]
    set_page(section)
    for part, fragments in ((section.header, letterhead()), (section.footer, footer(document))):
        part.is_linked_to_previous = False
        for child in list(part._element):
            part._element.remove(child)
        fill(part._element, fragments)
    fill(doc.element.body, body())
    out = io.BytesIO()
    doc.save(out)
    return reproducible(out.getvalue(), {"docProps/core.xml": core_properties(doc_title)})


def main() -> None:
    for name in LETTERS:
        (HERE / f"{name}.docx").write_bytes(build(name))
        print(f"wrote doc_templates/{name}.docx")


if __name__ == "__main__":
    main()
