"""Question types and appearances: XLSForm <-> Rifd, both directions in one place.

Rifd types XLSForm lacks are written as the nearest XLSForm type that pyxform
accepts, plus what tells them apart: textarea is text with the `multiline`
appearance, rating and nps are `range` questions (1-5 and 0-10), a signature is an
`image` with the `signature` appearance, yes_no is a select_one of a yes/no list,
and email, mobile, national_id and iban are text with a `rifd_type` column (pyxform
ignores columns it does not know, as it ignores a column of comments).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from forms.file_kinds import AUDIO, VIDEO

YES_NO_LIST = "rifd-yes-no"
INLINE_PREFIX = "rifd-inline-"
# rifd_type values and the XLSForm type that must carry each.
CARRIED = {"email": "text", "mobile": "text", "national_id": "text", "iban": "text"}
CARRIED_SELECT = {"yes_no": "select_one"}
SIMPLE = {
    "text", "integer", "decimal", "date", "note", "file", "time", "datetime", "acknowledge",
    "geopoint", "barcode",
}  # fmt: skip
ALIASES = {
    # pyxform's older spellings; the longer ones first, before "select one" takes them.
    "select one from": "select_one",
    "select all that apply from": "select_multiple",
    "int": "integer",
    "string": "text",
    "photo": "image",
    "phone number": "phone_number",
    "trigger": "acknowledge",  # ODK's older name of acknowledge
    "select one": "select_one",
    "select1": "select_one",
    "select all that apply": "select_multiple",
    "begin group": "begin_group",
    "end group": "end_group",
    "begin repeat": "begin_repeat",
    "end repeat": "end_repeat",
}
# Filled in by ODK itself; Rifd stamps every submission with its time and author.
IGNORED_METADATA = {"start", "end", "today", "username"}
RANGES = {(1, 5, 1): "rating", (0, 10, 1): "nps"}
# pyxform's older spelling of or_other is "or specify other".
_SELECT = re.compile(r"^(select_one|select_multiple)\s+(\S+)(\s+or_other|\s+or specify other)?$")
_COLUMNS = re.compile(r"^columns(-pack|-\d+)?$|^horizontal(-compact)?$")
# XLSForm appearance -> Rifd appearance, per Rifd type; '' is no appearance.
IMPORT_APPEARANCE = {
    "select_one": {
        "minimal": "dropdown",
        "autocomplete": "dropdown",
        "likert": "likert",
        "horizontal": "horizontal",
        "horizontal-compact": "horizontal",
    },
    "select_multiple": {
        "minimal": "",
        "horizontal": "horizontal",
        "horizontal-compact": "horizontal",
    },
    "text": {"numbers": "numbers"},
    "rating": {"rating": "stars"},
    "date": {"no-calendar": "", "islamic": ""},
    "integer": {"thousands-sep": ""},
    "decimal": {"thousands-sep": ""},
}
EXPORT_APPEARANCE = {
    "select_one": {
        "dropdown": "minimal",
        "radio": "columns-pack",
        "horizontal": "horizontal",
        "likert": "likert",
    },
    "select_multiple": {"checkboxes": "columns-pack", "horizontal": "horizontal"},
    "text": {"numbers": "numbers"},
    "rating": {"stars": "rating"},
}
GROUP_APPEARANCES = {"", "field-list", "table-list"}
# ODK types read as a Rifd type with a limit (forms.xlsform.odk_types).
READ_AS = {"phone_number": "text", "audio": "file", "video": "file"}


@dataclass(frozen=True)
class XLSType:
    """A survey row's type: `kind` is a type word, and `list_name` a select's list."""

    kind: str
    list_name: str = ""
    or_other: bool = False  # `select_one list or_other`: a choice "other" and its text


class TypeProblem(ValueError):
    pass


def read_type(cell: str) -> XLSType:
    """Read the type column, or raise TypeProblem for a type Rifd cannot take."""
    text = " ".join(cell.split())
    lowered = text.lower()
    for alias, word in ALIASES.items():
        if lowered == alias or lowered.startswith(alias + " "):
            lowered = word + lowered[len(alias) :]
            text = word + text[len(alias) :]
    found = _SELECT.match(lowered)
    if found:
        return XLSType(found.group(1), text.split()[1], bool(found.group(3)))
    if lowered in ("select_one", "select_multiple"):
        raise TypeProblem(f'"{cell}" needs the name of its list from the choices sheet')
    if lowered in SIMPLE | READ_AS.keys() | IGNORED_METADATA | {"range", "image", "calculate"}:
        return XLSType(lowered)
    if lowered in ("begin_group", "end_group", "begin_repeat", "end_repeat"):
        return XLSType(lowered)
    if lowered == "email":
        raise TypeProblem(
            '"email" is ODK metadata (the device account); for an e-mail'
            ' question use type text with "email" in the rifd_type column'
        )
    raise TypeProblem(f'"{cell}" is not supported by Rifd')


def rifd_type(xls: XLSType, appearance: str, parameters: str, carried: str) -> str:
    """Return the Rifd type of a question row, or raise TypeProblem."""
    if carried:
        wanted = CARRIED.get(carried) or CARRIED_SELECT.get(carried)
        if wanted is None:
            known = ", ".join([*CARRIED, *CARRIED_SELECT])
            raise TypeProblem(f'rifd_type "{carried}" is not one of {known}')
        if xls.kind != wanted or (appearance and wanted == "text"):
            raise TypeProblem(f'rifd_type "{carried}" goes with type {wanted} and no appearance')
        return carried
    if xls.kind == "text" and appearance == "multiline":
        return "textarea"  # Rifd's long text: what multiline means on a text
    if xls.kind == "range":
        return _range_type(parameters)
    if xls.kind == "image":
        return "signature" if appearance == "signature" else "image"
    return READ_AS.get(xls.kind, xls.kind)


def _range_type(parameters: str) -> str:
    values = dict(start=1, end=10, step=1)
    for part in re.split(r"[\s;,]+", parameters.strip()):
        key, _eq, value = part.partition("=")
        if key in values and value.lstrip("-").isdigit():
            values[key] = int(value)
        elif part:
            raise TypeProblem(f'range parameter "{part}" is not supported by Rifd')
    found = RANGES.get((values["start"], values["end"], values["step"]))
    if found is None:
        raise TypeProblem(
            f"a range from {values['start']} to {values['end']} in steps of {values['step']}"
            " is not supported: Rifd has ratings (start=1 end=5) and NPS (start=0 end=10)"
        )
    return found


def appearance(kind: str, cell: str) -> str:
    """Return the Rifd appearance of an XLSForm appearance, or raise TypeProblem."""
    cell = " ".join(cell.split())
    if kind in ("textarea", "signature") or not cell:
        return ""
    table = IMPORT_APPEARANCE.get(kind, {})
    if cell in table:
        return table[cell]
    if kind in ("select_one", "select_multiple") and _COLUMNS.match(cell):
        return "radio" if kind == "select_one" else "checkboxes"
    raise TypeProblem(f'appearance "{cell}" is not supported by Rifd for a {kind} question')


def recorded(fdef: dict) -> str | None:
    """Return "audio" or "video" for a file field that is XLSForm's audio or video: every
    kind phones record, the recorder opened at once (forms.xlsform.odk_types)."""
    if fdef["type"] != "file" or not fdef.get("camera"):
        return None
    for name, kinds in (("audio", AUDIO), ("video", VIDEO)):
        if fdef.get("accept") == list(kinds):
            return name
    return None


def export_type(fdef: dict, list_name: str) -> dict[str, str]:
    """Return the type, appearance, parameters and rifd_type cells of a Rifd field."""
    kind = fdef["type"]
    look = EXPORT_APPEARANCE.get(kind, {}).get(fdef.get("appearance", ""), "")
    if kind in ("select_one", "select_multiple"):
        other = " or_other" if fdef.get("or_other") else ""
        return {"type": f"{kind} {list_name}{other}", "appearance": look}
    if kind == "yes_no":
        return {"type": f"select_one {YES_NO_LIST}", "rifd_type": kind}
    if kind in CARRIED:
        return {"type": "text", "rifd_type": kind}
    if kind == "textarea":
        return {"type": "text", "appearance": "multiline"}
    if kind == "signature":
        return {"type": "image", "appearance": "signature"}
    if recorded(fdef):
        return {"type": recorded(fdef)}
    for (start, end, step), name in RANGES.items():
        if kind == name:
            return {
                "type": "range",
                "parameters": f"start={start} end={end} step={step}",
                "appearance": look,
            }
    return {"type": kind, "appearance": look}
