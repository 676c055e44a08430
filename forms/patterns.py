"""A field's pattern (constraints.pattern), written by a person and run by RE2.

Python's `re` backtracks: `(a+)+b` against 27 characters of a public form's
answer took 6.75 s, and 31 ended in a 500. RE2 (google-re2) runs any pattern
in time linear in the answer's length. It has no look-arounds, back-references,
atomic groups or possessive repeats: a pattern using them is refused where it is
written (the editor, the XLSForm import, the definition check at load), with a
reason a person can act on.

RE2's `\\d`, `\\w` and `\\s` are ASCII, as in the browser's JavaScript; answers
to a field with a pattern have their digits made ASCII before the check.
"""

from __future__ import annotations

import functools
import re

import re2

# A pattern holds at most 500 characters (forms/schema.json); RE2's default
# 8 MB for its automata is far more than any of them needs.
_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # RE2 would print each refused pattern on stderr
_OPTIONS.max_mem = 8 << 20
# `\u0600` (Python's and JavaScript's spelling) is `\x{0600}` in RE2.
_UNICODE_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\u([0-9A-Fa-f]{4})")
# RE2's words for what backtracking engines have and it has not: (?= (?<= (?> \1 a*+
_UNSUPPORTED = re.compile(
    r"invalid perl operator|invalid escape sequence: \\[1-9]|bad repetition operator: .*\+$"
)

UNSUPPORTED = "Rifd runs patterns without look-arounds or back-references"
TOO_LARGE = "it is too large to run"


class PatternError(ValueError):
    """A pattern RE2 cannot run; str() is the reason, in English."""


def _re2_spelling(pattern: str) -> str:
    return _UNICODE_ESCAPE.sub(r"\1\\x{\2}", pattern)


def _reason(error: re2.error) -> str:
    raw = error.args[0] if error.args else ""
    detail = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    if _UNSUPPORTED.match(detail):
        return f"{UNSUPPORTED}: {detail}"
    sizes = re.fullmatch(r"invalid repetition size: \{(\d+)(?:,(\d*))?\}", detail)
    backwards = sizes and sizes[2] and int(sizes[1]) > int(sizes[2])  # a{2,1}: a mistake
    if "too large" in detail or (sizes and not backwards):
        return TOO_LARGE
    return detail


@functools.lru_cache(maxsize=512)
def compiled(pattern: str):
    """Return the RE2 program of `pattern`; raise PatternError when RE2 cannot run it."""
    try:
        return re2.compile(_re2_spelling(pattern), _OPTIONS)
    except re2.error as exc:
        raise PatternError(_reason(exc)) from None


def problem(pattern: str) -> str | None:
    """Return why `pattern` cannot be used, or None when it can."""
    try:
        compiled(pattern)
    except PatternError as exc:
        return str(exc)
    return None


def fullmatch(pattern: str, text: str) -> bool:
    """Say whether the whole of `text` matches `pattern`, in linear time.

    A pattern RE2 cannot run matches nothing: one stored before patterns were
    checked (an old form version) refuses the answer rather than run in
    Python's backtracking engine.
    """
    try:
        return compiled(pattern).fullmatch(text) is not None
    except PatternError:
        return False
