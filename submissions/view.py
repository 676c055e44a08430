"""A submission as a page reads it: sections of labelled, displayable answers."""

from __future__ import annotations

from forms.dates import format_date
from forms.definition import FormDefinition, localized
from forms.references import filled
from forms.saudi import mask
from forms.types import get_field_type
from forms.types.files import FILE_TYPES, file_refs

# Identifiers shown masked until someone allowed to asks for them (and is audited):
# how many characters stay visible at the start and at the end.
MASKED = {"national_id": (1, 2), "mobile": (2, 2), "iban": (4, 4)}


def _masked(kind: str, text: str, revealed: bool) -> str:
    if kind not in MASKED or revealed or not text:
        return text
    start, end = MASKED[kind]
    return mask(text, start, end)


def _answer_text(form: FormDefinition, answers: dict, lang: str):
    """Return what `${name}` in a label shows: the answer as this page shows it, masked
    where the answer is masked."""

    def text(name: str) -> str:
        fdef = form.field(name)
        if fdef is None or answers.get(name) is None or fdef["type"] in (*FILE_TYPES, "repeat"):
            return ""
        shown = get_field_type(fdef["type"]).display(answers[name], fdef, form, lang)
        return _masked(fdef["type"], shown, False)

    return text


def _row(fdef: dict, value, form: FormDefinition, lang: str, reveal=frozenset(), refs=None) -> dict:
    kind = fdef["type"]
    label = localized(fdef.get("label"), lang)
    label = filled(label, refs) if refs else label
    # An image is shown as the file field's files are.
    row = {"label": label, "type": "file" if kind == "image" else kind, "file": None, "rows": []}
    row["name"] = fdef["name"]
    row["masked"] = kind in MASKED and fdef["name"] not in reveal
    if kind in FILE_TYPES:
        # Every file, whether the answer holds one (as before several were allowed) or more.
        row["files"] = file_refs(value)
        row["file"] = row["files"][0] if row["files"] else None
        row["text"] = get_field_type(kind).display(value, fdef, form, lang)
    elif kind == "signature":
        row["file"] = value
        row["text"] = get_field_type(kind).display(value, fdef, form, lang)
    elif kind == "date":
        row["text"] = format_date(value, lang)
    elif kind == "geopoint":
        row["point"] = value  # drawn on a map by static/js/map.js
        row["text"] = get_field_type(kind).display(value, fdef, form, lang)
    elif kind == "repeat":  # a table; an inner repeat's is a table in its parent row's cell
        subs = [s for s in fdef["fields"] if s["type"] != "note"]
        row["columns"] = [localized(s.get("label"), lang) for s in subs]
        items = [item for item in value or () if isinstance(item, dict)]
        row["rows"] = [
            [_row(s, item.get(s["name"]), form, lang, reveal) for s in subs] for item in items
        ]
        row["text"] = ""
    else:
        text = get_field_type(kind).display(value, fdef, form, lang)
        row["text"] = _masked(kind, text, fdef["name"] in reveal)
    return row


def readable(
    form: FormDefinition, answers: dict, lang: str = "ar", reveal=frozenset()
) -> list[dict]:
    """Return the answered fields by section; identifiers masked unless named in `reveal`."""
    out, refs = [], _answer_text(form, answers, lang)
    for section in form.sections:
        rows = [
            _row(fdef, answers[fdef["name"]], form, lang, reveal, refs)
            for fdef in section["fields"]
            if fdef["type"] != "note" and fdef["name"] in answers
        ]
        if rows:
            out.append({"title": localized(section["title"], lang), "rows": rows})
    return out


def masked_value(form: FormDefinition, answers: dict, name: str, lang: str = "ar") -> str:
    """Return one top-level identifier as a page shows it before anyone reveals it."""
    fdef = form.field(name)
    if fdef is None or answers.get(name) is None:
        return ""
    text = get_field_type(fdef["type"]).display(answers[name], fdef, form, lang)
    return _masked(fdef["type"], text, False)


def attachments(form: FormDefinition, answers: dict, lang: str = "ar") -> list[dict]:
    """Return the files a submission holds, by top-level file field in form order: each
    field's label and all its files (one stored alone, or several)."""
    out = []
    for fdef in form.answer_fields():
        refs = file_refs(answers.get(fdef["name"])) if fdef["type"] == "file" else []
        if refs:
            out.append({"label": localized(fdef.get("label"), lang), "files": refs})
    return out
