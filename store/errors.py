"""Errors the store raises; callers never see a TinyDB, SQLite or OS lock exception."""

import errno
import sqlite3


class StoreError(Exception):
    """Refuse a bad collection name, id, digest or record, or report a failed lock."""


class NotFoundError(StoreError, KeyError):
    """Report that a record or file does not exist."""

    # KeyError quotes its message in str(); keep the plain message instead.
    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


# What a full disk (or a full quota) raises on a write.
DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})


class DiskFull(StoreError):
    """The disk filled up while a transaction was written.

    `pending` is True when its journal was written whole before: the change is
    kept and the next write (or start) finishes it once there is room again.
    `collections` names what that change writes (a record's, its audit entry's).
    """

    def __init__(self, pending: bool, collections: frozenset[str] = frozenset()):
        super().__init__("the disk is full" + (": the change will be finished" if pending else ""))
        self.pending = pending
        self.collections = collections


def _full(exc: BaseException) -> bool:
    if isinstance(exc, DiskFull):
        return True
    if isinstance(exc, OSError):
        return exc.errno in DISK_FULL_ERRNOS
    # The index (SQLite) says "database or disk is full" in an error of its own.
    return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL


def disk_full(exc: BaseException | None) -> BaseException | None:
    """Return the full-disk error behind `exc` (itself, or what caused it), or None."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if _full(exc):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None


class FilesUnavailable(StoreError):
    """The storage of files (object storage) cannot be reached, or refused the request.

    Nothing of the request was stored: a record is written only after its files
    (web/errors.py shows a page that says so).
    """
