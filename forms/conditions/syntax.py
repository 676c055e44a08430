"""What every stage of the condition language shares: limits, vocabulary, error, tree."""

from __future__ import annotations

from typing import NamedTuple

MAX_LENGTH = 2000
MAX_DEPTH = 50
# The whitelist, with each function's number of arguments. Order breaks ties in hints.
FUNCTIONS = {"selected": 2, "count": 1, "empty": 1, "filled": 1, "length": 1, "number": 1}
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
