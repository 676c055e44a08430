"""Parse a condition into a tree of Nodes: recursive descent, one method per level."""

from __future__ import annotations

import functools

from forms.conditions.syntax import (
    CONSTANTS,
    FUNCTIONS,
    MAX_DEPTH,
    MAX_LENGTH,
    ConditionError,
    Node,
)
from forms.conditions.tokens import Token, describe, tokenize

_COMPARISONS = ("==", "!=", "<", "<=", ">", ">=")


@functools.lru_cache(maxsize=1024)
def parse(expr: str) -> Node:
    """Parse a condition into a Node, or raise ConditionError."""
    if not isinstance(expr, str):
        raise TypeError(f"a condition is a string, not {type(expr).__name__}")
    if len(expr) > MAX_LENGTH:
        raise ConditionError(
            f"condition is too long (the limit is {MAX_LENGTH} characters)", MAX_LENGTH
        )
    tokens = tokenize(expr)
    if tokens[0].kind == "end":
        raise ConditionError("empty condition", 0)
    parser = _Parser(tokens)
    node = parser.parse_or()
    if parser.tok.kind != "end":
        raise ConditionError(f"unexpected {describe(parser.tok)}", parser.tok.pos)
    return node


def names(expr_or_node: str | Node) -> set[str]:
    """Return the field names a condition reads."""
    found, stack = set(), [as_node(expr_or_node)]
    while stack:
        node = stack.pop()
        if node.kind == "name":
            found.add(node.value)
        stack.extend(node.args)
    return found


def as_node(expr_or_node: str | Node) -> Node:
    return parse(expr_or_node) if isinstance(expr_or_node, str) else expr_or_node


class _Parser:
    """Recursive descent, one method per precedence level."""

    def __init__(self, tokens: list[Token]):
        self.tokens, self.i, self.depth = tokens, 0, 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def advance(self) -> Token:
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
            raise ConditionError(f"{problem} but found {describe(self.tok)}", self.tok.pos)
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
        if token.kind == "kw" and token.value in CONSTANTS:
            return Node("literal", CONSTANTS[token.value], (), token.pos)
        if token.kind == "name":
            if self.at("op", "("):
                return self.parse_call(token)
            return Node("name", token.value, (), token.pos)
        if token.kind == "op" and token.value == "(":
            self.enter(token.pos)
            inner = self.parse_or()
            self.expect_close('expected ")"')
            return inner
        raise ConditionError(f"unexpected {describe(token)}", token.pos)

    def parse_call(self, name: Token) -> Node:
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
        least, most = FUNCTIONS[name.value]
        if len(args) < least or (most is not None and len(args) > most):
            plural = "argument" if least == 1 else "arguments"
            wanted = f"{least}" if least == most else f"at least {least}"
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
