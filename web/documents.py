"""Send a document someone handed in, as the type it was found to be when it was stored."""

from __future__ import annotations

from typing import BinaryIO

from flask import send_file

# Checked by content on upload (forms.types.files); shown in the browser.
INLINE = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}


def send_document(stream: BinaryIO, ref: dict):
    """Return the response for one stored document, sent in chunks from the open file (closed
    once sent); anything unexpected comes as bytes to save."""
    kind = ref.get("type", "")
    mimetype = INLINE.get(kind)
    return send_file(
        stream,
        mimetype=mimetype or "application/octet-stream",
        as_attachment=mimetype is None,
        download_name=f"{ref['sha256'][:12]}.{kind if mimetype else 'bin'}",
    )
