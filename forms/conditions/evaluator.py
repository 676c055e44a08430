"""Evaluate a parsed condition against a submission's values by walking its tree."""

from __future__ import annotations

import operator
from collections.abc import Mapping

from forms.conditions import functions
from forms.conditions.parser import as_node
from forms.conditions.syntax import CHOICE_KEY, ROW_KEY, Node
from forms.conditions.values import blank, from_python, numeric, tidy, truthy

_ORDER = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_ARITHMETIC = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}


def evaluate(expr_or_node: str | Node, values: Mapping[str, object]) -> bool:
    """Return whether the condition holds for these values."""
    return truthy(value_of(expr_or_node, values))


def value_of(expr_or_node: str | Node, values: Mapping[str, object]) -> object:
    """Return the raw value of the expression for these values."""
    return _eval(as_node(expr_or_node), values)


def _eval(node: Node, values: Mapping[str, object]) -> object:
    args = node.args
    match node.kind:
        case "literal":
            return node.value
        case "name":
            return from_python(values.get(node.value))
        case "not":
            return not truthy(_eval(args[0], values))
        case "and":
            return all(truthy(_eval(arg, values)) for arg in args)
        case "or":
            return any(truthy(_eval(arg, values)) for arg in args)
        case "neg":
            number = numeric(_eval(args[0], values))
            return None if number is None else tidy(-float(number))
        case "compare":
            return _compare(node.value, _eval(args[0], values), _eval(args[1], values))
        case "arith":
            result = _eval(args[0], values)
            for op, arg in zip(node.value, args[1:], strict=True):
                result = _arithmetic(op, result, _eval(arg, values))
            return result
        case "call" if node.value == "position":
            return from_python(values.get(ROW_KEY))
        case "call" if node.value == "choice":
            return _choice_data(values.get(CHOICE_KEY), _eval(args[0], values))
        case "call":
            return _call(node.value, [_eval(arg, values) for arg in args])
    raise ValueError(f"unknown node kind {node.kind!r}")


def _choice_data(choice: object, key: object) -> object:
    """Return one datum of the choice a filter decides on; null outside a filter."""
    if not isinstance(choice, Mapping) or not isinstance(key, str):
        return None
    return from_python(choice.get(key))


def _compare(op: str, left: object, right: object) -> bool:
    if op == "==":
        return _equal(left, right)
    if op == "!=":
        return not _equal(left, right)
    if blank(left) or blank(right):
        return False
    left_number, right_number = numeric(left), numeric(right)
    if left_number is not None and right_number is not None:
        return _ORDER[op](left_number, right_number)
    if isinstance(left, str) and isinstance(right, str):
        # Only two non-numeric strings get here: ISO dates compare as text.
        return left_number is None and right_number is None and _ORDER[op](left, right)
    return False


def _equal(left: object, right: object) -> bool:
    if blank(left) or blank(right):
        return blank(left) and blank(right)
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
    left_number, right_number = numeric(left), numeric(right)
    return left_number is not None and left_number == right_number


def _arithmetic(op: str, left: object, right: object) -> int | float | None:
    a, b = numeric(left), numeric(right)
    if a is None or b is None or (op == "/" and b == 0):
        return None
    return tidy(_ARITHMETIC[op](float(a), float(b)))


def _call(name: str, args: list[object]) -> object:
    value = args[0] if args else None
    match name:
        case "if":
            return args[1] if truthy(value) else args[2]
        case "concat":
            return functions.concat(args)
        case "sum" | "min" | "max":
            return functions.aggregate(name, args)
        case "today":
            return functions.today()
        case "now":
            return functions.now()
        case "age":
            return functions.age(value)
        case "selected":
            if isinstance(value, list):
                return any(_equal(item, args[1]) for item in value)
            return not blank(value) and _equal(value, args[1])
        case "count" | "count_selected":
            return len(value) if isinstance(value, list) else int(not blank(value))
        case "empty":
            return blank(value)
        case "filled":
            return not blank(value)
        case "length" | "string_length":
            return len(value) if isinstance(value, str) else (0 if value is None else None)
        case "number":
            return int(value) if isinstance(value, bool) else numeric(value)
        case "round":
            return functions.round_to(value, args[1] if len(args) > 1 else 0)
    raise ValueError(f"unknown function {name!r}")
