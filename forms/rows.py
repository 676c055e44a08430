"""A repeat row's own fields that nobody types: read-only and calculated, row by row.

Inside a repeat a read-only field shows its default in every row and the server keeps
the default whatever is posted; a calculate field is computed per row from the row's
answers over the form's (`price * quantity` in each row), shown live by rifd-forms.js
and computed again by the server, which never reads what was posted for it. Neither
makes a row filled: a row counts when a person answered one of its other fields.
"""

from __future__ import annotations

from forms import conditions


def typed(fdef: dict) -> list[dict]:
    """Return the sub-fields of a repeat a person answers (their answers fill a row)."""
    return [s for s in fdef["fields"] if s["type"] != "note" and not s.get("read_only")]


def nested_names(fdef: dict) -> set[str]:
    """Return the names of every field inside a repeat, in its inner repeats too."""
    out = set()
    for sub in fdef.get("fields", ()):
        out.add(sub["name"])
        if sub["type"] == "repeat":
            out |= nested_names(sub)
    return out


def with_defaults(fdef: dict, row: dict, as_posted) -> dict:
    """Return the row with each read-only sub-field holding its default, as posted."""
    fixed = {s["name"]: as_posted(s.get("default")) for s in fdef["fields"] if s.get("read_only")}
    return {**row, **fixed} if fixed else row


def calculated(fdef: dict, row_values: dict) -> dict:
    """Compute the row's calculate fields in order into `row_values`; each sees those above.

    A calculate hidden by its own condition is blank, as a hidden field is.
    """
    for sub in fdef["fields"]:
        if sub["type"] != "calculate":
            continue
        cond = sub.get("visible_if")
        shown = not cond or conditions.evaluate(cond, row_values)
        row_values[sub["name"]] = (
            conditions.value_of(sub["calculation"], row_values) if shown else None
        )
    return row_values
