"""Where a page may send a person back to: a path on this site, whatever a browser makes of it.

`next` (after sign-in, after a language switch) comes from a link anyone can
write. A browser drops tabs and newlines from a URL, reads "\\" as "/" and
"//host" as another site; an encoded "%2F%2F" may be decoded on the way by a
proxy. So a target is refused, not cleaned, when any of that could turn it
into another site's address: only a plain path starting with one "/" passes.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

# C0 controls (tab, CR, LF among them), DEL and the backslash: browsers drop or
# rewrite them, and a header cannot carry a newline at all.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f\\]")
_MAX_LENGTH = 2000


def _plain_path(text: str) -> bool:
    if _UNSAFE.search(text) or not text.startswith("/") or text.startswith("//"):
        return False
    parts = urlsplit(text)
    return not parts.scheme and not parts.netloc


def safe_next(target: str | None, host: str = "") -> str | None:
    """Return `target` if it is a path on this site (also once decoded), else None.

    `host` ("rifd.example") lets a full address of this very site (a Referer
    header, http or https) through as its path.
    """
    if not target or len(target) > _MAX_LENGTH:
        return None
    for scheme in ("https://", "http://"):
        if host and target.startswith(f"{scheme}{host}/"):
            target = target[len(scheme + host) :]
    decoded = target
    for _ in range(3):  # "%252F" is "%2F" once decoded, "/" twice
        decoded = unquote(decoded)
    if _plain_path(target) and _plain_path(decoded):
        return target
    return None
