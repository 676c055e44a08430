"""Patterns: XLSForm's regex(., R) matches anywhere in the answer, Rifd's the whole answer.

ODK finds R anywhere unless it is anchored with ^ and $; a Rifd pattern must match
the whole answer. So `^[0-9]{5}$` becomes `[0-9]{5}`, and an unanchored R becomes
`.*(?:R).*`, which matches exactly the answers ODK would accept.
"""

from __future__ import annotations


def to_xlsform(pattern: str) -> str:
    """Return the regex() argument that accepts what the Rifd pattern accepts."""
    return f"^(?:{pattern})$"


def from_xlsform(regex: str) -> str:
    """Return the Rifd pattern that accepts what regex() accepts."""
    if regex.startswith("^(?:") and regex.endswith(")$") and _closing(regex, 1) == len(regex) - 2:
        return regex[4:-2]
    if regex.startswith("^") and _anchored_end(regex) and not _top_level_bar(regex[1:-1]):
        return regex[1:-1]
    return f".*(?:{regex}).*"


def _scan(regex: str):
    """Yield (index, char, depth) for every character outside escapes and [classes]."""
    depth, escaped, in_class = 0, False, False
    for i, c in enumerate(regex):
        if escaped:
            escaped = False
        elif c == "\\":
            escaped = True
        elif in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        else:
            if c == ")":
                depth -= 1
            yield i, c, depth
            if c == "(":
                depth += 1


def _closing(regex: str, start: int) -> int:
    """Return the index of the bracket closing the one at `start`, or -1."""
    for i, c, depth in _scan(regex):
        if i > start and c == ")" and depth == 0:
            return i
    return -1


def _anchored_end(regex: str) -> bool:
    if len(regex) < 2 or not regex.endswith("$"):
        return False
    backslashes = len(regex[:-1]) - len(regex[:-1].rstrip("\\"))
    return backslashes % 2 == 0


def _top_level_bar(regex: str) -> bool:
    return any(c == "|" and depth == 0 for _i, c, depth in _scan(regex))
