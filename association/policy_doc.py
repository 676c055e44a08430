"""Print the association's policy as an official Arabic A4 .docx, from its profile.

The printed policy and the running system read the same profile, so when the board
changes a number (the decision deadline, a lead time, a condition) both change
together. In the texts, `{deadline}` (handling steps) becomes the decision deadline
in words and `{lead_time}` (program category descriptions) the category's lead time.
Right to left is written into the file (w:bidi, w:rtl, bidiVisual, jc start/end) with
doc_templates.ooxml, as the letters are; python-docx makes the package.
"""

from __future__ import annotations

import io

from docx import Document
from docx.image.exceptions import (
    InvalidImageStreamError,
    UnexpectedEndOfFileError,
    UnrecognizedImageError,
)
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.text.paragraph import Paragraph

from association import policy_sections as sec
from doc_templates.build_templates import (
    core_properties,
    reproducible,
    set_page,
    set_settings,
    set_styles,
)
from doc_templates.letterhead import NAME_WIDTHS
from doc_templates.ooxml import ACCENT, FSI, GREY, LRI, PDI, TEXT_WIDTH, cell, fill, row, run, table
from letters.context import licence_sentence
from letters.filters import code
from letters.images import png_size

LOGO_WIDTH_MM, LOGO_HEIGHT_MM = 24, 24  # the logo cell is about 27 mm wide
_BAD_IMAGE = (InvalidImageStreamError, UnexpectedEndOfFileError, UnrecognizedImageError)


def _names(profile: dict) -> list[str]:
    """Return the cells of the letterhead: Arabic name, the logo's place, English name."""
    name, licence = profile["name"], profile.get("licence_number", "")
    look = {"jc": "start", "after": 0}
    arabic = [sec.text_para(name["ar"], bold=True, size_pt=15, color=ACCENT, **look)]
    latin = {**look, "latin": True}
    english = [sec.text_para(name.get("en", ""), bold=True, size_pt=12, color=ACCENT, **latin)]
    sentence = licence_sentence(profile)  # the letters' letterhead says the same
    if sentence:
        arabic.append(sec.text_para(sentence, size_pt=9, **look))
    if licence:
        english.append(
            sec.text_para([("Licence No. ", False), (code(licence), False)], size_pt=9, **latin)
        )
    logo = sec.text_para("", jc="center", after=0)
    first, middle, last = NAME_WIDTHS
    return [cell(arabic, first), cell(logo, middle), cell(english, last)]


def _contacts(profile: dict) -> list[str]:
    """Return the centred lines under the names, as the letters print them: address, phone,
    e-mail; the association's own lines; website, bank and IBAN (those the profile has)."""
    contact, bank = profile.get("contact", {}), profile.get("bank", {})
    first = [contact.get("address", "")]
    if contact.get("phone"):
        first.append("هاتف: " + code(contact["phone"]))
    if contact.get("email"):
        first.append("البريد الإلكتروني: " + LRI + contact["email"] + PDI)
    second = [LRI + contact["website"] + PDI] if contact.get("website") else []
    if bank.get("iban"):
        second.append(f"الحساب البنكي: {bank.get('name', '')} — الآيبان: " + code(bank["iban"]))
    own = [FSI + line + PDI for line in profile.get("letterhead_lines") or []]
    lines = [t for t in ("  •  ".join(p for p in first if p), *own, "  •  ".join(second)) if t]
    last = len(lines) - 1
    return [
        sec.text_para(line, jc="center", after=40 if i == last else 0, size_pt=9)
        for i, line in enumerate(lines)
    ]


def letterhead(profile: dict) -> list[str]:
    head = table(
        [
            row(*_names(profile)),
            row(cell(_contacts(profile) or sec.text_para(""), TEXT_WIDTH, span=3, bottom=ACCENT)),
        ],
        NAME_WIDTHS,
        grid=False,
    )
    return [head, sec.text_para("", after=0, size_pt=4)]


def footer(title: str) -> list[str]:
    """Return the page footer: the policy's title and the page number (a PAGE field)."""
    line = sec.text_para(f"{title}  •  صفحة ", jc="center", after=0, size_pt=9, color=GREY)
    page = f'<w:fldSimple w:instr=" PAGE ">{run("1", size_pt=9, color=GREY)}</w:fldSimple>'
    return [line.replace("</w:p>", page + "</w:p>")]


def body(profile: dict) -> list[str]:
    """Return the policy in the order the policies use; empty sections are left out."""
    policy = profile.get("policy", {})
    title = policy.get("title") or sec.DEFAULT_TITLE
    out = [sec.text_para(title, bold=True, size_pt=18, color=ACCENT, jc="center", after=200)]
    out += sec.control_table(profile)
    sections = [
        ("تمهيد", sec.intro(policy.get("preamble", ""))),
        ("الهدف العام", sec.intro(policy.get("general_goal", ""))),
        ("الأهداف التفصيلية", sec.goals(policy.get("goals", []))),
        (
            "القنوات المستخدمة للتواصل مع المستفيدين",
            sec.items([c["label"]["ar"] for c in profile.get("channels", [])], numbered=True),
        ),
        ("الأدوات المتاحة لموظف علاقات المستفيدين للتواصل مع المستفيدين", sec.tools(profile)),
        ("التعامل مع المستفيد على مختلف المستويات لإنهاء معاملاته", sec.handling(profile)),
        ("آلية استحقاق المستفيدين لخدمات الجمعية", sec.categories(profile)),
        ("الشروط اللازمة للحصول على الخدمة", sec.conditions(profile)),
        (
            "ضوابط يلتزم بها المستفيد للحصول على الخدمة المقدمة",
            sec.items(profile.get("commitments", [])),
        ),
        ("توثيق وصول خدمات الجمعية للمستفيدين", sec.proof(profile)),
    ]
    present = [(name, parts) for name, parts in sections if parts]
    for number, (name, parts) in enumerate(present, 1):
        out += [sec.heading(number, name), *parts]
    return out + _ending(profile)


def _ending(profile: dict) -> list[str]:
    """Return the closing words and the board's approval, with its signatory."""
    closing = profile.get("policy", {}).get("closing", "")
    out = [sec.text_para("", after=120), sec.text_para(closing, jc="center")] if closing else []
    approval = profile.get("approval", {})
    approved = sec.approval_text(approval)
    if approved:
        look = {"bold": True, "size_pt": 14, "color": ACCENT, "keep": True, "jc": "start"}
        out += [sec.text_para("اعتماد مجلس الإدارة", **look), *approved]
        # With a document-control block the approver signs there, not a second time here.
        if approval.get("approved_by") and not sec.has_control_block(approval):
            out += sec.signatory(approval["approved_by"])
    return out


def _add_logo(header, logo: bytes) -> None:
    """Put the logo in its cell of the letterhead; a logo that is not a PNG is left out."""
    try:
        width, height = png_size(logo)
    except ValueError:
        return
    if not (width and height):
        return
    logo_cell = header._element.find(qn("w:tbl")).find(qn("w:tr")).findall(qn("w:tc"))[1]
    paragraph = Paragraph(logo_cell.find(qn("w:p")), header)
    size = {"width": Mm(LOGO_WIDTH_MM)}
    if height * LOGO_WIDTH_MM > width * LOGO_HEIGHT_MM:  # tall logo: its height sets the size
        size = {"height": Mm(LOGO_HEIGHT_MM)}
    try:
        paragraph.add_run().add_picture(io.BytesIO(logo), **size)
    except _BAD_IMAGE:
        return


def policy_docx(profile: dict, *, logo: bytes | None = None) -> bytes:
    """Return the association's policy as a .docx (the same profile gives the same bytes)."""
    title = profile.get("policy", {}).get("title") or sec.DEFAULT_TITLE
    doc = Document()
    set_styles(doc)
    set_settings(doc)
    section = doc.sections[0]
    set_page(section)
    for part, fragments in ((section.header, letterhead(profile)), (section.footer, footer(title))):
        part.is_linked_to_previous = False
        for child in list(part._element):
            part._element.remove(child)
        fill(part._element, fragments)
    if logo:
        _add_logo(section.header, logo)
    fill(doc.element.body, body(profile))
    out = io.BytesIO()
    doc.save(out)
    core = core_properties(sec.clean(title))
    return reproducible(out.getvalue(), {"docProps/core.xml": core})
