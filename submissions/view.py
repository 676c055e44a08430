"""A submission as a page reads it: sections of labelled, displayable answers."""

from __future__ import annotations

from forms.dates import format_date
from forms.definition import FormDefinition, localized
from forms.types import get_field_type


def _row(fdef: dict, value, form: FormDefinition, lang: str) -> dict:
    kind = fdef["type"]
    row = {"label": localized(fdef.get("label"), lang), "type": kind, "file": None, "rows": []}
    if kind in ("file", "signature"):
        row["file"] = value
        row["text"] = get_field_type(kind).display(value, fdef, form, lang)
    elif kind == "date":
        row["text"] = format_date(value, lang)
    elif kind == "repeat":
        subs = [s for s in fdef["fields"] if s["type"] != "note"]
        row["columns"] = [localized(s.get("label"), lang) for s in subs]
        row["rows"] = [[_row(s, item.get(s["name"]), form, lang) for s in subs] for item in value]
        row["text"] = ""
    else:
        row["text"] = get_field_type(kind).display(value, fdef, form, lang)
    return row


def readable(form: FormDefinition, answers: dict, lang: str = "ar") -> list[dict]:
    """Return the answered fields grouped by section, in the definition's order."""
    out = []
    for section in form.sections:
        rows = [
            _row(fdef, answers[fdef["name"]], form, lang)
            for fdef in section["fields"]
            if fdef["type"] != "note" and fdef["name"] in answers
        ]
        if rows:
            out.append({"title": localized(section["title"], lang), "rows": rows})
    return out
