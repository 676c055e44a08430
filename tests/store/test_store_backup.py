"""Backup and restore of a data folder: the same bytes back, and nothing else let in."""

import gzip
import io
import os
import tarfile
import threading
import time
from pathlib import Path

import orjson
import pytest

from store import backup
from store.backup import BackupError, create_backup, restore_backup
from store.layout import LOCK_NAME
from store.storage import locked

NAMES = ["محمد بن عبدالله", "نورة", "سارة", "عبدالرحمن"]


def tree(root: Path) -> dict[str, bytes]:
    """Map each data file under root to its bytes, leaving out locks and temp leftovers."""
    found = {}
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d != "_locks"]
        for name in names:
            if name.endswith(".lock") or name.endswith(".tmp"):
                continue
            path = Path(folder, name)
            found[path.relative_to(root).as_posix()] = path.read_bytes()
    return found


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
    (store.root / "beneficiaries" / ".000002.json.abc.tmp").write_bytes(b"half a wri")
    return store, digests


def test_round_trip_gives_back_every_byte(filled, open_store, tmp_path):
    store, digests = filled
    archive = tmp_path / "out" / "backup.tar.gz"
    archive.parent.mkdir()
    manifest = create_backup(store.root, archive)
    target = tmp_path / "restored" / "data"
    got, aside = restore_backup(archive, target)
    assert aside is None and got == manifest
    assert tree(target) == tree(store.root)
    assert len(tree(target)) == len(manifest["files"]) >= 8

    again = type(store)(target)
    assert [r["name"] for r in again.iter("beneficiaries")] == [NAMES[i % 4] for i in range(24)]
    assert again.insert("beneficiaries", {"name": "جديد"}) == 26  # id 25 is never reused
    assert again.find("submissions/intake")[0]["answers"]["الاسم"] == "محمد"
    assert again.next_number("requests/y1448") == 4
    assert again.read_file(digests[1]) == bytes(range(256)) * 64


def test_manifest_lists_each_file_and_leaves_out_locks_and_temps(filled, tmp_path):
    store, _ = filled
    archive = tmp_path / "b.tar.gz"
    manifest = create_backup(store.root, archive)
    assert manifest["format"] == "rifd-backup" and manifest["version"] == 1
    assert manifest["created_at"].endswith("+00:00")
    paths = {entry["path"] for entry in manifest["files"]}
    assert paths == set(tree(store.root))
    assert not any(p.startswith("_locks") or p.endswith((".lock", ".tmp")) for p in paths)
    assert {"secret_key", "forms/intake.json", "_counters/requests.y1448.json"} <= paths
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        listed = orjson.loads(tar.extractfile("manifest.json").read())
    assert listed == manifest
    assert sorted(names) == sorted(["manifest.json"] + [f"data/{p}" for p in paths])
    assert archive.stat().st_mode & 0o077 == 0  # it holds the secret key


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


def test_backup_is_one_moment_across_collections(open_store, tmp_path):
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
            create_backup(writer.root, archive)
            restore_backup(archive, tmp_path / f"r{n}")
            copy = type(writer)(tmp_path / f"r{n}")
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
        create_backup(store.root, tmp_path / dest)


def test_a_failed_backup_leaves_the_old_file_and_no_temp(store, tmp_path, monkeypatch):
    store.insert("settings", {"name": "x"})
    archive = tmp_path / "b.tar.gz"
    archive.write_bytes(b"yesterday's backup")

    def broken(root):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup, "_snapshot", broken)
    with pytest.raises(BackupError, match="No space left"):
        create_backup(store.root, archive)
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
    create_backup(filled[0].root, path)
    return path


def refused(archive: Path, target: Path, match: str) -> None:
    """Check the restore fails with match and leaves target and its folder as they were."""
    before = tree(target) if target.exists() else None
    siblings = sorted(os.listdir(target.parent)) if target.parent.exists() else []
    with pytest.raises(BackupError, match=match):
        restore_backup(archive, target, force=True)
    assert (tree(target) if target.exists() else None) == before
    assert (sorted(os.listdir(target.parent)) if target.parent.exists() else []) == siblings


def flip(data: bytes) -> bytes:
    return data[:10] + bytes([data[10] ^ 1]) + data[11:]


def test_a_flipped_byte_in_a_member_is_refused(archive, tmp_path):
    rewrite(archive, lambda name, data: flip(data) if name.endswith("000001.json") else data)
    refused(archive, tmp_path / "data", "damaged or altered.*beneficiaries/000001.json")


def test_a_flipped_byte_in_the_compressed_file_is_refused(archive, tmp_path):
    raw = bytearray(archive.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    archive.write_bytes(bytes(raw))
    # Whichever check meets the damage first: gzip's, tarfile's or the manifest's.
    refused(archive, tmp_path / "data", "not a readable backup|manifest")


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
def test_a_missing_file_or_manifest_is_refused(archive, tmp_path, change, match):
    rewrite(archive, change)
    refused(archive, tmp_path / "data", match)


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
def test_an_added_member_is_refused(archive, tmp_path, info, match):
    add_member(archive, info, b"evil")
    refused(archive, tmp_path / "data", match)
    assert not (tmp_path / "evil").exists() and not Path("/tmp/evil").exists()


def test_not_an_archive_is_refused(tmp_path):
    path = tmp_path / "b.tar.gz"
    path.write_bytes(gzip.compress(b"just some text"))
    refused(path, tmp_path / "data", "not a readable backup")
    refused(tmp_path / "nothing.tar.gz", tmp_path / "data", "cannot restore")


# ---- over existing data ---------------------------------------------------------------


def test_restore_over_data_needs_force_and_keeps_the_old_folder(archive, filled, tmp_path):
    store, _ = filled
    target = tmp_path / "other"
    other = type(store)(target)
    other.insert("beneficiaries", {"name": "قديم"})
    old = tree(target)
    with pytest.raises(BackupError, match="already holds data.*--force"):
        restore_backup(archive, target)
    assert tree(target) == old

    _, aside = restore_backup(archive, target, force=True)
    assert aside.name.startswith("other.before-restore-") and aside.parent == tmp_path
    assert tree(aside) == old
    assert tree(target) == tree(store.root)


def test_a_folder_with_only_locks_or_a_fresh_key_needs_no_force(archive, filled, tmp_path):
    target = tmp_path / "fresh"
    (target / "settings").mkdir(parents=True)
    (target / "settings" / LOCK_NAME).touch()
    (target / "secret_key").write_text("new")
    _, aside = restore_backup(archive, target)
    assert (aside / "secret_key").read_text() == "new"  # kept aside all the same
    assert tree(target) == tree(filled[0].root)
