"""What every stage of the condition language shares: limits, vocabulary, error, tree."""

from __future__ import annotations

from typing import NamedTuple

MAX_LENGTH = 2000
MAX_DEPTH = 50
# Longest text concat() may build: past it the result is null, so a user-written
# expression cannot grow a value without bound (the sandbox's size limit at run time;
# evaluation time is bounded by MAX_LENGTH, as the language has no loops).
MAX_TEXT = 10_000
# The whitelist, with each function's (least, most) number of arguments, None for no
# limit. Order breaks ties in hints.
FUNCTIONS = {
    "selected": (2, 2),
    "count": (1, 1),
    "empty": (1, 1),
    "filled": (1, 1),
    "length": (1, 1),
    "number": (1, 1),
    "if": (3, 3),
    "concat": (1, None),
    "count_selected": (1, 1),
    "string_length": (1, 1),
    "today": (0, 0),
    "now": (0, 0),
    "age": (1, 1),
    "min": (1, None),
    "max": (1, None),
    "sum": (1, None),
    # A choice list's filter reads the choice it is deciding on: choice('value'), or one
    # of the choice's own data (choice('region')); null anywhere else (forms.choice_filter).
    "choice": (1, 1),
    "round": (1, 2),
    # The number of the repeat row the expression is read in (1, 2, ...); null elsewhere.
    "position": (0, 0),
}
# Where a choice filter's values hold the choice being decided on: no field name
# can be spelled so.
CHOICE_KEY = "@choice"
# Where a repeat row's values hold the row's number, read by position().
ROW_KEY = "@row"
# XLSForm's spellings, read as one name when written without spaces.
HYPHENATED = {"count-selected": "count_selected", "string-length": "string_length"}
CONSTANTS = {"true": True, "false": False, "null": None}
# Spelled out rather than str.isspace() so JavaScript can use the very same set; the
# bidi marks are what Arabic keyboards slip into typed text.
SPACES = " \t\n\r\f\v\u00a0\u200e\u200f\u061c\ufeff"
DIGIT_CHARS = "0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹"
TO_ASCII = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫", "01234567890123456789.")


class ConditionError(ValueError):
    """A condition that cannot be parsed; `position` is where the problem starts."""

    def __init__(self, problem: str, position: int):
        super().__init__(f"{problem} at {position}")
        self.problem = problem
        self.position = position


class Node(NamedTuple):
    """One node of the syntax tree; immutable, so parse() can cache it."""

    kind: str  # literal, name, not, neg, and, or, compare, arith, call
    value: object = None  # the literal, field name, operator(s) or function name
    args: tuple[Node, ...] = ()
    pos: int = 0
