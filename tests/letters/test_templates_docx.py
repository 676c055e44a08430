"""doc_templates: the shipped letters are Arabic RTL inside the .docx, use only known
placeholders, render with their sample data, and look like a letter once printed."""

from __future__ import annotations

import copy
import io
import json
import os
import re
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import jinja2
import pytest
from docx import Document
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from doc_templates.build_templates import build
from letters.filters import FILTERS
from tests.conftest import require_tool

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "doc_templates"
NAMES = [
    "acceptance",
    "rejection",
    "declaration",
    "program_acceptance",
    "disbursement_voucher",
    "receipt_voucher",
]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
PARTS = re.compile(r"word/(document|header\d*|footer\d*)\.xml")
ANY = "any attribute"

# What the renderer puts in a letter's context (letters/context.py): top-level name ->
# the attributes a template may use. An empty set: the value is used whole (text, list,
# image). Names bound by the template itself ({% for row in ... %}, loop) are local.
SPEC: dict[str, set[str] | str] = {
    "association": {
        "name_ar", "name_en", "licence_number", "licence_sentence", "letterhead_lines", "address",
        "phone", "email", "website", "bank_name", "iban", "logo",
    },
    "letter": {
        "number", "date", "date_hijri", "date_gregorian", "type_name", "attachments",
        "verify_code", "verify_url",
    },
    "qr": set(),
    "beneficiary": {
        "name", "title", "national_id", "national_id_masked", "mobile", "nationality", "gender",
    },
    "submission": {"ref", "date", "date_hijri", "date_gregorian", "form_title", "channel"},
    "answers": ANY,  # field names of the chosen form
    "answer_rows": set(),
    "decision": {
        "outcome", "outcome_text", "reasons", "meeting_number", "date", "date_hijri",
        "date_gregorian", "support_types", "amount", "amount_words", "reapply_after",
        "appeal", "notes", "decided_by",
    },
    "program": {
        "name",
        "place",
        "start_date",
        "end_date",
        "time",
        "arrangements",
        "what_to_bring",
        "contact",
    },
    "voucher": {
        "kind_name", "what", "amount", "amount_words", "quantity", "description", "method",
        "date", "date_hijri", "date_gregorian", "delivered_by", "reference", "program", "note",
    },
    "commitments": set(),
    "signature": set(),
    "today": set(),
}  # fmt: skip
LETTER_FILTERS = {"code", "digits", "words", "amount", "hijri", "gregorian"}
IMAGES = (("qr",), ("signature",), ("association", "logo"))


def template(name: str) -> Path:
    return TEMPLATES / f"{name}.docx"


def sample(name: str) -> dict:
    """Return the letter's sample data with every image replaced by empty text."""
    data = json.loads((TEMPLATES / "samples" / f"{name}.json").read_text(encoding="utf-8"))
    for path in IMAGES:
        holder = data
        for key in path[:-1]:
            holder = holder[key]
        holder[path[-1]] = ""
    return data


def parts(data: bytes) -> dict[str, etree._Element]:
    """Return the body, header and footer parts of a .docx, parsed."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {n: etree.fromstring(package.read(n)) for n in package.namelist() if PARTS.match(n)}


def xml_parts(data: bytes) -> dict[str, etree._Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = [n for n in package.namelist() if n.endswith(".xml")]
        return {n: etree.fromstring(package.read(n)) for n in names}


def text_of(data: bytes) -> str:
    """Return the text of every paragraph of body, headers and footers, one per line."""
    lines = []
    for root in parts(data).values():
        for p in root.iter(f"{{{W}}}p"):
            lines.append("".join(t.text or "" for t in p.iter(f"{{{W}}}t")))
    return "\n".join(lines)


def render(name: str, context: dict, images: bool = False) -> bytes:
    """Render with plain docxtpl, sandboxed and autoescaped, as the house style requires."""
    tpl = DocxTemplate(template(name))
    if images:
        context["qr"] = InlineImage(tpl, io.BytesIO(png()), width=Mm(20))
        context["signature"] = InlineImage(tpl, io.BytesIO(png()), width=Mm(35))
        context["association"]["logo"] = InlineImage(tpl, io.BytesIO(png()), width=Mm(20))
    env = SandboxedEnvironment(autoescape=True)
    env.filters.update(FILTERS)
    tpl.render(context, jinja_env=env, autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def png(size: int = 32) -> bytes:
    """Return a small grey-and-white PNG, made here so that the test needs no image library."""
    row = b"\x00" + b"".join(b"\x80\x80\x80" if x % 4 else b"\xff\xff\xff" for x in range(size))

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * size))
        + chunk(b"IEND", b"")
    )


def jinja_sources(name: str) -> list[str]:
    """Return the Jinja source docxtpl makes of the body, headers and footers."""
    tpl = DocxTemplate(template(name))
    tpl.init_docx()
    sources = [tpl.patch_xml(tpl.get_xml())]
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for _, part in tpl.get_headers_footers(uri):
            sources.append(tpl.patch_xml(tpl.get_part_xml(part)))
    return sources


def placeholders(name: str) -> tuple[set[tuple[str, str | None]], set[str]]:
    """Return the (name, attribute) pairs a template reads from its context, and its filters."""
    used, filters = set(), set()
    for source in jinja_sources(name):
        tree = jinja2.Environment(autoescape=True).parse(source)
        local = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
        local.add("loop")
        attribute = {}
        for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
            if isinstance(node, nodes.Getattr):
                key = node.attr
            else:
                key = node.arg.value if isinstance(node.arg, nodes.Const) else "?"
            if isinstance(node.node, nodes.Name):
                attribute[id(node.node)] = key
        for node in tree.find_all(nodes.Name):
            if node.ctx == "load" and node.name not in local:
                used.add((node.name, attribute.get(id(node))))
        filters |= {f.name for f in tree.find_all(nodes.Filter)}
    return used, filters


# ---- the files as built -------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_shipped_file_is_what_the_script_builds(name):
    """A hand-edited or stale .docx fails: run `python -m doc_templates.build_templates`."""
    with (
        zipfile.ZipFile(template(name)) as shipped,
        zipfile.ZipFile(io.BytesIO(build(name))) as new,
    ):
        assert shipped.namelist() == new.namelist()
        for member in shipped.namelist():
            assert shipped.read(member) == new.read(member), member


@pytest.mark.parametrize("name", NAMES)
def test_opens_in_python_docx_on_an_a4_page(name):
    document = Document(str(template(name)))
    assert document.paragraphs, "no paragraphs in the body"
    size = parts(template(name).read_bytes())["word/document.xml"].find(".//w:sectPr/w:pgSz", NS)
    assert (size.get(f"{{{W}}}w"), size.get(f"{{{W}}}h")) == ("11906", "16838")


@pytest.mark.parametrize("name", NAMES)
def test_body_paragraphs_are_right_to_left(name):
    body = parts(template(name).read_bytes())["word/document.xml"].find("w:body", NS)
    paragraphs = body.findall(".//w:p", NS)
    assert paragraphs
    for p in paragraphs:
        bidi = p.find("w:pPr/w:bidi", NS)
        text = "".join(p.itertext())
        assert bidi is not None and bidi.get(f"{{{W}}}val") not in ("0", "false"), text


@pytest.mark.parametrize("name", NAMES)
def test_rows_under_a_repeated_heading_may_break_across_pages(name):
    """LibreOffice 7.4 dropped a whole no-split row at a page break of a table whose heading
    row repeats: the declaration's second commitment was missing from its PDF."""
    for part, root in parts(template(name).read_bytes()).items():
        for tbl in root.iter(f"{{{W}}}tbl"):
            rows = tbl.findall("w:tr", NS)
            heading = [r for r in rows if r.find("w:trPr/w:tblHeader", NS) is not None]
            kept = [r for r in rows if r.find("w:trPr/w:cantSplit", NS) is not None]
            assert not heading or kept == heading, (part, "".join(tbl.itertext())[:80])


@pytest.mark.parametrize("name", NAMES)
def test_arabic_runs_carry_complex_script_properties(name):
    arabic = re.compile("[\u0600-\u06ff]")
    for part, root in parts(template(name).read_bytes()).items():
        for r in root.iter(f"{{{W}}}r"):
            if not arabic.search("".join(r.itertext())):
                continue
            props = r.find("w:rPr", NS)
            assert props is not None, part
            assert props.find("w:rtl", NS) is not None, (part, "".join(r.itertext()))
            assert props.find("w:rFonts", NS).get(f"{{{W}}}cs")
            assert props.find("w:lang", NS).get(f"{{{W}}}bidi") == "ar-SA"


@pytest.mark.parametrize("name", NAMES)
def test_styles_make_later_paragraphs_arabic_too(name):
    styles = xml_parts(template(name).read_bytes())["word/styles.xml"]
    run_default = styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    normal = styles.find("w:style[@w:styleId='Normal']", NS)
    for props in (run_default, normal.find("w:rPr", NS)):
        assert props.find("w:rtl", NS) is not None
        assert props.find("w:rFonts", NS).get(f"{{{W}}}cs")
        assert props.find("w:szCs", NS) is not None
        assert props.find("w:lang", NS).get(f"{{{W}}}bidi") == "ar-SA"
    for props in (styles.find("w:docDefaults/w:pPrDefault/w:pPr", NS), normal.find("w:pPr", NS)):
        assert props.find("w:bidi", NS) is not None


@pytest.mark.parametrize("name", NAMES)
def test_tables_are_right_to_left_and_nothing_is_aligned_left_or_right(name):
    all_parts = xml_parts(template(name).read_bytes())
    tables = [t for root in all_parts.values() for t in root.iter(f"{{{W}}}tbl")]
    assert tables
    for table in tables:
        assert table.find("w:tblPr/w:bidiVisual", NS) is not None
    for part, root in all_parts.items():
        found = root.xpath("//w:jc[@w:val='left' or @w:val='right']", namespaces=NS)
        assert not found, part


@pytest.mark.parametrize("name", NAMES)
def test_letterhead_and_footer_are_in_the_page_parts(name):
    found = parts(template(name).read_bytes())
    header = "".join("".join(r.itertext()) for n, r in found.items() if "header" in n)
    footer = "".join("".join(r.itertext()) for n, r in found.items() if "footer" in n)
    for needed in ("association.name_ar", "association.name_en", "association.logo",
                   "association.licence_number", "association.licence_sentence",
                   "association.letterhead_lines", "association.iban", "الرقم", "التاريخ",
                   "المرفقات", "letter.number", "letter.date"):  # fmt: skip
        assert needed in header, needed
    for needed in ("{{ qr }}", "letter.verify_url", "letter.verify_code", "للتحقق من صحة"):
        assert needed in footer, needed


# ---- placeholders -----------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_every_placeholder_is_in_the_context_spec(name):
    used, filters = placeholders(name)
    assert used
    for top, attribute in used:
        assert top in SPEC, f"{name}: unknown name {top!r}"
        allowed = SPEC[top]
        if attribute is not None and allowed != ANY:
            assert attribute in allowed, f"{name}: unknown placeholder {top}.{attribute}"
    assert filters <= LETTER_FILTERS | set(jinja2.Environment(autoescape=True).filters), filters
    tpl = DocxTemplate(template(name))
    env = jinja2.Environment(autoescape=True)
    env.filters.update(FILTERS)
    assert tpl.get_undeclared_template_variables(jinja_env=env) <= set(SPEC) | {"loop"}


@pytest.mark.parametrize("name", NAMES)
def test_sample_fills_every_placeholder(name):
    """The sample data is complete, so a preview shows every part of the letter."""
    data = sample(name)
    used, _ = placeholders(name)
    for top, attribute in used:
        assert top in data, top
        if attribute is not None:
            assert attribute in data[top], f"{top}.{attribute}"


# ---- rendering --------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_renders_with_its_sample(name):
    context = sample(name)
    text = text_of(render(name, copy.deepcopy(context)))
    assert context["beneficiary"]["name"] in text
    assert context["letter"]["number"] in text
    assert context["association"]["name_ar"] in text
    assert context["letter"]["verify_code"] in text
    for leftover in ("{{", "}}", "{%", "%}", "None"):
        assert leftover not in text, leftover


@pytest.mark.parametrize("name", NAMES)
def test_a_name_with_markup_characters_prints_exactly(name):
    context = sample(name)
    hostile = 'عبدالله & <أبناؤه> "الأمل"'
    context["beneficiary"]["name"] = hostile
    context["association"]["name_ar"] = "جمعية البر & التقوى <الأهلية>"
    text = text_of(render(name, context))
    assert hostile in text
    assert "جمعية البر & التقوى <الأهلية>" in text


@pytest.mark.parametrize("name", NAMES)
def test_images_render_as_pictures(name):
    data = render(name, sample(name), images=True)
    found = parts(data)
    drawings = {n: len(r.findall(".//w:drawing", NS)) for n, r in found.items()}
    assert sum(v for n, v in drawings.items() if "header" in n) == 1  # logo
    assert sum(v for n, v in drawings.items() if "footer" in n) == 1  # QR code
    signed = name in ("declaration", "disbursement_voucher", "receipt_voucher")
    assert drawings["word/document.xml"] == (1 if signed else 0)  # the signature


def test_declaration_summarises_answers_and_commitments():
    context = sample("declaration")
    text = text_of(render("declaration", copy.deepcopy(context)))
    for answer in context["answer_rows"]:
        assert answer["label"] in text and answer["value"] in text
    for commitment in context["commitments"]:
        assert commitment in text
    assert "." * 40 in text  # no drawn signature: a line to sign on


def test_optional_paragraphs_disappear_when_empty():
    context = sample("acceptance")
    full = text_of(render("acceptance", copy.deepcopy(context)))
    assert "مبلغ الدعم" in full and "ألف وخمسمائة ريال" in full
    for key in ("amount", "amount_words", "support_types", "notes", "meeting_number"):
        context["decision"][key] = ""
    context["beneficiary"]["national_id_masked"] = ""
    bare = text_of(render("acceptance", context))
    for gone in ("مبلغ الدعم", "نوع الدعم", "ملاحظات", "اجتماعها", "رقم الهوية"):
        assert gone not in bare, gone
    assert "قبول الطلب" in bare


def test_rejection_tells_how_to_reapply_and_appeal_without_decision_details():
    context = sample("rejection")
    context["decision"].update(reasons="", reapply_after="", appeal="")
    text = text_of(render("rejection", context))
    assert "إعادة التقديم" in text and "التظلم" in text
    assert "سبب الاعتذار" not in text


# ---- printed ----------------------------------------------------------------------------


def test_printed_letter_shows_the_arabic_text(tmp_path):
    """Convert a rendered letter to PDF; page 1 can be looked at in tmp_path/letter-1.png."""
    soffice = require_tool("soffice")
    pdftotext = require_tool("pdftotext")
    context = sample("acceptance")
    # Not "عبدالله": pdftotext gives the font's ligature of "الله" back as "اهلل".
    context["beneficiary"]["name"] = "سعد بن خالد القحطاني"
    docx = tmp_path / "letter.docx"
    docx.write_bytes(render("acceptance", copy.deepcopy(context), images=True))
    profile = f"file://{tmp_path}/lo-profile-{os.getpid()}"
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation={profile}", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(docx)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = tmp_path / "letter.pdf"
    assert pdf.exists()
    layout = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert layout.count("\f") == 1, "the acceptance letter should fit on one page"
    flat = re.sub(r"\s+", " ", re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", layout))
    for needed in (context["beneficiary"]["name"], "إشعار قبول", context["letter"]["verify_code"]):
        assert needed in flat, needed
    if pdftoppm := require_tool("pdftoppm"):
        subprocess.run([pdftoppm, "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf),
                        str(tmp_path / "letter")], check=True)  # fmt: skip
        assert (tmp_path / "letter-1.png").exists()
