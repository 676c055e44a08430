"""How much an uploaded zip (an .xlsx, a .docx) may unpack to, judged before anything reads it.

Python's zipfile never inflates a member past the size its central directory
declares (reading more fails the CRC check), so the declared sizes bound what
opening the file can cost: a zip bomb is refused from its directory alone.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass

MB = 1024 * 1024
# What a damaged or exotic zip raises when a member is read.
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError)


@dataclass(frozen=True)
class ZipLimits:
    entries: int
    unpacked: int  # bytes
    ratio: int = 100  # unpacked size over packed size

    def excess(self, infos: list[zipfile.ZipInfo]) -> str:
        """Say how a zip's directory goes past these limits, or return "" when it does not."""
        unpacked = sum(info.file_size for info in infos)
        packed = max(sum(info.compress_size for info in infos), 1)
        if len(infos) > self.entries:
            return f"{len(infos)} entries, more than {self.entries}"
        if unpacked > self.unpacked:
            return f"{unpacked // MB} MB unpacked, more than {self.unpacked // MB} MB"
        if unpacked > self.ratio * packed:
            return f"{unpacked // packed} times its packed size, more than {self.ratio}"
        return ""
