"""The Jinja environment letters render in: sandboxed, autoescaped, and on a budget.

Jinja's sandbox stops a template from reaching Python internals, not from
spending the server: `{{ "%999999999s"|format(x) }}`, `{{ x|center(10**9) }}`,
nested loops or `{% set s = s ~ s %}` twenty-seven times each passed the upload
check and held a worker or built 100+ MB. Here everything that can grow is
measured before it is built (letters/sizing.py) and charged to the render's
budget (letters/limits.py): operators, filters, string methods and `.format`,
`~`, loop items with the text of their body, and every printed value; every
call, attribute and item read checks the clock. Python's `range` is capped
and `lipsum` is gone. Over the budget raises limits.Overrun.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from jinja2 import nodes
from jinja2.compiler import CodeGenerator
from jinja2.exceptions import SecurityError
from jinja2.runtime import markup_join, str_join
from jinja2.sandbox import SandboxedEnvironment

from letters import limits, sizing
from letters.filters import FILTERS
from letters.sizing import charge, size, tick

# The longest text or list a letter may build with `*`, and the largest power:
# `{{ letter.number * 10**9 }}` would otherwise hold a worker and gigabytes.
MAX_REPEAT = 10_000
MAX_EXPONENT = 64
MAX_RANGE = 10_000


def _capped_range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise limits.Overrun("range")
    return numbers


def _loop(items, body: int = 0) -> Iterator:
    """Yield the loop's items, charging each with the text of the loop's body."""
    for item in items:
        charge(sizing.LOOP_ITEM + body)
        yield item


def _filter(name: str, func):
    """Wrap a filter: its input measured before it runs (letters/sizing.py), its result after."""

    first = 1 if getattr(func, "jinja_pass_arg", None) else 0  # after context/environment

    @functools.wraps(func)  # keeps jinja_pass_arg (pass_context, pass_environment)
    def wrapped(*args, **kwargs):
        if len(args) > first:
            value = sizing.check_filter(name, args[first], args[first + 1 :], kwargs)
            args = (*args[:first], value, *args[first + 1 :])
        else:
            tick()
        result = func(*args, **kwargs)
        if isinstance(result, str | list | tuple):
            charge(len(result) if isinstance(result, str) else sizing.POINTER * len(result))
        return result

    return wrapped


class _Counted(CodeGenerator):
    """Compile `a ~ b` through the environment, so a concatenation is sized first."""

    def visit_Concat(self, node: nodes.Concat, frame) -> None:
        self.write("environment.concat_sized(context.eval_ctx.autoescape, (")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, refusing loudly and charging what a template builds."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})
    code_generator_class = _Counted

    def unsafe_undefined(self, obj, attribute):
        # Jinja's sandbox answers an unsafe attribute with an undefined value,
        # which would print as nothing here: refuse it loudly instead.
        raise SecurityError(f"access to attribute {attribute!r} is not allowed in a letter")

    def call_binop(self, context, operator, left, right):
        """Refuse an operation whose result would be too large for any letter."""
        _check_binop(operator, left, right)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805  (Jinja's own spelling)
        owner, name = getattr(__obj, "__self__", None), getattr(__obj, "__name__", "")
        if isinstance(owner, str) and name == "join" and args:
            args = (sizing.materialize(args[0]), *args[1:])  # a generator has no length
        charge(sizing.method_size(owner, name, args))
        return super().call(__context, __obj, *args, **kwargs)

    def getattr(self, obj, attribute):
        tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj, argument):
        tick()
        return super().getitem(obj, argument)

    def wrap_str_format(self, value):
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        text, mapping = value.__self__, value.__name__ == "format_map"
        sizing.format_size(text, (), {})  # refuse a huge width when it is read

        @functools.wraps(wrapped)
        def measured(*args, **kwargs):
            # `'{0}{0}{0}...'.format(x)` prints x as often as the text names it.
            named = args[0] if mapping and args and isinstance(args[0], dict) else kwargs
            charge(sizing.format_size(text, () if mapping else args, named))
            return wrapped(*args, **kwargs)

        return measured

    def concat_sized(self, autoescape: bool, parts: tuple) -> str:
        charge(sum(size(part) for part in parts))
        return markup_join(parts) if autoescape else str_join(parts)

    def _parse(self, source, name, filename):
        # Every loop's items go through _loop, charged with the text of its body.
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            body = sum(len(data.data) for data in nodes.Node.find_all(loop, nodes.TemplateData))
            args = [nodes.Const(body)]
            loop.iter = nodes.Filter(loop.iter, "_rifd_loop", args, [], None, None)
            loop.iter.set_lineno(loop.lineno)
        return tree


def _check_binop(operator: str, left, right) -> None:
    tick()
    numbers = isinstance(left, int) and isinstance(right, int)
    if operator == "*" and numbers:
        if left.bit_length() + right.bit_length() > sizing.MAX_INT_BITS:
            raise limits.Overrun("number")
    elif operator == "*":
        length = _repeat_size(left, right)
        if length > MAX_REPEAT:
            raise limits.Overrun("repeat")
        text = isinstance(left, str) or isinstance(right, str)
        charge(length if text else sizing.POINTER * length)
    elif operator == "**" and isinstance(right, int | float):
        if abs(right) > MAX_EXPONENT:
            raise limits.Overrun("power")
        if isinstance(left, int) and left.bit_length() * abs(right) > sizing.MAX_INT_BITS:
            raise limits.Overrun("number")
    elif operator == "+" and not numbers:
        charge(sum(_length(x) for x in (left, right)))
    elif operator == "%" and isinstance(left, str):
        charge(sizing.percent_size(left, right))


def _length(value) -> int:
    """Return the bytes a text or list adds to a concatenation."""
    if isinstance(value, str):
        return len(value)
    return sizing.POINTER * len(value) if isinstance(value, list | tuple) else 0


def _repeat_size(left, right) -> int:
    """Return how long `left * right` would be when it repeats a sequence, else 0."""
    for seq, times in ((left, right), (right, left)):
        if isinstance(seq, str | list | tuple) and isinstance(times, int):
            return len(seq) * times
    return 0


def sandbox(**options) -> SandboxedEnvironment:
    """Return the environment every letter renders in: sandboxed, autoescaped, budgeted."""
    env = Sandbox(autoescape=True, **options)
    env.filters.update(FILTERS)
    env.filters = {name: _filter(name, func) for name, func in env.filters.items()}
    env.filters["_rifd_loop"] = _loop
    env.globals.pop("lipsum", None)
    env.globals["range"] = _capped_range
    return env
