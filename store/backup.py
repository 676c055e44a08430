"""Backups of the whole data folder: one .tar.gz that restores to the very same bytes.

    backup.tar.gz
        data/<path>      each file of the data folder (records, counters, uploads,
                         archived letters, the association's own forms, secret_key)
        manifest.json    format, version, created_at, and each file's size and sha256

Left out: lock files (empty, made again on first use), the named locks in _locks/, the
temp files a killed writer left behind, the indexes in _index/ (derived from the
records: built again when the restored folder is first opened by Rifd) and the exports
in _exports/ (made again on demand).

A restore checks everything before it touches the data folder: only plain files and
folders under data/, no absolute path, no "..", no link or device, and every file
exactly as the manifest lists it. It builds the new folder beside the data folder and
renames it into place; a data folder that already holds data is moved aside, never
deleted.

With PostgreSQL holding the records the archive is the same: the database's records and
counters are read in one snapshot and laid out as the shard and counter files above
(store/exchange.py, store/postgres/dump.py), so either backend restores either's backup.

With the files in object storage (RIFD_FILES_URL, store/s3.py) the archive is the same
too: each object is streamed into it at data/_files/ab/cdef..., as the folder keeps it.
A restore sends the archive's files to the object storage before it puts any record in
place, so a restored record never names a file that is not there; objects the archive
does not hold are left as they are (unreferenced, never deleted by a restore).
"""

import contextlib
import datetime as dt
import hashlib
import io
import os
import shutil
import stat
import tarfile
import tempfile
import zlib
from gzip import BadGzipFile
from pathlib import Path

import orjson

from store.blobs import Files
from store.errors import NotFoundError, StoreError
from store.layout import (
    COUNTERS_DIR,
    EXPORTS_DIR,
    FILES_DIR,
    INDEX_DIR,
    JOURNAL_DIR,
    LOCK_NAME,
    LOCKS_DIR,
    WRITE_LOCK,
    check_name,
    collection_dir,
    collection_names,
    list_shards,
    shard_path,
)
from store.storage import TEMP_SUFFIX, ensure_dir, fsync_dir, locked

FORMAT = "rifd-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATA = "data"
ASIDE = ".before-restore-"
KEY_FILE = "secret_key"
# Two backups at once would each take the collection locks one by one: serialise them.
BACKUP_LOCK = "store.backup.lock"
LEAVES_OUT = (LOCKS_DIR, INDEX_DIR, EXPORTS_DIR)
# With the records in a database, counter and journal files left in the folder by the
# TinyDB backend (before `flask store copy`) are stale: a backup leaves them out.
DATABASE_LEAVES_OUT = (*LEAVES_OUT, COUNTERS_DIR, JOURNAL_DIR)
_CHUNK = 1 << 20
MAX_MANIFEST = 64 << 20


# What a folder holds that an association did not enter: an app opened on an empty
# folder makes these, and a restore may still replace that folder without --force.
NOT_DATA = ((INDEX_DIR,), (EXPORTS_DIR,), ("upgrades",))


class BackupError(StoreError):
    """Report a backup that cannot be written or an archive that cannot be restored."""


def _skipped(name: str) -> bool:
    """Tell whether a file is a lock or a temp leftover rather than data."""
    return name.endswith(".lock") or (name.startswith(".") and name.endswith(TEMP_SUFFIX))


def _now(now: dt.datetime | None) -> dt.datetime:
    return (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)


# ---- backup -------------------------------------------------------------------------


def create_backup(
    root: str | os.PathLike,
    dest: str | os.PathLike,
    *,
    now=None,
    database=None,
    files: Files | None = None,
) -> dict:
    """Write the data folder at root to dest (.tar.gz) atomically; return the manifest.

    database: for a store whose records live elsewhere (PostgreSQL), a function that
    returns them as the files of a data folder (store/exchange.py), read as one moment;
    the folder's own record and counter files are then left out.
    files: for files kept outside the data folder (object storage), where they are; the
    folder's own _files is then left out.
    """
    root, dest = Path(root).absolute(), Path(dest).absolute()
    if not root.is_dir():
        raise BackupError(f"there is no data folder at {root}")
    if dest.parent.resolve().joinpath(dest.name).is_relative_to(root.resolve()):
        raise BackupError("write the backup outside the data folder")
    if dest.is_dir():
        raise BackupError(f"{dest} is a folder")
    try:
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=TEMP_SUFFIX)
    except OSError as exc:
        raise BackupError(f"cannot write to {dest.parent}: {exc.strerror or exc}") from None
    try:
        # mkstemp makes the file 0600: the backup holds the secret key and personal data.
        with os.fdopen(fd, "wb") as raw:
            manifest = _write_archive(root, raw, _now(now), database, files)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(tmp, dest)
        fsync_dir(dest.parent)
    except OSError as exc:
        where = exc.filename or dest
        raise BackupError(f"backup failed: {where}: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return manifest


def _write_archive(root: Path, raw, now: dt.datetime, database=None, outside=None) -> dict:
    # The collections are read first, under their locks; counters and uploads after.
    # So every number a record holds is at most its counter's value in the backup, and
    # every file a record names is in it: uploads are stored before the record that
    # names them and never removed, and a counter moves before its number is used.
    shards = _snapshot(root) if database is None else database()
    leave_out = LEAVES_OUT if database is None else DATABASE_LEAVES_OUT
    if outside is not None:
        leave_out = (*leave_out, FILES_DIR)
    files, skipped = [], []
    with tarfile.open(fileobj=raw, mode="w:gz", format=tarfile.PAX_FORMAT) as tar:
        for rel, data in shards.items():
            files.append(_add(tar, rel, io.BytesIO(data), len(data), now.timestamp()))
        for rel, path in _other_files(root, shards, skipped, leave_out):
            try:
                handle = open(path, "rb")  # noqa: SIM115 - closed by the with below
            except FileNotFoundError:
                continue  # removed since the listing: it is no longer data
            with handle:
                st = os.fstat(handle.fileno())
                files.append(_add(tar, rel, handle, st.st_size, st.st_mtime))
        if outside is not None:
            files.extend(_add_outside(tar, outside, now))
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": now.isoformat(),
            "files": sorted(files, key=lambda entry: entry["path"]),
            "skipped": skipped,
        }
        body = orjson.dumps(manifest, option=orjson.OPT_INDENT_2)
        _add(tar, MANIFEST, io.BytesIO(body), len(body), now.timestamp(), top=True)
    return manifest


def _add_outside(tar: tarfile.TarFile, outside: Files, now: dt.datetime) -> list[dict]:
    """Stream every file kept outside the folder into the archive, at data/_files/..."""
    entries = []
    for digest, size in outside.listing():
        try:
            handle = outside.open(digest)
        except NotFoundError:
            continue  # erased since the listing: it is no longer data
        with handle:
            rel = f"{FILES_DIR}/{digest[:2]}/{digest[2:]}"
            entries.append(_add(tar, rel, handle, size, now.timestamp()))
    return entries


def _snapshot(root: Path) -> dict[str, bytes]:
    """Return the shard files of every collection, read while holding all their locks."""
    # All the locks at once, not one after another: the backup is then one moment of
    # the whole folder, and a case never appears without the audit record written with
    # it. Writers hold one collection lock at a time for milliseconds, so they wait
    # only for the reading of the shards, which are small (uploads are elsewhere).
    ensure_dir(root / LOCKS_DIR)
    # The write lock too: no transaction is half-written while we read (store/transaction.py).
    with (
        locked(root / LOCKS_DIR / BACKUP_LOCK),
        locked(root / LOCKS_DIR / WRITE_LOCK),
        contextlib.ExitStack() as stack,
    ):
        held: list[str] = []
        while fresh := sorted(set(collection_names(root)) - set(held)):
            # A collection created while we were locking joins on the next round.
            for name in fresh:
                stack.enter_context(locked(collection_dir(root, name) / LOCK_NAME))
                held.append(name)
        found = {}
        for name in sorted(held):
            folder = collection_dir(root, name)
            for number in list_shards(folder):
                path = shard_path(folder, number)
                found[path.relative_to(root).as_posix()] = path.read_bytes()
        return found


def _other_files(root: Path, shards: dict, skipped: list, leave_out=LEAVES_OUT):
    """Yield (relative path, path) of every data file that is not a collection's shard."""
    for folder, dirs, names in os.walk(root):
        here = Path(folder)
        rel_dir = here.relative_to(root).as_posix()
        if rel_dir == ".":
            dirs[:] = [d for d in dirs if d not in leave_out]
            rel_dir = ""
        dirs.sort()
        for name in [d for d in dirs if (here / d).is_symlink()]:
            skipped.append(f"{rel_dir}/{name}".lstrip("/"))
        # A shard that was not in the snapshot belongs to a collection made after it.
        own_shards = _shard_names(here, rel_dir)
        for name in sorted(names):
            rel = f"{rel_dir}/{name}".lstrip("/")
            if _skipped(name) or rel in shards or name in own_shards:
                continue
            try:
                mode = os.lstat(here / name).st_mode
            except FileNotFoundError:
                continue
            if stat.S_ISREG(mode):
                yield rel, here / name
            else:
                skipped.append(rel)


def _shard_names(folder: Path, rel_dir: str) -> set[str]:
    try:
        check_name(rel_dir)
    except StoreError:
        return set()
    return {shard_path(folder, number).name for number in list_shards(folder)}


def _add(tar: tarfile.TarFile, rel: str, handle, size: int, mtime: float, top=False) -> dict:
    """Add one file to the archive and return its manifest entry (sha256 of what went in)."""
    info = tarfile.TarInfo(rel if top else f"{DATA}/{rel}")
    info.size, info.mtime, info.mode = size, int(mtime), 0o600
    reader = _HashingReader(handle)
    tar.addfile(info, reader)
    return {"path": rel, "size": size, "sha256": reader.digest.hexdigest()}


class _HashingReader:
    """Pass reads through and hash what they return."""

    # tarfile reads exactly size bytes: the manifest hashes those, whatever the file
    # does meanwhile, so it always matches the archive.
    def __init__(self, handle):
        self._handle = handle
        self.digest = hashlib.sha256()

    def read(self, n: int = -1) -> bytes:
        chunk = self._handle.read(n)
        self.digest.update(chunk)
        return chunk


# ---- restore ------------------------------------------------------------------------


def holds_data(root: str | os.PathLike) -> bool:
    """Tell whether the data folder holds anything but locks, indexes, exports, the notes
    of upgrade steps made on start and a generated secret key."""
    for folder, _dirs, names in os.walk(root):
        if Path(folder).relative_to(root).parts[:1] in NOT_DATA:
            continue
        if any(not _skipped(name) and name != KEY_FILE for name in names):
            return True
    return False


def restore_backup(
    archive, root, *, force: bool = False, now=None, files: Files | None = None
) -> tuple[dict, Path | None]:
    """Replace the data folder at root with the backup; return the manifest and the aside.

    The old folder, if it holds anything, is renamed to <root>.before-restore-<time>.
    files: for files kept outside the data folder, where the archive's files go.
    """
    archive, root = Path(archive), Path(root).absolute()
    if root.exists() and holds_data(root) and not force:
        raise BackupError(
            f"{root} already holds data: restore with --force to replace it "
            "(the current folder is then kept aside, not deleted)"
        )
    try:
        ensure_dir(root.parent)
        staging = Path(tempfile.mkdtemp(dir=root.parent, prefix=f".{root.name}.restore-"))
    except OSError as exc:
        raise BackupError(f"cannot write beside {root}: {exc.strerror or exc}") from None
    try:
        manifest = _extract(archive, staging)
        send_files(staging, files)
        aside = _swap(staging, root, _now(now))
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError):
            raise BackupError(f"cannot restore into {root}: {exc.strerror or exc}") from None
        raise
    return manifest, aside


def _extract(archive: Path, staging: Path) -> dict:
    """Write the archive's files into staging and return its manifest once all check out."""
    written: dict[str, dict] = {}
    manifest = None
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            for member in tar:
                rel = _member_path(member)
                if rel is None:
                    if manifest is not None or member.size > MAX_MANIFEST:
                        raise BackupError("the archive's manifest is not one of Rifd's")
                    manifest = orjson.loads(tar.extractfile(member).read())
                elif member.isfile():
                    if rel in written:
                        raise BackupError(f"the archive holds {rel} twice")
                    written[rel] = _write_member(tar, member, staging, rel)
            # Read to the end, so gzip checks its CRC over everything.
            while tar.fileobj.read(_CHUNK):
                pass
    except (tarfile.TarError, EOFError, zlib.error, BadGzipFile, orjson.JSONDecodeError) as exc:
        raise BackupError(f"{archive} is not a readable backup: {exc}") from None
    except OSError as exc:
        raise BackupError(f"cannot restore {archive}: {exc.strerror or exc}") from None
    _check_manifest(manifest, written)
    return manifest


def send_files(staging: Path, outside: Files | None) -> None:
    """Move the files of an extracted archive to where they are kept outside the folder
    (object storage), each checked against its name; nothing to do for the folder's own."""
    if outside is None:
        return
    folder = staging / FILES_DIR
    for top in sorted(os.listdir(folder)) if folder.is_dir() else []:
        for rest in sorted(os.listdir(folder / top)):
            path = folder / top / rest
            with open(path, "rb") as handle:
                outside.put_stream(top + rest, handle)
            path.unlink()
    shutil.rmtree(folder, ignore_errors=True)


def _member_path(member: tarfile.TarInfo) -> str | None:
    """Return the data path of a member (None for the manifest); refuse anything else."""
    name = member.name.rstrip("/") if member.isdir() else member.name
    parts = name.split("/")
    if not (member.isfile() or member.isdir()):
        raise BackupError(f"refused {name!r}: links and special files have no place here")
    if name.startswith("/") or "\\" in name or any(p in ("", ".", "..") for p in parts):
        raise BackupError(f"refused {name!r}: only plain relative paths are allowed")
    if name == MANIFEST and member.isfile():
        return None
    if parts[0] != DATA or (len(parts) == 1 and not member.isdir()):
        raise BackupError(f"refused {name!r}: not part of a Rifd backup")
    return "/".join(parts[1:])


def _write_member(tar: tarfile.TarFile, member, staging: Path, rel: str) -> dict:
    target = staging.joinpath(*rel.split("/"))
    # Belt and braces: the checks above already keep every path inside staging.
    if not target.resolve().is_relative_to(staging.resolve()):
        raise BackupError(f"refused {rel!r}: it leaves the data folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    source = tar.extractfile(member)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    return {"path": rel, "size": size, "sha256": digest.hexdigest()}


def _check_manifest(manifest: object, written: dict[str, dict]) -> None:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("the archive has no Rifd backup manifest")
    if manifest.get("version") != VERSION:
        raise BackupError(f"backup format version {manifest.get('version')!r} is not supported")
    files = manifest.get("files")
    if not isinstance(files, list) or not all(
        isinstance(entry, dict) and isinstance(entry.get("path"), str) for entry in files
    ):
        raise BackupError("the archive's manifest is malformed")
    listed = {entry["path"]: entry for entry in files}
    problems = [f"{path}: missing from the archive" for path in listed.keys() - written]
    problems += [f"{path}: not in the manifest" for path in written.keys() - listed]
    problems += [
        f"{path}: content differs from the manifest"
        for path in listed.keys() & written.keys()
        if listed[path] != written[path]
    ]
    if problems:
        shown = "; ".join(sorted(problems)[:5])
        raise BackupError(f"the archive is damaged or altered ({len(problems)}): {shown}")


def _swap(staging: Path, root: Path, now: dt.datetime) -> Path | None:
    """Rename staging to root, moving an existing folder with any file in it aside."""
    aside = None
    if root.exists():
        held = (
            n
            for folder, _d, names in os.walk(root)
            if Path(folder).relative_to(root).parts[:1] not in NOT_DATA
            for n in names
        )
        if any(not _skipped(n) for n in held):
            aside = root.with_name(f"{root.name}{ASIDE}{now:%Y%m%d-%H%M%S}")
            n = 1
            while aside.exists():
                aside = root.with_name(f"{root.name}{ASIDE}{now:%Y%m%d-%H%M%S}-{n}")
                n += 1
            os.rename(root, aside)
        else:
            shutil.rmtree(root)  # only empty folders, locks and indexes: nothing to keep
    try:
        os.rename(staging, root)
    except OSError:
        if aside is not None:
            os.rename(aside, root)
        raise
    fsync_dir(root.parent)
    return aside
