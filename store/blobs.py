"""Uploaded files and signatures, kept by the sha256 of their content.

Records keep the hex digest, never the bytes. The files live in the data folder (the
default, FolderFiles) or in S3-compatible object storage (store/s3.py), whichever
backend keeps the records: RIFD_FILES_URL=s3://bucket/prefix picks the second.

The same content always lands under the same name, so storing it twice is harmless and
needs no lock: two writers racing write equal bytes, and the rename (or the object
store's put, atomic per object) makes one of them win whole.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from store.errors import NotFoundError, StoreError
from store.layout import FILES_DIR, check_digest
from store.storage import TEMP_SUFFIX, atomic_write, ensure_dir, fsync_dir

CHUNK = 1 << 20
FILES_SCHEME = "s3://"  # RIFD_FILES_URL=s3://bucket/prefix: object storage (store/s3.py)


class Files:
    """Where the files of one installation live: the methods every kind offers."""

    location: str  # for messages: a folder, or s3://bucket/prefix (never a secret)

    def put(self, data: bytes) -> str:
        """Store data and return its sha256 hex digest."""
        raise NotImplementedError

    def put_stream(self, digest: str, stream: BinaryIO) -> None:
        """Store what stream holds under digest, read in chunks; refuse (StoreError, and
        nothing stored) content whose sha256 is not digest."""
        raise NotImplementedError

    def read(self, digest: str) -> bytes:
        """Return the content of the file with this digest (NotFoundError if none)."""
        with self.open(digest) as handle:
            return handle.read()

    def open(self, digest: str) -> BinaryIO:
        """Return the file with this digest open for reading in chunks (close it after)."""
        raise NotImplementedError

    def exists(self, digest: str) -> bool:
        """Tell whether a file with this digest is stored."""
        raise NotImplementedError

    def delete(self, digest: str) -> bool:
        """Delete the file with this digest; return False if there was none."""
        raise NotImplementedError

    def listing(self) -> Iterator[tuple[str, int]]:
        """Yield (digest, size) of every stored file, in digest order."""
        raise NotImplementedError

    def same_as(self, other: Files) -> bool:
        """Tell whether other keeps its files in the very same place."""
        return self.location == other.location


class FolderFiles(Files):
    """Content-addressed files under one folder, fanned out by the first two hex digits."""

    def __init__(self, folder: Path):
        self.folder = Path(folder).absolute()
        self.location = str(self.folder)

    def __repr__(self) -> str:
        return f"FolderFiles({self.location!r})"

    def path(self, digest: str) -> Path:
        """Return where the file with this digest lives (whether or not it exists)."""
        # The check is what stops "../" and absolute paths from leaving the folder.
        digest = check_digest(digest)
        return self.folder / digest[:2] / digest[2:]

    def put(self, data: bytes) -> str:
        data = bytes(data)
        digest = hashlib.sha256(data).hexdigest()
        path = self.path(digest)
        if not path.exists():
            ensure_dir(path.parent)
            atomic_write(path, data)
        return digest

    def put_stream(self, digest: str, stream: BinaryIO) -> None:
        path = self.path(digest)
        ensure_dir(path.parent)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
        try:
            with os.fdopen(fd, "wb") as out:
                got = copy_hashing(stream, out)
                out.flush()
                os.fsync(out.fileno())
            if got != digest:
                raise StoreError(f"the content of file {digest} does not match its name")
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        fsync_dir(path.parent)

    def open(self, digest: str) -> BinaryIO:
        try:
            return open(self.path(digest), "rb")  # noqa: SIM115 - the caller closes it
        except FileNotFoundError:
            raise NotFoundError(f"no stored file {digest}") from None

    def exists(self, digest: str) -> bool:
        return self.path(digest).is_file()

    def delete(self, digest: str) -> bool:
        try:
            self.path(digest).unlink()
        except FileNotFoundError:
            return False
        return True

    def listing(self) -> Iterator[tuple[str, int]]:
        for top in sorted(_names(self.folder)):
            for rest in sorted(_names(self.folder / top)):
                digest = top + rest
                with contextlib.suppress(StoreError, FileNotFoundError):
                    check_digest(digest)
                    yield digest, (self.folder / top / rest).stat().st_size


def _names(folder: Path) -> list[str]:
    try:
        return [n for n in os.listdir(folder) if not n.startswith(".")]
    except (FileNotFoundError, NotADirectoryError):
        return []


def copy_hashing(source: BinaryIO, out) -> str:
    """Copy source to out in chunks; return the sha256 hex digest of what was copied."""
    hashed = hashlib.sha256()
    while chunk := source.read(CHUNK):
        hashed.update(chunk)
        out.write(chunk)
    return hashed.hexdigest()


def copy_files(source: Files, dest: Files) -> tuple[int, int]:
    """Copy every file of source that dest lacks, streamed and checked against its name;
    return (files copied, files dest already had)."""
    copied = had = 0
    for digest, _size in source.listing():
        if dest.exists(digest):
            had += 1
            continue
        with source.open(digest) as handle:
            dest.put_stream(digest, handle)
        copied += 1
    return copied, had


class StoredFiles:
    """The file methods every store backend offers, whichever backend keeps the records:
    its files are in `self.files` (the data folder's _files, or object storage)."""

    files: Files
    root: Path

    def put_file(self, data: bytes) -> str:
        """Store file content and return its sha256 hex digest (the same bytes, the same file)."""
        return self.files.put(data)

    def file_path(self, digest: str) -> Path:
        """Return the path of a stored file (files in a folder only); refuse anything but
        64 lowercase hex digits."""
        if not isinstance(self.files, FolderFiles):
            raise StoreError(f"the files are not in a folder but in {self.files.location}")
        return self.files.path(digest)

    def outside_files(self) -> Files | None:
        """Return the files' storage if it is not the data folder's own _files, else None."""
        own = isinstance(self.files, FolderFiles) and self.files.folder == self.root / FILES_DIR
        return None if own else self.files

    def has_file(self, digest: str) -> bool:
        """Tell whether a file with this digest is stored (StoreError for a bad digest)."""
        return self.files.exists(check_digest(digest))

    def read_file(self, digest: str) -> bytes:
        """Return the content of a stored file (NotFoundError if there is none)."""
        return self.files.read(check_digest(digest))

    def open_file(self, digest: str) -> BinaryIO:
        """Return a stored file open for reading in chunks (the caller closes it)."""
        return self.files.open(check_digest(digest))

    def delete_file(self, digest: str) -> bool:
        """Delete a stored file; return False if there was none.

        Files are shared by content: the caller checks first that no record still
        refers to this digest (privacy.erase does, for erasure on request).
        """
        return self.files.delete(check_digest(digest))
