"""Read a PNG without an imaging library: check its chunks, decode its pixels, read a QR grid.

Enough for the QR codes Rifd makes (greyscale, 1 bit per pixel, any row filter): the
tests decode the picture and compare its modules with the QR code of the address.
"""

from __future__ import annotations

import struct
import zlib

import segno

SIGNATURE = b"\x89PNG\r\n\x1a\n"


def chunks(data: bytes):
    """Yield (type, data) of each chunk, checking its CRC."""
    assert data[:8] == SIGNATURE, "not a PNG"
    at = 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert zlib.crc32(kind + body) == crc, f"bad CRC in {kind!r}"
        yield kind, body
        at += 12 + length


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)


def _unfilter(rows: bytes, height: int, stride: int) -> list[bytes]:
    out: list[bytes] = []
    prior = bytes(stride)
    for y in range(height):
        kind, line = (
            rows[y * (stride + 1)],
            bytearray(rows[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for x in range(stride):
            left = line[x - 1] if x else 0
            up, corner = prior[x], prior[x - 1] if x else 0
            add = (0, left, up, (left + up) // 2, _paeth(left, up, corner))[kind]
            line[x] = (line[x] + add) & 0xFF
        out.append(bytes(line))
        prior = bytes(line)
    return out


def pixels(data: bytes) -> list[list[int]]:
    """Return the picture as rows of 0 (dark) and 1 (light)."""
    found = list(chunks(data))
    assert found[0][0] == b"IHDR" and found[-1][0] == b"IEND"
    width, height, depth, colour = struct.unpack(">IIBB", found[0][1][:10])
    assert (depth, colour) == (1, 0), "expected a 1-bit greyscale PNG"
    raw = zlib.decompress(b"".join(body for kind, body in found if kind == b"IDAT"))
    stride = (width + 7) // 8
    assert len(raw) == height * (stride + 1)
    lines = _unfilter(raw, height, stride)
    return [[(line[x // 8] >> (7 - x % 8)) & 1 for x in range(width)] for line in lines]


def is_qr_of(data: bytes, text: str, border: int = 4) -> bool:
    """Tell whether the PNG is the QR code of `text` (level M), module for module."""
    grid = pixels(data)
    matrix = segno.make(text, error="m").matrix
    size = len(matrix) + 2 * border
    scale = len(grid) // size
    assert scale and len(grid) == size * scale == len(grid[0])
    sampled = [
        [
            1 - grid[(y + border) * scale + scale // 2][(x + border) * scale + scale // 2]
            for x in range(len(matrix))
        ]
        for y in range(len(matrix))
    ]
    return sampled == [list(row) for row in matrix]
