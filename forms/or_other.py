"""A choice of "other" with a text to say which: XLSForm's `select_one list or_other`.

A select with `"or_other": true` is offered one choice more, `other`, and is followed
by a text field `<name>_other` shown only when `other` is chosen, and required then.
The definition keeps only the flag (so the editor and the XLSForm export write it
back as it was); FormDefinition.sections gives the fields with the choice and the
text field in place, so the page, the server's checks, the submission page and the
exports treat them as any other fields. The answer is stored as XLSForm stores it:
`other` in the select, the text in `<name>_other`.
"""

from __future__ import annotations

OTHER = "other"
OTHER_LABEL = {"ar": "أخرى", "en": "Other"}
_SPECIFY = {"ar": "{label}: أخرى، حدّدها", "en": "{label}: other, please specify"}


def other_name(name: str) -> str:
    return f"{name}_other"


def _other_field(fdef: dict) -> dict:
    label = fdef.get("label") or {}
    text = {
        lang: _SPECIFY[lang].format(label=label.get(lang) or label.get("ar", ""))
        for lang in ("ar", "en")
        if lang == "ar" or label.get("en")
    }
    shown = f"selected({fdef['name']}, '{OTHER}')"
    if fdef.get("visible_if"):
        # Inside a repeat row a hidden select keeps what was posted: say it anyway.
        shown = f"({fdef['visible_if']}) and {shown}"
    out = {"name": other_name(fdef["name"]), "type": "text", "label": text}
    out.update(visible_if=shown, required=True)
    if fdef.get("staff_only"):
        out["staff_only"] = True
    return out


def _with_other(fdef: dict, lists: dict) -> dict:
    choices = fdef["choices"]
    if isinstance(choices, str):
        choices = lists.get(choices, [])
    return {**fdef, "choices": [*choices, {"value": OTHER, "label": OTHER_LABEL}]}


def _expanded(fields: list[dict], lists: dict) -> list[dict]:
    out = []
    for fdef in fields:
        if fdef.get("type") == "repeat":
            fdef = {**fdef, "fields": _expanded(fdef["fields"], lists)}
        if fdef.get("or_other"):
            out += [_with_other(fdef, lists), _other_field(fdef)]
        else:
            out.append(fdef)
    return out


def _all(fields: list[dict]):
    """Yield every field of `fields`, those of repeats' rows (at any depth) too."""
    for fdef in fields:
        yield fdef
        if fdef.get("type") == "repeat":
            yield from _all(fdef.get("fields") or ())


def uses_other(data: dict) -> bool:
    return any(f.get("or_other") for section in data["sections"] for f in _all(section["fields"]))


def expanded_sections(data: dict) -> list[dict]:
    """Return the sections with each `or_other` select's choice and text field in place."""
    if not uses_other(data):
        return data["sections"]
    lists = data.get("choice_lists", {})
    return [{**s, "fields": _expanded(s["fields"], lists)} for s in data["sections"]]


def other_names(data: dict) -> set[str]:
    """Return the names of the text fields the `or_other` selects bring."""
    return {
        other_name(f["name"])
        for section in data["sections"]
        for f in _all(section["fields"])
        if f.get("or_other")
    }


def problems(path: str, fdef: dict, names: set[str], values: set[str]) -> list[str]:
    """Return why an `or_other` select cannot have its choice or its text field."""
    if not fdef.get("or_other"):
        return []
    out, other = [], other_name(fdef["name"])
    if other in names:
        out.append(f'{path}.or_other: the field "{other}" it brings is already in the form')
    if len(other) > 63:
        out.append(f'{path}.or_other: the field "{other}" it brings has a name too long')
    if OTHER in values:
        out.append(f'{path}.or_other: the choices already hold "{OTHER}"')
    return out
