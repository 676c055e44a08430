"""Defaults computed when a new page opens, from an expression that reads no answer.

A field's `default_calculation` (today()) is worked out on the server each time an
empty page is drawn, so a date defaults to the day the page is opened, not the day
the form was written. It reads no other answer: a default following an earlier answer
as it changes would need the browser to recompute it, which Rifd does not do yet.
"""

from __future__ import annotations

from forms import conditions


def default_of(fdef: dict):
    """Return the value a new page starts with for this field, or None."""
    expression = fdef.get("default_calculation")
    if expression:
        return conditions.value_of(expression, {})
    return fdef.get("default")
