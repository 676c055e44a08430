"""How bytes reach the disk: atomic replacement, fsync, the inter-process lock.

TinyDB's own JSONStorage rewrites its file in place, so a crash mid-write leaves invalid
JSON, and it keeps one handle open, which goes on reading a file another process has
already replaced. AtomicJSONStorage writes a temp file and renames it over the old one,
and opens the file again on every read.
"""

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import orjson
from filelock import FileLock, Timeout
from tinydb.storages import Storage

from store.errors import StoreError

LOCK_TIMEOUT = 60.0
# Writers hold the lock for milliseconds: poll often so a waiter does not sleep past it.
LOCK_POLL = 0.002
TEMP_SUFFIX = ".tmp"

# (st_mtime_ns, st_size, st_ino): a replaced file always has a new inode.
FileKey = tuple[int, int, int]


def file_key(st: os.stat_result) -> FileKey:
    """Return the identity of one version of a file."""
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new entry in folder survive a power cut."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def ensure_dir(folder: Path) -> None:
    """Create folder and its parents, syncing each parent that gained an entry."""
    if folder.is_dir():
        return
    ensure_dir(folder.parent)
    with contextlib.suppress(FileExistsError):
        folder.mkdir()
        fsync_dir(folder.parent)


def atomic_write(path: Path, data: bytes) -> FileKey:
    """Replace path with data so that readers see the old or the new file, never a mix.

    Return the identity of the new file (a rename keeps the inode and the mtime)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            key = file_key(os.fstat(handle.fileno()))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)
    return key


def remove_stale_temps(folder: Path, prefix: str = ".") -> None:
    """Delete temp files a killed writer left behind; call only while holding the lock."""
    with contextlib.suppress(FileNotFoundError):
        for name in os.listdir(folder):
            if name.startswith(prefix) and name.endswith(TEMP_SUFFIX):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(folder / name)


def read_json(path: Path) -> tuple[FileKey, object] | None:
    """Return the key and the parsed content of path, or None if it is missing or empty."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below, fstat needs the handle
    except FileNotFoundError:
        return None
    with handle:
        # fstat, not stat: the key must describe the very file we read.
        key = file_key(os.fstat(handle.fileno()))
        data = handle.read()
    if not data:
        return None
    return key, parse_json(path, data)


def parse_json(path: Path, data: bytes) -> object:
    """Return the parsed content of a data file read from path."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise StoreError(f"corrupt data file {path}: {exc}") from exc


@contextlib.contextmanager
def locked(lock_path: Path) -> Iterator[None]:
    """Hold the inter-process lock at lock_path (kernel flock: a killed holder frees it)."""
    # No soft-lock fallback: a soft lock outlives a killed process and would block for good.
    lock = FileLock(
        lock_path, timeout=LOCK_TIMEOUT, poll_interval=LOCK_POLL, fallback_to_soft=False
    )
    try:
        lock.acquire()
    except Timeout as exc:
        raise StoreError(f"could not lock {lock_path} within {LOCK_TIMEOUT:.0f} s") from exc
    try:
        yield
    finally:
        lock.release()


class AtomicJSONStorage(Storage):
    """TinyDB storage that writes UTF-8 JSON atomically and re-reads its file."""

    def __init__(self, path: str | os.PathLike, *, memo: bool = False):
        # memo=True keeps the last state read or written and serves it again. Use it only
        # for one operation under the lock, when no one else can change the file: it
        # saves parsing the same shard twice in one insert.
        self._path = Path(path)
        self._memo = memo
        self._state: dict | None = None

    def read(self) -> dict | None:
        if self._memo and self._state is not None:
            return self._state
        loaded = read_json(self._path)
        state = loaded[1] if loaded else None
        if self._memo:
            self._state = state
        return state

    def write(self, data: dict) -> None:
        atomic_write(self._path, orjson.dumps(data))
        if self._memo:
            self._state = data
