"""The printed policy: a Word document, right to left inside, each association's own parts."""

from __future__ import annotations

import copy
import io
import re
import struct
import zipfile
import zlib

import pytest
from docx import Document
from docx.shared import Twips
from lxml import etree

from association import shipped_profile
from association.policy_doc import policy_docx

SHIPPED = ["basmat_dental", "dawah_alshaaf", "mojtamee_madinah", "sanad_alahsa"]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ARABIC = re.compile("[\u0600-\u06ff]")
ISOLATES = re.compile("[\u2066-\u2069]")
# Parts only one association's policy has; none of them may appear in another's.
OWN = {
    "sanad_alahsa": ["مناديب المكاتب الفرعية", "والله الموفق", "اجتماع مجلس الإدارة رقم (4)"],
    "dawah_alshaaf": [
        "تنقسم الخدمات والبرامج المقدمة للمستفيدين إلى أربعة أقسام:",
        "البرامج العامة المفتوحة التي لا تتطلب تسجيلًا مسبقًا",
        "قبل الفعالية بمدة لا تقل عن أسبوع عمل.",
        "قبل إقامة الفعالية بمدة لا تقل عن ١٠ أيام عمل",
        "البرامج التي تستقطب المتطوعين",
        "أن يكون مقيمًا إقامة نظامية في منطقة عمل الجمعية.",
        "وفي حال كانت الخدمة المقدمة للمستفيد نقدية فيلزم الآتي:",
        "- أن يكون من الدعاة أو المترجمين العاملين للدعوة إلى الله تعالى بالجمعية.",
        "أن يشهر إسلامه بالجمعية",
        "٤) سندات القبض والصرف",
        "رقم (8) بتاريخ 1446/03/27 هـ الموافق 2024/09/30 م.",
    ],
    "mojtamee_madinah": [
        "رقم الإصدار",
        "الإعداد والمراجعة",
        "الاسم: غادة حمدان الشريف",
        "الوظيفة: أخصائي جودة",
        "التاريخ: 2021/11/18",
        "الاسم: د. سمير عبد الرحمن المغامسي",
        "سياسة تنظيم العلاقة بين المستفيدين",
    ],
    "basmat_dental": [
        "رقم (3) بتاريخ 1445/05/03 هـ الموافق 2023/11/16 م.",
        "رئيس مجلس الإدارة",
        "د. سيرين بنت فخر الشواف",
        "والله ولي التوفيق",
    ],
}


def xml_parts(data: bytes) -> dict[str, etree._Element]:
    """Return the document, header and footer parts of a .docx, parsed."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {
            name: etree.fromstring(package.read(name))
            for name in package.namelist()
            if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name)
        }


def paragraphs(data: bytes) -> list[str]:
    """Return the text of every paragraph (tables and header too), bidi isolates removed."""
    out = []
    for root in xml_parts(data).values():
        for p in root.iter(f"{W}p"):
            out.append(ISOLATES.sub("", "".join(t.text or "" for t in p.iter(f"{W}t"))))
    return out


def text(data: bytes) -> str:
    return "\n".join(paragraphs(data))


def headings(data: bytes) -> list[str]:
    """Return the numbered section headings: the 14-point paragraphs of the body but approval."""
    body = xml_parts(data)["word/document.xml"]
    big = [
        "".join(t.text for t in p.iter(f"{W}t"))
        for p in body.iter(f"{W}p")
        if p.find(f"{W}pPr/{W}rPr/{W}sz[@{W}val='28']") is not None
    ]
    return [line for line in big if line != "اعتماد مجلس الإدارة"]


def starts_arabic(words: str) -> bool:
    """Tell whether the first strong letter is Arabic (the paragraph reads right to left)."""
    first = re.search(r"[^\W\d_]", words)
    return bool(first and ARABIC.match(first.group()))


@pytest.fixture(scope="module")
def printed() -> dict[str, bytes]:
    return {name: policy_docx(shipped_profile(name)) for name in SHIPPED}


def png(width: int, height: int) -> bytes:
    rows = b"".join(b"\x00" + b"\x1f\x5f\x4f" * width for _ in range(height))

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        return struct.pack(">I", len(body)) + kind + body + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("name", SHIPPED)
def test_printed_policy_opens_as_an_a4_word_document(printed, name):
    doc = Document(io.BytesIO(printed[name]))
    profile = shipped_profile(name)
    assert doc.core_properties.title == profile["policy"]["title"]
    section = doc.sections[0]
    assert (section.page_width, section.page_height) == (Twips(11906), Twips(16838))
    assert profile["policy"]["title"] in [p.text for p in doc.paragraphs]
    header = text(printed[name]).split("\n")
    assert profile["name"]["ar"] in header and profile["name"]["en"] in header


@pytest.mark.parametrize("name", SHIPPED)
def test_printed_policy_is_right_to_left_inside(printed, name):
    parts = xml_parts(printed[name])
    for part, root in parts.items():
        for p in root.iter(f"{W}p"):
            if starts_arabic("".join(t.text or "" for t in p.iter(f"{W}t"))):
                bidi = p.find(f"{W}pPr/{W}bidi")
                assert bidi is not None and bidi.get(f"{W}val") != "0", part
        for r in root.iter(f"{W}r"):
            if not ARABIC.search("".join(t.text or "" for t in r.iter(f"{W}t"))):
                continue
            props = r.find(f"{W}rPr")
            rtl = props.find(f"{W}rtl")
            assert rtl is not None and rtl.get(f"{W}val") != "0", part
            assert props.find(f"{W}rFonts").get(f"{W}cs")
            assert (props.find(f"{W}sz") is None) or (props.find(f"{W}szCs") is not None)
            assert (props.find(f"{W}b") is None) or (props.find(f"{W}bCs") is not None)
        for tbl in root.iter(f"{W}tbl"):
            assert tbl.find(f"{W}tblPr/{W}bidiVisual") is not None, part
        assert {jc.get(f"{W}val") for jc in root.iter(f"{W}jc")}.isdisjoint({"left", "right"})
    tables = list(parts["word/document.xml"].iter(f"{W}tbl"))
    assert bool(tables) == (name == "mojtamee_madinah")  # the document-control block


@pytest.mark.parametrize("name", SHIPPED)
def test_printed_policy_holds_its_own_parts_only(printed, name):
    printed_text = text(printed[name])
    for owner, markers in OWN.items():
        for marker in markers:
            assert (marker in printed_text) == (owner == name), (owner, marker)
    assert "{deadline}" not in printed_text and "{lead_time}" not in printed_text
    assert "خلال أسبوعين." in printed_text
    assert not re.search(r"\d{4}-\d\d-\d\d", printed_text)  # ISO dates read back to front
    numbers = [h.split("-")[0] for h in headings(printed[name])]
    assert numbers == ["١", "٢", "٣", "٤", "٥", "٦", "٧", "٨", "٩", "١٠"][: len(numbers)]


OPENING = ["تمهيد", "الهدف العام", "الأهداف التفصيلية", "القنوات"]
TOOLS_AND_STEPS = [*OPENING, "الأدوات", "التعامل"]
SECTIONS = {
    "mojtamee_madinah": [*OPENING, "التعامل"],  # its policy names no tools
    "basmat_dental": TOOLS_AND_STEPS,
    "sanad_alahsa": [*TOOLS_AND_STEPS, "ضوابط"],
    "dawah_alshaaf": [*TOOLS_AND_STEPS, "آلية استحقاق", "الشروط اللازمة", "ضوابط", "توثيق"],
}


@pytest.mark.parametrize("name", SHIPPED)
def test_sections_the_profile_lacks_are_left_out(printed, name):
    found = [h.split("- ", 1)[1] for h in headings(printed[name])]
    starts = SECTIONS[name]
    assert len(found) == len(starts), found
    assert all(f.startswith(s) for f, s in zip(found, starts, strict=True)), found
    # Madinah's board left the meeting and date blank: no approval section, the block signs.
    assert ("اعتماد مجلس الإدارة" in text(printed[name])) == (name != "mojtamee_madinah")


def test_minimal_profile_prints_title_and_channels_only():
    profile = {
        "name": {"ar": "جمعية تجريبية"},
        "channels": [{"value": "phone", "label": {"ar": "الهاتف"}}],
        "decision_deadline": {"days": 14, "count": "calendar_days"},
        "approval": {},
    }
    data = policy_docx(profile)
    assert headings(data) == ["١- القنوات المستخدمة للتواصل مع المستفيدين"]
    assert "١) الهاتف" in paragraphs(data)
    assert "سياسة تنظيم العلاقة مع المستفيدين" in paragraphs(data)
    assert "اعتماد مجلس الإدارة" not in text(data)


@pytest.mark.parametrize(
    ("days", "count", "phrase"),
    [
        (14, "calendar_days", "خلال أسبوعين."),
        (7, "calendar_days", "خلال أسبوع."),
        (30, "calendar_days", "خلال ٣٠ يومًا."),
        (2, "calendar_days", "خلال يومين."),
        (100, "calendar_days", "خلال ١٠٠ يوم."),
        (5, "work_days", "خلال أسبوع عمل."),
        (10, "work_days", "خلال ١٠ أيام عمل."),
        (21, "work_days", "خلال ٢١ يوم عمل."),
        (1, "work_days", "خلال يوم عمل واحد."),
    ],
)
def test_deadline_in_the_profile_is_the_deadline_printed(days, count, phrase):
    profile = copy.deepcopy(shipped_profile("sanad_alahsa"))
    profile["decision_deadline"] = {"days": days, "count": count}
    printed_text = text(policy_docx(profile))
    assert phrase in printed_text
    assert ("أسبوعين" in printed_text) == (days == 14 and count == "calendar_days")


@pytest.mark.parametrize("name", SHIPPED)
def test_changing_the_deadline_changes_each_printed_policy(printed, name):
    profile = copy.deepcopy(shipped_profile(name))
    profile["decision_deadline"]["days"] = 21
    changed = text(policy_docx(profile))
    assert "خلال ٢١ يومًا." in changed and "أسبوعين" not in changed
    assert "أسبوعين" in text(printed[name])


def test_lead_time_in_the_profile_is_the_lead_time_printed():
    profile = copy.deepcopy(shipped_profile("dawah_alshaaf"))
    profile["program_categories"][1]["lead_work_days"] = 15
    profile["program_categories"][2].update(description="تُنشر الفرص.", lead_work_days=3)
    printed_text = text(policy_docx(profile))
    assert "قبل إقامة الفعالية بمدة لا تقل عن ١٥ يوم عمل" in printed_text
    assert "١٠ أيام عمل" not in printed_text
    # No {lead_time} in the text: the lead time is said after it.
    assert "تُنشر الفرص.\nويُعلن عنها قبل موعدها بمدة لا تقل عن ٣ أيام عمل." in printed_text


def test_hijri_date_is_computed_when_the_profile_has_none():
    profile = copy.deepcopy(shipped_profile("basmat_dental"))
    del profile["approval"]["date_hijri"]
    printed_text = text(policy_docx(profile))
    # Umm al-Qura counts 2023-11-16 as 1445/05/02; the board printed 05/03.
    assert "بتاريخ 1445/05/02 هـ الموافق 2023/11/16 م." in printed_text


def test_profile_text_prints_exactly_as_typed():
    profile = copy.deepcopy(shipped_profile("dawah_alshaaf"))
    profile["name"]["ar"] = "جمعية <الخير> & البر"
    profile["name"]["en"] = 'Al-Khair & "Al-Birr" <Assoc>'
    profile["licence_number"] = "12&34<5>"
    profile["policy"]["goals"][0] = "هدف ** بنجمتين ** و <w:p/> و &amp;"
    profile["channels"][0]["label"]["ar"] = "قناة </w:t> مكسورة"
    profile["policy"]["preamble"] = "تمهيد\x01 فيه\x0b محارف تحكم"
    lines = paragraphs(policy_docx(profile))
    assert "جمعية <الخير> & البر" in lines
    assert 'Al-Khair & "Al-Birr" <Assoc>' in lines
    assert any("12&34<5>" in line for line in lines)
    assert "• هدف ** بنجمتين ** و <w:p/> و &amp;" in lines
    assert "١) قناة </w:t> مكسورة" in lines
    assert "تمهيد فيه محارف تحكم" in lines  # what XML cannot hold is dropped, nothing else


def test_logo_goes_into_the_letterhead():
    profile = shipped_profile("basmat_dental")
    logo = png(60, 80)
    data = policy_docx(profile, logo=logo)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        media = [n for n in package.namelist() if n.startswith("word/media/")]
        assert [package.read(n) for n in media] == [logo]
    header = xml_parts(data)["word/header1.xml"]
    logo_cell = header.find(f"{W}tbl/{W}tr").findall(f"{W}tc")[1]
    assert logo_cell.find(f".//{W}drawing") is not None
    without = policy_docx(profile)
    assert "word/media/" not in "".join(zipfile.ZipFile(io.BytesIO(without)).namelist())
    assert policy_docx(profile, logo=b"not an image") == without


@pytest.mark.parametrize("name", SHIPPED)
def test_same_profile_same_bytes_and_profile_untouched(name):
    profile = shipped_profile(name)
    before = copy.deepcopy(profile)
    assert policy_docx(profile) == policy_docx(profile)
    assert profile == before
