"""Parse and evaluate the condition language of form definitions (visible_if, required_if).

The same language runs in the browser (static/js/conditions.js), so a field hides as
the person types and the server agrees it was hidden. Both sides are a hand-written
tokenizer, a precedence parser that builds a small tuple AST, and a tree-walking
evaluator; nothing is ever handed to eval. tests/condition_cases.json holds the one
table of cases that both evaluators must pass.

The language, lowest precedence first:

    a or b          a and b          not a
    == = != < <= > >=               (one per operand pair: a < b < c is an error)
    + -             * /              -a              ( ... )
    numbers (Arabic-Indic and Persian digits too), 'text' or "text" (\\' \\" \\\\ only),
    true false null, field_names, and the functions in FUNCTIONS.

Keywords and names are lowercase ASCII only; `AND` or `Age` is an error that says so.
Positions in errors count characters (code points) from 0.

Values: None, bool, int/float, str, or a list of those. A missing name is null.
'' and [] count as null for comparison. `==` compares numbers numerically, a number
with a numeric string numerically, two strings as text, two booleans as booleans;
anything else is unequal. A list `==` a scalar is true when the list contains it; two
lists are equal when each holds every item of the other. Ordering is numeric for numbers
and numeric strings, by code point for two other strings, false otherwise. Arithmetic
takes numbers and numeric strings, gives null for anything else and for division by
zero, and rounds its result to 10 decimal places so 0.1 + 0.2 == 0.3 on both sides.
Truthiness: null, false, 0, '' and [] are false; `and`, `or`, `not` give booleans.
A numeric string is [+-]digits[.digits] once Arabic-Indic/Persian digits (and the
Arabic decimal sign) become ASCII and SPACES are trimmed; '1e3' and '1,000' are text.

Functions: selected(x, v) a list holds v or a non-blank x equals v; count(x) items of
a list, 0 for null or '', else 1; empty(x) x is null, '' or []; filled(x) not empty;
length(x) code points of a string, 0 for null, else null; number(x) a number, a
numeric string's value, 1/0 for true/false, else null.
"""

from __future__ import annotations

import functools
import math
import operator
import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import NamedTuple

MAX_LENGTH = 2000
MAX_DEPTH = 50
# The whitelist, with each function's number of arguments. Order breaks ties in hints.
FUNCTIONS = {"selected": 2, "count": 1, "empty": 1, "filled": 1, "length": 1, "number": 1}
_CONSTANTS = {"true": True, "false": False, "null": None}
_KEYWORDS = frozenset({"and", "or", "not", *_CONSTANTS})
# Spelled out rather than str.isspace() so JavaScript can use the very same set; the
# bidi marks are what Arabic keyboards slip into typed text.
SPACES = " \t\n\r\f\v\u00a0\u200e\u200f\u061c\ufeff"
_DIGIT_CHARS = "0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹"
_TO_ASCII = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫", "01234567890123456789.")
_NUMERIC = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
_OPERATORS = ("==", "!=", "<=", ">=", "=", "<", ">", "+", "-", "*", "/", "(", ")", ",")
_MISTAKES = (
    ("&&", 'use "and" instead of "&&"'),
    ("||", 'use "or" instead of "||"'),
    ("!", 'use "not" or "!=" instead of "!"'),
    ("${", 'write field names without "${ }"'),
)
_COMPARISONS = ("==", "!=", "<", "<=", ">", ">=")
_ORDER = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_ARITHMETIC = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}
_SAFE_INTEGER = 2**53


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


class _Token(NamedTuple):
    kind: str  # num, str, name, kw, op, end
    value: object
    pos: int
    text: str


@functools.lru_cache(maxsize=1024)
def parse(expr: str) -> Node:
    """Parse a condition into a Node, or raise ConditionError."""
    if not isinstance(expr, str):
        raise TypeError(f"a condition is a string, not {type(expr).__name__}")
    if len(expr) > MAX_LENGTH:
        raise ConditionError(
            f"condition is too long (the limit is {MAX_LENGTH} characters)", MAX_LENGTH
        )
    tokens = _tokenize(expr)
    if tokens[0].kind == "end":
        raise ConditionError("empty condition", 0)
    parser = _Parser(tokens)
    node = parser.parse_or()
    if parser.tok.kind != "end":
        raise ConditionError(f"unexpected {_describe(parser.tok)}", parser.tok.pos)
    return node


def names(expr_or_node: str | Node) -> set[str]:
    """Return the field names a condition reads."""
    found, stack = set(), [_node(expr_or_node)]
    while stack:
        node = stack.pop()
        if node.kind == "name":
            found.add(node.value)
        stack.extend(node.args)
    return found


def evaluate(expr_or_node: str | Node, values: Mapping[str, object]) -> bool:
    """Return whether the condition holds for these values."""
    return _truthy(value_of(expr_or_node, values))


def value_of(expr_or_node: str | Node, values: Mapping[str, object]) -> object:
    """Return the raw value of the expression for these values."""
    return _eval(_node(expr_or_node), values)


def _node(expr_or_node: str | Node) -> Node:
    return parse(expr_or_node) if isinstance(expr_or_node, str) else expr_or_node


# Tokenizer ---------------------------------------------------------------------------


def _tokenize(expr: str) -> list[_Token]:
    tokens, i = [], 0
    while i < len(expr):
        c = expr[i]
        if c in SPACES:
            i += 1
            continue
        if c in _DIGIT_CHARS:
            token, i = _read_number(expr, i)
        elif c in "'\"":
            token, i = _read_string(expr, i)
        elif _is_word_char(c):  # digits were taken above
            token, i = _read_word(expr, i)
        else:
            token, i = _read_operator(expr, i)
        tokens.append(token)
    tokens.append(_Token("end", None, len(expr), ""))
    return tokens


def _is_word_char(c: str) -> bool:
    return "a" <= c <= "z" or "A" <= c <= "Z" or "0" <= c <= "9" or c == "_"


def _skip_digits(expr: str, i: int) -> int:
    while i < len(expr) and expr[i] in _DIGIT_CHARS:
        i += 1
    return i


def _read_number(expr: str, start: int) -> tuple[_Token, int]:
    i = _skip_digits(expr, start)
    if i < len(expr) and expr[i] in ".٫":
        if i + 1 >= len(expr) or expr[i + 1] not in _DIGIT_CHARS:
            raise ConditionError("a digit must follow the decimal point", i)
        i = _skip_digits(expr, i + 1)
    text = expr[start:i]
    return _Token("num", _as_number(float(text.translate(_TO_ASCII))), start, text), i


def _read_string(expr: str, start: int) -> tuple[_Token, int]:
    quote, chars, i = expr[start], [], start + 1
    while i < len(expr):
        c = expr[i]
        if c == quote:
            return _Token("str", "".join(chars), start, expr[start : i + 1]), i + 1
        if c == "\\" and i + 1 < len(expr):
            if expr[i + 1] not in ("'", '"', "\\"):
                raise ConditionError(f'unknown escape "\\{expr[i + 1]}" in string', i)
            c, i = expr[i + 1], i + 1
        chars.append(c)
        i += 1
    raise ConditionError("unterminated string", start)


def _read_word(expr: str, start: int) -> tuple[_Token, int]:
    i = start + 1
    while i < len(expr) and _is_word_char(expr[i]):
        i += 1
    word = expr[start:i]
    if word != word.lower():
        raise ConditionError(f'"{word}" must be lowercase: write "{word.lower()}"', start)
    return _Token("kw" if word in _KEYWORDS else "name", word, start, word), i


def _read_operator(expr: str, i: int) -> tuple[_Token, int]:
    for text in _OPERATORS:
        if expr.startswith(text, i):
            return _Token("op", "==" if text == "=" else text, i, text), i + len(text)
    for text, problem in _MISTAKES:
        if expr.startswith(text, i):
            raise ConditionError(problem, i)
    raise ConditionError(f'unexpected character "{expr[i]}"', i)


def _describe(token: _Token) -> str:
    if token.kind == "end":
        return "end of condition"
    return "string" if token.kind == "str" else f'"{token.text}"'


# Parser ------------------------------------------------------------------------------


class _Parser:
    """Recursive descent, one method per precedence level."""

    def __init__(self, tokens: list[_Token]):
        self.tokens, self.i, self.depth = tokens, 0, 0

    @property
    def tok(self) -> _Token:
        return self.tokens[self.i]

    def advance(self) -> _Token:
        self.i += 1
        return self.tokens[self.i - 1]

    def at(self, kind: str, *values: str) -> bool:
        return self.tok.kind == kind and self.tok.value in values

    def enter(self, pos: int) -> None:
        # Caps the recursion too, so hostile input fails here, never as RecursionError.
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ConditionError(f"condition is nested too deeply (the limit is {MAX_DEPTH})", pos)

    def expect_close(self, problem: str) -> None:
        if not self.at("op", ")"):
            raise ConditionError(f"{problem} but found {_describe(self.tok)}", self.tok.pos)
        self.advance()
        self.depth -= 1

    def parse_or(self) -> Node:
        return self.chain("or", self.parse_and)

    def parse_and(self) -> Node:
        return self.chain("and", self.parse_not)

    def chain(self, word: str, operand) -> Node:
        items = [operand()]
        while self.at("kw", word):
            self.advance()
            items.append(operand())
        return items[0] if len(items) == 1 else Node(word, None, tuple(items), items[0].pos)

    def parse_not(self) -> Node:
        if not self.at("kw", "not"):
            return self.parse_comparison()
        token = self.advance()
        self.enter(token.pos)
        operand = self.parse_not()
        self.depth -= 1
        return Node("not", None, (operand,), token.pos)

    def parse_comparison(self) -> Node:
        left = self.parse_sum()
        if not self.at("op", *_COMPARISONS):
            return left
        op = self.advance()
        right = self.parse_sum()
        if self.at("op", *_COMPARISONS):
            problem = 'comparisons cannot be chained: join them with "and"'
            raise ConditionError(problem, self.tok.pos)
        return Node("compare", op.value, (left, right), op.pos)

    def parse_sum(self) -> Node:
        return self.arithmetic(("+", "-"), self.parse_product)

    def parse_product(self) -> Node:
        return self.arithmetic(("*", "/"), self.parse_unary)

    def arithmetic(self, ops: tuple[str, ...], operand) -> Node:
        # One flat node per run of same-level operators keeps long sums shallow.
        items, operators = [operand()], []
        while self.at("op", *ops):
            operators.append(self.advance().value)
            items.append(operand())
        if not operators:
            return items[0]
        return Node("arith", tuple(operators), tuple(items), items[0].pos)

    def parse_unary(self) -> Node:
        if not self.at("op", "-"):
            return self.parse_primary()
        token = self.advance()
        self.enter(token.pos)
        operand = self.parse_unary()
        self.depth -= 1
        return Node("neg", None, (operand,), token.pos)

    def parse_primary(self) -> Node:
        token = self.advance()
        if token.kind in ("num", "str"):
            return Node("literal", token.value, (), token.pos)
        if token.kind == "kw" and token.value in _CONSTANTS:
            return Node("literal", _CONSTANTS[token.value], (), token.pos)
        if token.kind == "name":
            if self.at("op", "("):
                return self.parse_call(token)
            return Node("name", token.value, (), token.pos)
        if token.kind == "op" and token.value == "(":
            self.enter(token.pos)
            inner = self.parse_or()
            self.expect_close('expected ")"')
            return inner
        raise ConditionError(f"unexpected {_describe(token)}", token.pos)

    def parse_call(self, name: _Token) -> Node:
        if name.value not in FUNCTIONS:
            raise ConditionError(_unknown_function(name.value), name.pos)
        self.enter(self.advance().pos)
        args = []
        if not self.at("op", ")"):
            args.append(self.parse_or())
            while self.at("op", ","):
                self.advance()
                args.append(self.parse_or())
        self.expect_close('expected "," or ")"')
        wanted = FUNCTIONS[name.value]
        if len(args) != wanted:
            plural = "argument" if wanted == 1 else "arguments"
            problem = f'"{name.value}" takes {wanted} {plural}, not {len(args)}'
            raise ConditionError(problem, name.pos)
        return Node("call", name.value, tuple(args), name.pos)


def _unknown_function(name: str) -> str:
    best = min(FUNCTIONS, key=lambda known: _distance(name, known))
    if _distance(name, best) <= 2:
        return f'unknown function "{name}" (did you mean "{best}"?)'
    return f'unknown function "{name}" (known: {", ".join(FUNCTIONS)})'


def _distance(a: str, b: str) -> int:
    """Return the Levenshtein distance between a and b."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
    return row[-1]


# Evaluator ---------------------------------------------------------------------------


def _eval(node: Node, values: Mapping[str, object]) -> object:
    args = node.args
    match node.kind:
        case "literal":
            return node.value
        case "name":
            return _from_python(values.get(node.value))
        case "not":
            return not _truthy(_eval(args[0], values))
        case "and":
            return all(_truthy(_eval(arg, values)) for arg in args)
        case "or":
            return any(_truthy(_eval(arg, values)) for arg in args)
        case "neg":
            number = _numeric(_eval(args[0], values))
            return None if number is None else _tidy(-float(number))
        case "compare":
            return _compare(node.value, _eval(args[0], values), _eval(args[1], values))
        case "arith":
            result = _eval(args[0], values)
            for op, arg in zip(node.value, args[1:], strict=True):
                result = _arithmetic(op, result, _eval(arg, values))
            return result
        case "call":
            return _call(node.value, [_eval(arg, values) for arg in args])
    raise ValueError(f"unknown node kind {node.kind!r}")


def _from_python(value: object) -> object:
    """Bring a caller's value into the evaluator's few types, or raise TypeError."""
    # Decimal and date are what WTForms' DecimalField and DateField hand back; a date
    # becomes the ISO text that the browser's <input type=date> would give.
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int | float | Decimal):
        return _as_number(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        items = [_from_python(item) for item in value]
        if any(isinstance(item, list) for item in items):
            raise TypeError("a condition cannot use a list inside a list")
        return items
    raise TypeError(f"a condition cannot use a value of type {type(value).__name__}")


def _as_number(value: object) -> int | float | None:
    # JavaScript has only doubles: every number goes through float so both sides hold
    # the same value, and whole ones come back as int so 2 prints as 2, not 2.0.
    try:
        number = float(value)
    except (OverflowError, ValueError):
        return None
    if not math.isfinite(number):
        return None
    if number.is_integer() and abs(number) <= _SAFE_INTEGER:
        return int(number)
    return number


def _tidy(number: float) -> int | float | None:
    """Round an arithmetic result to 10 decimal places, exactly as conditions.js does."""
    # Not round(): Python's and JavaScript's decimal rounding differ, so both sides
    # do the same float steps by hand (half rounds up, like Math.round).
    scaled = number * 1e10
    if math.isfinite(scaled) and abs(scaled) < 2**52:
        whole = math.floor(scaled)
        if scaled - whole >= 0.5:
            whole += 1
        number = whole / 1e10
    return _as_number(number)


def _truthy(value: object) -> bool:
    return len(value) > 0 if isinstance(value, list) else bool(value)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str | list) and len(value) == 0)


def _numeric(value: object) -> int | float | None:
    """Return the number a value stands for: a number, or a string that reads as one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        text = value.translate(_TO_ASCII).strip(SPACES)
        if _NUMERIC.fullmatch(text):
            return _as_number(float(text))
    return None


def _compare(op: str, left: object, right: object) -> bool:
    if op == "==":
        return _equal(left, right)
    if op == "!=":
        return not _equal(left, right)
    if _blank(left) or _blank(right):
        return False
    left_number, right_number = _numeric(left), _numeric(right)
    if left_number is not None and right_number is not None:
        return _ORDER[op](left_number, right_number)
    if isinstance(left, str) and isinstance(right, str):
        # Only two non-numeric strings get here: ISO dates compare as text.
        return left_number is None and right_number is None and _ORDER[op](left, right)
    return False


def _equal(left: object, right: object) -> bool:
    if _blank(left) or _blank(right):
        return _blank(left) and _blank(right)
    if isinstance(left, list) and isinstance(right, list):
        return all(any(_equal(a, b) for b in right) for a in left) and all(
            any(_equal(a, b) for a in left) for b in right
        )
    if isinstance(left, list):
        return any(_equal(item, right) for item in left)
    if isinstance(right, list):
        return any(_equal(left, item) for item in right)
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if isinstance(left, str) and isinstance(right, str):
        return left == right
    left_number, right_number = _numeric(left), _numeric(right)
    return left_number is not None and left_number == right_number


def _arithmetic(op: str, left: object, right: object) -> int | float | None:
    a, b = _numeric(left), _numeric(right)
    if a is None or b is None or (op == "/" and b == 0):
        return None
    return _tidy(_ARITHMETIC[op](float(a), float(b)))


def _call(name: str, args: list[object]) -> object:
    value = args[0]
    match name:
        case "selected":
            if isinstance(value, list):
                return any(_equal(item, args[1]) for item in value)
            return not _blank(value) and _equal(value, args[1])
        case "count":
            return len(value) if isinstance(value, list) else int(not _blank(value))
        case "empty":
            return _blank(value)
        case "filled":
            return not _blank(value)
        case "length":
            return len(value) if isinstance(value, str) else (0 if value is None else None)
        case "number":
            return int(value) if isinstance(value, bool) else _numeric(value)
    raise ValueError(f"unknown function {name!r}")
