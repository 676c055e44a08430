"""How much text or memory a template operation would build, known before it is built.

The letter sandbox (letters/sandbox.py) asks these functions before it lets a
filter, a string method or an operator run, and charges the answer to the
render's budget (letters/limits.py). Charging the result afterwards is too
late: `('x' * 9999)|list|join('y' * 9999)` has already built 100 MB by then.
An estimate may be larger than the truth (a letter is far below the budget),
never much smaller.
"""

from __future__ import annotations

import re
import string

from jinja2 import Undefined

from letters import limits

MAX_WIDTH = 1_000  # padding in format specifications, center(), ljust() ...
MAX_INT_BITS = 4_096  # about 1,200 digits: more than any amount or count
MAX_JSON_INDENT = 8
POINTER = 8  # what one more item of a list costs
LOOP_ITEM = 16  # bytes charged per loop item, besides the text of its body
# %-format: an optional key, flags, width and precision (numbers or * from the args).
_PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_NUMBER = re.compile(r"\d+")
_SIZED = (str, bytes, list, tuple, dict, set, frozenset)


def size(value) -> int:
    """Return about how many bytes printing `value` makes, without printing it.

    An item of a list counts at least POINTER bytes (its pointer, or its quotes
    and comma when printed). A list met again is not walked again:
    `[['y'] * 9999] * 9999` holds one inner list, printed 9999 times.
    """
    return _measure(value, 0, {})


def _measure(item, depth: int, seen: dict[int, int]) -> int:
    if isinstance(item, str | bytes):
        return len(item)
    if isinstance(item, int) and not isinstance(item, bool):
        return 2**62 if item.bit_length() > MAX_INT_BITS else 1 + item.bit_length() // 3
    if depth > 20 or not isinstance(item, dict | list | tuple | set | frozenset):
        return 24  # a list holding itself prints as [...]: stop counting there
    key = id(item)  # every list met is alive until the count ends: ids are not reused
    if key in seen:
        return seen[key]
    tick()
    parts = [p for pair in item.items() for p in pair] if isinstance(item, dict) else item
    total = POINTER * len(parts) + sum(
        len(part) if type(part) is str else _measure(part, depth + 1, seen) for part in parts
    )
    seen[key] = total
    return total


def charge(amount: int) -> None:
    """Charge `amount` bytes to the running render's budget (none outside a render)."""
    budget = limits.current()
    if budget is not None:
        budget.charge(amount)


def tick() -> None:
    """Stop the render here if its time is up."""
    budget = limits.current()
    if budget is not None:
        budget.tick()


def materialize(value):
    """Return a one-pass iterable (a generator, `map`) as a list, counting its items.

    Its size can be known only once its items exist; they are pointers to
    values the template already made, so listing them is cheap.
    """
    if isinstance(value, (*_SIZED, Undefined)) or not hasattr(value, "__iter__"):
        return value
    items = []
    for item in value:
        charge(POINTER)
        items.append(item)
    return items


def refuse_wide(widths) -> int:
    """Refuse a width that is huge or taken from the arguments; return the largest."""
    largest = 0
    for width in widths:
        if width == "*" or (width and int(width) > MAX_WIDTH):
            raise limits.Overrun("width")
        largest = max(largest, int(width or 0))
    return largest


def _largest(values) -> int:
    return max((size(value) for value in values), default=0)


def percent_size(text: str, right) -> int:
    """Return what `text % right` builds; refuse huge or argument-given widths."""
    if isinstance(right, dict):
        values = list(right.values())  # `%(a)s%(a)s...` may print one value many times
    else:
        values = list(right) if isinstance(right, tuple) else [right]
    each = _largest(values)
    return len(text) + sum(refuse_wide(m.groups()) + each for m in _PERCENT.finditer(text))


def format_size(text: str, args: tuple, kwargs: dict) -> int:
    """Return what `text.format(*args, **kwargs)` builds; refuse huge or nested widths."""
    try:
        fields = list(string.Formatter().parse(text))
    except ValueError:
        return len(text)  # Python refuses it itself, with nothing built
    each = _largest([*args, *kwargs.values()])
    total = len(text)
    for _literal, name, spec, _conversion in fields:
        if spec and "{" in spec:
            raise limits.Overrun("width")
        if name is not None:  # `{0}{0}{0}...` prints one argument many times
            total += refuse_wide(_NUMBER.findall(spec or "")) + each
    return total


def method_size(owner, name: str, args: tuple) -> int:
    """Return about how many bytes `owner.name(*args)` builds, before it runs."""
    if isinstance(owner, str):
        return _str_method_size(owner, name, args)
    if isinstance(owner, list | dict | set) and name in ("extend", "update"):
        return POINTER * len(args[0]) if args and hasattr(args[0], "__len__") else 0
    return 0


def _str_method_size(owner: str, name: str, args: tuple) -> int:
    first = args[0] if args else None
    if name in ("center", "ljust", "rjust", "zfill") and isinstance(first, int):
        return len(owner) + refuse_wide([str(max(first, 0))])
    if name == "expandtabs":
        tab = first if isinstance(first, int) else 8
        return len(owner) * max(refuse_wide([str(max(tab, 0))]), 1)
    if name == "replace" and len(args) >= 2:
        return replace_size(owner, str(args[0]), str(args[1]))
    if name == "join" and args:
        items = first if isinstance(first, list | tuple | str) else ()
        return size(items) + len(owner) * len(items)
    if name == "translate" and isinstance(first, dict):
        longest = max((size(v) for v in first.values() if isinstance(v, str)), default=1)
        return len(owner) * max(longest, 1)
    return 3 * len(owner)  # upper() may turn one character into three ('ﬃ' -> 'FFI')


def replace_size(text: str, old: str, new: str) -> int:
    hits = text.count(old) if old else len(text) + 1
    return len(text) + hits * max(len(new) - len(old), 0)


# Checks run before a filter: (its input, its other arguments) -> its input, maybe
# listed (a generator can be measured only once listed). They charge or refuse.


def _unchecked(value, args, kwargs):
    tick()
    return value


def _sized(value, args, kwargs):
    charge(size(value))
    return value


def _listed(value, args, kwargs):
    # `('x' * 10**6)|list` makes a million items of 8 bytes from a 1 MB text.
    value = materialize(value)
    charge(POINTER * len(value) if hasattr(value, "__len__") else 0)
    return value


def _widths(value, args, kwargs):
    refuse_wide([str(max(a, 0)) for a in (*args, *kwargs.values()) if isinstance(a, int)])
    charge(size(value))
    return value


def _format(value, args, kwargs):
    charge(percent_size(str(value), kwargs or args))
    return value


def _replace(value, args, kwargs):
    text = str(value) if not isinstance(value, list | tuple | dict) else ""
    old, new = (str(a) for a in (list(args[:2]) + ["", ""])[:2])
    charge(replace_size(text, old, new))
    return value


def _join(value, args, kwargs):
    items = materialize(value)
    glue = kwargs.get("d", args[0] if args else "")
    count = len(items) if hasattr(items, "__len__") else 0
    charge(size(items) + len(str(glue)) * count)
    return items


def _wordwrap(value, args, kwargs):
    # Every line gets the wrap string: `wrapstring='y' * 9999` on a long text.
    wrap = kwargs.get("wrapstring", args[2] if len(args) > 2 else None) or "\n"
    charge(size(value) * (1 + len(str(wrap))))
    return value


def _indent(value, args, kwargs):
    width = kwargs.get("width", args[0] if args else 4)
    each = len(width) if isinstance(width, str) else refuse_wide([str(max(int(width), 0))])
    text = str(value)
    charge(len(text) + (text.count("\n") + 1) * each)
    return value


def _tojson(value, args, kwargs):
    indent = kwargs.get("indent", args[0] if args else None)
    if indent is not None and (not isinstance(indent, int) or indent > MAX_JSON_INDENT):
        raise limits.Overrun("width")
    charge(size(value) * (1 + 20 * (indent or 0)))  # each level of nesting indents again
    return value


def _urlize(value, args, kwargs):
    # Each link (four characters at least) gets its target and rel attributes.
    extra = sum(len(str(kwargs.get(k) or "")) for k in ("target", "rel")) + 64
    text = str(value)
    charge(3 * len(text) + (len(text) // 4 + 1) * extra)
    return value


def _sum(value, args, kwargs):
    start = kwargs.get("start", args[1] if len(args) > 1 else 0)
    if not isinstance(start, int | float):
        # `[[x] * 9999] * 9999|sum(start=[])` copies a growing list 9999 times.
        raise TypeError("لا يجمع الخطاب بـ sum إلا الأرقام")
    return _listed(value, args, kwargs)


def _slices(value, args, kwargs):
    refuse_wide([str(a) for a in args[:1] if isinstance(a, int) and a > 0])
    return _listed(value, args, kwargs)


# Filters that build text or lists from their input: measured first.
FILTER_CHECKS = {
    **dict.fromkeys(
        ("string", "e", "escape", "forceescape", "pprint", "urlencode", "upper", "lower",
         "title", "capitalize", "trim", "striptags", "xmlattr", "truncate", "safe"),
        _sized,
    ),
    **dict.fromkeys(("list", "sort", "unique", "reverse", "dictsort", "groupby"), _listed),
    "center": _widths,
    "format": _format,
    "replace": _replace,
    "join": _join,
    "wordwrap": _wordwrap,
    "indent": _indent,
    "tojson": _tojson,
    "urlize": _urlize,
    "sum": _sum,
    "slice": _slices,
    "batch": _slices,
}  # fmt: skip


def check_filter(name: str, value, args: tuple, kwargs: dict):
    """Measure filter `name` on `value` before it runs; return the value to pass on."""
    return FILTER_CHECKS.get(name, _unchecked)(value, args, kwargs)
