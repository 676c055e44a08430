"""Errors the store raises; callers never see a TinyDB or filelock exception."""


class StoreError(Exception):
    """Refuse a bad collection name, id, digest or record, or report a failed lock."""


class NotFoundError(StoreError, KeyError):
    """Report that a record or file does not exist."""

    # KeyError quotes its message in str(); keep the plain message instead.
    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""
