"""Write a Rifd condition tree (forms.conditions.Node) back as text, one canonical way.

Brackets appear only where the grammar needs them, plus around an `and` inside an
`or` and around a comparison under `not`, which the language would not need but a
reader does. Text written here parses back to the same tree.
"""

from __future__ import annotations

from decimal import Decimal

from forms.conditions import Node

_LEVEL = {"or": 1, "and": 2, "not": 3, "compare": 4, "neg": 7}
_ATOM = 8


def number_text(value: int | float) -> str:
    """Write a number without an exponent, which neither language reads."""
    if isinstance(value, int):
        return str(value)
    return format(Decimal(repr(value)).normalize(), "f")


def text(node: Node) -> str:
    """Return the canonical text of a condition tree."""
    match node.kind:
        case "literal":
            return _literal(node.value)
        case "name":
            return node.value
        case "or" | "and":
            # Level 3 brackets an `and` inside an `or`, and any nested chain.
            return f" {node.kind} ".join(_wrap(arg, 3) for arg in node.args)
        case "not":
            operand = node.args[0]
            inner = text(operand)
            if operand.kind not in ("literal", "name", "call", "not"):
                inner = f"({inner})"
            return f"not {inner}"
        case "compare":
            left, right = node.args
            return f"{_wrap(left, 5)} {node.value} {_wrap(right, 5)}"
        case "arith":
            return _arith(node)
        case "neg":
            return "-" + _wrap(node.args[0], 7)
        case "call":
            return f"{node.value}({', '.join(text(arg) for arg in node.args)})"
    raise ValueError(f"unknown node kind {node.kind!r}")


def level(node: Node) -> int:
    if node.kind == "arith":
        return 5 if node.value[0] in "+-" else 6
    return _LEVEL.get(node.kind, _ATOM)


def _wrap(node: Node, minimum: int) -> str:
    inner = text(node)
    return f"({inner})" if level(node) < minimum else inner


def _arith(node: Node) -> str:
    own = level(node)
    parts = [_wrap(node.args[0], own)]
    for op, arg in zip(node.value, node.args[1:], strict=True):
        parts.append(f"{op} {_wrap(arg, own + 1)}")
    return " ".join(parts)


def _literal(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return number_text(value)
    quote = '"' if "'" in value and '"' not in value else "'"
    escaped = value.replace("\\", "\\\\")
    if quote == "'":
        escaped = escaped.replace("'", "\\'")
    return f"{quote}{escaped}{quote}"
