"""Cascading choices: a select whose choices are filtered by earlier answers.

A select field's `choice_filter` is a condition decided once per choice: it reads the
form's answers by name, as every condition does, and the choice being decided on with
choice('value') or choice('<key>'), a key of the choice's `data` (region -> city ->
district: `choice('region') == region`). A choice is offered when the filter holds.
The browser hides the others as the earlier answers change (static/js/rifd-forms.js)
and the server refuses a choice the filter does not allow (forms.validation).
"""

from __future__ import annotations

from forms import conditions
from forms.conditions.syntax import CHOICE_KEY
from forms.or_other import OTHER
from forms.schema_messages import did_you_mean

SELECTS = ("select_one", "select_multiple")


def choice_data(choice: dict) -> dict:
    """Return what choice('...') reads of one choice: its value and its data."""
    return {**choice.get("data", {}), "value": choice["value"]}


def offered(fdef: dict, choice: dict, values: dict) -> bool:
    """Return whether the field's filter offers `choice` given the other answers."""
    expr = fdef.get("choice_filter")
    if not expr or offered_always(fdef, choice):
        return True  # "other" is there for what the list lacks, whatever the filter
    return conditions.evaluate(expr, {**values, CHOICE_KEY: choice_data(choice)})


def refused(fdef: dict, value, choices: list[dict], values: dict) -> bool:
    """Return whether a cleaned answer holds a choice the filter does not offer now."""
    if not fdef.get("choice_filter") or value is None:
        return False
    picked = set(value) if isinstance(value, list) else {value}
    return any(not offered(fdef, c, values) for c in choices if c["value"] in picked)


def page_data(fdef: dict, choices: list[dict]) -> dict[str, dict]:
    """Return each filtered choice's data by value, for the page (data-choice-data).

    A choice left out ("other") is always offered, in the page as on the server.
    """
    return {c["value"]: choice_data(c) for c in choices if offered_always(fdef, c) is False}


def offered_always(fdef: dict, choice: dict) -> bool:
    return bool(fdef.get("or_other")) and choice["value"] == OTHER


# Definition checks ----------------------------------------------------------------


def calls(node: conditions.Node, function: str = "choice"):
    """Yield the calls of `function` in a parsed condition."""
    if node.kind == "call" and node.value == function:
        yield node
    for arg in node.args:
        yield from calls(arg, function)


def choice_keys_problems(path: str, expr: str, keys: set[str] | None) -> list[str]:
    """Return the problems of the choice() calls of one condition at `path`.

    `keys` are what the field's choices hold (value and their data keys); None where
    no choice is being decided on, which is anywhere but a choice_filter.
    """
    try:
        node = conditions.parse(expr)
    except conditions.ConditionError:
        return []  # told by the condition's own check
    out = []
    for call in calls(node):
        arg = call.args[0]
        if keys is None:
            out.append(f"{path}: choice() reads a choice only inside a choice_filter")
        elif arg.kind != "literal" or not isinstance(arg.value, str):
            out.append(f"{path}: choice() takes a key written in quotes, as choice('region')")
        elif arg.value not in keys:
            hint = did_you_mean(arg.value, keys)
            out.append(f'{path}: the choices hold no "{arg.value}"{hint}')
    return out


# XLSForm's own columns of the choices sheet, and the value itself.
TAKEN = {"name", "label", "list_name", "value"}


def data_problems(path: str, choices: list[dict]) -> list[str]:
    """Return the data keys of a list's choices that XLSForm or choice() already use."""
    return [
        f'{path}[{i}].data.{key}: "{key}" is taken: name the datum otherwise'
        for i, choice in enumerate(choices)
        for key in choice.get("data", {})
        if key in TAKEN
    ]


def list_keys(choices: list[dict]) -> set[str]:
    return {"value"} | {key for c in choices for key in c.get("data", {})}
