"""Files by content hash: put_file, file_path, read_file."""

import hashlib

import pytest

from store import NotFoundError, StoreError

PDF = b"%PDF-1.7 fake\x00\xff" * 100


def test_put_returns_the_sha256_and_reads_back(store):
    digest = store.put_file(PDF)
    assert digest == hashlib.sha256(PDF).hexdigest()
    assert store.read_file(digest) == PDF


def test_files_fan_out_by_the_first_two_digits(store):
    digest = store.put_file(PDF)
    path = store.file_path(digest)
    assert path == store.root / "_files" / digest[:2] / digest[2:]
    assert path.read_bytes() == PDF


def test_put_is_idempotent(store):
    assert store.put_file(PDF) == store.put_file(bytearray(PDF))
    files = [p for p in (store.root / "_files").rglob("*") if p.is_file()]
    assert len(files) == 1


def test_empty_file(store):
    digest = store.put_file(b"")
    assert store.read_file(digest) == b""


def test_records_keep_the_digest(store):
    digest = store.put_file(PDF)
    rid = store.insert("submissions", {"attachment": digest})
    assert store.read_file(store.get("submissions", rid)["attachment"]) == PDF


def test_reading_a_missing_file(store):
    with pytest.raises(NotFoundError):
        store.read_file("0" * 64)


@pytest.mark.parametrize(
    "bad",
    [
        "../../../../etc/passwd",
        "/etc/passwd",
        "A" * 64,
        "0" * 63,
        "0" * 65,
        "g" * 64,
        "0" * 63 + "\n",
        "../" + "0" * 61,
        "",
        None,
        b"0" * 64,
    ],
)
def test_bad_digests_are_refused(store, bad):
    for call in (store.file_path, store.read_file):
        with pytest.raises(StoreError):
            call(bad)
