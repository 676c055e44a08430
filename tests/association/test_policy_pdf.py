"""A printed policy goes through LibreOffice to PDF with its Arabic text and font intact."""

from __future__ import annotations

import subprocess

from association import shipped_profile
from association.policy_doc import policy_docx
from letters import pdf
from tests.conftest import require_tool
from tests.letters.test_pdf import assert_arabic, pdf_text


def test_printed_policy_converts_to_pdf_with_its_arabic(tmp_path):
    require_tool("soffice")
    profile = shipped_profile("basmat_dental")
    with pdf.PdfConverter(tmp_path / "work", timeout=90) as converter:
        data = converter.convert(policy_docx(profile))
    text = pdf_text(data, tmp_path)
    assert_arabic(text, profile["name"]["ar"])
    assert_arabic(text, "سيرين بنت فخر الشواف")  # the chair (pdftotext moves the dot of "د.")
    assert_arabic(text, "رفضه خلال أسبوعين.")
    fonts = subprocess.run(
        [require_tool("pdffonts"), "-"], input=data, capture_output=True, check=True
    ).stdout
    assert b"NotoNaskhArabic" in fonts, fonts.decode()
