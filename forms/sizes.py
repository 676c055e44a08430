"""How much a page of a form may send, and how much of a refused answer it shows back.

A public page is open to anyone: its request is held to what a valid answer can
weigh (text up to an allowance, plus the files and signatures its fields take),
and a page sent back with errors never echoes more of an answer than its field
accepts.
"""

from __future__ import annotations

from wtforms import FieldList

from forms.builder import on_page
from forms.definition import FormDefinition
from forms.types import get_field_type

# One multipart part's headers and boundary, generously.
PART_OVERHEAD = 1024


def _upload(fdef: dict) -> int:
    size = get_field_type(fdef["type"]).upload_bytes(fdef)
    return size + PART_OVERHEAD if size else 0


def _row_uploads(fdef: dict) -> int:
    """Return the most bytes of uploads one row of a repeat takes, its inner rows too."""
    total = 0
    for sub in fdef["fields"]:
        if sub["type"] == "repeat":
            total += _rows(sub) * _row_uploads(sub)
        else:
            total += _upload(sub)
    return total


def _rows(fdef: dict) -> int:
    return fdef.get("max", 50) + 1  # the builder takes one row more, to refuse it


def body_limit(form: FormDefinition, audience: str, text_bytes: int) -> int:
    """Return the most bytes a page of `form` may send: `text_bytes` plus its uploads."""
    total = text_bytes
    for section in form.sections:
        for fdef in section["fields"]:
            if not on_page(section, fdef, audience):
                continue
            if fdef["type"] == "repeat":
                total += _rows(fdef) * _row_uploads(fdef)
            else:
                total += _upload(fdef)
    return total


def _cut(fdef: dict, wtfield) -> None:
    if isinstance(wtfield.data, str):
        wtfield.data = get_field_type(fdef["type"]).shown_again(wtfield.data, fdef)


def _cut_field(fdef: dict, wtfield) -> None:
    if isinstance(wtfield, FieldList):  # each row's fields, inner repeats' rows too
        for entry in wtfield.entries:
            for sub in fdef["fields"]:
                if sub["type"] != "note":
                    _cut_field(sub, entry.form[sub["name"]])
    else:
        _cut(fdef, wtfield)


def cut_to_limits(form: FormDefinition, wtform, audience: str) -> None:
    """Cut every answer `wtform` will show back to what its field accepts."""
    for section in form.sections:
        for fdef in section["fields"]:
            if fdef["type"] != "note" and on_page(section, fdef, audience):
                _cut_field(fdef, wtform[fdef["name"]])
