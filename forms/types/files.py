"""Uploads and drawn signatures (kept as files by content hash), notes and repeats."""

from __future__ import annotations

import base64
import binascii
import re

import filetype

from forms.types.base import FieldError, FieldType, PendingFile, register

_EXT_ALIASES = {"jpeg": "jpg"}


@register("file")
class File(FieldType):
    widget = "file"
    default_accept = ("pdf", "jpg", "png")
    default_mb = 5

    def is_empty(self, raw) -> bool:
        return raw is None or isinstance(raw, str) or not getattr(raw, "filename", "")

    def clean(self, raw, fdef, form, *, strict=True):
        limit_mb = fdef.get("max_size_mb", self.default_mb)
        data = raw.stream.read(int(limit_mb * 1024 * 1024) + 1)
        if len(data) > limit_mb * 1024 * 1024:
            raise FieldError("file_size", limit=limit_mb)
        kind = filetype.guess(data)
        ext = _EXT_ALIASES.get(kind.extension, kind.extension) if kind else ""
        allowed = fdef.get("accept", self.default_accept)
        if ext not in allowed:
            raise FieldError("file_type", allowed=", ".join(allowed))
        # The name is kept for display only; it never reaches the file system.
        name = re.sub(r"[^\w.\- ]+", "_", raw.filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1])
        return PendingFile(data=data, ext=ext, filename=name[-120:])

    def upload_bytes(self, fdef):
        return int(fdef.get("max_size_mb", self.default_mb) * 1024 * 1024)

    def posted(self, value, fdef, read_file):
        return []  # a browser cannot be given a file: the page keeps the stored one

    def condition_value(self, value):
        return None if value is None else "file"

    def display(self, value, fdef, form, lang):
        return (value or {}).get("name", "")


_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_SIGNATURE_MAX = 512 * 1024


@register("signature")
class Signature(FieldType):
    widget = "signature"
    max_chars = _SIGNATURE_MAX * 4 // 3 + 100  # the PNG as a base64 data URL

    def clean(self, raw, fdef, form, *, strict=True):
        prefix = "data:image/png;base64,"
        text = str(raw).strip()
        if not text.startswith(prefix) or len(text) > self.max_chars:
            raise FieldError("signature")
        try:
            data = base64.b64decode(text[len(prefix) :], validate=True)
        except (binascii.Error, ValueError):
            raise FieldError("signature") from None
        if not data.startswith(_PNG_MAGIC) or len(data) < 60:
            raise FieldError("signature")
        return PendingFile(data=data, ext="png", filename="signature.png")

    def posted(self, value, fdef, read_file):
        # The drawing itself travels in the page, as the pad sent it.
        if not isinstance(value, dict) or not value.get("sha256"):
            return []
        return ["data:image/png;base64," + base64.b64encode(read_file(value["sha256"])).decode()]

    def shown_again(self, text, fdef):
        # A cut data URL is no drawing: the pad comes back empty instead.
        return text if len(text) <= self.max_chars else ""

    def upload_bytes(self, fdef):
        return self.max_chars

    def condition_value(self, value):
        return None if value is None else "signed"

    def display(self, value, fdef, form, lang):
        return "✓" if value else ""


@register("note")
class Note(FieldType):
    widget = "note"


@register("repeat")
class Repeat(FieldType):
    """A group of fields repeated per row; the builder validates its rows."""

    widget = "repeat"

    def posted(self, value, fdef, read_file):
        return []  # its rows are posted field by field (forms/refill.py)

    def condition_value(self, value):
        # Conditions only count rows (count(family_members) > 2).
        return ["row"] * len(value or [])

    def display(self, value, fdef, form, lang):
        return str(len(value or []))
