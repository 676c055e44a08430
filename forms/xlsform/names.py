"""Names: XLSForm allows `HH_size` or `q1.2`; Rifd names are lower-case ASCII with _.

A name is made a Rifd name the obvious way (lower case; `-`, `.` and spaces become
`_`; one starting with a digit or `_` gets `q_` in front). Two names that end up the
same are reported, never merged.
"""

from __future__ import annotations

import re

_RIFD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
_OTHER = re.compile(r"[^a-z0-9_]")


class NameProblem(ValueError):
    pass


def rifd_name(raw: str) -> str:
    """Return the Rifd name of an XLSForm name, or raise NameProblem."""
    if not raw:
        raise NameProblem("the name is empty")
    if not raw.isascii():
        raise NameProblem(
            f'"{raw}" cannot be a Rifd name: use English letters, digits and _ (e.g. family_size)'
        )
    name = _OTHER.sub("_", raw.lower())
    if not name[0].isalpha():
        name = "q_" + name.lstrip("_")
    if not _RIFD_NAME.match(name):
        raise NameProblem(f'"{raw}" cannot be a Rifd name: at most 63 letters, digits and _')
    return name


class Names:
    """Rifd names given so far in one namespace, to report the second use of one."""

    def __init__(self, what: str):
        self.what = what
        self.rows: dict[str, int] = {}

    def claim(self, raw: str, row: int) -> str:
        """Return the Rifd name for `raw` at `row`, or raise NameProblem if it is taken."""
        name = rifd_name(raw)
        if name in self.rows:
            shown = f'"{raw}"' if raw == name else f'"{raw}" (as "{name}")'
            raise NameProblem(
                f"{shown} is already the name of a {self.what} at row {self.rows[name]}"
            )
        self.rows[name] = row
        return name
