"""Files by content hash: put_file, read_file, open_file, has_file, delete_file.

Every test runs on both kinds of file storage, the data folder and S3-compatible object
storage (moto's server over real HTTP, tests/s3_server.py), and on both records
backends: the files go where they are told, whichever backend keeps the records.
"""

import hashlib
import os
import tracemalloc

import pytest
from botocore.response import StreamingBody

from store import FilesUnavailable, FolderFiles, NotFoundError, StoreError, open_files

PDF = b"%PDF-1.7 fake\x00\xff" * 100


@pytest.fixture(params=["folder", "s3"])
def kind(request):
    return request.param


@pytest.fixture
def files_url(kind, request):
    return request.getfixturevalue("s3").new_url() if kind == "s3" else None


@pytest.fixture
def store(store_at, files_url, tmp_path):
    root = tmp_path / "data"
    return store_at(root, files=open_files(root, files_url))


def objects(request, files_url) -> list[str]:
    """Return the stored files as their storage lists them: folder paths or object keys."""
    if files_url is None:
        root = request.getfixturevalue("tmp_path") / "data" / "_files"
        return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    prefix = files_url.split("/", 3)[3] + "/"
    return [key.removeprefix(prefix) for key in request.getfixturevalue("s3").keys(files_url)]


def test_put_returns_the_sha256_and_reads_back(store):
    digest = store.put_file(PDF)
    assert digest == hashlib.sha256(PDF).hexdigest()
    assert store.read_file(digest) == PDF
    assert store.has_file(digest)


def test_files_fan_out_by_the_first_two_digits(store, request, files_url):
    digest = store.put_file(PDF)
    assert objects(request, files_url) == [f"{digest[:2]}/{digest[2:]}"]
    if files_url is None:
        assert store.file_path(digest) == store.root / "_files" / digest[:2] / digest[2:]
    else:
        # Nothing of it in the data folder: a file has one home.
        assert not (store.root / "_files").exists()
        with pytest.raises(StoreError, match="not in a folder"):
            store.file_path(digest)


def test_put_is_idempotent(store, request, files_url):
    assert store.put_file(PDF) == store.put_file(bytearray(PDF))
    assert len(objects(request, files_url)) == 1


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
    with pytest.raises(NotFoundError):
        store.open_file("0" * 64)
    assert not store.has_file("0" * 64)


def test_delete_removes_the_file(store, request, files_url):
    kept, erased = store.put_file(b"kept"), store.put_file(PDF)
    assert store.delete_file(erased) is True
    assert store.delete_file(erased) is False
    assert not store.has_file(erased)
    with pytest.raises(NotFoundError):
        store.read_file(erased)
    assert objects(request, files_url) == [f"{kept[:2]}/{kept[2:]}"]


@pytest.mark.backends("tinydb")  # the records' backend plays no part in it
def test_a_large_file_is_read_in_chunks(store, files_url, monkeypatch):
    # 24 MB, read through open_file a megabyte at a time. From the folder the reader's
    # peak memory stays far below the file's size. From S3 the peak would count moto's
    # server too (it runs in this process and holds each object whole), so what is
    # checked there is that the response body is only ever read in bounded chunks.
    big = bytes(range(256)) * (24 * 4096)
    digest = store.put_file(big)
    del big
    asked = []
    if files_url is not None:
        read = StreamingBody.read

        def spy(self, amt=None):
            asked.append(amt)
            return read(self, amt)

        monkeypatch.setattr(StreamingBody, "read", spy)
    tracemalloc.start()
    hashed = hashlib.sha256()
    with store.open_file(digest) as handle:
        while chunk := handle.read(1 << 20):
            hashed.update(chunk)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert hashed.hexdigest() == digest
    if files_url is None:
        assert peak < 8 << 20, peak
    else:
        assert len(asked) > 20
        assert all(amt is not None and 0 < amt <= 1 << 20 for amt in asked), set(asked)


def test_put_stream_refuses_content_that_is_not_its_name(store, tmp_path):
    files = store.files
    good = hashlib.sha256(PDF).hexdigest()
    path = tmp_path / "upload"
    path.write_bytes(b"something else")
    with path.open("rb") as handle, pytest.raises(StoreError, match="does not match"):
        files.put_stream(good, handle)
    assert not store.has_file(good)
    path.write_bytes(PDF)
    with path.open("rb") as handle:
        files.put_stream(good, handle)
    assert store.read_file(good) == PDF
    assert list(files.listing()) == [(good, len(PDF))]


@pytest.mark.backends("tinydb")  # refused before either backend is reached
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
    for call in (store.read_file, store.open_file, store.has_file, store.delete_file):
        with pytest.raises(StoreError) as caught:
            call(bad)
        assert not isinstance(caught.value, NotFoundError | FilesUnavailable)


def test_a_files_url_is_checked(s3, tmp_path):
    with pytest.raises(StoreError, match="s3://bucket/prefix"):
        open_files(tmp_path, "https://bucket/prefix")
    assert isinstance(open_files(tmp_path, ""), FolderFiles)
    with pytest.raises(FilesUnavailable, match="NoSuchBucket|404"):
        open_files(tmp_path, "s3://no-such-bucket/x")


@pytest.mark.backends("tinydb")
def test_a_forked_worker_uses_a_connection_of_its_own(store, request, files_url):
    # gunicorn makes the app, then forks its workers: a child must not talk to the
    # storage over a connection it inherited from its parent.
    store.put_file(b"made by the parent")  # the parent now holds an open connection
    inherited = getattr(store.files, "_client", None)
    pid = os.fork()
    if pid == 0:  # the child: exit 0 only if its own write and read went through
        try:
            digest = store.put_file(b"made by a worker")
            fresh = inherited is None or store.files._client is not inherited
            os._exit(0 if store.read_file(digest) == b"made by a worker" and fresh else 1)
        except BaseException:
            os._exit(2)
    assert os.waitpid(pid, 0)[1] == 0
    assert store.read_file(hashlib.sha256(b"made by a worker").hexdigest()) == b"made by a worker"
    assert store.read_file(hashlib.sha256(b"made by the parent").hexdigest())
    assert len(objects(request, files_url)) == 2
