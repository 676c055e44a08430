"""Defaults computed from an expression: when a new page opens, and as answers change.

A field's `default_calculation` is worked out on the server each time an empty page
is drawn, so `today()` on a date is the day the page is opened, not the day the form
was written. One that reads other answers (`salary + other_income`) is computed again
by the page (static/js/rifd-forms.js) as they change, until the person types in the
field; a read-only field always holds it, and the server stores it computed over the
answers sent, never what the page posted. A text with `default_username` starts with the
signed-in staff member's user name (web/filling.py passes it; the public page has none).
"""

from __future__ import annotations

from forms import conditions


def page_attrs(fdef: dict) -> dict[str, str]:
    """Return the attributes that let the page compute a default from other answers."""
    expression = fdef.get("default_calculation")
    if expression and conditions.names(expression):
        return {"data-default-calculation": expression}
    return {}


def read_only_values(fields: list[dict], values: dict) -> dict[str, object]:
    """Return each read-only computed default as computed over `values` (the answers)."""
    return {
        fdef["name"]: conditions.value_of(fdef["default_calculation"], values)
        for fdef in fields
        if fdef.get("read_only") and fdef.get("default_calculation")
    }


def default_of(fdef: dict):
    """Return the value a new page starts with for this field, or None."""
    expression = fdef.get("default_calculation")
    if expression:
        return conditions.value_of(expression, {})
    return fdef.get("default")


def user_defaults(form, username: str | None, last_saved: dict | None) -> dict[str, object]:
    """Return the values a new page starts with from its user: the user name, and the
    answers of the last submission the user saved (`last_saved`, None when none)."""
    if not username:
        return {}
    out: dict[str, object] = {}
    for fdef in form.fields():
        if fdef.get("default_username"):
            out[fdef["name"]] = username
        value = (last_saved or {}).get(fdef["name"])
        if fdef.get("default_last_saved") and value is not None:
            out[fdef["name"]] = ("yes" if value else "no") if isinstance(value, bool) else value
    return out


def wants_last_saved(form) -> bool:
    """Say whether a new page starts with answers of the user's last submission."""
    return any(f.get("default_last_saved") for f in form.fields())
