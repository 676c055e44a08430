"""XLSForm constraints <-> Rifd constraints (ranges, lengths, patterns).

An XLSForm constraint is one expression about the answer `.`; Rifd keeps named
limits. A constraint maps when it is an `and` of terms Rifd has a limit for:
`. >= 1`, `. <= 30`, `string-length(.) <= 100`, `regex(., '^[0-9]{5}$')`. Any other
term (`. < today()`, `. != ${other}`) is reported, never dropped.
"""

from __future__ import annotations

import json

from forms import patterns
from forms.checks import CONSTRAINT_TYPES
from forms.conditions.values import as_number
from forms.xlsform.condition_text import number_text
from forms.xlsform.regex import from_xlsform, to_xlsform
from forms.xlsform.to_xpath import quote
from forms.xlsform.xpath import XNode

KEYS = ("min", "max", "min_length", "max_length", "pattern")
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!="}
_HELP = (
    "Rifd constraints are ranges (. >= 1), lengths (string-length(.) <= 50) and patterns"
    " (regex(., '^[0-9]{5}$')) joined with and"
)


class ConstraintError(ValueError):
    pass


def from_expression(node: XNode, field_type: str) -> dict:
    """Return the Rifd limits of a parsed constraint, or raise ConstraintError."""
    found: dict = {}
    for term in _terms(node):
        for key, value in _limits(term, field_type):
            if key not in CONSTRAINT_TYPES or field_type not in CONSTRAINT_TYPES[key]:
                raise ConstraintError(
                    f"a {key.replace('_', ' ')} limit does not apply to a field of type"
                    f' "{field_type}" in Rifd'
                )
            if key in found:
                raise ConstraintError(f"the constraint sets {key.replace('_', ' ')} twice")
            found[key] = value
    return {key: found[key] for key in KEYS if key in found}


def _terms(node: XNode) -> list[XNode]:
    if node.kind == "and":
        return [term for arg in node.args for term in _terms(arg)]
    return [node]


def _limits(term: XNode, field_type: str) -> list[tuple[str, object]]:
    if term.kind == "call" and term.value == "regex" and len(term.args) == 2:
        subject, pattern = term.args
        text = _text(pattern)
        if subject.kind == "dot" and text is not None:
            return [("pattern", _pattern(text))]
    if term.kind == "cmp":
        left, right = term.args
        op = term.value
        if _is_subject(right):
            left, right, op = right, left, _FLIP[op]
        number = _number(right)
        if _is_subject(left) and number is not None and op != "!=":
            prefix = "" if left.kind == "dot" else "_length"
            whole = field_type == "integer" or bool(prefix)
            return _bounds(op, number, prefix, whole)
    raise ConstraintError(f"{_why(term)}: {_HELP}")


def _why(term: XNode) -> str:
    """Name what makes a term more than a limit: a function, another answer, mod."""
    stack = [term]
    while stack:
        node = stack.pop()
        if node.kind == "call" and node.value not in ("string-length", "regex", "concat"):
            return f"the function {node.value}() is not supported in a Rifd constraint"
        if node.kind == "ref":
            return f"a Rifd constraint cannot compare with another answer (${{{node.value}}})"
        if node.kind == "arith" and node.value == "mod":
            return '"mod" is not supported in a Rifd constraint'
        stack.extend(reversed(node.args))
    return "this constraint cannot be represented"


def _is_subject(node: XNode) -> bool:
    """Whether the node is the answer (.) or its length (string-length(.))."""
    if node.kind == "dot":
        return True
    return node.kind == "call" and node.value == "string-length" and _args_are_dot(node)


def _args_are_dot(node: XNode) -> bool:
    return len(node.args) == 1 and node.args[0].kind == "dot"


def _number(node: XNode) -> int | float | None:
    if node.kind == "num":
        return as_number(node.value)
    if node.kind == "neg" and node.args[0].kind == "num":
        return as_number(-node.args[0].value)
    return None


def _bounds(op: str, number, suffix: str, whole: bool) -> list[tuple[str, object]]:
    if op in (">", "<") and not (whole and float(number).is_integer()):
        # On a decimal, ". > 0" has no smallest allowed value Rifd could keep.
        raise ConstraintError(f'"{op}" on a decimal cannot be represented: use ">=" or "<="')
    if op == "=":
        return [(f"min{suffix}", number), (f"max{suffix}", number)]
    step = {">": 1, "<": -1}.get(op, 0)
    key = f"min{suffix}" if op in (">", ">=") else f"max{suffix}"
    return [(key, as_number(number + step))]


def _text(node: XNode) -> str | None:
    if node.kind == "str":
        return node.value
    if node.kind == "call" and node.value == "concat" and all(a.kind == "str" for a in node.args):
        return "".join(a.value for a in node.args)
    return None


def _pattern(text: str) -> str:
    pattern = from_xlsform(text)
    why = patterns.problem(pattern)
    if why:
        raise ConstraintError(f"the pattern {text!r} is not one Rifd can use ({why})")
    return pattern


def to_expression(limits: dict) -> str:
    """Return the XLSForm constraint of Rifd limits ('' when there are none)."""
    terms = []
    for key in KEYS:
        if key not in limits:
            continue
        value = limits[key]
        if key == "pattern":
            terms.append(f"regex(., {quote(to_xlsform(value))})")
        else:
            subject = "." if key in ("min", "max") else "string-length(.)"
            op = ">=" if key.startswith("min") else "<="
            terms.append(f"{subject} {op} {number_text(value)}")
    return " and ".join(terms)


def messages_cells(limits: dict) -> tuple[dict | None, str]:
    """Return (the one constraint_message text, the rifd_messages JSON or '')."""
    messages = limits.get("messages") or {}
    keys = [key for key in (*KEYS, "rule") if key in limits]
    texts = list(messages.values())
    if not texts:
        return None, ""
    if set(messages) == set(keys) and all(text == texts[0] for text in texts):
        return texts[0], ""
    # Different messages per limit: XLSForm shows one, Rifd keeps each.
    joined = {
        lang: " ".join(dict.fromkeys(t[lang] for t in texts if t.get(lang)))
        for lang in ("ar", "en")
    }
    shown = {lang: text for lang, text in joined.items() if text}
    return shown, json.dumps(messages, ensure_ascii=False)


def read_messages(cell: str) -> dict:
    """Read a rifd_messages cell, or raise ConstraintError."""
    try:
        data = json.loads(cell)
    except json.JSONDecodeError as exc:
        raise ConstraintError(f"is not valid JSON ({exc.msg})") from None
    ok = isinstance(data, dict) and all(
        key in KEYS
        and isinstance(text, dict)
        and isinstance(text.get("ar"), str)
        and set(text) <= {"ar", "en"}
        for key, text in data.items()
    )
    if not ok:
        raise ConstraintError(
            'must map limits (min, max, min_length, max_length, pattern) to {"ar": ..., "en": ...}'
        )
    return data
