"""Every shipped letter, filled with long content, loses no word on its way to PDF.

LibreOffice 7.4 once dropped a whole table row at a page break (the declaration's
second commitment): the .docx had it, the PDF did not. Each template is filled here
with more than a page holds (ten commitments, a family of twelve, long names and
reasons, every letterhead field), issued, converted by letters.pdf in one soffice run,
and every word of every paragraph and table cell of the .docx is looked for in what
pdftotext reads from the PDF. The codes the letters print (reference, numbers, IDs,
phone, IBAN) must each stand whole on one printed line.
"""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
import zipfile
from collections import Counter

import pytest
from lxml import etree

from association import shipped_profile
from forms.definition import load_definition
from forms.validation import validate_answers
from letters import pdf, templates
from letters.context import build_context, signature_image
from letters.issue import issue
from store import Store
from submissions import service
from tests.conftest import require_tool
from tests.letters.test_shipped_letters import PROGRAM, TODAY
from tests.test_library import LIBRARY, _support_request

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XHTML = "{http://www.w3.org/1999/xhtml}"
# A left-to-right isolate holding a code: digits, a hyphen, a slash or a joined space.
CODE = re.compile("\u2066([^\u2066-\u2069\\s]*[-\u2060\u202f/\\d][^\u2066-\u2069]*)\u2069")
PARTS = re.compile(r"word/(document|header\d*|footer\d*)\.xml")
# pdftotext's artefacts of right-to-left text (docs/FIELD-NOTES: "PDF text checks").
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069]")
TATWEEL_AND_MARKS = re.compile("[\u0640\u064b-\u065f\u0670]")
ARABIC_LETTER = "\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff"
# Justified lines are stretched with kashidas, read back as ';' (or '*', ',', '+', by font)
# inside a word, or as tatweels where the word is then cut in two (اقتصـ / ـاديًا).
KASHIDA = re.compile(f"(?<=[{ARABIC_LETTER}])[!-/:-@\\[-`{{-~]+(?=[{ARABIC_LETTER}])")
KASHIDA_CUT = re.compile(
    "\u0640[\\s\u064b-\u065f\u0670\u200e\u200f\u202a-\u202e\u2066-\u2069]+\u0640"
)
# A word is a run of Arabic letters, of digits or of other letters: pdftotext may glue a
# number to the Arabic word beside it, and punctuation moves around in mirrored text.
WORD = re.compile(f"[{ARABIC_LETTER}]+|\\d+|[^\\W\\d_{ARABIC_LETTER}]+")

NAMES = ["عبدالرحمن", "عبدالعزيز", "نورة", "عبدالله", "هيفاء", "فيصل"]
FAMILY_NAMES = [
    f"{NAMES[i % 6]} بن {NAMES[3 + 2 * (i // 6)]} آل عبدالمحسن الشمراني" for i in range(12)
]
COMMITMENTS = [
    f"البند {word}: يلتزم المستفيد بإبلاغ الجمعية كتابيًا بأي تغيير يطرأ على حالته الاجتماعية "
    "أو المادية أو الصحية أو على عنوان سكنه خلال مدة لا تتجاوز ثلاثين يومًا من حدوثه، "
    "وبتقديم ما يثبت ذلك من مستندات رسمية معتمدة."
    for word in ("الأول", "الثاني", "الثالث", "الرابع", "الخامس")
    + ("السادس", "السابع", "الثامن", "التاسع", "العاشر")
]
DECISION = {
    "outcome": "accepted",
    "meeting_number": "17",
    "date": "2026-11-20",
    "amount": "12500",
    "support_types": "سلة غذائية، سداد إيجار، سداد فواتير الكهرباء والماء، أثاث، أجهزة منزلية",
    "reasons": "عدم اكتمال المستندات المطلوبة وعدم مطابقة عدد أفراد الأسرة لسجل الأسرة "
    "المقدم، وتجاوز دخل الفرد الشهري الحد الذي اعتمده مجلس الإدارة في سياسة الجمعية. " * 2,
    "reapply_after": "ستة أشهر من تاريخ هذا الخطاب",
    "appeal": "يحق لكم التظلم خلال ثلاثين يومًا بطلب مكتوب يقدم إلى إدارة الجمعية. " * 3,
    "notes": "نأمل تحديث بيانات الدخل والسكن عند كل تغيير، وإحضار أصول المستندات. " * 4,
}
LONG_PROGRAM = {
    **PROGRAM,
    "name": "البرنامج التدريبي المتكامل لتأهيل الأسر المنتجة وتمكينها اقتصاديًا",
    "place": "قاعة التدريب الكبرى بمقر الجمعية في حي المزروعية بمحافظة الأحساء",
    "what_to_bring": "صورة الهوية الوطنية، وصورة سجل الأسرة، وشهادة الآيبان، وقلم وكراسة",
}
# Rejections issued with the text before the codes longer by 1, 2, ... words (or letters,
# before a web address): across them the end of a line passes over each code.
SHIFTS = 20
# Every letterhead field filled, with codes that could break: spaces, hyphens, slashes.
LETTERHEAD = {
    "licence_number": "1234",
    "licence_sentence": "مرخصة من المركز الوطني لتنمية القطاع غير الربحي برقم ({licence_number})"
    " وتحت إشراف وزارة الموارد البشرية والتنمية الاجتماعية",
    "letterhead_lines": [
        "جوال وواتساب: 0500000000  •  إكس وإنستغرام وسناب شات: @sanad_ahsa",
        "فرع الهفوف: 0135800000  •  فرع المبرز: 0135900000",
    ],
    "contact": {
        "address": "الأحساء، حي المزروعية، طريق الملك فهد، مبنى الجمعية الرئيس",
        "phone": "+966 13 500 0000",
        "email": "info@sanad.example.org",
        "website": "https://sanad.example.org",
    },
    "bank": {"name": "مصرف الراجحي", "iban": "SA03 8000 0000 6080 1016 7519"},
}


def normalise(text: str) -> Counter:
    """Return the words of a text as a multiset, with pdftotext's artefacts undone."""
    text = KASHIDA_CUT.sub("", unicodedata.normalize("NFKC", text))
    text = TATWEEL_AND_MARKS.sub("", BIDI_MARKS.sub("", text))
    text = KASHIDA.sub("", text).replace("اهلل", "الله")  # the ligature of الله reads back so
    return Counter(WORD.findall(text))


def lost(expected: Counter, found: Counter) -> Counter:
    """Return the expected words the PDF lacks.

    pdftotext sometimes cuts a word beside a direction mark in two, putting one or two
    letters (or a digit) on another line: such a word counts as found when both its
    pieces are among the PDF's extra words.
    """
    missing, extra = expected - found, found - expected
    out: Counter = Counter()
    for word in sorted(missing.elements()):
        cuts = [(word[:i], word[i:]) for i in range(1, len(word))]
        cut = next(
            (
                (a, b)
                for a, b in cuts
                if min(len(a), len(b)) <= 2 and extra[a] > (a == b) and extra[b] > 0
            ),
            None,
        )
        if cut is None:
            out[word] += 1
        else:
            extra.subtract(cut)
    return out


def docx_lines(data: bytes) -> list[str]:
    """Return the text of every paragraph and table cell of the body, headers and footers."""
    lines = []
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in filter(PARTS.fullmatch, package.namelist()):
            for p in etree.fromstring(package.read(name)).iter(f"{W}p"):
                lines.append("".join(t.text or "" for t in p.iter(f"{W}t")))
    return lines


def docx_words(data: bytes) -> Counter:
    return normalise("\n".join(docx_lines(data)))


def pdf_text(data: bytes, tmp_path, *options: str) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(data)
    command = [require_tool("pdftotext"), *options, str(path), "-"]
    return subprocess.run(command, capture_output=True, check=True).stdout.decode()


def missing_paragraphs(docx: bytes, pdf_words: Counter) -> dict[str, list[str]]:
    """Return the paragraphs (and cells) of the .docx that the PDF lacks, with their lost words.

    The lost words are laid at the paragraphs that hold most of them, one after another, so
    that a word common to many paragraphs ("أو") names only the one it went missing from.
    """
    missing = lost(docx_words(docx), pdf_words)
    paragraphs = [(line, normalise(line)) for line in docx_lines(docx)]
    out = {}
    while missing:
        line, words = max(paragraphs, key=lambda p: (p[1] & missing).total())
        if not words & missing:  # words of no single paragraph: name them as they are
            return out | {"(no paragraph)": sorted(missing.elements())}
        out[line[:120]] = sorted((words & missing).elements())
        missing -= words
    return out


def long_request() -> dict:
    members = [
        {
            "member_name": name,
            "member_relation": "son" if i % 2 else "daughter",
            "member_gender": "male" if i % 2 else "female",
            "member_birth_date": f"20{10 + i % 10:02d}-0{1 + i % 9}-15",
            "member_status": "school",
            "member_health": "chronic_illness" if i % 3 == 0 else "healthy",
            "member_health_details": "ربو مزمن يحتاج إلى متابعة دورية في المستشفى",
        }
        for i, name in enumerate(FAMILY_NAMES)
    ]
    return _support_request(
        first_name="عبدالرحمن",
        father_name="عبدالمحسن",
        grandfather_name="عبدالعزيز",
        family_name="آل عبدالله الشمراني",
        family_count="13",
        family_members=members,
        description="أرملة تعول اثني عشر فردًا في سكن مستأجر، والإيجار متأخر منذ ستة أشهر، "
        "ولا دخل لها سوى الضمان الاجتماعي وحساب المواطن. " * 3,
    )


def long_profile() -> dict:
    return {**shipped_profile("sanad_alahsa"), **LETTERHEAD, "commitments": COMMITMENTS}


def issue_long_letters(data: Store, profile: dict, shifts: int = 0) -> dict[str, bytes]:
    """Issue every shipped template for one long request; return name -> .docx bytes.

    With `shifts`, the rejection is issued that many times more ("rejection +1" ...), the
    texts before its codes (form title, address, website) longer each time, so that in
    some of them a line would end inside each code if the code could break there.
    """
    form = load_definition(LIBRARY / "support_request.json")
    result = validate_answers(form, long_request())
    assert result.ok, result.errors
    record = service.save(data, form, result.answers, channel="interview", entered_by="staff")

    def letter(name: str, shift: int = 0) -> bytes:
        # A word each time where a line may break before the code, a letter where it may not.
        contact = {**profile["contact"], "address": profile["contact"]["address"] + " حي" * shift}
        contact["website"] = contact["website"].replace("://", "://" + "w" * shift)
        shifted = {**profile, "contact": contact}
        context = build_context(shifted, form, record, decision=DECISION, program=LONG_PROGRAM)
        context["submission"]["form_title"] += " العون" * shift
        context["signature"] = signature_image(form, record, data.read_file)
        issued = issue(
            data,
            templates.get(data, name),
            context,
            letter_type=name,
            recipient=context["beneficiary"]["name"],
            issued_by="staff",
            base_url="http://rifd.test",
            today=TODAY,
        )
        return data.read_file(issued["sha256"])

    letters = {name: letter(name) for name in templates.shipped_names()}
    return letters | {f"rejection +{n}": letter("rejection", n) for n in range(1, shifts + 1)}


@pytest.fixture(scope="module")
def all_letters(tmp_path_factory) -> dict[str, bytes]:
    return issue_long_letters(Store(tmp_path_factory.mktemp("long")), long_profile(), SHIFTS)


@pytest.fixture(scope="module")
def long_letters(all_letters) -> dict[str, bytes]:
    return {name: data for name, data in all_letters.items() if "+" not in name}


# Rows taken out of the declaration before it is converted: the check must miss them.
DROPPED = {"commitment": COMMITMENTS[1], "member": f"الاسم: {FAMILY_NAMES[4]}،"}


@pytest.fixture(scope="module")
def long_pdfs(all_letters, long_letters, tmp_path_factory) -> dict[str, bytes]:
    """Return the PDF of each letter, and of the declaration without each DROPPED row, all
    made by one soffice call."""
    require_tool("soffice")
    require_tool("pdftotext")
    docs = dict(all_letters)
    for key, text in DROPPED.items():
        docs[f"declaration without a {key}"] = without_row(long_letters["declaration"], text)
    with pdf.PdfConverter(tmp_path_factory.mktemp("lo"), timeout=120) as converter:
        made = converter.convert_many(list(docs.values()))
    return dict(zip(docs, made, strict=True))


def test_every_shipped_template_is_filled_past_a_page(long_letters):
    assert sorted(long_letters) == [
        "acceptance",
        "declaration",
        "disbursement_voucher",
        "program_acceptance",
        "receipt_voucher",
        "rejection",
    ]
    declaration = docx_lines(long_letters["declaration"])
    assert all(any(c in line for line in declaration) for c in COMMITMENTS)
    assert all(any(f"الاسم: {n}،" in line for line in declaration) for n in FAMILY_NAMES)


def test_every_word_of_every_letter_is_in_its_pdf(long_letters, long_pdfs, tmp_path):
    problems = {}
    for name, letter in long_letters.items():
        found = normalise(pdf_text(long_pdfs[name], tmp_path))
        missing = missing_paragraphs(letter, found)
        if missing:
            problems[name] = missing
    assert not problems, problems


@pytest.mark.parametrize("key", DROPPED)
def test_a_row_missing_from_the_pdf_is_caught(long_letters, long_pdfs, tmp_path, key):
    """A PDF without one row of the declaration fails the check, and the row is named (the
    second commitment has all its words but one in common with the other nine)."""
    document = long_pdfs[f"declaration without a {key}"]
    missing = missing_paragraphs(
        long_letters["declaration"], normalise(pdf_text(document, tmp_path))
    )
    # The row's cells: its text, and its number or its label.
    assert len(missing) <= 2 and DROPPED[key][:40] in next(iter(missing)), missing


@pytest.mark.parametrize("key", DROPPED)
def test_a_row_missing_from_the_text_is_caught_without_libreoffice(long_letters, key):
    declaration = long_letters["declaration"]
    shorter = docx_words(without_row(declaration, DROPPED[key]))
    missing = missing_paragraphs(declaration, shorter)
    assert len(missing) <= 2 and DROPPED[key][:40] in next(iter(missing)), missing


def without_row(docx: bytes, text: str) -> bytes:
    """Return the .docx without the table row whose text contains `text`."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(docx)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                root = etree.fromstring(data)
                rows = [r for r in root.iter(f"{W}tr") if text in "".join(r.itertext())]
                assert len(rows) == 1, text
                rows[0].getparent().remove(rows[0])
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            dst.writestr(item, data)
    return out.getvalue()


def pdf_lines(data: bytes, tmp_path) -> list[str]:
    """Return each printed line's words from left to right, joined without spaces.

    A code is isolated left to right, so its pieces stand in reading order from left to
    right; pdftotext's own order within a line of mixed directions is not to be trusted.
    """
    page_xml = pdf_text(data, tmp_path, "-bbox").encode()
    lines = []
    for page in etree.fromstring(page_xml).iter(f"{XHTML}page"):
        rows: list[list] = []
        for word in sorted(page.iter(f"{XHTML}word"), key=lambda w: float(w.get("yMin"))):
            top = float(word.get("yMin"))
            if not rows or top - rows[-1][0] > 3:  # points
                rows.append([top, []])
            rows[-1][1].append((float(word.get("xMin")), BIDI_MARKS.sub("", word.text or "")))
        lines += ["".join(text for _x, text in sorted(words)) for _top, words in rows]
    return lines


def codes_of(letter: bytes) -> Counter:
    """Return the codes a letter prints isolated, spaces dropped, with how often each is."""
    text = "\n".join(docx_lines(letter))
    return Counter(re.sub(r"[\s\u2060\u202f]", "", c) for c in CODE.findall(text))


def whole_on_lines(codes: Counter, lines: list[str]) -> Counter:
    """Return how many times each code stands whole on one line (longest codes first, so
    that a verify code inside its verify address is not counted twice)."""
    found: Counter = Counter()
    for line in lines:
        for code in sorted(codes, key=len, reverse=True):
            found[code] += line.count(code)
            line = line.replace(code, "\0")
    return found


def test_codes_are_isolated_once_and_joined(long_letters):
    declaration = "".join(docx_lines(long_letters["declaration"]))
    assert "(\u2066SR-\u20601448-\u206000001\u2069)" in declaration
    assert "(\u20661000000008\u2069)" in declaration
    for name, letter in long_letters.items():
        text = "".join(docx_lines(letter))
        assert "\u2066\u2066" not in text, name  # twice isolated broke inside its digits
        codes = codes_of(letter)
        for code in ("1448/00000", "+966135000000", "SA0380000000608010167519", "1234"):
            # A voucher's number is that of its own series: DV/1448/000001.
            assert any(c.startswith(code) or c[3:].startswith(code) for c in codes), (name, code)
        # The letters that do not cite the request: a program's and the vouchers.
        if name not in ("program_acceptance", "disbursement_voucher", "receipt_voucher"):
            assert "SR-1448-00001" in codes, name


def test_codes_stay_whole_on_one_line_of_the_pdf(all_letters, long_pdfs, tmp_path):
    broken = {}
    for name, letter in all_letters.items():
        codes = codes_of(letter)
        whole = whole_on_lines(codes, pdf_lines(long_pdfs[name], tmp_path))
        # A header's or footer's code prints on every page: at least as often as in the .docx.
        short = {code: f"{whole[code]} of {times}" for code, times in codes.items()}
        broken |= {f"{name}: {c}": n for c, n in short.items() if whole[c] < codes[c]}
    assert not broken, broken


def test_lost_words_are_found_and_cut_words_forgiven():
    expected = normalise("أنثى 1000000008 الالتزام الثاني")
    found = normalise("أنث ى 1 000000008 الالتزام")  # the second word of the row lost
    assert lost(expected, found) == Counter({"الثاني": 1})
    assert normalise("‫عب++دالرحمن") == normalise("عبدالرحمن")
    assert normalise("‫بجمي;;ع اهلل⁦(SR-1448-00001)⁩‬") == normalise("بجميع الله SR 1448 00001")
    assert normalise("اقتصـ ً\u202c\n\u202bـاديًا") == normalise("اقتصاديا")
