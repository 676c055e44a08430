"""Parse XLSForm expressions (the XPath 1.0 subset ODK uses) into a small tree.

A hand-written tokenizer and a recursive descent parser with XPath's precedence
(or, and, = !=, < <= > >=, + -, * div mod, unary -). Nothing is evaluated here:
the tree is translated into Rifd's condition language by forms.xlsform.translate,
which decides what Rifd can represent. Paths (/data/x, ../x) and predicates parse
are refused here with a hint to write ${field}.
"""

from __future__ import annotations

from typing import NamedTuple

MAX_LENGTH = 4000
MAX_DEPTH = 50
# Excel turns typed quotes into curly ones; pyxform reads them as plain quotes too.
_SMART_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_SPACES = " \t\n\r\f\v\u00a0\u200e\u200f"
_OPERATORS = ("!=", "<=", ">=", "=", "<", ">", "+", "-", "*", "(", ")", ",", "/", "[", "]", "|")
_WORD_OPERATORS = ("and", "or", "div", "mod")
_EQUALITY, _RELATIONAL = ("=", "!="), ("<", "<=", ">", ">=")
_PATHS = "paths (/data/name, ../name, name) are not supported: refer to a field as ${name}"


class XPathError(ValueError):
    def __init__(self, problem: str, position: int):
        super().__init__(f"{problem} at {position}")
        self.problem = problem
        self.position = position


class XNode(NamedTuple):
    kind: str  # num str ref dot parent col call or and cmp arith neg
    value: object = None  # the number, text, ${name}, function or operator
    args: tuple[XNode, ...] = ()
    pos: int = 0


class _Token(NamedTuple):
    kind: str  # num str ref dot name op end
    value: object
    pos: int


def parse(text: str, columns: bool = False) -> XNode:
    """Parse one XLSForm expression, or raise XPathError.

    With `columns` (a choice_filter) a bare name is a column of the choices sheet.
    """
    text = text.translate(_SMART_QUOTES)
    if len(text) > MAX_LENGTH:
        raise XPathError(f"the expression is longer than {MAX_LENGTH} characters", 0)
    parser = _Parser(tokenize(text), columns)
    if parser.tok.kind == "end":
        raise XPathError("the expression is empty", 0)
    node = parser.parse_or()
    if parser.tok.kind != "end":
        raise XPathError(f"unexpected {_show(parser.tok)}", parser.tok.pos)
    return node


def tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c in _SPACES:
            i += 1
        elif text.startswith("${", i):
            end = text.find("}", i)
            if end < 0:
                raise XPathError('"${" is not closed with "}"', i)
            tokens.append(_Token("ref", text[i + 2 : end].strip(), i))
            i = end + 1
        elif c.isdigit() or (c == "." and text[i + 1 : i + 2].isdigit()):
            i = _number(text, i, tokens)
        elif c == ".":
            size = 2 if text.startswith("..", i) else 1
            tokens.append(_Token("dot" if size == 1 else "name", text[i : i + size], i))
            i += size
        elif c in "'\"":
            end = text.find(c, i + 1)
            if end < 0:
                raise XPathError("a text in quotes is not closed", i)
            tokens.append(_Token("str", text[i + 1 : end], i))
            i = end + 1
        elif c.isalpha() or c == "_":
            i = _word(text, i, tokens)
        else:
            i = _operator(text, i, tokens)
    tokens.append(_Token("end", None, len(text)))
    return tokens


def _number(text: str, i: int, tokens: list[_Token]) -> int:
    start = i
    while i < len(text) and (text[i].isdigit() or text[i] == "."):
        i += 1
    word = text[start:i]
    if word.count(".") > 1 or not word.isascii():
        raise XPathError(f'"{word}" is not a number', start)
    value = float(word)
    tokens.append(_Token("num", int(value) if value.is_integer() else value, start))
    return i


def _word(text: str, i: int, tokens: list[_Token]) -> int:
    start = i
    while i < len(text) and (text[i].isalnum() or text[i] in "_-.:"):
        i += 1
    word = text[start:i]
    after_operand = tokens and (
        tokens[-1].kind in ("num", "str", "ref", "dot", "name")
        or (tokens[-1].kind == "op" and tokens[-1].value == ")")
    )
    kind = "op" if word in _WORD_OPERATORS and after_operand else "name"
    tokens.append(_Token(kind, word, start))
    return i


def _operator(text: str, i: int, tokens: list[_Token]) -> int:
    for op in _OPERATORS:
        if text.startswith(op, i):
            tokens.append(_Token("op", op, i))
            return i + len(op)
    raise XPathError(f'unexpected character "{text[i]}"', i)


def _show(token: _Token) -> str:
    if token.kind == "end":
        return "end of the expression"
    if token.kind == "ref":
        return f'"${{{token.value}}}"'
    return f'"{token.value}"'


class _Parser:
    """Recursive descent, one method per XPath precedence level."""

    def __init__(self, tokens: list[_Token], columns: bool = False):
        self.tokens, self.i, self.depth = tokens, 0, 0
        self.columns = columns

    @property
    def tok(self) -> _Token:
        return self.tokens[self.i]

    def advance(self) -> _Token:
        self.i += 1
        return self.tokens[self.i - 1]

    def at(self, *ops: str) -> bool:
        return self.tok.kind == "op" and self.tok.value in ops

    def parse_or(self) -> XNode:
        return self.chain("or", ("or",), self.parse_and)

    def parse_and(self) -> XNode:
        return self.chain("and", ("and",), self.parse_equality)

    def parse_equality(self) -> XNode:
        return self.chain("cmp", _EQUALITY, self.parse_relational)

    def parse_relational(self) -> XNode:
        return self.chain("cmp", _RELATIONAL, self.parse_additive)

    def parse_additive(self) -> XNode:
        return self.chain("arith", ("+", "-"), self.parse_multiplicative)

    def parse_multiplicative(self) -> XNode:
        return self.chain("arith", ("*", "div", "mod"), self.parse_unary)

    def chain(self, kind: str, ops: tuple[str, ...], operand) -> XNode:
        node = operand()
        while self.at(*ops):
            op = self.advance()
            node = XNode(kind, op.value, (node, operand()), op.pos)
        return node

    def parse_unary(self) -> XNode:
        if not self.at("-"):
            return self.parse_path()
        token = self.advance()
        return XNode("neg", None, (self.nested(self.parse_unary, token.pos),), token.pos)

    def nested(self, parse, pos: int) -> XNode:
        # Caps the recursion, so a hostile cell fails with a message, not RecursionError.
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise XPathError(f"the expression is nested more than {MAX_DEPTH} deep", pos)
        node = parse()
        self.depth -= 1
        return node

    def parse_path(self) -> XNode:
        node = self.parse_primary()
        if self.at("/", "[", "|"):
            raise XPathError(_PATHS, self.tok.pos)
        return node

    def parse_primary(self) -> XNode:
        token = self.advance()
        if token.kind in ("num", "str", "ref", "dot"):
            return XNode(token.kind, token.value, (), token.pos)
        if token.kind == "name" and self.at("("):
            return self.parse_call(token)
        if token.kind == "name" and self.columns and token.value.isidentifier():
            return XNode("col", token.value, (), token.pos)
        if token.kind == "name" or (token.kind == "op" and token.value == "/"):
            raise XPathError(_PATHS, token.pos)
        if token.kind == "op" and token.value == "(":
            inner = self.nested(self.parse_or, token.pos)
            self.expect(")", 'expected ")"')
            return inner
        raise XPathError(f"unexpected {_show(token)}", token.pos)

    def parse_call(self, name: _Token) -> XNode:
        self.advance()
        args = []
        if name.value == "position" and self.tok.kind == "name" and self.tok.value == "..":
            # position(..): the number of the repeat row holding the question.
            token = self.advance()
            args.append(XNode("parent", "..", (), token.pos))
        elif not self.at(")"):
            args.append(self.nested(self.parse_or, name.pos))
            while self.at(","):
                self.advance()
                args.append(self.nested(self.parse_or, name.pos))
        self.expect(")", f'expected "," or ")" in {name.value}()')
        return XNode("call", name.value, tuple(args), name.pos)

    def expect(self, op: str, problem: str) -> None:
        if not self.at(op):
            raise XPathError(f"{problem} but found {_show(self.tok)}", self.tok.pos)
        self.advance()
