"""Atomic writes, the TinyDB storage, leftovers of killed writers, corrupt files."""

import os

import orjson
import pytest
from tinydb import TinyDB

from store import StoreError
from store.storage import AtomicJSONStorage, atomic_write


def test_atomic_write_replaces_the_file_and_leaves_no_temp(tmp_path):
    path = tmp_path / "x.json"
    path.write_bytes(b"old")
    inode = path.stat().st_ino
    atomic_write(path, "جديد".encode())
    assert path.read_text(encoding="utf-8") == "جديد"
    assert path.stat().st_ino != inode
    assert os.listdir(tmp_path) == ["x.json"]


def test_atomic_write_failure_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "x.json"
    path.write_bytes(b"old")

    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(OSError):
        atomic_write(path, b"new")
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["x.json"]


def test_storage_writes_utf8_json_that_tinydb_reads(tmp_path):
    path = tmp_path / "db.json"
    with TinyDB(path, storage=AtomicJSONStorage) as db:
        db.insert({"name": "نورة"})
    raw = path.read_bytes()
    assert "نورة".encode() in raw
    assert orjson.loads(raw) == {"_default": {"1": {"name": "نورة"}}}


def test_storage_sees_a_file_replaced_by_someone_else(tmp_path):
    path = tmp_path / "db.json"
    reader = TinyDB(path, storage=AtomicJSONStorage)
    writer = TinyDB(path, storage=AtomicJSONStorage)
    writer.insert({"v": 1})
    assert [d["v"] for d in reader.all()] == [1]
    writer.insert({"v": 2})
    assert [d["v"] for d in reader.all()] == [1, 2]


def test_a_missing_file_is_an_empty_database(tmp_path):
    assert TinyDB(tmp_path / "none.json", storage=AtomicJSONStorage).all() == []
    assert not (tmp_path / "none.json").exists()


@pytest.mark.backends("tinydb")
def test_stale_temp_files_are_removed_by_the_next_write(store):
    store.insert("cases", {})
    folder = store.root / "cases"
    (folder / ".000000.json.abc123.tmp").write_bytes(b'{"records": {"1"')
    store.insert("cases", {})
    assert sorted(os.listdir(folder)) == [".lock", "000000.json"]


@pytest.mark.backends("tinydb")
def test_a_corrupt_shard_is_reported_not_hidden(store):
    store.insert("cases", {})
    (store.root / "cases" / "000000.json").write_bytes(b'{"records": {"1": ')
    with pytest.raises(StoreError, match="corrupt"):
        store.get("cases", 1)
    with pytest.raises(StoreError, match="corrupt"):
        store.insert("cases", {})
