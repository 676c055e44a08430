"""Uploads and drawn signatures (kept as files by content hash), notes and repeats."""

from __future__ import annotations

import base64
import binascii
import re

import filetype

from forms.file_kinds import AUDIO, IMAGES, VIDEO
from forms.types.base import FieldError, FieldType, PendingFile, register

_EXT_ALIASES = {"jpeg": "jpg"}


# MIME types beside the extensions: a phone offers its camera only to an input whose
# `accept` names image types (".jpg" alone is not enough for every phone).
ACCEPT_MIME = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "m4a": "audio/mp4",
    "mp3": "audio/mpeg",
    "ogg": "audio/ogg",
    "wav": "audio/wav",
    "aac": "audio/aac",
    "amr": "audio/amr",
    "mp4": "video/mp4",
    "webm": "video/webm",
    "mov": "video/quicktime",
    "3gp": "video/3gpp",
}
# The types whose answer is uploaded files, kept by content hash.
FILE_TYPES = ("file", "image")
DEFAULT_MAX_FILES = 5
DEFAULT_TOTAL_MB = 20
# One multipart part's headers and boundary, generously (forms.sizes adds one per field).
_PART = 1024


def file_refs(value) -> list[dict]:
    """Return the stored files of a file answer as a list, whether it was stored as one
    file (a reference, every answer before several were allowed) or as a list of them."""
    if isinstance(value, dict):
        return [value] if value.get("sha256") else []
    if isinstance(value, list):
        return [v for v in value if isinstance(v, dict) and v.get("sha256")]
    return []


def _chosen(raw) -> list:
    items = raw if isinstance(raw, list | tuple) else [raw]
    return [r for r in items if r is not None and getattr(r, "filename", "")]


def accept_attr(fdef: dict) -> str:
    """Return the input's `accept`: each allowed type as its MIME type and extensions."""
    out = []
    for ext in allowed_kinds(fdef):
        out += [ACCEPT_MIME.get(ext, ""), "." + ext] + ([".jpeg"] if ext == "jpg" else [])
    return ",".join(x for x in out if x)


def opens_camera(fdef: dict) -> bool:
    """Tell whether a phone should open its camera (or recorder) at once: a field marked
    `camera` that takes only pictures, only sound or only films. Where a document (a
    PDF) may be sent, the phone offers its camera beside its files instead (the image
    types in `accept` do that)."""
    kinds = set(allowed_kinds(fdef))
    return bool(fdef.get("camera")) and any(kinds <= set(k) for k in (IMAGES, AUDIO, VIDEO))


def allowed_kinds(fdef: dict) -> list[str]:
    """Return the kinds of file a file or image field takes."""
    default = Image.default_accept if fdef.get("type") == "image" else File.default_accept
    return list(fdef.get("accept", default))


@register("file")
class File(FieldType):
    """One file, or with `multiple` up to `max_files` of them within `max_total_mb`."""

    widget = "file"
    default_accept = ("pdf", "jpg", "png")
    default_mb = 5

    def is_empty(self, raw) -> bool:
        return not _chosen(raw)

    def clean(self, raw, fdef, form, *, strict=True):
        chosen = _chosen(raw)
        if not chosen:
            raise FieldError("required")
        if not fdef.get("multiple"):
            return self.clean_one(chosen[0], fdef)
        limit = fdef.get("max_files", DEFAULT_MAX_FILES)
        if len(chosen) > limit:
            raise FieldError("files_count", limit=limit)
        files = [self.clean_one(upload, fdef) for upload in chosen]
        total_mb = fdef.get("max_total_mb", DEFAULT_TOTAL_MB)
        if sum(len(f.data) for f in files) > total_mb * 1024 * 1024:
            raise FieldError("files_total", limit=total_mb)
        return files

    def clean_one(self, raw, fdef) -> PendingFile:
        """Check one upload by its content (type and size); return it, not yet stored."""
        limit_mb = fdef.get("max_size_mb", self.default_mb)
        data = raw.stream.read(int(limit_mb * 1024 * 1024) + 1)
        if len(data) > limit_mb * 1024 * 1024:
            raise FieldError("file_size", limit=limit_mb)
        kind = filetype.guess(data)
        ext = _EXT_ALIASES.get(kind.extension, kind.extension) if kind else ""
        allowed = allowed_kinds(fdef) if "type" in fdef else self.default_accept
        if ext not in allowed:
            raise FieldError("file_type", allowed=", ".join(allowed))
        # The name is kept for display only; it never reaches the file system.
        name = re.sub(r"[^\w.\- ]+", "_", raw.filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1])
        return PendingFile(data=data, ext=ext, filename=name[-120:])

    def upload_bytes(self, fdef):
        one = int(fdef.get("max_size_mb", self.default_mb) * 1024 * 1024)
        if not fdef.get("multiple"):
            return one
        # One file more than allowed still arrives, so that it is refused with its message.
        count = fdef.get("max_files", DEFAULT_MAX_FILES) + 1
        total = int(fdef.get("max_total_mb", DEFAULT_TOTAL_MB) * 1024 * 1024) + one
        return min(count * one, total) + count * _PART

    def posted(self, value, fdef, read_file):
        return []  # a browser cannot be given a file: the page keeps the stored one

    def condition_value(self, value):
        return None if value is None else "file"

    def display(self, value, fdef, form, lang):
        return ("، " if lang != "en" else ", ").join(r.get("name", "") for r in file_refs(value))


@register("image")
class Image(File):
    """A photo from the camera or a file: the file field, for pictures only.

    The page makes a large photo smaller on the phone before it is sent (device.js,
    with a canvas), so a 12-megapixel picture does not cost a slow upload.
    """

    default_accept = ("jpg", "png", "webp")


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
