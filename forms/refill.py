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
    pairs: list[tuple[str, str]] = []
    for fdef in form.answer_fields():
        name, value = fdef["name"], answers.get(fdef["name"])
        if fdef["type"] != "repeat":
            pairs += [
                (name, text) for text in get_field_type(fdef["type"]).posted(value, fdef, read_file)
            ]
            continue
        for index, row in enumerate(value or []):
            for sub in fdef.get("fields", []):
                if sub["type"] == "note":
                    continue
                ftype = get_field_type(sub["type"])
                texts = ftype.posted(row.get(sub["name"]), sub, read_file)
                pairs += [(f"{name}-{index}-{sub['name']}", text) for text in texts]
    return pairs


def kept_files(form: FormDefinition, answers: dict) -> dict[str, dict]:
    """Return the uploads of `answers` by field name (top-level file fields), each
    field's as a list (one file stored alone before several were allowed, too)."""
    return {
        fdef["name"]: file_refs(answers.get(fdef["name"]))
        for fdef in form.answer_fields()
        if fdef["type"] in FILE_TYPES and file_refs(answers.get(fdef["name"]))
    }
