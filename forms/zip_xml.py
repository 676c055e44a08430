"""Refuse an uploaded zip (.xlsx, .docx) whose XML declares a DTD, before any parser reads it.

A DOCTYPE may declare entities: "billion laughs" (entities of entities, gigabytes
out of a kilobyte) or an external entity that reads a file of the server. Word and
Excel never write one. Left to the parsers, openpyxl's defusedxml raised deep in a
sheet (a 500) and a template passed its upload check to fail at preview. So every
member is searched for `<!DOCTYPE` and `<!ENTITY` first. A parser honours the
encoding a part declares: UTF-16 and UTF-32 parts are decoded before the search,
and a part in any other encoding than those where ASCII is ASCII (UTF-8, Latin,
Windows code pages) is refused: in UTF-7 `+ADw-` is also "<".
"""

from __future__ import annotations

import codecs
import re
import zipfile

_DECLARATIONS = ("<!DOCTYPE", "<!ENTITY")
_OVERLAP = max(len(d) for d in _DECLARATIONS)
_CHUNK = 1024 * 1024
_WIDE = (  # (how the part starts, its codec)
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00", "utf-16-le"),
    (b"\x00<", "utf-16-be"),
)
_EBCDIC_XML = b"\x4c\x6f\xa7\x94"  # "<?xm" in EBCDIC, which libxml2 recognises
_SAFE = re.compile(
    r"utf-?8|us-ascii|ascii|utf-?(16|32)(-?[lb]e)?|ucs-?[24]|iso-?8859-\d+|latin-?\d|(windows|cp)-?125\d"
)
_DECLARED = re.compile(rb"(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)")


def declaration(zipped: zipfile.ZipFile) -> tuple[str, str] | None:
    """Return (problem, member) for the first member refused, or None.

    The problem is "entities" (the member declares a DTD or entities) or
    "encoding" (XML in an encoding that could hide one). Raises what zipfile
    raises on a damaged member.
    """
    for info in zipped.infolist():
        if not info.is_dir():
            problem = _member_problem(zipped, info)
            if problem:
                return problem, info.filename
    return None


def _member_problem(zipped: zipfile.ZipFile, info: zipfile.ZipInfo) -> str | None:
    with zipped.open(info) as member:
        head = member.read(_CHUNK)
        if _hiding(head):
            return "encoding"
        codec = next((name for start, name in _WIDE if head.startswith(start)), "latin-1")
        decoder = codecs.getincrementaldecoder(codec)(errors="replace")
        tail, chunk = "", head
        while chunk:
            window = tail + decoder.decode(chunk)
            if any(found in window for found in _DECLARATIONS):
                return "entities"
            tail = window[-_OVERLAP:]
            chunk = member.read(_CHUNK)
    return None


def _hiding(head: bytes) -> bool:
    """Say whether the part is XML in an encoding where `<!DOCTYPE` is other bytes."""
    if head.startswith(_EBCDIC_XML):
        return True
    declared = _DECLARED.match(head)
    if not declared:
        return False
    # UTF-16 and UTF-32 parts are read as what their bytes are (above). Of the
    # rest, only encodings where ASCII is ASCII: in UTF-7 `+ADw-` is also "<".
    return not _SAFE.fullmatch(declared[1].decode("ascii").lower())
