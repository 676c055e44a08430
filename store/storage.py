"""How bytes reach the disk: atomic replacement, fsync, the inter-process lock.

TinyDB's own JSONStorage rewrites its file in place, so a crash mid-write leaves invalid
JSON, and it keeps one handle open, which goes on reading a file another process has
already replaced. AtomicJSONStorage writes a temp file and renames it over the old one,
and opens the file again on every read.
"""

import contextlib
import fcntl
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import orjson
from tinydb.storages import Storage

from store.errors import StoreError

LOCK_TIMEOUT = 60.0
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
def locked(lock_path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the inter-process lock at lock_path (kernel flock: a killed holder frees it)."""
    # Each call opens the file anew: flock belongs to the open file, so two threads of
    # one process exclude each other too. No soft-lock fallback: a lock file that
    # outlives a killed process would block for good.
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        if not _wait_for(fd, timeout):  # fd is the waiting helper's now: not ours to close
            raise StoreError(f"could not lock {lock_path} within {timeout:.0f} s") from None
    except BaseException:
        os.close(fd)
        raise
    try:
        yield
    finally:
        os.close(fd)  # closing the only descriptor of the open file releases the lock


def try_lock(lock_path: Path) -> int | None:
    """Take the lock at lock_path now or not at all (kernel flock, freed when its process
    dies): return the descriptor that holds it (close it to let go), or None when another
    open file holds it."""
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    except BaseException:
        os.close(fd)
        raise
    return fd


def _wait_for(fd: int, timeout: float) -> bool:
    """Take the lock on fd in a blocking flock; False, and fd given away, after timeout.

    A blocked flock is woken by the kernel the moment the holder lets go. Polling every
    2 ms (the filelock package, used before) took 0.8 s of CPU a second for twenty
    waiting threads, and left each asleep up to one poll past the release. A blocking
    flock takes no time limit, so it runs in a helper thread: if the caller stops waiting
    first, the helper closes fd (letting go of the lock if it gets it later). If the wait
    fails (an error of flock, an interrupt), fd is closed here or by the helper before
    this raises.
    """
    done = threading.Event()
    guard = threading.Lock()
    state: dict = {"abandoned": False, "error": None}

    def take() -> None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError as exc:
            state["error"] = exc
        with guard:
            if state["abandoned"]:
                os.close(fd)
            else:
                done.set()

    threading.Thread(target=take, name="store-lock-wait", daemon=True).start()
    interrupted = True
    try:
        done.wait(timeout)
        interrupted = False
    finally:
        with guard:
            got = done.is_set()
            state["abandoned"] = not got
        if got and (interrupted or state["error"] is not None):
            os.close(fd)
    if state["error"] is not None:
        raise state["error"]
    return got


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
