"""Split a condition into tokens: numbers, strings, words and operators."""

from __future__ import annotations

from typing import NamedTuple

from forms.conditions.syntax import (
    CONSTANTS,
    DIGIT_CHARS,
    HYPHENATED,
    SPACES,
    TO_ASCII,
    ConditionError,
)
from forms.conditions.values import as_number

_KEYWORDS = frozenset({"and", "or", "not", *CONSTANTS})
_OPERATORS = ("==", "!=", "<=", ">=", "=", "<", ">", "+", "-", "*", "/", "(", ")", ",")
_MISTAKES = (
    ("&&", 'use "and" instead of "&&"'),
    ("||", 'use "or" instead of "||"'),
    ("!", 'use "not" or "!=" instead of "!"'),
    ("${", 'write field names without "${ }"'),
)


class Token(NamedTuple):
    kind: str  # num, str, name, kw, op, end
    value: object
    pos: int
    text: str


def tokenize(expr: str) -> list[Token]:
    tokens, i = [], 0
    while i < len(expr):
        c = expr[i]
        if c in SPACES:
            i += 1
            continue
        if c in DIGIT_CHARS:
            token, i = _read_number(expr, i)
        elif c in "'\"":
            token, i = _read_string(expr, i)
        elif _is_word_char(c):  # digits were taken above
            token, i = _read_word(expr, i)
        else:
            token, i = _read_operator(expr, i)
        tokens.append(token)
    tokens.append(Token("end", None, len(expr), ""))
    return tokens


def describe(token: Token) -> str:
    if token.kind == "end":
        return "end of condition"
    return "string" if token.kind == "str" else f'"{token.text}"'


def _is_word_char(c: str) -> bool:
    return "a" <= c <= "z" or "A" <= c <= "Z" or "0" <= c <= "9" or c == "_"


def _skip_digits(expr: str, i: int) -> int:
    while i < len(expr) and expr[i] in DIGIT_CHARS:
        i += 1
    return i


def _read_number(expr: str, start: int) -> tuple[Token, int]:
    i = _skip_digits(expr, start)
    if i < len(expr) and expr[i] in ".٫":
        if i + 1 >= len(expr) or expr[i + 1] not in DIGIT_CHARS:
            raise ConditionError("a digit must follow the decimal point", i)
        i = _skip_digits(expr, i + 1)
    text = expr[start:i]
    return Token("num", as_number(float(text.translate(TO_ASCII))), start, text), i


def _read_string(expr: str, start: int) -> tuple[Token, int]:
    quote, chars, i = expr[start], [], start + 1
    while i < len(expr):
        c = expr[i]
        if c == quote:
            return Token("str", "".join(chars), start, expr[start : i + 1]), i + 1
        if c == "\\" and i + 1 < len(expr):
            if expr[i + 1] not in ("'", '"', "\\"):
                raise ConditionError(f'unknown escape "\\{expr[i + 1]}" in string', i)
            c, i = expr[i + 1], i + 1
        chars.append(c)
        i += 1
    raise ConditionError("unterminated string", start)


def _read_word(expr: str, start: int) -> tuple[Token, int]:
    for spelling, name in HYPHENATED.items():
        end = start + len(spelling)
        if expr.startswith(spelling, start) and not (end < len(expr) and _is_word_char(expr[end])):
            return Token("name", name, start, spelling), end
    i = start + 1
    while i < len(expr) and _is_word_char(expr[i]):
        i += 1
    word = expr[start:i]
    if word != word.lower():
        raise ConditionError(f'"{word}" must be lowercase: write "{word.lower()}"', start)
    return Token("kw" if word in _KEYWORDS else "name", word, start, word), i


def _read_operator(expr: str, i: int) -> tuple[Token, int]:
    for text in _OPERATORS:
        if expr.startswith(text, i):
            return Token("op", "==" if text == "=" else text, i, text), i + len(text)
    for text, problem in _MISTAKES:
        if expr.startswith(text, i):
            raise ConditionError(problem, i)
    raise ConditionError(f'unexpected character "{expr[i]}"', i)
