"""letters.pdf: Arabic letters become PDFs with Arabic text and fonts, failures never hang."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from letters import pdf
from tests.conftest import require_tool

NAME = "محمد بن عبدالله"
HIJRI = "1448/06/15"
# pdftotext wraps RTL runs in embedding marks (U+202A-U+202C); some versions add others.
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def arabic_docx(name: str = NAME, date: str = f"{HIJRI} هـ") -> bytes:
    """Build a small RTL letter as our templates mark Arabic: bidi paragraphs, rtl runs, Amiri."""
    doc = Document()
    for text in (f"إلى السيد {name}", f"التاريخ: {date}"):
        paragraph = doc.add_paragraph()
        paragraph._p.get_or_add_pPr().append(OxmlElement("w:bidi"))
        run_props = paragraph.add_run(text)._r.get_or_add_rPr()
        fonts = OxmlElement("w:rFonts")
        fonts.set(qn("w:cs"), "Amiri")
        lang = OxmlElement("w:lang")
        lang.set(qn("w:bidi"), "ar-SA")
        run_props.extend([fonts, OxmlElement("w:rtl"), lang])
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def broken_docx() -> bytes:
    """Return a .docx whose package is sound but whose document.xml is cut in half."""
    source = zipfile.ZipFile(io.BytesIO(arabic_docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as broken:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = data[: len(data) // 2]
            broken.writestr(item, data)
    return out.getvalue()


def pdf_text(data: bytes, tmp_path: Path) -> str:
    """Return the PDF's text with bidi marks removed and spaces collapsed."""
    assert data.startswith(b"%PDF-")
    path = tmp_path / f"letter-{time.monotonic_ns()}.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        [require_tool("pdftotext"), str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return " ".join(BIDI_MARKS.sub("", text).split())


def assert_arabic(text: str, phrase: str) -> None:
    """Assert the phrase is there, in logical order or (as some pdftotext give) words reversed."""
    words = phrase.split()
    assert " ".join(words) in text or " ".join(reversed(words)) in text, text


def assert_letter(data: bytes, tmp_path: Path) -> None:
    """Assert a PDF of arabic_docx(): the name, the Hijri date, and Amiri embedded."""
    text = pdf_text(data, tmp_path)
    assert_arabic(text, NAME)
    assert HIJRI in text and "هـ" in text, text
    fonts = subprocess.run(
        [require_tool("pdffonts"), "-"], input=data, capture_output=True, check=True
    ).stdout
    assert b"Amiri" in fonts, fonts.decode()


def require_uno_python() -> str:
    """Return the Python that runs unoserver; skip (fail under CI) without python3-uno."""
    python = pdf.uno_python()
    if python:
        return python
    reason = "no Python with uno (Debian python3-uno) or unoserver is not installed"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def warm():
    require_tool("soffice")
    require_uno_python()
    converter = pdf.WarmConverter(timeout=30)
    converter.start()
    yield converter
    converter.close()


@pytest.fixture(params=["cold", "warm"])
def converter(request, tmp_path):
    require_tool("soffice")
    if request.param == "warm":
        yield request.getfixturevalue("warm")
        return
    with pdf.PdfConverter(tmp_path / "work", timeout=60) as cold:
        yield cold


def group_alive(pid: int) -> bool:
    """Tell whether any process of the group led by `pid` still runs (zombies excluded)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pid and fields[0] != "Z":
            return True
    return False


def test_arabic_letter_keeps_name_date_and_font(converter, tmp_path):
    assert_letter(converter.convert(arabic_docx()), tmp_path)


def test_convert_many_returns_each_letter_in_order(converter, tmp_path):
    names = ["محمد بن عبدالله", "نورة بنت سعد", "خالد بن فهد"]
    pdfs = converter.convert_many([arabic_docx(name) for name in names])
    assert len(pdfs) == 3
    for name, data in zip(names, pdfs, strict=True):
        assert_arabic(pdf_text(data, tmp_path), name)


@pytest.mark.parametrize(
    "data", [b"", b"not a zip", b"PK\x03\x04junk", os.urandom(3000)], ids=range(4)
)
def test_bytes_that_are_not_a_docx_fail_at_once(converter, data):
    started = time.monotonic()
    with pytest.raises(pdf.PdfError, match="not a Word"):
        converter.convert(data)
    assert time.monotonic() - started < 1


def test_damaged_document_gives_pdf_error_not_a_hang(converter):
    started = time.monotonic()
    with pytest.raises(pdf.PdfError, match="could not convert"):
        converter.convert(broken_docx())
    assert time.monotonic() - started < 30


def test_converter_still_works_after_a_failure(converter, tmp_path):
    with pytest.raises(pdf.PdfError):
        converter.convert(broken_docx())
    assert_letter(converter.convert(arabic_docx()), tmp_path)


def test_one_bad_letter_in_a_batch_is_named():
    require_tool("soffice")
    with pdf.PdfConverter() as cold, pytest.raises(pdf.PdfError, match="letter 2 of 3"):
        cold.convert_many([arabic_docx(), broken_docx(), arabic_docx()])


def test_two_converters_at_once_both_succeed(tmp_path):
    require_tool("soffice")
    first, second = pdf.PdfConverter(tmp_path), pdf.PdfConverter(tmp_path)
    assert first._dir != second._dir  # same workdir, still a profile each
    with ThreadPoolExecutor(2) as pool:
        jobs = [pool.submit(c.convert_many, [arabic_docx()] * 2) for c in (first, second)]
        results = [job.result(timeout=120) for job in jobs]
    first.close()
    second.close()
    for data in [pdf_data for batch in results for pdf_data in batch]:
        assert_letter(data, tmp_path)


def test_one_converter_shared_by_threads(converter, tmp_path):
    with ThreadPoolExecutor(3) as pool:
        results = list(pool.map(converter.convert, [arabic_docx()] * 3, timeout=180))
    for data in results:
        assert_letter(data, tmp_path)


def test_cold_and_warm_side_by_side(warm, tmp_path):
    with pdf.PdfConverter() as cold, ThreadPoolExecutor(2) as pool:
        jobs = [pool.submit(c.convert, arabic_docx()) for c in (cold, warm)]
        for job in jobs:
            assert_letter(job.result(timeout=120), tmp_path)


def test_cold_timeout_kills_libreoffice(tmp_path):
    require_tool("soffice")
    with pdf.PdfConverter(timeout=0.2) as cold:
        with pytest.raises(pdf.PdfError, match="took longer"):
            cold.convert(arabic_docx())
        leftovers = subprocess.run(["pgrep", "-f", str(cold._dir)], capture_output=True)
        assert leftovers.stdout == b"", "soffice outlived its timeout"


def test_warm_server_restarts_after_it_dies(warm, tmp_path):
    os.killpg(warm._server.pid, signal.SIGKILL)
    assert_letter(warm.convert(arabic_docx()), tmp_path)


def test_closing_warm_converter_ends_its_processes(tmp_path):
    require_tool("soffice")
    require_uno_python()
    converter = pdf.WarmConverter(tmp_path)
    converter.start()
    leader = converter._server.pid
    assert group_alive(leader)
    converter.close()
    # SIGKILL is delivered at once but a process takes a moment to exit under load.
    deadline = time.monotonic() + 10
    while group_alive(leader) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not group_alive(leader)
    assert not converter._dir.exists()


def test_without_libreoffice_pdf_says_it_is_needed(monkeypatch, tmp_path):
    (tmp_path / "bin").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))  # nothing of LibreOffice on it
    monkeypatch.setattr(pdf, "_shared", None)
    assert not pdf.available()
    shared = pdf.get_converter()
    assert type(shared) is pdf.PdfConverter and pdf.get_converter() is shared
    for converter in (shared, pdf.PdfConverter(tmp_path), pdf.WarmConverter(tmp_path)):
        with pytest.raises(pdf.PdfUnavailable, match="LibreOffice"):
            converter.convert(arabic_docx())
        converter.close()


def test_warm_converter_is_opt_in(monkeypatch):
    # The warm server listens without authentication: only RIFD_PDF_WARM=1 starts it.
    monkeypatch.delenv("RIFD_PDF_WARM", raising=False)
    monkeypatch.setattr(pdf, "_shared", None)
    shared = pdf.get_converter()
    assert type(shared) is pdf.PdfConverter
    shared.close()
    monkeypatch.setattr(pdf, "_shared", None)


def test_a_warm_server_that_cannot_start_is_tried_twice_and_says_why(tmp_path, caplog):
    require_tool("soffice")
    converter = pdf.WarmConverter(tmp_path, python="/bin/false")  # exits at once, status 1
    try:
        with pytest.raises(pdf.PdfError, match="did not start: it exited with status 1"):
            converter.start()
    finally:
        converter.close()
    assert converter._starts == 2  # once more on other ports before giving up
    assert "starting it again on other ports" in caplog.text


def test_libreoffice_keeps_its_temporary_files_in_the_folder_removed_after_it(tmp_path):
    # A killed LibreOffice left its lu*.tmp folder in the system's temporary folder.
    proc = pdf._spawn(["sh", "-c", 'echo "$TMPDIR"'], tmp_path / "job.log")
    assert proc.wait(timeout=10) == 0
    assert (tmp_path / "job.log").read_text().strip() == str(tmp_path / "tmp")
    assert (tmp_path / "tmp").is_dir()
