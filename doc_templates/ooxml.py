"""Right-to-left WordprocessingML fragments (as text) for the letter templates.

python-docx has no API for w:bidi, w:bidiVisual, w:rtl or jc start/end, so the
letters are written as OOXML strings and parsed into the parts by fill().
Alignment is always start/end/center/both: in a bidi paragraph LibreOffice
shows jc="right" on the left.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

# Noto Naskh Arabic: its Windows line metrics (usWin*) equal its typographic ones, so a
# line is as high in Word as in LibreOffice. Debian's Amiri has usWinAscent+usWinDescent
# = 4.2 em against 1.76 em in hhea, and Windows programs that space lines from usWin*
# would print it far apart from the PDF.
ARABIC_FONT = "Noto Naskh Arabic"
LATIN_FONT = "Times New Roman"  # fontconfig maps it to a serif on Linux
ACCENT = "1F5F4F"  # the deep green of the letterhead and titles
SHADE = "E7F0EC"  # labels and table heads
GREY = "7F7F7F"
TEXT_WIDTH = 9638  # A4 width 11906 minus two margins of 1134, in twips
BODY_SIZE = 12  # points
TABLE_SIZE = 11
# Isolates keep a Latin or numeric value in one piece inside Arabic text:
# "1•••••••08" or "+966 13 500 0000" would otherwise be reordered.
LRI, FSI, PDI = "\u2066", "\u2068", "\u2069"
DOTS = "........................................"


def ltr(name: str) -> str:
    """Return the placeholder `name` isolated left to right (numbers, codes, e-mails)."""
    return f"{LRI}{{{{ {name} }}}}{PDI}"


def code(name: str) -> str:
    """Return the placeholder `name` as a code (letters.filters.code): isolated, never broken."""
    return f"{{{{ {name}|code }}}}"


def auto(name: str) -> str:
    """Return the placeholder `name` isolated in its own direction (text of any script)."""
    return f"{FSI}{{{{ {name} }}}}{PDI}"


def fonts() -> str:
    return (
        f'<w:rFonts w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}" w:eastAsia="{LATIN_FONT}" '
        f'w:cs="{ARABIC_FONT}"/>'
    )


def size(points: float) -> str:
    half_points = int(points * 2)
    return f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'


def run(text: str, *, bold=False, size_pt=None, color=None, latin=False) -> str:
    """Return a run with its complex-script properties (w:bCs, w:szCs, w:rtl, w:lang)."""
    props = fonts() + ("<w:b/><w:bCs/>" if bold else "")
    props += f'<w:color w:val="{color}"/>' if color else ""
    props += size(size_pt) if size_pt else ""
    props += '<w:rtl w:val="0"/>' if latin else "<w:rtl/>"
    props += '<w:lang w:val="en-US" w:bidi="ar-SA"/>'
    return f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def para(text: str = "", *, jc="both", after=60, keep=False, hanging=0, **look) -> str:
    """Return a right-to-left paragraph (left to right with latin=True); `**x**` is bold.

    `look` goes to every run: bold, size_pt, color, latin.
    """
    props = "<w:keepNext/>" if keep else ""
    props += '<w:bidi w:val="0"/>' if look.get("latin") else "<w:bidi/>"
    props += f'<w:spacing w:before="0" w:after="{after}"/>'
    props += f'<w:ind w:start="{hanging}" w:hanging="{hanging}"/>' if hanging else ""
    props += f'<w:jc w:val="{jc}"/>'
    if look.get("size_pt"):  # the paragraph mark too, so that an empty paragraph is that small
        props += f"<w:rPr>{size(look['size_pt'])}</w:rPr>"
    bold = look.pop("bold", False)
    parts = text.split("**")
    runs = "".join(run(p, bold=bold or i % 2 == 1, **look) for i, p in enumerate(parts) if p)
    return f"<w:p><w:pPr>{props}</w:pPr>{runs}</w:p>"


def spacer(points: float) -> str:
    return para(after=0, size_pt=points)


def tag(jinja: str) -> str:
    """Return a paragraph holding only a docxtpl tag ({%p ... %}): rendering removes it."""
    return para(jinja, after=0, size_pt=9, color=GREY)


def if_paragraphs(test: str, *fragments: str) -> list[str]:
    return [tag(f"{{%p if {test} %}}"), *fragments, tag("{%p endif %}")]


def either(test: str, then: str, otherwise: str) -> list[str]:
    return [tag(f"{{%p if {test} %}}"), then, tag("{%p else %}"), otherwise, tag("{%p endif %}")]


def cell(content, width: int, *, span=1, fill=None, top=None, bottom=None) -> str:
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    props += f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    lines = "".join(
        f'<w:{side} w:val="single" w:sz="8" w:space="0" w:color="{color}"/>'
        for side, color in (("top", top), ("bottom", bottom))
        if color
    )
    props += f"<w:tcBorders>{lines}</w:tcBorders>" if lines else ""
    props += f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    props += '<w:vAlign w:val="center"/>'
    body = content if isinstance(content, str) else "".join(content)
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{body}</w:tc>"


def row(*cells: str, header=False, split=False) -> str:
    """Return a table row that stays whole on one page, or may break across pages (`split`).

    A heading row repeats on every page. The rows under a repeated heading must be free to
    split: LibreOffice 7.4 dropped a whole no-split row at a page break of such a table
    (the declaration's second commitment was missing from its PDF, there in the .docx).
    """
    props = "" if split and not header else "<w:cantSplit/>"
    props += "<w:tblHeader/>" if header else ""
    head = f"<w:trPr>{props}</w:trPr>" if props else ""
    return f"<w:tr>{head}{''.join(cells)}</w:tr>"


def row_tag(jinja: str, width: int = TEXT_WIDTH, span: int = 2) -> str:
    """Return a row holding only a docxtpl row tag ({%tr ... %}): rendering removes it."""
    return row(cell(tag(jinja), width, span=span), split=True)


def head_cell(text: str, width: int) -> str:
    look = {"jc": "center", "after": 0, "color": ACCENT, "size_pt": TABLE_SIZE}
    return cell(para(f"**{text}**", **look), width, fill=SHADE)


def label_cell(text: str, width: int) -> str:
    look = {"jc": "start", "after": 0, "bold": True, "size_pt": TABLE_SIZE}
    return cell(para(text, **look), width, fill=SHADE)


def value_cell(text: str, width: int, jc: str = "start") -> str:
    return cell(para(text, jc=jc, after=0, size_pt=TABLE_SIZE), width)


def table(rows: list[str], widths: list[int], *, grid=True) -> str:
    """Return a right-to-left table (w:bidiVisual: first column on the right), fixed widths."""
    kind = 'w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"' if grid else 'w:val="nil"'
    sides = ("top", "left", "bottom", "right", "insideH", "insideV")  # alike on both sides
    borders = "".join(f"<w:{side} {kind}/>" for side in sides)
    props = (
        f'<w:bidiVisual/><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblInd w:w="0" w:type="dxa"/><w:tblBorders>{borders}</w:tblBorders>'
        '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:w="30" w:type="dxa"/>'
        '<w:left w:w="100" w:type="dxa"/><w:bottom w:w="30" w:type="dxa"/>'
        '<w:right w:w="100" w:type="dxa"/></w:tblCellMar>'
    )
    columns = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    head = f"<w:tblPr>{props}</w:tblPr><w:tblGrid>{columns}</w:tblGrid>"
    return f"<w:tbl>{head}{''.join(rows)}</w:tbl>"


def fill(container, fragments: list[str]) -> None:
    """Append the fragments to a body, header or footer element (before a final sectPr)."""
    parsed = parse_xml(f"<w:body {nsdecls('w')}>{''.join(fragments)}</w:body>")
    anchor = container.find(qn("w:sectPr"))
    for child in list(parsed):
        if anchor is None:
            container.append(child)
        else:
            anchor.addprevious(child)
