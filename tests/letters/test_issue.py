"""Issuing: numbers never reused or skipped, archive exact, verification by content."""

import datetime as dt
import hashlib
import io
import multiprocessing as mp

import pytest
from docx import Document

from letters.issue import REGISTER, TemplateVersion, find_by_code, format_number, is_genuine, issue
from letters.render import LetterError
from store import Store


def template(*paragraphs: str) -> TemplateVersion:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return TemplateVersion("acceptance", 1, out.getvalue())


GOOD = template(
    "الرقم: {{ letter.number }}",
    "إلى {{ beneficiary.name }}",
    "{{ qr }}",
    "{{ letter.verify_code }}",
)
CONTEXT = {"beneficiary": {"name": "محمد & <أحمد>"}}


def issue_one(data: Store, tpl: TemplateVersion = GOOD, **kw) -> dict:
    return issue(
        data,
        tpl,
        CONTEXT,
        letter_type="acceptance",
        recipient="محمد",
        issued_by="staff",
        base_url="http://rifd.test",
        **kw,
    )


def test_issue_numbers_archives_and_registers(tmp_path):
    data = Store(tmp_path)
    first = issue_one(data, today=dt.date(2026, 11, 25))
    second = issue_one(data, today=dt.date(2026, 11, 25))
    assert (first["number"], second["number"]) == ("1448/000001", "1448/000002")
    letter = data.read_file(first["sha256"])
    assert hashlib.sha256(letter).hexdigest() == first["sha256"]
    text = "\n".join(p.text for p in Document(io.BytesIO(letter)).paragraphs)
    assert "1448/000001" in text and "محمد & <أحمد>" in text and first["code"] in text
    assert len(Document(io.BytesIO(letter)).inline_shapes) == 1  # the QR code
    assert first["template"] == {"name": "acceptance", "version": 1, "sha256": GOOD.sha256}


def test_a_new_hijri_year_starts_at_one(tmp_path):
    data = Store(tmp_path)
    issue_one(data, today=dt.date(2026, 6, 1))  # 1447
    assert issue_one(data, today=dt.date(2026, 11, 25))["number"] == "1448/000001"


def test_a_pattern_without_the_year_never_starts_over(tmp_path):
    data = Store(tmp_path)
    pattern = "ص-{seq:05d}"
    numbers = [
        issue_one(data, today=day, pattern=pattern)["number"]
        for day in (dt.date(2026, 6, 1), dt.date(2026, 6, 10), dt.date(2026, 11, 25))
    ]  # 1447, 1447, then 1448
    assert numbers == ["ص-00001", "ص-00002", "ص-00003"]
    # With the year back in the pattern, the count goes on within 1448 and restarts in 1449.
    assert issue_one(data, today=dt.date(2026, 11, 26))["number"] == "1448/000004"
    assert issue_one(data, today=dt.date(2027, 7, 1))["number"] == "1449/000001"


def test_a_template_error_uses_no_number(tmp_path):
    data = Store(tmp_path)
    issue_one(data)
    with pytest.raises(LetterError):
        issue_one(data, template("{{ ''.__class__.__mro__ }}"))
    with pytest.raises(LetterError):
        issue_one(data, template("{{ 1 / 0 }}"))
    assert [r["seq"] for r in data.iter(REGISTER)] == [1]
    assert issue_one(data)["seq"] == 2


def test_missing_values_are_empty_and_listed(tmp_path):
    record = issue_one(Store(tmp_path), template("{{ decision.reasons }}x{{ program.name }}"))
    assert record["missing"] == ["decision", "program"]
    letter = Document(io.BytesIO(Store(tmp_path).read_file(record["sha256"])))
    assert letter.paragraphs[0].text == "x"


def test_number_pattern():
    assert format_number("ص/{year}/{seq:04d}", 1448, 7) == "ص/1448/0007"
    with pytest.raises(LetterError):
        format_number("{year}", 1448, 7)
    with pytest.raises(LetterError):
        format_number("{nope}/{seq}", 1448, 7)


def _issue_many(root: str, count: int, out) -> None:
    data = Store(root)
    out.put([issue_one(data)["number"] for _ in range(count)])


def test_concurrent_issuing_never_reuses_or_skips(tmp_path):
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_issue_many, args=(str(tmp_path), 10, queue)) for _ in range(4)]
    for proc in procs:
        proc.start()
    numbers = [n for _ in procs for n in queue.get(timeout=120)]
    for proc in procs:
        proc.join(60)
    seqs = sorted(int(n.split("/")[1]) for n in numbers)
    assert seqs == list(range(1, 41))
    assert sorted(r["seq"] for r in Store(tmp_path).iter(REGISTER)) == seqs


def test_verification(tmp_path):
    data = Store(tmp_path)
    record = issue_one(data)
    assert find_by_code(data, record["code"].lower())["number"] == record["number"]
    assert find_by_code(data, "NOPE0") is None and find_by_code(data, "../x") is None
    letter = data.read_file(record["sha256"])
    assert is_genuine(record, letter)
    assert not is_genuine(record, letter + b"\0")
