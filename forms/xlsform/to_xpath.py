"""Write a Rifd condition tree as an XLSForm expression, the reverse of translate.

Every construct of Rifd's language has an XPath spelling that forms.xlsform.translate
reads back to the same tree: `x == true` on a yes/no field is `${x} = 'yes'` (the
field is a select_one of yes/no there), `empty(x)` is `${x} = ''`, `/` is `div`.
"""

from __future__ import annotations

from forms.conditions import Node
from forms.xlsform.condition_text import number_text

_LEVEL = {"or": 1, "and": 2, "neg": 7}
_ATOM = 8
_FUNCTIONS = {
    "length": "string-length",
    "string_length": "string-length",
    "count_selected": "count-selected",
    "number": "number",
    "selected": "selected",
    **{name: name for name in ("if", "concat", "today", "now", "round", "sum", "min", "max")},
}


def quote(value: str) -> str:
    """Quote a text for XPath 1.0, which has no escapes: concat() joins the pieces."""
    if "'" not in value:
        return f"'{value}'"
    if '"' not in value:
        return f'"{value}"'
    pieces = [f"'{piece}'" for piece in value.split("'")]
    return "concat(" + ', "\'", '.join(pieces) + ")"


class XPathWriter:
    """Write the conditions of one form, knowing its field types (yes/no, multiple) and names."""

    def __init__(self, types: dict[str, str], names: dict[str, str] | None = None):
        self.types = types
        self.names = names or {}  # Rifd name -> XLSForm name, where they differ
        self.own: str | None = None  # the field a constraint is on: "." in XLSForm

    def ref(self, name: str) -> str:
        return "." if name == self.own else f"${{{self.names.get(name, name)}}}"

    def expression(self, node: Node) -> str:
        return self._write(node, boolean=True)[0]

    def value(self, node: Node) -> str:
        """Write a calculation: a yes/no answer stays itself, not `= 'yes'`."""
        return self._write(node)[0]

    def constraint(self, node: Node, own: str) -> str:
        """Write a rule on the field `own`, which XLSForm calls "."."""
        self.own = own
        try:
            return self.expression(node)
        finally:
            self.own = None

    def _write(self, node: Node, boolean: bool = False) -> tuple[str, int]:
        """Return the text and its precedence level (1 = or ... 8 = atom)."""
        match node.kind:
            case "literal":
                return _literal(node.value), _ATOM
            case "name":
                if boolean and self.types.get(node.value) == "yes_no":
                    return f"{self.ref(node.value)} = 'yes'", 3
                return self.ref(node.value), _ATOM
            case "or" | "and":
                parts = [self._wrap(arg, 3, boolean=True) for arg in node.args]
                return f" {node.kind} ".join(parts), _LEVEL[node.kind]
            case "not":
                return f"not({self._write(node.args[0], boolean=True)[0]})", _ATOM
            case "compare":
                return self._compare(node)
            case "arith":
                return self._arith(node)
            case "neg":
                return "-" + self._wrap(node.args[0], 7), 7
            case "call":
                return self._call(node)
        raise ValueError(f"unknown node kind {node.kind!r}")

    def _wrap(self, node: Node, minimum: int, boolean: bool = False) -> str:
        text, level = self._write(node, boolean)
        return f"({text})" if level < minimum else text

    def _compare(self, node: Node) -> tuple[str, int]:
        op = "=" if node.value == "==" else node.value
        left, right = (self._operand(arg, other) for arg, other in _pairs(node.args))
        return f"{left} {op} {right}", 3 if op in ("=", "!=") else 4

    def _operand(self, node: Node, other: Node) -> str:
        # A yes/no answer is the choice 'yes' or 'no' in XLSForm, never true().
        yes_no = other.kind == "name" and self.types.get(other.value) == "yes_no"
        if yes_no and node.kind == "literal" and isinstance(node.value, bool):
            return "'yes'" if node.value else "'no'"
        return self._wrap(node, 5)

    def _arith(self, node: Node) -> tuple[str, int]:
        own = 5 if node.value[0] in "+-" else 6
        parts = [self._wrap(node.args[0], own)]
        for op, arg in zip(node.value, node.args[1:], strict=True):
            parts.append(f"{'div' if op == '/' else op} {self._wrap(arg, own + 1)}")
        return " ".join(parts), own

    def _call(self, node: Node) -> tuple[str, int]:
        name, args = node.value, node.args
        if name in ("empty", "filled"):
            op = "=" if name == "empty" else "!="
            return f"{self._wrap(args[0], 4)} {op} ''", 3
        if name == "count":
            multiple = args[0].kind == "name" and self.types.get(args[0].value) == "select_multiple"
            name = "count-selected" if multiple else "count"
        elif name == "choice":
            # A choice_filter's column of the choices sheet, bare; the value is `name`.
            key = args[0].value
            return ("name" if key == "value" else key), _ATOM
        elif name == "position":
            return "position(..)", _ATOM
        elif name == "age":
            # XLSForm has no age(): whole years from the date, as forms compute it.
            return f"int((today() - date({self._write(args[0])[0]})) div 365.25)", _ATOM
        else:
            name = _FUNCTIONS[name]
        return f"{name}({', '.join(self._write(arg)[0] for arg in args)})", _ATOM


def _pairs(args: tuple[Node, ...]) -> tuple[tuple[Node, Node], tuple[Node, Node]]:
    left, right = args
    return (left, right), (right, left)


def _literal(value: object) -> str:
    if value is None:
        return "''"
    if isinstance(value, bool):
        return "true()" if value else "false()"
    if isinstance(value, int | float):
        return number_text(value)
    return quote(value)
