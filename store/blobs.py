"""Uploaded files and signatures, kept on disk by the sha256 of their content.

Records keep the hex digest, never the bytes. The same content always lands in the same
file, so storing it twice is harmless and needs no lock: two writers racing write equal
bytes, and the rename makes one of them win whole.
"""

import hashlib
from pathlib import Path

from store.errors import NotFoundError
from store.layout import check_digest
from store.storage import atomic_write, ensure_dir


class Blobs:
    """Content-addressed files under one folder, fanned out by the first two hex digits."""

    def __init__(self, folder: Path):
        self._folder = folder

    def path(self, digest: str) -> Path:
        """Return where the file with this digest lives (whether or not it exists)."""
        # The check is what stops "../" and absolute paths from leaving the folder.
        digest = check_digest(digest)
        return self._folder / digest[:2] / digest[2:]

    def put(self, data: bytes) -> str:
        """Store data and return its sha256 hex digest."""
        data = bytes(data)
        digest = hashlib.sha256(data).hexdigest()
        path = self.path(digest)
        if not path.exists():
            ensure_dir(path.parent)
            atomic_write(path, data)
        return digest

    def read(self, digest: str) -> bytes:
        """Return the content of the file with this digest."""
        try:
            return self.path(digest).read_bytes()
        except FileNotFoundError:
            raise NotFoundError(f"no stored file {digest}") from None

    def delete(self, digest: str) -> bool:
        """Delete the file with this digest; return False if there was none."""
        try:
            self.path(digest).unlink()
        except FileNotFoundError:
            return False
        return True


class StoredFiles:
    """The file methods every store backend offers: its files stay in the data folder
    (`self._blobs`, a Blobs), whichever backend keeps the records."""

    _blobs: Blobs

    def put_file(self, data: bytes) -> str:
        """Store file content and return its sha256 hex digest (the same bytes, the same file)."""
        return self._blobs.put(data)

    def file_path(self, digest: str) -> Path:
        """Return the path of a stored file; refuse anything but 64 lowercase hex digits."""
        return self._blobs.path(digest)

    def read_file(self, digest: str) -> bytes:
        """Return the content of a stored file (NotFoundError if there is none)."""
        return self._blobs.read(digest)

    def delete_file(self, digest: str) -> bool:
        """Delete a stored file; return False if there was none.

        Files are shared by content: the caller checks first that no record still
        refers to this digest (privacy.erase does, for erasure on request).
        """
        return self._blobs.delete(digest)
