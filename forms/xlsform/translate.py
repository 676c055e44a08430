"""Translate a parsed XLSForm expression into a Rifd condition tree, or say why not.

Each XPath construct maps to one Rifd construct (`=` to `==`, `div` to `/`,
`count-selected()` to `count()`, `${x} = ''` to `empty(x)`, `true()` to `true`);
anything Rifd's language lacks (mod, paths, most of XPath's functions) raises Untranslatable
with the reason. A calculate is not a Rifd field: its expression is put in place
of every `${name}` that reads it, so the condition means the same.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from forms.conditions import Node
from forms.conditions.values import as_number
from forms.xlsform.xpath import XNode

_ARITY = {
    "selected": 2,
    "not": 1,
    "count": 1,
    "count-selected": 1,
    "string-length": 1,
    "number": 1,
    "true": 0,
    "false": 0,
}
_SIMPLE = {
    "count": "count",
    "count-selected": "count",
    "string-length": "length",
    "number": "number",
    "if": "if",
    "today": "today",
    "now": "now",
    "round": "round",
    "concat": "concat",
    "sum": "sum",
    "min": "min",
    "max": "max",
}
# The functions whose arguments are any number (at least one).
_VARIADIC = ("concat", "sum", "min", "max", "round")  # round's 1 or 2: Rifd checks
_ARITY.update({"if": 3, "today": 0, "now": 0})
_YES_NO = {"yes": True, "no": False}


class Untranslatable(ValueError):
    """An expression Rifd cannot represent; the message says what and why."""


class AlreadyReported(Exception):
    """The expression reads a calculate whose own problem is reported at its row."""


@dataclass
class Symbol:
    """A name of the survey sheet as an expression may read it."""

    xls_name: str
    name: str  # the Rifd name
    kind: str  # field, calculate, group, metadata, ambiguous, unsupported (reported at its row)
    type: str = ""  # the Rifd type of a field
    repeat: str | None = None  # the XLSForm name of the repeat holding it
    row: int = 0
    expression: XNode | None = None  # a calculate's parsed calculation


@dataclass(frozen=True)
class Context:
    repeat: str | None = None  # the repeat the expression's field is in (the innermost)
    own: str | None = None  # the field's own XLSForm name
    column: bool = False  # read as a repeat's column: the argument of sum(), min(), max()


@dataclass
class Translator:
    symbols: dict[str, Symbol]
    failed: set[str] = field(default_factory=set)  # calculates with their own problem
    used: set[str] = field(default_factory=set)  # calculates some expression reads
    # Calculates kept as fields though read inline: a repeat's read as a column, and
    # those a label shows (forms.xlsform.live_labels).
    columns: set[str] = field(default_factory=set)
    _stack: list[str] = field(default_factory=list)
    # The XLSForm name of each repeat -> that of the repeat around it (None at the top).
    parents: dict[str, str | None] = field(default_factory=dict)

    def around(self, repeat: str | None) -> list[str | None]:
        """Return the repeats whose row an expression in `repeat` is in, innermost first.

        It reads the answers of its own row, of each row around it, and of the form (None).
        """
        out = [repeat]
        while out[-1] is not None:
            out.append(self.parents.get(out[-1]))
        return out

    def condition(self, node: XNode, ctx: Context) -> Node:
        """Return the Rifd tree of an XLSForm expression, or raise Untranslatable."""
        match node.kind:
            case "num" | "str":
                value = node.value if node.kind == "str" else as_number(node.value)
                return Node("literal", value)
            case "ref":
                return self.reference(node.value, ctx)
            case "or" | "and":
                return Node(node.kind, None, tuple(self._flatten(node, ctx)))
            case "cmp":
                return self.compare(node, ctx)
            case "arith":
                return self.arithmetic(node, ctx)
            case "neg":
                return Node("neg", None, (self.condition(node.args[0], ctx),))
            case "call":
                return self.call(node, ctx)
            case "dot":
                raise Untranslatable('"." (the answer itself) can only be used in a constraint')
        raise ValueError(f"unknown node kind {node.kind!r}")

    def reference(self, xls_name: str, ctx: Context) -> Node:
        symbol = self.symbols.get(xls_name)
        if symbol is None:
            close = difflib.get_close_matches(xls_name, list(self.symbols), n=1, cutoff=0.6)
            hint = f' (did you mean "${{{close[0]}}}"?)' if close else ""
            raise Untranslatable(f'unknown field "${{{xls_name}}}"{hint}')
        if symbol.kind == "unsupported":
            raise AlreadyReported(xls_name)
        if symbol.kind == "metadata":
            raise Untranslatable(f'"${{{xls_name}}}" is ODK metadata, which Rifd does not keep')
        if symbol.kind == "ambiguous":
            raise Untranslatable(
                f'"${{{xls_name}}}" names questions in several groups: which one is meant'
                " cannot be told (give each its own name)"
            )
        if symbol.kind == "group":
            raise Untranslatable(f'"${{{xls_name}}}" is a group: an expression reads fields')
        if xls_name == ctx.own:
            raise Untranslatable(f'a field cannot depend on itself ("${{{xls_name}}}")')
        around = self.around(ctx.repeat)
        if symbol.repeat not in around and not ctx.column:
            raise Untranslatable(
                f'"${{{xls_name}}}" is inside the repeat "{symbol.repeat}": from outside a'
                f" repeat Rifd can only count its rows (count(${{{symbol.repeat}}}))"
            )
        if symbol.repeat not in around and self.parents.get(symbol.repeat) not in around:
            # sum(${x}) reads the column of a repeat held by the row (or form) it is read
            # from; a repeat deeper down has a column in each of its outer rows.
            raise Untranslatable(
                f'"${{{xls_name}}}" is inside the repeat "{symbol.repeat}", which is inside'
                f' the repeat "{self.parents[symbol.repeat]}": Rifd reads its column only'
                " from a row of that repeat"
            )
        if symbol.kind == "calculate" and ctx.column and symbol.repeat not in around:
            # Computed in each row, kept as a field of the row: sum() reads its column.
            self.columns.add(xls_name)
            return Node("name", symbol.name)
        if symbol.kind == "calculate":
            return self.inline(symbol, ctx)
        return Node("name", symbol.name)

    def inline(self, symbol: Symbol, ctx: Context) -> Node:
        self.used.add(symbol.xls_name)
        if symbol.xls_name in self.failed:
            raise AlreadyReported(symbol.xls_name)
        if symbol.xls_name in self._stack:
            chain = " -> ".join(f"${{{n}}}" for n in [*self._stack, symbol.xls_name])
            raise Untranslatable(f"the calculations read each other in a circle: {chain}")
        self._stack.append(symbol.xls_name)
        try:
            return self.condition(symbol.expression, Context(ctx.repeat, ctx.own))
        finally:
            self._stack.pop()

    def _flatten(self, node: XNode, ctx: Context) -> list[Node]:
        # XPath chains lean left ((a and b) and c); Rifd keeps one flat list.
        left, right = node.args
        items = self._flatten(left, ctx) if left.kind == node.kind else [self.condition(left, ctx)]
        return [*items, self.condition(right, ctx)]

    def compare(self, node: XNode, ctx: Context) -> Node:
        left, right = node.args
        if "cmp" in (left.kind, right.kind):
            raise Untranslatable('comparisons cannot be chained: join them with "and"')
        op = "==" if node.value == "=" else node.value
        if op in ("==", "!=") and (_blank(right) or _blank(left)):
            other = left if _blank(right) else right
            function = "empty" if op == "==" else "filled"
            return Node("call", function, (self.condition(other, ctx),))
        yes_no = self._yes_no(left, right, ctx)
        if yes_no:
            return Node("compare", op, yes_no)
        yes_no = self._yes_no(right, left, ctx)
        if yes_no:
            return Node("compare", op, yes_no[::-1])
        return Node("compare", op, (self.condition(left, ctx), self.condition(right, ctx)))

    def _yes_no(self, ref: XNode, other: XNode, ctx: Context) -> tuple[Node, Node] | None:
        """Read `${x} = 'yes'` of a yes/no field as `x == true`."""
        symbol = self.symbols.get(ref.value) if ref.kind == "ref" else None
        if symbol is None or symbol.type != "yes_no" or other.kind != "str":
            return None
        if other.value not in _YES_NO:
            raise Untranslatable(
                f'the yes/no field "${{{ref.value}}}" is "yes" or "no", not "{other.value}"'
            )
        return self.reference(ref.value, ctx), Node("literal", _YES_NO[other.value])

    def arithmetic(self, node: XNode, ctx: Context) -> Node:
        if node.value == "mod":
            raise Untranslatable('"mod" is not supported by Rifd')
        same = ("+", "-") if node.value in ("+", "-") else ("*", "div")
        items, ops, left = [], [], node
        while left.kind == "arith" and left.value in same:
            ops.insert(0, "/" if left.value == "div" else left.value)
            items.insert(0, self.condition(left.args[1], ctx))
            left = left.args[0]
        if left.kind == "arith" and left.value == "mod":
            raise Untranslatable('"mod" is not supported by Rifd')
        items.insert(0, self.condition(left, ctx))
        return Node("arith", tuple(ops), tuple(items))

    def call(self, node: XNode, ctx: Context) -> Node:
        name, args = node.value, node.args
        if name == "concat" and args and all(a.kind == "str" for a in args):
            return Node("literal", "".join(a.value for a in args))
        if name == "position":
            return self._position(args, ctx)
        if name == "regex":
            raise Untranslatable("regex() can only be used in a constraint, as regex(., '...')")
        if name in _VARIADIC and args:
            # sum(${income}) of a repeat's field reads its column, as Rifd's sum(income) does.
            column = Context(ctx.repeat, ctx.own, name != "concat")
            return Node(
                "call",
                name,
                tuple(self.condition(a, column if a.kind == "ref" else ctx) for a in args),
            )
        if name not in _ARITY:
            raise Untranslatable(f"the function {name}() is not supported by Rifd")
        if len(args) != _ARITY[name]:
            raise Untranslatable(f"{name}() takes {_ARITY[name]} argument(s), not {len(args)}")
        if name in ("true", "false"):
            return Node("literal", name == "true")
        if name == "not":
            return Node("not", None, (self.condition(args[0], ctx),))
        if name == "selected":
            yes_no = self._yes_no(args[0], args[1], ctx)
            if yes_no:
                return Node("compare", "==", yes_no)
            return Node("call", "selected", tuple(self.condition(a, ctx) for a in args))
        return Node("call", _SIMPLE[name], tuple(self.condition(a, ctx) for a in args))

    def _position(self, args: tuple[XNode, ...], ctx: Context) -> Node:
        """position(..) in a repeat is the row's number: Rifd's position()."""
        if [a.kind for a in args] != ["parent"]:
            raise Untranslatable("only position(..), the row's number in its repeat, is supported")
        if ctx.repeat is None:
            raise Untranslatable(
                "position(..) is the number of a repeat's row: only inside a repeat"
            )
        return Node("call", "position", ())


def _blank(node: XNode) -> bool:
    return node.kind == "str" and node.value == ""
