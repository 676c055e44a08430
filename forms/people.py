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


def id_fields(form: FormDefinition) -> tuple[list[str], list[tuple[str, ...]]]:
    """Return the top-level ID fields and the paths to the ID fields of repeats' rows:
    (repeat, sub-field), or (repeat, inner repeat, sub-field) and deeper."""
    top, rows = [], []

    def inside(fdef: dict, path: tuple[str, ...]) -> None:
        for sub in fdef.get("fields", ()):
            if sub["type"] == ID_TYPE:
                rows.append((*path, sub["name"]))
            elif sub["type"] == "repeat":
                inside(sub, (*path, sub["name"]))

    for fdef in form.answer_fields():
        if fdef["type"] == ID_TYPE:
            top.append(fdef["name"])
        elif fdef["type"] == "repeat":
            inside(fdef, (fdef["name"],))
    return top, rows


def in_rows(answers: dict, path: tuple[str, ...]) -> list:
    """Return the answers a path of id_fields() reaches, down every row it crosses."""
    found: list = [answers]
    for group in path[:-1]:
        found = [
            row
            for holder in found
            for row in (holder.get(group) if isinstance(holder.get(group), list) else ())
            if isinstance(row, dict)
        ]
    return [holder.get(path[-1]) for holder in found]


def _number(value) -> str:
    # Stored answers are already ASCII; older imports may not be.
    return compact(str(value)) if isinstance(value, str | int) and str(value).strip() else ""


def people_in(form: FormDefinition, answers: dict) -> list[str]:
    """Return the ID numbers `answers` hold in the ID fields of `form`, each once."""
    top, rows = id_fields(form)
    found = [_number(answers.get(name)) for name in top]
    for path in rows:
        found += [_number(value) for value in in_rows(answers, path)]
    return sorted({n for n in found if n})
