"""Pictures in letters (QR code, logo, signature) without python-docx at render time.

`{{ qr }}` prints an Image: it registers its PNG with the part being rendered
and writes an inline drawing in its place. After the render, Media adds the
picture files, their relationships and the PNG content type to the package.
"""

from __future__ import annotations

import hashlib
import re
import struct
import threading
from dataclasses import dataclass, field

EMU_PER_MM = 36000
_REL_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
_NS = {
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}

# The render in progress on this thread (set by letters.render): images and
# missing values report to it.
CURRENT = threading.local()


def png_size(data: bytes) -> tuple[int, int]:
    """Return (width, height) in pixels of a PNG, from its IHDR chunk."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or len(data) < 24:
        raise ValueError("not a PNG image")
    return struct.unpack(">II", data[16:24])


@dataclass
class Media:
    """The pictures one render adds, per XML part."""

    part: str = ""
    added: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # part -> [(rId, target)]
    blobs: dict[str, bytes] = field(default_factory=dict)  # zip name -> bytes
    next_id: int = 9000

    def add(self, data: bytes) -> tuple[str, int]:
        self.next_id += 1
        name = f"media/rifd_{hashlib.sha256(data).hexdigest()[:16]}.png"
        self.blobs[f"word/{name}"] = data
        rid = f"rIdRifd{self.next_id}"
        self.added.setdefault(self.part, []).append((rid, name))
        return rid, self.next_id

    def files(self) -> dict[str, bytes]:
        return dict(self.blobs)

    def rels(self, original) -> dict[str, bytes]:
        """Return the relationship parts that gain entries (`original(name)`: the template's)."""
        out = {}
        for part, entries in self.added.items():
            folder, _, base = part.rpartition("/")
            rels_name = f"{folder}/_rels/{base}.rels"
            found = original(rels_name)
            xml = found.decode("utf-8") if found is not None else _EMPTY_RELS
            new = "".join(
                f'<Relationship Id="{rid}" Type="{_REL_IMAGE}" Target="{target}"/>'
                for rid, target in entries
            )
            out[rels_name] = xml.replace("</Relationships>", new + "</Relationships>").encode()
        return out

    def content_types(self, original) -> dict[str, bytes]:
        if not self.blobs:
            return {}
        xml = original("[Content_Types].xml").decode("utf-8")
        if not re.search(r'Extension="png"', xml, re.I):
            xml = xml.replace(
                "</Types>", '<Default Extension="png" ContentType="image/png"/></Types>'
            )
        return {"[Content_Types].xml": xml.encode("utf-8")}


_EMPTY_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    "</Relationships>"
)


class Image:
    """A PNG to print inline at `width_mm` wide (height keeps the aspect ratio)."""

    def __init__(self, data: bytes, width_mm: float = 30):
        self.width_px, self.height_px = png_size(data)
        self.data = data
        self.width_mm = width_mm

    def __bool__(self) -> bool:
        return True

    def __str__(self) -> str:
        return ""  # outside a letter render an image prints as nothing

    def __html__(self) -> str:
        state = getattr(CURRENT, "state", None)
        if state is None:
            return ""
        rid, pic_id = state.media.add(self.data)
        # Our own drawing XML (ids and sizes only): markupsafe trusts __html__.
        return self._drawing(rid, pic_id)

    def _drawing(self, rid: str, pic_id: int) -> str:
        cx = int(self.width_mm * EMU_PER_MM)
        cy = int(cx * self.height_px / max(self.width_px, 1))
        return (
            "</w:t></w:r><w:r><w:drawing>"
            f'<wp:inline xmlns:wp="{_NS["wp"]}" distT="0" distB="0" distL="0" distR="0">'
            f'<wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="{pic_id}" name="Picture {pic_id}"/>'
            f'<a:graphic xmlns:a="{_NS["a"]}"><a:graphicData uri="{_NS["pic"]}">'
            f'<pic:pic xmlns:pic="{_NS["pic"]}"><pic:nvPicPr><pic:cNvPr id="{pic_id}" '
            f'name="image{pic_id}.png"/><pic:cNvPicPr/></pic:nvPicPr>'
            f'<pic:blipFill><a:blip xmlns:r="{_NS["r"]}" r:embed="{rid}"/>'
            "<a:stretch><a:fillRect/></a:stretch></pic:blipFill>"
            f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
            "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
            '<w:r><w:t xml:space="preserve">'
        )
