"""Send a document someone handed in, as the type it was found to be when it was stored."""

from __future__ import annotations

import io

from flask import send_file

# Checked by content on upload (forms.types.files); shown in the browser.
INLINE = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}


def send_document(data: bytes, ref: dict):
    """Return the response for one stored document; anything unexpected comes as bytes to save."""
    kind = ref.get("type", "")
    mimetype = INLINE.get(kind)
    return send_file(
        io.BytesIO(data),
        mimetype=mimetype or "application/octet-stream",
        as_attachment=mimetype is None,
        download_name=f"{ref['sha256'][:12]}.{kind if mimetype else 'bin'}",
    )
