"""A stored submission as its page would post it: to open it again for a correction.

The page comes back as the person left it: each answer as the text she would type,
repeat rows under their row names, the signature as its drawing. Uploaded files cannot
travel to a browser; the page keeps them by reference (kept_files) until another
file is chosen.
"""

from __future__ import annotations

from collections.abc import Iterator

from forms.definition import FormDefinition
from forms.types import get_field_type
from forms.types.files import FILE_TYPES, file_refs


def as_posted(form: FormDefinition, answers: dict, read_file) -> list[tuple[str, str]]:
    """Return the (name, value) pairs a page would post to give `answers` again."""
    return _pairs(list(form.answer_fields()), answers, "", read_file)


def _pairs(fields: list[dict], answers: dict, prefix: str, read_file) -> list[tuple[str, str]]:
    """Return the pairs of `fields` read from `answers`, their names after `prefix`; a
    repeat's rows as "family-0-name", an inner repeat's as "family-0-illnesses-1-name"."""
    pairs: list[tuple[str, str]] = []
    for fdef in fields:
        if fdef["type"] == "note":
            continue
        name, value = prefix + fdef["name"], answers.get(fdef["name"])
        if fdef["type"] in FILE_TYPES and file_refs(value):
            # Nothing of a file travels to a browser (kept_files keeps it), but its input
            # is there: a row whose only answer is a file still comes back as a row.
            pairs.append((name, ""))
            continue
        if fdef["type"] != "repeat":
            texts = get_field_type(fdef["type"]).posted(value, fdef, read_file)
            pairs += [(name, text) for text in texts]
            continue
        for index, row in enumerate(value if isinstance(value, list) else []):
            if isinstance(row, dict):
                pairs += _pairs(fdef.get("fields", []), row, f"{name}-{index}-", read_file)
    return pairs


def kept_files(form: FormDefinition, answers: dict) -> dict[str, list]:
    """Return the uploads of `answers` by the names of the page's inputs: a file field's
    under its name, a row's under "family-1-report", an inner row's under
    "family-1-illnesses-0-report"; each field's as a list (one file stored alone before
    several were allowed, too)."""
    out: dict[str, list] = {}

    def walk(fields: list[dict], holder: dict, prefix: str) -> None:
        for fdef in fields:
            value = holder.get(fdef["name"])
            if fdef["type"] in FILE_TYPES and file_refs(value):
                out[prefix + fdef["name"]] = file_refs(value)
            elif fdef["type"] == "repeat":
                for index, row in enumerate(value if isinstance(value, list) else []):
                    if isinstance(row, dict):
                        walk(fdef["fields"], row, f"{prefix}{fdef['name']}-{index}-")

    walk(list(form.answer_fields()), answers, "")
    return out


def file_places(form: FormDefinition, raw: dict) -> Iterator[tuple[str, dict, dict]]:
    """Yield (input name, field, holder) for each file field of a page as read back
    (forms.builder.raw_values): `holder` is the dict holding its value, the page's or a
    row's; a row is named by the number its page gave it ("#")."""

    def walk(fields: list[dict], holder: dict, prefix: str):
        for fdef in fields:
            if fdef["type"] in FILE_TYPES:
                yield prefix + fdef["name"], fdef, holder
            elif fdef["type"] == "repeat":
                rows = holder.get(fdef["name"])
                for index, row in enumerate(rows if isinstance(rows, list) else []):
                    if isinstance(row, dict):
                        inner = f"{prefix}{fdef['name']}-{row.get('#', index)}-"
                        yield from walk(fdef["fields"], row, inner)

    yield from walk(list(form.answer_fields()), raw, "")
