"""`flask store backup` and `flask store restore`: a whole installation, round trip."""

import io
import os
import tarfile
from pathlib import Path

import pytest
from docx import Document

from app import create_app
from letters.issue import REGISTER, TemplateVersion, find_by_code, is_genuine, issue
from submissions import service
from tests.conftest import post_form
from tests.web.conftest import PDF, own_forms, valid_intake  # noqa: F401  (fixtures)


def tree(root: Path) -> dict[str, bytes]:
    """Map each data file under root to its bytes, leaving out locks, temp leftovers and
    the indexes (derived from the records, built again on start)."""
    found = {}
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d not in ("_locks", "_index")]
        for name in names:
            if not name.endswith((".lock", ".tmp")):
                path = Path(folder, name)
                found[path.relative_to(root).as_posix()] = path.read_bytes()
    return found


def letter_template() -> TemplateVersion:
    doc = Document()
    doc.add_paragraph("الرقم: {{ letter.number }}")
    doc.add_paragraph("إلى {{ name }}")
    out = io.BytesIO()
    doc.save(out)
    return TemplateVersion("acceptance", 1, out.getvalue())


@pytest.fixture
def installation(app, client, store, valid_intake):  # noqa: F811
    """An association at work: a web submission with an upload, an issued letter, a key."""
    data = dict(valid_intake, id_copy=(io.BytesIO(PDF), "هوية.pdf"))
    assert post_form(client, "/forms/intake/new", data).status_code == 302
    [record] = store.iter(service.collection("intake"))
    letter = issue(
        store,
        letter_template(),
        {"name": record["answers"]["full_name"]},
        letter_type="acceptance",
        recipient=record["answers"]["full_name"],
        issued_by="staff",
    )
    (Path(app.config["DATA_DIR"]) / "secret_key").write_text("s" * 64)
    return record, letter


def fresh_app(folder: Path):
    return create_app({"TESTING": True, "DATA_DIR": str(folder), "SECRET_KEY": "test"})


def test_backup_and_restore_give_back_the_installation(app, runner, installation, tmp_path):
    record, letter = installation
    source = Path(app.config["DATA_DIR"])
    archive = tmp_path / "backups" / "rifd.tar.gz"
    archive.parent.mkdir()
    result = runner.invoke(args=["store", "backup", "-o", str(archive)])
    assert result.exit_code == 0, result.output
    assert "Backup written" in result.output and "secret key" in result.output
    assert "personal data" in result.output and "Keep it safe" in result.output

    other = fresh_app(tmp_path / "elsewhere" / "data")
    result = other.test_cli_runner().invoke(args=["store", "restore", str(archive)])
    assert result.exit_code == 0, result.output
    assert "Restored" in result.output and "before-restore" not in result.output

    restored = Path(other.config["DATA_DIR"])
    assert tree(restored) == tree(source)
    assert {"secret_key", "forms/intake.json", "settings/000000.json"} <= set(tree(restored))

    # A new app on the restored folder reads everything back.
    again = fresh_app(restored)
    data = again.extensions["rifd_store"]
    [back] = data.iter(service.collection("intake"))
    assert back == record and back["answers"]["full_name"] == "محمد بن عبدالله"
    assert data.read_file(back["answers"]["id_copy"]["sha256"]) == PDF
    found = find_by_code(data, letter["code"])
    assert found == letter and is_genuine(found, data.read_file(found["sha256"]))
    assert again.extensions["rifd_forms"].get("intake") is not None
    assert data.count(REGISTER) == 1


def test_restore_over_data_needs_force_and_keeps_the_old_folder(app, runner, installation):
    source = Path(app.config["DATA_DIR"])
    archive = source.parent / "rifd.tar.gz"
    assert runner.invoke(args=["store", "backup", "-o", str(archive)]).exit_code == 0
    app.extensions["rifd_store"].insert("settings", {"after": "the backup"})
    now = tree(source)

    result = runner.invoke(args=["store", "restore", str(archive)])
    assert result.exit_code == 1
    assert "already holds data" in result.output and "--force" in result.output
    assert tree(source) == now

    result = runner.invoke(args=["store", "restore", "--force", str(archive)])
    assert result.exit_code == 0, result.output
    [aside] = source.parent.glob("data.before-restore-*")
    assert str(aside) in result.output
    assert tree(aside) == now
    assert app.extensions["rifd_store"].count("settings") == 1


def test_a_tampered_archive_changes_nothing(app, runner, installation):
    source = Path(app.config["DATA_DIR"])
    archive = source.parent / "rifd.tar.gz"
    assert runner.invoke(args=["store", "backup", "-o", str(archive)]).exit_code == 0
    with tarfile.open(archive) as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar.getmembers()]
    with tarfile.open(archive, "w:gz") as tar:
        for member, body in members:
            tar.addfile(member, io.BytesIO(body))
        evil = tarfile.TarInfo("../evil")
        evil.size = 4
        tar.addfile(evil, io.BytesIO(b"evil"))
    before, siblings = tree(source), sorted(os.listdir(source.parent))

    result = runner.invoke(args=["store", "restore", "--force", str(archive)])
    assert result.exit_code == 1
    assert "refused '../evil'" in result.output and "Traceback" not in result.output
    assert tree(source) == before and sorted(os.listdir(source.parent)) == siblings


@pytest.mark.parametrize(
    "args, message",
    [
        (["backup", "-o", "{tmp}/no/such/folder/b.tar.gz"], "cannot write to"),
        (["backup", "-o", "{data}/inside.tar.gz"], "outside the data folder"),
        (["restore", "--force", "{tmp}/missing.tar.gz"], "cannot restore"),
        (["restore", "--force", "{tmp}/not-a-backup.tar.gz"], "not a readable backup"),
    ],
)
def test_errors_exit_1_with_one_clear_line(app, runner, tmp_path, args, message):
    (tmp_path / "not-a-backup.tar.gz").write_bytes(b"hello")
    fill = {"tmp": str(tmp_path), "data": app.config["DATA_DIR"]}
    result = runner.invoke(args=["store"] + [a.format(**fill) for a in args])
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
