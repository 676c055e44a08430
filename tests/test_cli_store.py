"""`flask store backup | restore | copy`: a whole installation, round trip, on every backend."""

import io
import os
import shutil
import tarfile
from pathlib import Path

import pytest
from docx import Document

from app import create_app
from letters.issue import REGISTER, TemplateVersion, find_by_code, is_genuine, issue
from store import Store
from submissions import service
from tests.conftest import post_form
from tests.store_state import state, tree
from tests.web.conftest import PDF, own_forms, valid_intake  # noqa: F401  (fixtures)


@pytest.fixture(params=["tinydb", "postgres"])
def backend(request):
    return request.param


@pytest.fixture
def new_app(request, backend):
    """Return a function making an app on a data folder, with its records in the backend
    under test (in a fresh database schema, or at the URL given)."""
    made = []

    def make(folder: Path, url=None, backend=backend):
        config = {"TESTING": True, "DATA_DIR": str(folder), "SECRET_KEY": "test"}
        if url is not None:
            config["DATABASE_URL"] = url
        elif backend == "postgres":
            config["DATABASE_URL"] = request.getfixturevalue("postgres").new_url()
        made.append(create_app(config))
        return made[-1]

    yield make
    for app in made:
        app.extensions["rifd_store"].close()


@pytest.fixture
def app(tmp_path, new_app):
    app = new_app(tmp_path / "data")
    result = app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    return app


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


def reads_everything_back(app, record, letter) -> None:
    """Check a new app sees the installation: submission, upload, letter, forms."""
    data = app.extensions["rifd_store"]
    [back] = data.iter(service.collection("intake"))
    assert back == record and back["answers"]["full_name"] == "محمد بن عبدالله"
    assert data.read_file(back["answers"]["id_copy"]["sha256"]) == PDF
    found = find_by_code(data, letter["code"])
    assert found == letter and is_genuine(found, data.read_file(found["sha256"]))
    assert app.extensions["rifd_forms"].get("intake") is not None
    assert data.count(REGISTER) == 1


def test_backup_and_restore_give_back_the_installation(
    app, runner, installation, new_app, backend, tmp_path
):
    record, letter = installation
    source = Path(app.config["DATA_DIR"])
    archive = tmp_path / "backups" / "rifd.tar.gz"
    archive.parent.mkdir()
    result = runner.invoke(args=["store", "backup", "-o", str(archive)])
    assert result.exit_code == 0, result.output
    assert "Backup written" in result.output and "secret key" in result.output
    assert "personal data" in result.output and "Keep it safe" in result.output

    other = new_app(tmp_path / "elsewhere" / "data")
    result = other.test_cli_runner().invoke(args=["store", "restore", str(archive)])
    assert result.exit_code == 0, result.output
    assert "Restored" in result.output and "before-restore" not in result.output

    restored = Path(other.config["DATA_DIR"])
    assert state(other.extensions["rifd_store"]) == state(app.extensions["rifd_store"])
    assert {"secret_key", "forms/intake.json"} <= set(tree(restored))
    if backend == "tinydb":
        assert tree(restored) == tree(source)
        assert "settings/000000.json" in tree(restored)

    # A new app on the restored data reads everything back.
    reads_everything_back(new_app(restored, other.config.get("DATABASE_URL")), record, letter)


def test_restore_over_data_needs_force_and_keeps_what_was_there(
    app, runner, installation, new_app, backend
):
    source = Path(app.config["DATA_DIR"])
    archive = source.parent / "rifd.tar.gz"
    data = app.extensions["rifd_store"]
    assert runner.invoke(args=["store", "backup", "-o", str(archive)]).exit_code == 0
    data.insert("settings", {"after": "the backup"})
    now, files = state(data), tree(source)

    result = runner.invoke(args=["store", "restore", str(archive)])
    assert result.exit_code == 1
    assert "already holds data" in result.output and "--force" in result.output
    assert state(data) == now

    result = runner.invoke(args=["store", "restore", "--force", str(archive)])
    assert result.exit_code == 0, result.output
    [folder] = (p for p in source.parent.glob("data.before-restore-*") if p.is_dir())
    assert str(folder) in result.output
    assert tree(folder) == files
    assert data.count("settings") == 1
    if backend == "postgres":  # the database's content, kept as a backup beside the folder
        [kept] = source.parent.glob("data.before-restore-*.tar.gz")
        assert str(kept) in result.output
        back = new_app(source.parent / "back")  # an app writes at start: --force
        done = back.test_cli_runner().invoke(args=["store", "restore", "--force", str(kept)])
        assert done.exit_code == 0, done.output
        assert state(back.extensions["rifd_store"])["records"] == now["records"]


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
    data = app.extensions["rifd_store"]
    before, siblings = state(data), sorted(os.listdir(source.parent))

    result = runner.invoke(args=["store", "restore", "--force", str(archive)])
    assert result.exit_code == 1
    assert "refused '../evil'" in result.output and "Traceback" not in result.output
    assert state(data) == before and sorted(os.listdir(source.parent)) == siblings


@pytest.mark.parametrize(
    "args, message",
    [
        (["backup", "-o", "{tmp}/no/such/folder/b.tar.gz"], "cannot write to"),
        (["backup", "-o", "{data}/inside.tar.gz"], "outside the data folder"),
        (["restore", "--force", "{tmp}/missing.tar.gz"], "cannot restore"),
        (["restore", "--force", "{tmp}/not-a-backup.tar.gz"], "not a readable backup"),
        (["copy", "--to", "{tmp}/full"], "already holds records"),
        (["copy", "--to", "postgresql://rifd@/nothing?host=/nonexistent"], "PostgreSQL"),
        (["copy", "--to", "mysql://rifd@db/rifd"], "postgresql://"),
    ],
)
def test_errors_exit_1_with_one_clear_line(app, runner, tmp_path, args, message):
    (tmp_path / "not-a-backup.tar.gz").write_bytes(b"hello")
    Store(tmp_path / "full").insert("settings", {})
    fill = {"tmp": str(tmp_path), "data": app.config["DATA_DIR"]}
    result = runner.invoke(args=["store"] + [a.format(**fill) for a in args])
    assert result.exit_code == 1, result.output
    assert message in result.output and "Traceback" not in result.output


def test_copy_to_the_other_backend(app, runner, installation, new_app, backend, postgres, tmp_path):
    record, letter = installation
    data = app.extensions["rifd_store"]
    data.delete(REGISTER, data.insert(REGISTER, {"withdrawn": True}))  # a highest id to keep
    data.next_number("letters/outgoing")
    before = state(data)
    # Into PostgreSQL (the files stay in the data folder), or out into a folder of its own;
    # an app started there first wrote its upgrade notes and key: they are replaced.
    if backend == "tinydb":
        target = postgres.new_url()
        new_app(tmp_path / "unused", target).extensions["rifd_store"].close()
    else:
        target = str(tmp_path / "folder")
        new_app(Path(target), backend="tinydb")
    result = runner.invoke(args=["store", "copy", "--to", target])
    assert result.exit_code == 0, result.output
    assert "Copied and checked" in result.output
    assert f"{service.collection('intake')}: 1 records" in result.output
    assert state(data) == before  # the source is not changed

    if backend == "tinydb":
        moved = new_app(Path(app.config["DATA_DIR"]), target)
    else:
        moved = new_app(Path(target), backend="tinydb")
    assert state(moved.extensions["rifd_store"]) == before
    reads_everything_back(moved, record, letter)
    assert moved.extensions["rifd_store"].insert(REGISTER, {}) == 3  # id 2 is never reused
    assert moved.extensions["rifd_store"].next_number("letters/outgoing") == 2


def files_of(folder: Path) -> set[str]:
    root = folder / "_files"
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_copy_files_into_object_storage_and_back(
    app, runner, installation, new_app, s3, tmp_path, monkeypatch
):
    record, letter = installation
    data_dir = Path(app.config["DATA_DIR"])
    held = files_of(data_dir)
    assert len(held) >= 3  # the upload, the signature, the letter
    url = s3.new_url()
    result = runner.invoke(args=["store", "copy-files", "--to", url])
    assert result.exit_code == 0, result.output
    assert f"Copied and checked: {len(held)} files" in result.output
    assert f"RIFD_FILES_URL={url}" in result.output
    assert {k.removeprefix("rifd/files/") for k in s3.keys(url)} == held
    assert "rifd-test-secret-never-shown" not in result.output

    # Switched to the bucket, the installation reads everything from it alone.
    monkeypatch.setenv("RIFD_FILES_URL", url)
    shutil.rmtree(data_dir / "_files")
    moved = new_app(data_dir, app.config.get("DATABASE_URL"))
    reads_everything_back(moved, record, letter)

    # And back into a data folder of its own.
    back = tmp_path / "back"
    result = moved.test_cli_runner().invoke(args=["store", "copy-files", "--to", str(back)])
    assert result.exit_code == 0, result.output
    assert files_of(back) == held and "unset RIFD_FILES_URL" in result.output
    again = moved.test_cli_runner().invoke(args=["store", "copy-files", "--to", url])
    assert again.exit_code == 1 and "already kept in s3://" in again.output


def test_copy_to_a_folder_brings_the_files_out_of_object_storage(
    new_app, s3, tmp_path, monkeypatch
):
    monkeypatch.setenv("RIFD_FILES_URL", s3.new_url())
    source = new_app(tmp_path / "data")
    digest = source.extensions["rifd_store"].put_file(PDF)
    source.extensions["rifd_store"].insert("settings", {"logo_sha256": digest})
    target = tmp_path / "folder"
    result = source.test_cli_runner().invoke(args=["store", "copy", "--to", str(target)])
    assert result.exit_code == 0, result.output
    assert files_of(target) == {f"{digest[:2]}/{digest[2:]}"}
    monkeypatch.delenv("RIFD_FILES_URL")
    assert new_app(target, backend="tinydb").extensions["rifd_store"].read_file(digest) == PDF
