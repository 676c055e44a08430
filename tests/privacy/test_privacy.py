"""A person's rights: find him by ID, export all he gave, erase it with the register trimmed."""

import datetime as dt
import io
import zipfile

import pytest
from docx import Document
from openpyxl import load_workbook

from accounts.audit import COLLECTION as AUDIT
from accounts.audit import Actor, everything
from cases import outbox
from cases.operations import void_letter
from cases.programs import PROGRAMS
from cases.registrations import REGISTRATIONS
from letters.issue import REGISTER, TemplateVersion, issue
from privacy.erase import erase_person
from privacy.export import export_person
from privacy.person import find_person
from submissions.service import collection
from tests.conftest import csrf_token, post_form, sign_in
from tests.web.conftest import PDF

HIS_ID, OTHER_ID = "1000000008", "2172323137"
PDF_A, PDF_B, PDF_OTHER = (PDF + tag for tag in (b"%a\n", b"%b\n", b"%other\n"))


def _template() -> TemplateVersion:
    doc = Document()
    doc.add_paragraph("الرقم: {{ letter.number }} إلى {{ name }}")
    out = io.BytesIO()
    doc.save(out)
    return TemplateVersion("acceptance", 1, out.getvalue())


def _submit(client, data: dict, pdf: bytes) -> None:
    response = post_form(
        client, "/forms/intake/new", dict(data, id_copy=(io.BytesIO(pdf), "a.pdf"))
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def _letter(store, record: dict, today: dt.date) -> dict:
    return issue(
        store,
        _template(),
        {"name": "محمد بن عبدالله"},
        letter_type="acceptance",
        recipient="محمد بن عبدالله",
        issued_by="staff",
        answers={"form_id": "intake", "submission_id": record["id"], "ref": record["ref"]},
        today=today,
    )


@pytest.fixture
def people(client, store, valid_intake):
    """His two intakes (ASCII and Arabic-Indic digits), another person's, and two letters."""
    _submit(client, dict(valid_intake, national_id="١٠٠٠٠٠٠٠٠٨"), PDF_A)
    _submit(client, dict(valid_intake, national_id=HIS_ID, full_name="محمد"), PDF_B)
    _submit(client, dict(valid_intake, national_id=OTHER_ID, full_name="خالد"), PDF_OTHER)
    mine = list(store.iter(collection("intake")))[:2]
    old = _letter(store, mine[0], dt.date(2010, 1, 1))
    recent = _letter(store, mine[1], dt.date.today())
    return mine, old, recent


def _forms(app):
    return app.extensions["rifd_forms"]


def test_find_matches_by_field_type_and_digits(app, store, people):
    mine, old, recent = people
    person = find_person(store, _forms(app), "١٠٠٠٠٠٠٠٠٨")
    assert [r["id"] for _f, r in person.submissions] == [r["id"] for r in mine]
    assert [x["id"] for x in person.letters] == [old["id"], recent["id"]]
    assert person.counts() == {"intake": 2}
    with pytest.raises(ValueError):
        find_person(store, _forms(app), "1000000000")


def test_export_holds_his_data_only(app, store, people):
    pid = store.insert(PROGRAMS, {"name": "دورة الحاسب الآلي", "seats": 10})
    for nid, name in ((HIS_ID, "محمد"), (OTHER_ID, "خالد")):
        registration = {"program_id": pid, "national_id": nid, "name": name, "status": "accepted"}
        rid = store.insert(
            REGISTRATIONS, {**registration, "created_at": "2026-03-01T09:00:00+00:00"}
        )
        with store.transaction() as tx:  # what the association told each of them
            text = f"{name}، قُبل تسجيلك في الدورة"
            outbox.queue(tx, "+966512345678", text, "program_acceptance", registration_id=rid)
    person = find_person(store, _forms(app), HIS_ID)
    archive = zipfile.ZipFile(io.BytesIO(export_person(store, _forms(app), person)))
    names = archive.namelist()
    refs = [r["ref"] for _f, r in person.submissions]
    assert f"documents/{refs[0]}/id_copy.pdf" in names
    assert f"documents/{refs[1]}/sign.png" in names
    assert archive.read(f"documents/{refs[0]}/id_copy.pdf") == PDF_A
    assert PDF_OTHER not in [archive.read(n) for n in names]
    assert sum(n.startswith("letters/") and n.endswith(".docx") for n in names) == 2
    book = load_workbook(io.BytesIO(archive.read("data.xlsx")))
    main = book.worksheets[0]
    assert main.sheet_view.rightToLeft
    cells = [c.value for row in book.worksheets[0].iter_rows() for c in row]
    assert "خالد" not in cells and refs[0] in cells and refs[1] in cells
    letters = book["الخطابات"]
    assert letters.max_row == 3
    # His programs too: where he registered, and what became of it; not the other's.
    rows = list(book["التسجيل في البرامج"].values)
    assert rows[1][:3] == ("دورة الحاسب الآلي", "accepted", "محمد") and len(rows) == 2
    # And what was sent him about them; not what was sent the other.
    sent = list(book["الرسائل"].values)
    assert [row[5] for row in sent[1:]] == ["محمد، قُبل تسجيلك في الدورة"]


@pytest.fixture
def files_at(request, monkeypatch):
    """Where the app keeps its files: "folder" (the default), or "s3" (a bucket on moto)."""
    kind = getattr(request, "param", "folder")
    if kind == "s3":
        monkeypatch.setenv("RIFD_FILES_URL", request.getfixturevalue("s3").new_url())
    return kind


@pytest.fixture
def app(files_at, app):
    """The app of the tests (tests/conftest.py), made with its files where files_at says."""
    return app


# Erasure deletes the objects from a bucket as it deletes the files from the folder.
@pytest.mark.parametrize("files_at", ["folder", "s3"], indirect=True)
def test_erase_anonymises_and_keeps_what_the_law_requires(app, store, people, files_at):
    mine, old, recent = people
    assert (store.root / "_files").exists() == (files_at == "folder")
    other = list(store.iter(collection("intake")))[2]
    # A letter voided with a reason that names him: the reason goes, the voiding stays.
    void_letter(store, recent["id"], "الاسم خطأ: محمد بن عبدالله", Actor("t", "", everything))
    person = find_person(store, _forms(app), HIS_ID)
    summary = erase_person(store, _forms(app), person, retention_years=10, today=dt.date.today())
    assert summary["submissions"] == 2 and summary["letters"] == 2
    assert summary["letter_archives_erased"] == 1 and summary["letter_archives_kept"] == 1
    for record in mine:
        now = store.get(collection("intake"), record["id"])
        assert now["answers"] == {} and now["erased"] and now["erased_at"]
        assert (now["ref"], now["created_at"], now["form_version"]) == (
            record["ref"],
            record["created_at"],
            record["form_version"],
        )
    # His files are gone; the signature he shares with the other person stays.
    assert not store.has_file(mine[0]["answers"]["id_copy"]["sha256"])
    assert not store.has_file(mine[1]["answers"]["id_copy"]["sha256"])
    assert store.has_file(mine[0]["answers"]["sign"]["sha256"])
    assert store.get(collection("intake"), other["id"]) == other
    assert store.read_file(other["answers"]["id_copy"]["sha256"]) == PDF_OTHER
    # The register keeps number, date and type; not his name, the link or the code.
    for before in (old, recent):
        after = store.get(REGISTER, before["id"])
        for key in ("number", "date", "letter_type", "template", "issued_by"):
            assert after[key] == before[key]
        assert after["recipient"] == "—" and after["answers"] == {} and after["code"] is None
    assert store.get(REGISTER, old["id"])["archive_erased"] is True
    voided = store.get(REGISTER, recent["id"])["void"]
    assert voided["reason"] == "—" and voided["by"] == "t" and voided["on"]
    assert not store.has_file(old["sha256"])
    assert store.read_file(recent["sha256"])  # younger than the retention period
    assert not find_person(store, _forms(app), HIS_ID).found


def test_cli_export_and_erase(app, runner, store, people, tmp_path):
    out = tmp_path / "him.zip"
    result = runner.invoke(args=["privacy", "export", "١٠٠٠٠٠٠٠٠٨", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "data.xlsx" in zipfile.ZipFile(out).namelist()
    result = runner.invoke(args=["privacy", "erase", HIS_ID], input="n\n")
    assert result.exit_code == 1 and find_person(store, _forms(app), HIS_ID).found
    result = runner.invoke(args=["privacy", "erase", HIS_ID, "--yes"])
    assert result.exit_code == 0, result.output
    assert '"files_deleted": 3' in result.output  # two ID copies, the old letter
    entries = [e for e in store.iter(AUDIT) if e["entity"] == "person"]
    assert [e["action"] for e in entries] == ["export", "erase"]
    assert entries[1]["entity_id"] == "******0008" and entries[1]["actor"].startswith("cli:")
    assert entries[1]["after"]["submissions"] == 2


@pytest.mark.parametrize(
    ("national_id", "says"), [("1000000000", "valid national ID"), ("1234567897", "Nobody")]
)
def test_cli_refuses_bad_or_unknown_ids(runner, national_id, says):
    result = runner.invoke(args=["privacy", "erase", national_id, "--yes"])
    assert result.exit_code == 1 and says in result.output


def _admin(app):
    client = app.test_client()
    sign_in(client, app, username="boss", roles=["admin"])
    return client


def test_the_page_finds_exports_and_erases(app, store, people):
    admin = _admin(app)
    page = post_form(admin, "/privacy/", {"national_id": "١٠٠٠٠٠٠٠٠٨", "action": "find"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "******0008" in html and "نموذج استقبال" in html
    # Isolated left to right: bare in the Arabic heading it showed as "0008******".
    assert "لصاحب الهوية \u2066******0008\u2069</h2>" in html
    response = post_form(admin, "/privacy/", {"national_id": HIS_ID, "action": "export"})
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "data.xlsx" in zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    wrong = post_form(admin, "/privacy/", {"national_id": HIS_ID, "action": "erase"})
    assert "اكتب رقم الهوية مرة أخرى" in wrong.get_data(as_text=True)
    assert find_person(store, _forms(app), HIS_ID).found
    done = post_form(
        admin, "/privacy/", {"national_id": HIS_ID, "confirm": HIS_ID, "action": "erase"}
    )
    assert "مُسحت بيانات" in done.get_data(as_text=True)
    assert not find_person(store, _forms(app), HIS_ID).found
    entries = [e for e in store.iter(AUDIT) if e["entity"] == "person"]
    assert [(e["action"], e["actor"]) for e in entries] == [("export", "boss"), ("erase", "boss")]


@pytest.mark.parametrize(
    ("national_id", "says"), [("1000000000", "رقم"), ("1234567897", "لا توجد")]
)
def test_the_page_says_why_nothing_was_found(app, national_id, says):
    page = post_form(_admin(app), "/privacy/", {"national_id": national_id, "action": "find"})
    assert page.status_code == 200 and says in page.get_data(as_text=True)


def test_the_page_is_refused_to_intake(app):
    client = app.test_client()
    sign_in(client, app, username="desk", roles=["intake"])
    assert client.get("/privacy/").status_code == 403


def test_erasure_blanks_his_values_in_the_audit_trail_too(app, client, store, valid_intake):
    response = post_form(client, "/forms/intake/new", valid_intake)
    page = response.headers["Location"].split("?")[0]
    rid = page.rsplit("/", 1)[1]
    token = csrf_token(client, page)
    client.post(page + "/reveal", data={"csrf_token": token, "field": "national_id"})
    client.post(
        f"/letters/from/intake/{rid}",
        data={"csrf_token": token, "template": "rejection", "reasons": "دين على محمد"},
    )
    [letter] = list(store.iter(REGISTER))
    his = ("1000000008", "محمد بن عبدالله", "SA0380000000608010167519", "+966512345678")
    assert all(value in str(list(store.iter(AUDIT))) for value in his)
    post_form(
        _admin(app), "/privacy/", {"national_id": HIS_ID, "confirm": HIS_ID, "action": "erase"}
    )
    trail = list(store.iter(AUDIT))
    assert not any(value in str(trail) for value in his + ("دين على",))
    by_action = {e["action"]: e for e in trail}
    created, issued = by_action["create"], by_action["issue"]
    assert created["actor"] == "staff" and created["entity_id"] == rid and created["at"]
    assert created["after"]["national_id"] == "—"
    assert issued["after"]["number"] == letter["number"]  # what the register keeps, kept
    assert issued["after"]["recipient"] == "—" and issued["after"]["decision"] == "—"
    assert by_action["reveal"]["before"] == {"field": "national_id", "value": "—"}
    assert by_action["erase"]["after"]["audit_entries_blanked"] == 3


def test_the_retention_period_is_set_from_the_command_line(app, runner, store, people):
    assert "for 10 years" in runner.invoke(args=["privacy", "retention"]).output
    assert runner.invoke(args=["privacy", "retention", "-1"]).exit_code == 2
    result = runner.invoke(args=["privacy", "retention", "30"])
    assert result.exit_code == 0 and "for 30 years" in result.output
    [entry] = [e for e in store.iter(AUDIT) if e["action"] == "set_retention"]
    assert entry["before"] == {"letters_retention_years": 10}
    assert entry["after"] == {"letters_retention_years": 30}
    erased = runner.invoke(args=["privacy", "erase", HIS_ID, "--yes"])
    assert '"letter_archives_erased": 0' in erased.output  # the old letter is kept now
