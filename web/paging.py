"""The page number of a list, from ?page=, always a sensible one."""

from __future__ import annotations

import re

from flask import request

_PAGE = re.compile(r"[1-9]\d{0,5}")


def page_arg() -> int:
    """Return ?page= as 1..999999; anything else (0, -1, "x", a huge number) is page 1."""
    value = request.args.get("page", "1")
    return int(value) if _PAGE.fullmatch(value) else 1


def pages_of(total: int, per_page: int) -> int:
    return max((total + per_page - 1) // per_page, 1)
