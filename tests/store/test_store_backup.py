"""Backup and restore of a store: the same data back, and nothing else let in.

Every backend writes and reads the same archive (a data folder's files; PostgreSQL's
records laid out as the TinyDB backend's shards): the TinyDB one gives back the very
same bytes.
"""

import gzip
import io
import os
import tarfile
import threading
import time
from pathlib import Path

import orjson
import pytest

from store import open_files
from store.backup import BackupError, create_backup
from store.layout import LOCK_NAME
from store.storage import locked
from tests.store_state import state, tree

NAMES = ["محمد بن عبدالله", "نورة", "سارة", "عبدالرحمن"]


@pytest.fixture
def filled(store, small_shards):
    """A store with records over several shards, a deletion, counters, files and extras."""
    ids = store.insert_many("beneficiaries", [{"name": NAMES[i % 4], "n": i} for i in range(25)])
    store.delete("beneficiaries", ids[-1])  # the high-water mark must survive too
    store.insert("submissions/intake", {"answers": {"الاسم": "محمد", "income": 3500.5}})
    for _ in range(3):
        store.next_number("requests/y1448")
    digests = [store.put_file(b"%PDF-1.4 letter"), store.put_file(bytes(range(256)) * 64)]
    (store.root / "secret_key").write_text("k" * 64)
    (store.root / "forms").mkdir()
    (store.root / "forms" / "intake.json").write_text('{"id": "intake"}', encoding="utf-8")
    with store.lock("letters"):
        pass  # leaves _locks/letters.lock behind
    (store.root / "beneficiaries").mkdir(exist_ok=True)
    (store.root / "beneficiaries" / ".000002.json.abc.tmp").write_bytes(b"half a wri")
    return store, digests


def test_round_trip_gives_back_everything(filled, store_at, backend, tmp_path):
    store, digests = filled
    archive = tmp_path / "out" / "backup.tar.gz"
    archive.parent.mkdir()
    manifest = store.backup(archive)
    target = tmp_path / "restored" / "data"
    again = store_at(target)
    got, kept = again.restore(archive)
    assert kept == [] and got == manifest
    assert state(again) == state(store)
    if backend == "tinydb":
        assert tree(target) == tree(store.root)
        assert len(tree(target)) == len(manifest["files"]) >= 8

    assert [r["name"] for r in again.iter("beneficiaries")] == [NAMES[i % 4] for i in range(24)]
    assert again.insert("beneficiaries", {"name": "جديد"}) == 26  # id 25 is never reused
    assert again.find("submissions/intake")[0]["answers"]["الاسم"] == "محمد"
    assert again.next_number("requests/y1448") == 4
    assert again.read_file(digests[1]) == bytes(range(256)) * 64


def test_manifest_lists_each_file_and_leaves_out_locks_and_temps(filled, tmp_path):
    store, _ = filled
    archive = tmp_path / "b.tar.gz"
    manifest = store.backup(archive)
    assert manifest["format"] == "rifd-backup" and manifest["version"] == 1
    assert manifest["created_at"].endswith("+00:00")
    paths = {entry["path"] for entry in manifest["files"]}
    assert paths == set(tree(store.root)) | set(store.dump())
    assert "beneficiaries/000002.json" in paths  # the shard of the deleted, highest id
    assert not any(p.startswith("_locks") or p.endswith((".lock", ".tmp")) for p in paths)
    assert {"secret_key", "forms/intake.json", "_counters/requests.y1448.json"} <= paths
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        listed = orjson.loads(tar.extractfile("manifest.json").read())
    assert listed == manifest
    assert sorted(names) == sorted(["manifest.json"] + [f"data/{p}" for p in paths])
    assert archive.stat().st_mode & 0o077 == 0  # it holds the secret key


@pytest.mark.backends("tinydb")
def test_backup_waits_for_a_writer_holding_a_collection_lock(filled, tmp_path):
    store, _ = filled
    done = threading.Event()
    lock = store.root / "beneficiaries" / LOCK_NAME
    with locked(lock):
        worker = threading.Thread(
            target=lambda: (create_backup(store.root, tmp_path / "b.tar.gz"), done.set())
        )
        worker.start()
        time.sleep(0.3)
        assert not done.is_set()
    worker.join(10)
    assert done.is_set()


def test_backup_is_one_moment_across_collections(open_store, store_at, tmp_path):
    # The writer adds to "cases" then to "audit": a backup that read the collections
    # one after another could hold more audit records than cases.
    writer, stop = open_store(), threading.Event()

    def write():
        while not stop.is_set():
            writer.insert("cases", {"name": "محمد"})
            writer.insert("audit", {"what": "created"})

    thread = threading.Thread(target=write)
    thread.start()
    try:
        for n in range(8):
            archive = tmp_path / f"b{n}.tar.gz"
            writer.backup(archive)
            copy = store_at(tmp_path / f"r{n}")
            copy.restore(archive)
            assert copy.count("cases") - copy.count("audit") in (0, 1)
    finally:
        stop.set()
        thread.join(10)


@pytest.mark.parametrize(
    "dest, message",
    [
        ("missing/folder/b.tar.gz", "cannot write to"),
        ("data/b.tar.gz", "outside the data folder"),
        ("data", "outside the data folder"),
    ],
)
def test_backup_refuses_a_bad_destination(store, tmp_path, dest, message):
    store.insert("settings", {"name": "x"})
    with pytest.raises(BackupError, match=message):
        store.backup(tmp_path / dest)


def test_a_failed_backup_leaves_the_old_file_and_no_temp(store, tmp_path, monkeypatch):
    store.insert("settings", {"name": "x"})
    archive = tmp_path / "b.tar.gz"
    archive.write_bytes(b"yesterday's backup")

    def broken(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tarfile.TarFile, "addfile", broken)
    with pytest.raises(BackupError, match="No space left"):
        store.backup(archive)
    assert archive.read_bytes() == b"yesterday's backup"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.tar.gz", "data"]


# ---- tampered archives ----------------------------------------------------------------


def rewrite(archive: Path, change) -> None:
    """Rebuild the archive with change(name, data) -> data (None drops the member)."""
    with tarfile.open(archive) as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar.getmembers()]
    with tarfile.open(archive, "w:gz") as tar:
        for member, data in members:
            data = change(member.name, data)
            if data is not None:
                member.size = len(data)
                tar.addfile(member, io.BytesIO(data))


def add_member(archive: Path, info: tarfile.TarInfo, data: bytes = b"") -> None:
    with tarfile.open(archive) as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar.getmembers()]
    with tarfile.open(archive, "w:gz") as tar:
        for member, body in members:
            tar.addfile(member, io.BytesIO(body))
        info.size = len(data) if info.isfile() else 0
        tar.addfile(info, io.BytesIO(data) if info.isfile() else None)


@pytest.fixture
def archive(filled, tmp_path):
    path = tmp_path / "b.tar.gz"
    filled[0].backup(path)
    return path


@pytest.fixture
def refused(store_at, tmp_path):
    """Check a restore into a new store at tmp_path/data fails with match, changing nothing."""

    def check(archive: Path, match: str) -> None:
        target = store_at(tmp_path / "data")
        target.insert("settings", {"kept": True})
        before, siblings = state(target), sorted(os.listdir(tmp_path))
        with pytest.raises(BackupError, match=match):
            target.restore(archive, force=True)
        assert state(target) == before
        assert sorted(os.listdir(tmp_path)) == siblings

    return check


def flip(data: bytes) -> bytes:
    return data[:10] + bytes([data[10] ^ 1]) + data[11:]


def test_a_flipped_byte_in_a_member_is_refused(archive, refused):
    rewrite(archive, lambda name, data: flip(data) if name.endswith("000001.json") else data)
    refused(archive, "damaged or altered.*beneficiaries/000001.json")


def test_a_flipped_byte_in_the_compressed_file_is_refused(archive, refused):
    raw = bytearray(archive.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    archive.write_bytes(bytes(raw))
    # Whichever check meets the damage first: gzip's, tarfile's or the manifest's.
    refused(archive, "not a readable backup|manifest")


@pytest.mark.parametrize(
    "change, match",
    [
        (lambda name, data: None if name == "data/secret_key" else data, "missing from"),
        (lambda name, data: None if name == "manifest.json" else data, "no Rifd backup manifest"),
        (
            lambda name, data: (
                data.replace(b'"version": 1', b'"version": 9') if name == "manifest.json" else data
            ),
            "version 9",
        ),
        (
            lambda name, data: (
                orjson.dumps({**orjson.loads(data), "files": "all"})
                if name == "manifest.json"
                else data
            ),
            "manifest is malformed",
        ),
    ],
)
def test_a_missing_file_or_manifest_is_refused(archive, refused, change, match):
    rewrite(archive, change)
    refused(archive, match)


def member(name: str, kind: bytes = tarfile.REGTYPE, linkname: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, linkname
    return info


@pytest.mark.parametrize(
    "info, match",
    [
        (member("../evil"), "plain relative paths"),
        (member("data/../../evil"), "plain relative paths"),
        (member("/tmp/evil"), "plain relative paths"),
        (member("data/forms/./x.json"), "plain relative paths"),
        (member("evil.txt"), "not part of a Rifd backup"),
        (member("data/extra.json"), "not in the manifest"),
        (member("data/secret_key"), "twice"),
        (member("manifest.json"), "manifest is not one of Rifd's"),
        (member("data/forms/link", tarfile.SYMTYPE, "/etc/passwd"), "links and special"),
        (member("data/forms/hard", tarfile.LNKTYPE, "data/secret_key"), "links and special"),
        (member("data/dev", tarfile.CHRTYPE), "links and special"),
        (member("data/fifo", tarfile.FIFOTYPE), "links and special"),
    ],
    ids=lambda v: v.name if isinstance(v, tarfile.TarInfo) else "",
)
def test_an_added_member_is_refused(archive, refused, tmp_path, info, match):
    add_member(archive, info, b"evil")
    refused(archive, match)
    assert not (tmp_path / "evil").exists() and not Path("/tmp/evil").exists()


def test_not_an_archive_is_refused(refused, tmp_path):
    path = tmp_path / "b.tar.gz"
    path.write_bytes(gzip.compress(b"just some text"))
    refused(path, "not a readable backup")
    refused(tmp_path / "nothing.tar.gz", "cannot restore")


# ---- over existing data ---------------------------------------------------------------


def test_restore_over_data_needs_force_and_keeps_what_was_there(
    archive, filled, store_at, backend, tmp_path
):
    store, _ = filled
    target = tmp_path / "other"
    other = store_at(target)
    other.insert("beneficiaries", {"name": "قديم"})
    old = state(other)
    with pytest.raises(BackupError, match="already holds data.*--force"):
        other.restore(archive)
    assert state(other) == old

    _, [kept] = other.restore(archive, force=True)
    assert kept.name.startswith("other.before-restore-") and kept.parent == tmp_path
    assert state(other) == state(store)
    if backend == "tinydb":  # the folder itself, moved aside
        assert tree(kept) == tree(store_at(kept).root) and kept.is_dir()
        assert [r["name"] for r in store_at(kept).iter("beneficiaries")] == ["قديم"]
    else:  # the database's content, as a backup beside the folder
        back = store_at(tmp_path / "back")
        back.restore(kept)
        assert state(back)["records"] == old["records"]


def test_a_folder_with_only_locks_or_a_fresh_key_needs_no_force(
    archive, filled, store_at, tmp_path
):
    target = store_at(tmp_path / "fresh")
    (target.root / "settings").mkdir(parents=True)
    (target.root / "settings" / LOCK_NAME).touch()
    (target.root / "secret_key").write_text("new")
    _, [aside] = target.restore(archive)
    assert (aside / "secret_key").read_text() == "new"  # kept aside all the same
    assert state(target) == state(filled[0])


def test_an_archive_of_one_backend_restores_into_the_other(filled, backend, request, tmp_path):
    from tests.store.conftest import BACKENDS

    store, digests = filled
    archive = tmp_path / "b.tar.gz"
    store.backup(archive)
    other = BACKENDS["postgres" if backend == "tinydb" else "tinydb"](request)
    target = other(tmp_path / "other")
    try:
        target.restore(archive)
        assert state(target) == state(store)
        assert target.insert("beneficiaries", {}) == 26
        assert target.next_number("requests/y1448") == 4
        assert target.read_file(digests[0]) == b"%PDF-1.4 letter"
    finally:
        target.close()


def test_files_in_object_storage_travel_in_the_archive(store_at, backend, s3, tmp_path):
    # The archive is the same whichever storage kept the files: each object at
    # data/_files/ab/cdef..., restored into a data folder or into another bucket.
    root = tmp_path / "source"
    store = store_at(root, files=open_files(root, s3.new_url()))
    contents = [b"%PDF-1.4 letter", bytes(range(256)) * 64]
    digests = [store.put_file(data) for data in contents]
    store.insert("submissions/intake", {"answers": {"id_copy": {"sha256": digests[0]}}})
    archive = tmp_path / "backup.tar.gz"
    manifest = store.backup(archive)
    with tarfile.open(archive) as tar:
        held = {m.name: tar.extractfile(m).read() for m in tar if m.name.startswith("data/_f")}
    assert held == {
        f"data/_files/{d[:2]}/{d[2:]}": c for d, c in zip(digests, contents, strict=True)
    }
    assert not (root / "_files").exists()

    into_folder = store_at(tmp_path / "folder")
    assert into_folder.restore(archive)[0] == manifest
    assert [into_folder.read_file(d) for d in digests] == contents
    assert (tmp_path / "folder" / "_files" / digests[0][:2] / digests[0][2:]).is_file()

    url = s3.new_url("elsewhere")
    into_bucket = store_at(tmp_path / "bucket", files=open_files(tmp_path, url))
    into_bucket.restore(archive)
    assert [into_bucket.read_file(d) for d in digests] == contents
    assert len(s3.keys(url)) == 2 and not (tmp_path / "bucket" / "_files").exists()
    assert state(into_bucket) == state(store)
