"""Checks on a schema-valid definition that a JSON Schema cannot express.

Unique names, choice lists that exist, conditions that parse and name known
fields, constraints that make sense for their field type.
"""

from __future__ import annotations

import json

from forms import choice_filter, conditions, or_other, patterns
from forms.file_kinds import IMAGES
from forms.references import names_in
from forms.rows import nested_names
from forms.schema_messages import did_you_mean

NUMERIC = {"integer", "decimal"}
TEXTUAL = {"text", "textarea", "email"}
# Keys that only mean something on some field types.
ONLY_FOR = {
    "accept": {"file", "image"},
    "max_size_mb": {"file", "image"},
    "multiple": {"file", "image"},
    "max_files": {"file", "image"},
    "max_total_mb": {"file", "image"},
    "camera": {"file", "image"},
    "min": {"repeat"},
    "max": {"repeat"},
    "add_label": {"repeat"},
    "count": {"repeat"},
    "choices": {"select_one", "select_multiple"},
    "calculation": {"calculate"},
    "trigger": {"calculate"},
    "choice_filter": set(choice_filter.SELECTS),
    "or_other": set(choice_filter.SELECTS),
    "default_username": {"text"},
}
APPEARANCES = {
    "dropdown": {"select_one"},
    "radio": {"select_one"},
    "checkboxes": {"select_multiple"},
    "stars": {"rating"},
    # XLSForm's looks Rifd draws: choices in one row, a scale of choices, a text box of
    # several lines, a keypad of digits.
    "horizontal": {"select_one", "select_multiple"},
    "likert": {"select_one"},
    "multiline": {"text"},
    "numbers": {"text"},
}
CONSTRAINT_TYPES = {
    "min": NUMERIC,
    "max": NUMERIC,
    "min_length": TEXTUAL,
    "max_length": TEXTUAL,
    "pattern": TEXTUAL,
}
# A rule reads the answer and others: any field that holds one answer may have one.
# The ways a field's value on a new page is given: one at most.
_DEFAULTS = {"default", "default_calculation", "default_username", "default_last_saved"}
NO_RULE = {"note", "repeat", "file", "image", "signature", "calculate", "acknowledge"}


# How deep repeats may nest: a family's members, each member's illnesses, and one
# level more. Pages, sheets and letters stay readable at that depth.
MAX_REPEAT_DEPTH = 3


def _walk_deep(data: dict):
    """Yield (path, field, row_names, depth) for every field, repeats' rows included.

    depth is the number of repeats around the field (0 at the top); row_names are the
    names a condition inside a row reads as that row's (or an outer row's) answers.
    """

    def fields(items: list, path: str, rows: set[str] | None, depth: int):
        for i, fdef in enumerate(items):
            here = f"{path}.fields[{i}]"
            yield here, fdef, rows, depth
            if fdef["type"] == "repeat" and isinstance(fdef.get("fields"), list):
                inner = (rows or set()) | {sub["name"] for sub in fdef["fields"]}
                yield from fields(fdef["fields"], here, inner, depth + 1)

    for si, section in enumerate(data["sections"]):
        yield from fields(section["fields"], f"sections[{si}]", None, 0)


def _walk(data: dict):
    """Yield (path, field, row_names) for every field; row_names is set inside repeats."""
    for path, fdef, rows, _depth in _walk_deep(data):
        yield path, fdef, rows


def _unique_names(data: dict) -> list[str]:
    out, seen_sections, seen_fields = [], {}, {}
    for si, section in enumerate(data["sections"]):
        first = seen_sections.setdefault(section["name"], si)
        if first != si:
            out.append(
                f'sections[{si}].name: "{section["name"]}" is already used by sections[{first}]'
            )
    for path, fdef, _rows in _walk(data):
        first = seen_fields.setdefault(fdef["name"], path)
        if first != path:
            out.append(f'{path}.name: "{fdef["name"]}" is already used by {first}')
    return out


def _choice_problems(data: dict) -> list[str]:
    out = []
    lists = data.get("choice_lists", {})
    for name, choices in lists.items():
        out += _duplicate_values(f"choice_lists.{name}", choices)
        out += choice_filter.data_problems(f"choice_lists.{name}", choices)
    for path, fdef, _rows in _walk(data):
        choices = fdef.get("choices")
        if isinstance(choices, str) and choices not in lists:
            hint = did_you_mean(choices, lists)
            out.append(f'{path}.choices: there is no choice list "{choices}"{hint}')
        elif isinstance(choices, list):
            out += _duplicate_values(f"{path}.choices", choices)
            out += choice_filter.data_problems(f"{path}.choices", choices)
    return out


def _duplicate_values(path: str, choices: list[dict]) -> list[str]:
    seen, out = set(), []
    for i, choice in enumerate(choices):
        if choice["value"] in seen:
            out.append(f'{path}[{i}].value: "{choice["value"]}" appears twice')
        seen.add(choice["value"])
    return out


def condition_problems(path: str, expr: str, known: set[str], own: str | None) -> list[str]:
    """Return the problems of one condition at `path`: syntax, unknown names, itself."""
    try:
        used = conditions.names(expr)
    except conditions.ConditionError as exc:
        return [f"{path}: {exc}"]
    out = []
    for name in sorted(used):
        if name == own:
            out.append(f'{path}: a field cannot depend on itself ("{name}")')
        elif name not in known:
            out.append(f'{path}: unknown field "{name}"{did_you_mean(name, known)}')
    return out


def _position_problems(path: str, expr: str) -> list[str]:
    """Return the problem of position() read outside a repeat, where there is no row."""
    try:
        node = conditions.parse(expr)
    except conditions.ConditionError:
        return []  # told by the condition's own check
    if any(choice_filter.calls(node, "position")):
        return [f"{path}: position() is the number of a repeat's row: only inside a repeat"]
    return []


def _all_conditions(data: dict) -> list[str]:
    # A repeat's sub-field read from outside the repeat is its column (sum(income)).
    top = {fdef["name"] for _path, fdef, _rows in _walk(data)} | or_other.other_names(data)
    out = []
    for si, section in enumerate(data["sections"]):
        if "visible_if" in section:
            where = f"sections[{si}].visible_if"
            out += condition_problems(where, section["visible_if"], top, None)
            out += choice_filter.choice_keys_problems(where, section["visible_if"], None)
            out += _position_problems(where, section["visible_if"])
    for path, fdef, rows in _walk(data):
        known = top | rows if rows else top
        for key in ("visible_if", "required_if", "calculation", "choice_filter"):
            if key in fdef:
                # A triggered calculation may read its own last value: if(at == '', now(), at).
                own = None if key == "calculation" and "trigger" in fdef else fdef["name"]
                out += condition_problems(f"{path}.{key}", fdef[key], known, own)
                keys = choice_filter.list_keys(_choices(data, fdef))
                keys = keys if key == "choice_filter" else None
                out += choice_filter.choice_keys_problems(f"{path}.{key}", fdef[key], keys)
                if not rows:
                    out += _position_problems(f"{path}.{key}", fdef[key])
        if "trigger" in fdef and fdef["trigger"] not in top - {fdef["name"]}:
            out.append(f'{path}.trigger: "{fdef["trigger"]}" is no other field of the form')
        if "count" in fdef:  # the rows cannot be counted by what is typed in them
            inside = nested_names(fdef)
            out += condition_problems(f"{path}.count", fdef["count"], top - inside, fdef["name"])
        if "default_calculation" in fdef:  # the answers outside repeats, not its own
            out += condition_problems(
                f"{path}.default_calculation", fdef["default_calculation"], top, fdef["name"]
            )
        rule = fdef.get("constraints", {}).get("rule")
        if rule:  # a rule reads its own field: that is its point
            out += condition_problems(f"{path}.constraints.rule", rule, known, None)
            out += choice_filter.choice_keys_problems(f"{path}.constraints.rule", rule, None)
    return out


def _reference_problems(data: dict) -> list[str]:
    """Return the ${name} of labels, hints and section descriptions that name no field."""
    known = {fdef["name"] for _path, fdef, _rows in _walk(data)} | or_other.other_names(data)
    out = []
    texts = [(f"sections[{i}]", s, "description") for i, s in enumerate(data["sections"])]
    texts += [(path, fdef, key) for path, fdef, _rows in _walk(data) for key in ("label", "hint")]
    for path, item, key in texts:
        for lang, text in (item.get(key) or {}).items():
            for name in names_in(text):
                if name not in known:
                    hint = did_you_mean(name, known)
                    out.append(f'{path}.{key}.{lang}: unknown field "${{{name}}}"{hint}')
    return out


def _field_problems(path: str, fdef: dict, depth: int) -> list[str]:
    """Return the problems of one field `depth` repeats deep (0 at the top)."""
    kind, out, in_repeat = fdef["type"], [], depth > 0
    for key, types in ONLY_FOR.items():
        if key in fdef and kind not in types:
            out.append(f'{path}.{key}: does not apply to a field of type "{kind}"')
    if kind == "image" and not set(fdef.get("accept", ["jpg"])) <= IMAGES:
        out.append(f"{path}.accept: an image field takes pictures only (jpg, png, gif, webp)")
    if "default" in fdef and "default_calculation" in fdef:
        out.append(f"{path}.default_calculation: a field has a default or a computed one")
    for key in ("default_username", "default_last_saved"):
        if key in fdef and len(_DEFAULTS & set(fdef)) > 1:
            out.append(f"{path}.{key}: a field has one default")
        if key in fdef and in_repeat:
            out.append(f"{path}.{key}: a repeat's rows start empty")
    if "default_last_saved" in fdef and kind in NO_RULE:
        out.append(f'{path}.default_last_saved: does not apply to a field of type "{kind}"')
    if "count" in fdef and ("min" in fdef or "max" in fdef):
        out.append(f"{path}.count: a repeat's rows are counted by an answer or by min and max")
    if "default_calculation" in fdef and kind in NO_RULE:
        out.append(f'{path}.default_calculation: does not apply to a field of type "{kind}"')
    if kind == "calculate" and "calculation" not in fdef:
        out.append(f"{path}.calculation: a calculate field needs its calculation")
    if fdef.get("read_only") and kind in NO_RULE:
        out.append(f'{path}.read_only: does not apply to a field of type "{kind}"')
    if kind == "repeat" and depth >= MAX_REPEAT_DEPTH:
        out.append(
            f"{path}.type: repeats nest {MAX_REPEAT_DEPTH} levels deep at most"
            f" (this one is level {depth + 1})"
        )
    if kind == "repeat" and fdef.get("min", 0) > fdef.get("max", 50):
        out.append(f"{path}.min: is greater than max")
    cons = fdef.get("constraints", {})
    for key in cons:
        if key == "rule" and kind in NO_RULE:
            out.append(f'{path}.constraints.rule: does not apply to a field of type "{kind}"')
        elif key not in ("messages", "rule") and kind not in CONSTRAINT_TYPES[key]:
            out.append(f'{path}.constraints.{key}: does not apply to a field of type "{kind}"')
    for low, high in (("min", "max"), ("min_length", "max_length")):
        if low in cons and high in cons and cons[low] > cons[high]:
            out.append(f"{path}.constraints.{low}: is greater than {high}")
    why = patterns.problem(cons["pattern"]) if isinstance(cons.get("pattern"), str) else None
    if why:
        out.append(f"{path}.constraints.pattern: is not a valid pattern ({why})")
    return out


def _default_ok(fdef: dict, allowed: set[str]) -> bool:
    kind, value = fdef["type"], fdef["default"]
    if kind == "select_one":
        return value in allowed
    if kind == "select_multiple":
        return isinstance(value, list) and all(v in allowed for v in value)
    if kind == "yes_no":
        return isinstance(value, bool)
    if kind in NUMERIC | {"rating", "nps"}:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind in ("file", "image", "signature", "repeat", "note", "calculate", "acknowledge"):
        return False
    return isinstance(value, str)


def _choices(data: dict, fdef: dict) -> list[dict]:
    choices = fdef.get("choices", [])
    if isinstance(choices, str):
        choices = data.get("choice_lists", {}).get(choices, [])
    return choices


def _choice_values(data: dict, fdef: dict) -> set[str]:
    return {c["value"] for c in _choices(data, fdef)}


def _usage_problems(data: dict) -> list[str]:
    out = []
    for path, fdef, _rows in _walk(data):
        kind = fdef["type"]
        look = fdef.get("appearance")
        if look and kind not in APPEARANCES[look]:
            out.append(f'{path}.appearance: "{look}" does not apply to a field of type "{kind}"')
        if "default" in fdef and not _default_ok(fdef, _choice_values(data, fdef)):
            shown = json.dumps(fdef["default"], ensure_ascii=False)
            out.append(f'{path}.default: {shown} is not a valid value for a field of type "{kind}"')
    return out


def semantic_problems(data: dict) -> list[str]:
    """Return the problems of a schema-valid definition (empty when it is usable)."""
    out = _unique_names(data) + _choice_problems(data) + _all_conditions(data)
    out += _usage_problems(data) + _reference_problems(data)
    names = {fdef["name"] for _path, fdef, _rows in _walk(data)}
    for path, fdef, _rows, depth in _walk_deep(data):
        out += _field_problems(path, fdef, depth)
        out += or_other.problems(path, fdef, names, _choice_values(data, fdef))
    return out
