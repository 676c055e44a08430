"""A stored submission as its page would post it: to open it again for a correction.

The page comes back as the person left it: each answer as the text she would type,
repeat rows under their row names, the signature as its drawing. Uploaded files cannot
travel to a browser; the page keeps them by reference (kept_files) until another
file is chosen.
"""

from __future__ import annotations

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
        if fdef["type"] != "repeat":
            texts = get_field_type(fdef["type"]).posted(value, fdef, read_file)
            pairs += [(name, text) for text in texts]
            continue
        for index, row in enumerate(value if isinstance(value, list) else []):
            if isinstance(row, dict):
                pairs += _pairs(fdef.get("fields", []), row, f"{name}-{index}-", read_file)
    return pairs


def kept_files(form: FormDefinition, answers: dict) -> dict[str, dict]:
    """Return the uploads of `answers` by field name (top-level file fields), each
    field's as a list (one file stored alone before several were allowed, too)."""
    return {
        fdef["name"]: file_refs(answers.get(fdef["name"]))
        for fdef in form.answer_fields()
        if fdef["type"] in FILE_TYPES and file_refs(answers.get(fdef["name"]))
    }
