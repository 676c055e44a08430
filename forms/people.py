"""Who a submission names: the ID numbers in its fields of type national_id.

Matched by field type, not by name: a top-level field or a field of a repeat's rows (a
family member listed in someone else's request counts too). Each submission keeps the
list as "people", which the store indexes, so a person's file finds his submissions
without reading anyone else's.
"""

from __future__ import annotations

from forms.definition import FormDefinition
from forms.saudi import compact

ID_TYPE = "national_id"


def id_fields(form: FormDefinition) -> tuple[list[str], list[tuple[str, str]]]:
    """Return the top-level ID fields and the (repeat, sub-field) ID fields of `form`."""
    top, rows = [], []
    for fdef in form.answer_fields():
        if fdef["type"] == ID_TYPE:
            top.append(fdef["name"])
        for sub in fdef.get("fields", ()) if fdef["type"] == "repeat" else ():
            if sub["type"] == ID_TYPE:
                rows.append((fdef["name"], sub["name"]))
    return top, rows


def _number(value) -> str:
    # Stored answers are already ASCII; older imports may not be.
    return compact(str(value)) if isinstance(value, str | int) and str(value).strip() else ""


def people_in(form: FormDefinition, answers: dict) -> list[str]:
    """Return the ID numbers `answers` hold in the ID fields of `form`, each once."""
    top, rows = id_fields(form)
    found = [_number(answers.get(name)) for name in top]
    for group, name in rows:
        items = answers.get(group)
        if isinstance(items, list):
            found += [_number(row.get(name)) for row in items if isinstance(row, dict)]
    return sorted({n for n in found if n})
