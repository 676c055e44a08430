"""Bulk issuing: numbers in a row, failures that use none, zips, merged documents, CLI, pages."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from letters import bulk, templates
from letters.issue import REGISTER, TemplateVersion
from letters.render import LetterError
from submissions import service
from tests.conftest import csrf_token, require_tool
from tests.web.conftest import own_forms  # noqa: F401  (fixture)

NAMES = ["سعد العتيبي", "ليان القحطاني", "نورة الدوسري"]
ROOT = Path(__file__).resolve().parents[2]


def docx(*paragraphs: str) -> bytes:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


SIMPLE = TemplateVersion(
    "acceptance", 1, docx("الرقم: {{ letter.number }}", "إلى {{ beneficiary.name }}")
)


@pytest.fixture
def form(app):
    return app.extensions["rifd_forms"].get("intake")


@pytest.fixture
def records(store, form):
    answers = [{"full_name": name, "national_id": "1000000008"} for name in NAMES]
    return [service.save(store, form, a, channel="interview", entered_by="staff") for a in answers]


def issue_all(store, form, records, template=SIMPLE, **kw):
    def one(record):
        return bulk.issue_one(
            store, form, record, template, fields={}, issued_by="test", base_url="http://t"
        )

    return bulk.issue_many(records, one, **kw)


def text_of(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def test_issue_many_numbers_in_a_row_and_reports_progress(store, form, records):
    seen = []
    out = issue_all(store, form, records, progress=lambda done, total: seen.append((done, total)))
    assert [x["seq"] for x in out] == [1, 2, 3]
    assert [x["recipient"] for x in out] == NAMES
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert NAMES[1] in text_of(store.read_file(out[1]["sha256"]))


def test_a_failing_letter_uses_no_number_and_the_others_go_on(store, form, records):
    # Only the second name has 13 letters: its letter divides by zero.
    picky = TemplateVersion(
        "acceptance", 1, docx("{{ letter.number }} {{ 1 / (beneficiary.name|length - 13) }}")
    )
    out = issue_all(store, form, records, template=picky)
    assert out[1] == {
        "error": "the template could not be filled: division by zero",
        "ref": records[1]["ref"],
        "submission_id": records[1]["id"],
    }
    assert [x.get("seq") for x in out] == [1, None, 2]
    assert store.count(REGISTER) == 2


def test_zip_of_word_letters_is_named_after_their_numbers(store, form, records):
    out = issue_all(store, form, records)
    archive = zipfile.ZipFile(io.BytesIO(bulk.zip_of(store, out + [{"error": "x", "ref": "R"}])))
    names = [f"letter-{x['number'].replace('/', '-')}.docx" for x in out]
    assert archive.namelist() == names
    for name, letter in zip(names, out, strict=True):
        assert archive.read(name) == store.read_file(letter["sha256"])


def header_text(section) -> str:
    return "".join(t.text or "" for t in section.header._element.iter(qn("w:t")))


def test_merged_document_has_every_letter_on_its_own_pages_with_its_own_header(
    store, form, records
):
    shipped = templates.get(store, "acceptance")
    out = issue_all(store, form, records, template=shipped)
    document = Document(io.BytesIO(bulk.merged(store, out)))
    body = "\n".join(t.text or "" for t in document.element.body.iter(qn("w:t")))
    assert all(name in body for name in NAMES)
    # a next-page section break after each letter but the last
    breaks = document.element.body.findall(f"{qn('w:p')}/{qn('w:pPr')}/{qn('w:sectPr')}")
    assert len(breaks) == 2
    assert all(b.find(qn("w:type")) is None for b in breaks)  # default type: next page
    sections = document.sections
    assert len(sections) == 3
    for section, letter in zip(sections, out, strict=True):
        assert f"/{letter['seq']:06d}" in header_text(section)
        footer = "".join(t.text or "" for t in section.footer._element.iter(qn("w:t")))
        assert letter["code"] in footer


def test_merged_needs_at_least_one_letter(store):
    with pytest.raises(LetterError):
        bulk.merged(store, [{"error": "x", "ref": "R"}])


def test_merged_pdf_is_one_conversion_with_a_page_per_letter(store, form, records):
    require_tool("soffice")
    out = issue_all(store, form, records)
    pdf = bulk.merged_pdf(store, out)
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 3


# --- the command line -------------------------------------------------------------


def run(runner, *args: str):
    result = runner.invoke(args=["letters", "bulk", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def test_cli_all_to_a_zip(runner, store, records, tmp_path):
    target = tmp_path / "out.zip"
    result = run(
        runner,
        "acceptance",
        "--form",
        "intake",
        "--all",
        "-o",
        str(target),
        "--base-url",
        "http://t",
    )
    assert result.exit_code == 0, result.output
    assert "issued 3, failed 0" in result.output
    assert len(zipfile.ZipFile(target).namelist()) == 3
    assert store.count(REGISTER) == 3


def _in_a_terminal(command: list[str], env: dict) -> str:
    """Run `command` with a pseudo-terminal as its stdout and stderr; return what it showed."""
    main, child = pty.openpty()
    proc = subprocess.Popen(command, stdout=child, stderr=child, env=env, cwd=ROOT)
    os.close(child)
    shown = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # EIO: the command ended and closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.close(main)
    assert proc.wait(timeout=120) == 0, shown.decode(errors="replace")
    return shown.decode()


def test_cli_shows_a_progress_bar_in_a_terminal(app, records, tmp_path):
    target = tmp_path / "out.zip"
    env = {**os.environ, "RIFD_DATA": app.config["DATA_DIR"], "COLUMNS": "100"}
    flask = [sys.executable, "-m", "flask", "--app", "app", "letters", "bulk", "acceptance"]
    args = ["--form", "intake", "--all", "-o", str(target), "--base-url", "http://t"]
    shown = _in_a_terminal(flask + args, env)
    assert "Issuing letters" in shown
    bars = re.findall(r"\[(#*-*)\]\s+(\d+)%", shown)
    assert [percent for _bar, percent in bars] == ["0", "33", "66", "100"]
    assert "-" not in bars[-1][0]  # the bar is full at the end
    assert "issued 3, failed 0" in shown
    assert len(zipfile.ZipFile(target).namelist()) == 3


def test_cli_zip_of_pdfs_archives_each_pdf(runner, store, records, tmp_path):
    require_tool("soffice")
    target = tmp_path / "letters.zip"
    args = ["--form", "intake", "--all", "--pdf", "-o", str(target), "--base-url", "http://t"]
    result = run(runner, "acceptance", *args)
    assert result.exit_code == 0, result.output
    archive = zipfile.ZipFile(target)
    letters = list(store.iter(REGISTER))
    assert archive.namelist() == [f"letter-{x['number'].replace('/', '-')}.pdf" for x in letters]
    for name, letter in zip(archive.namelist(), letters, strict=True):
        data = archive.read(name)
        assert data.startswith(b"%PDF-") and store.read_file(letter["pdf_sha256"]) == data


def test_pages_issue_all_into_one_merged_pdf(client, store, records):
    require_tool("soffice")
    token = csrf_token(client, "/forms/intake/submissions")
    response = start(client, token, scope="all", output="merged_pdf")
    assert response.status_code == 302
    state = wait_for(client, response.headers["Location"] + ".json", seconds=180)
    assert (state["status"], state["issued"]) == ("done", 3)
    download = client.get(state["download"])
    assert download.mimetype == "application/pdf" and download.data.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page[^s]", download.data)) == 3


def test_cli_ids_merged(runner, store, records, tmp_path):
    target = tmp_path / "print.docx"
    args = ["--ids", f"{records[0]['id']},{records[2]['id']}", "--merge", "-o", str(target)]
    result = run(runner, "acceptance", "--form", "intake", *args, "--base-url", "http://t")
    assert result.exit_code == 0, result.output
    assert "issued 2, failed 0" in result.output
    text = "\n".join(t.text or "" for t in Document(target).element.body.iter(qn("w:t")))
    assert NAMES[0] in text and NAMES[2] in text and NAMES[1] not in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--ids", "1,x"], "'x' is not a number"),
        (["--ids", "1,99"], "has no submission 99"),
        (["--ids", "1", "--all"], "either --all or --ids"),
        ([], "either --all or --ids"),
        (["--all", "--form", "nope"], 'there is no form "nope"'),
        (["--all", "-o", "out.docx"], "this output is a .zip"),
    ],
)
def test_cli_bad_input_exits_1_and_issues_nothing(runner, store, records, tmp_path, args, message):
    base = ["acceptance", "--form", "intake", "-o", str(tmp_path / "out.zip")]
    result = run(runner, *base, "--base-url", "http://t", *args)
    assert result.exit_code == 1
    assert message in result.output
    assert store.count(REGISTER) == 0


def test_cli_unknown_template_exits_1(runner, records, tmp_path):
    result = run(runner, "nope", "--form", "intake", "--all", "-o", str(tmp_path / "o.zip"))
    assert result.exit_code == 1
    assert 'there is no letter template "nope"' in result.output


# --- the pages ------------------------------------------------------------------------


def wait_for(client, url: str, seconds: float = 60) -> dict:
    """Poll the job's JSON as the page does until it ends (the job's thread is real)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = client.get(url).get_json()
        if state["status"] in ("done", "failed"):
            return state
        time.sleep(0.1)
    raise AssertionError(f"the job did not end in {seconds} s: {state}")


CONFIRMED = re.compile(r'name="confirmed" value="(\d+)"')


def start(client, token: str, **data):
    """Choose on the bulk form, then press "confirm" on the page that says what it will use."""
    payload = {"csrf_token": token, "form_id": "intake", "template": "acceptance", **data}
    response = client.post("/letters/bulk", data=payload)
    if response.status_code != 200:
        return response  # refused: nothing to confirm
    page = response.get_data(as_text=True)
    assert 'id="bulk-confirm"' in page and store_unchanged(page)
    return client.post("/letters/bulk", data={**payload, "confirmed": CONFIRMED.search(page)[1]})


def store_unchanged(page: str) -> bool:
    # The confirmation page starts nothing: it has no job address yet.
    return "/letters/jobs/" not in page


def test_pages_issue_the_chosen_ones_into_a_zip(client, store, records):
    page = client.get("/forms/intake/submissions").get_data(as_text=True)
    assert "data-select-all" in page and page.count("data-bulk-row") == 3
    token = csrf_token(client, "/forms/intake/submissions")
    ids = [str(records[0]["id"]), str(records[2]["id"])]
    response = start(client, token, scope="selected", ids=ids, output="zip_docx")
    assert response.status_code == 302
    job = response.headers["Location"]
    assert re.fullmatch(r"/letters/jobs/\d+", job)
    assert "<progress" in client.get(job).get_data(as_text=True)
    state = wait_for(client, job + ".json")
    assert state == {
        "status": "done",
        "done": 2,
        "total": 2,
        "issued": 2,
        "errors": [],
        "download": job + "/download",
    }
    download = client.get(state["download"])
    assert download.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(download.data)).namelist()
    assert names == [f"letter-{x['number'].replace('/', '-')}.docx" for x in store.iter(REGISTER)]
    recipients = [x["recipient"] for x in store.iter(REGISTER)]
    assert recipients == [NAMES[0], NAMES[2]]


def test_pages_issue_all_into_one_merged_word_file(client, store, records):
    token = csrf_token(client, "/letters/bulk?form=intake")
    response = start(client, token, scope="all", output="merged_docx")
    assert response.status_code == 302
    state = wait_for(client, response.headers["Location"] + ".json")
    assert (state["status"], state["issued"]) == ("done", 3)
    document = Document(io.BytesIO(client.get(state["download"]).data))
    assert len(document.sections) == 3


@pytest.fixture
def registrations(app, store):
    """Registrations of two programs in the shipped program_registration form."""
    form = app.extensions["rifd_forms"].get("program_registration")
    people = [("دورة الحاسب", NAMES[0]), ("دورة الخياطة", NAMES[1]), ("دورة الحاسب", NAMES[2])]
    answers = [
        {"program_name": program, "full_name": name, "national_id": "1000000008"}
        for program, name in people
    ]
    return [service.save(store, form, a, channel="website", entered_by="public") for a in answers]


def test_pages_issue_every_registration_of_one_program(client, store, registrations):
    listing = "/forms/program_registration/submissions?q=دورة الحاسب"
    page = client.get(listing).get_data(as_text=True)
    assert "العدد: 2" in page and "كل الطلبات التي يجدها البحث «دورة الحاسب»" in page
    response = start(
        client,
        csrf_token(client, listing),
        **{
            "form_id": "program_registration",
            "q": "دورة الحاسب",
            "scope": "all",
            "template": "program_acceptance",
            "output": "zip_docx",
            "program_name": "دورة الحاسب",
            "program_place": "مقر الجمعية",
            "program_start_date": "1448/07/01",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    state = wait_for(client, response.headers["Location"] + ".json")
    assert (state["status"], state["issued"], state["errors"]) == ("done", 2, [])
    assert [x["recipient"] for x in store.iter(REGISTER)] == [NAMES[0], NAMES[2]]
    assert all(x["missing"] == [] for x in store.iter(REGISTER))
    other = client.get("/letters/bulk?form=program_registration&q=الخياطة").get_data(as_text=True)
    assert "العدد: 1" in other and 'name="q" type="hidden" value="الخياطة"' in other


def test_cli_search_issues_what_it_finds(runner, store, registrations, tmp_path):
    target = tmp_path / "computer.zip"
    args = ["program_acceptance", "--form", "program_registration", "--all"]
    result = run(
        runner, *args, "--search", "الحاسب", "-o", str(target), "--base-url", "http://t",
        "--set", "program_name=دورة الحاسب", "--set", "program_place=مقر الجمعية",
        "--set", "program_start_date=1448/07/01",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "issued 2, failed 0" in result.output
    assert [x["recipient"] for x in store.iter(REGISTER)] == [NAMES[0], NAMES[2]]
    none = run(runner, *args, "--search", "الرسم", "-o", str(target), "--base-url", "http://t")
    assert none.exit_code == 1 and "no submissions matching" in none.output
    alone = run(
        runner,
        *args[:3],
        "--ids",
        "1",
        "--search",
        "x",
        "-o",
        str(target),
        "--base-url",
        "http://t",
    )
    assert alone.exit_code == 1 and "--search goes with --all" in alone.output
    assert store.count(REGISTER) == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"scope": "selected", "output": "zip_docx"}, "اختر طلبًا واحدًا على الأقل."),
        ({"scope": "selected", "ids": ["99"], "output": "zip_docx"}, "غير موجودة"),
        ({"scope": "selected", "ids": ["x"], "output": "zip_docx"}, "انتهت صلاحية الصفحة"),
        ({"scope": "all", "output": "zip_zip"}, "انتهت صلاحية الصفحة"),
        ({"scope": "all", "output": "zip_docx", "template": "nope"}, "نموذج الخطاب غير موجود."),
    ],
)
def test_pages_refuse_a_bad_choice_with_400_and_start_nothing(
    client, store, records, data, message
):
    token = csrf_token(client, "/forms/intake/submissions")
    response = start(client, token, **data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert store.count(bulk.JOBS) == 0 and store.count(REGISTER) == 0


def test_pages_without_a_token_or_a_form_start_nothing(client, store, records):
    assert start(client, "stale", scope="all", output="zip_docx").status_code == 400
    token = csrf_token(client, "/forms/intake/submissions")
    assert start(client, token, scope="all", form_id="nope").status_code == 404
    assert store.count(bulk.JOBS) == 0


def test_a_failure_in_the_thread_is_kept_in_the_job(client, store, records, monkeypatch):
    def broken(*_args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(bulk, "pack", broken)
    token = csrf_token(client, "/forms/intake/submissions")
    job = start(client, token, scope="all", output="zip_docx").headers["Location"]
    state = wait_for(client, job + ".json")
    assert state["status"] == "failed" and state["download"] is None
    assert state["errors"] == [{"ref": "", "error": "disk full"}]
    assert state["issued"] == 3  # issued and registered all the same
    assert client.get(job + "/download").status_code == 404
    assert "disk full" in client.get(job).get_data(as_text=True)


def test_unknown_jobs_are_404(client):
    for url in ("/letters/jobs/9", "/letters/jobs/9.json", "/letters/jobs/9/download"):
        assert client.get(url).status_code == 404
    assert client.get("/letters/bulk?form=nope").status_code == 404
