"""The settings sheet: form_id, form_title, version, default_language, and Rifd's extras.

XLSForm has no place for a form's English title, its description, whether it is
public or its reference prefix; Rifd writes them in rifd_* columns, which pyxform
ignores. The settings of ODK's server and devices (instance_name, style, auto_send)
mean nothing to a Rifd form and are skipped, except where the data would go
(submission_url) or how it is encrypted (public_key), which are reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath

from forms.xlsform.fields import flag_cell
from forms.xlsform.names import NameProblem, rifd_name
from forms.xlsform.problems import Problems
from forms.xlsform.sheets import Row, Sheet
from forms.xlsform.texts import Texts, unliteral

_REPORTED = {
    "public_key": "Rifd does not encrypt submissions with a public key",
    "submission_url": "Rifd keeps submissions itself; it sends them to no other server",
}


@dataclass
class Settings:
    data: dict = field(default_factory=dict)  # id, version, title and Rifd's extras
    default_language: str = ""


def read_settings(sheet: Sheet | None, source: str, problems: Problems) -> Settings:
    """Return the form-level keys of the definition from the settings sheet."""
    row = sheet.rows[0] if sheet and sheet.rows else None
    found = Settings(default_language=row.get("default_language") if row else "")
    get = row.get if row else (lambda _base: "")
    found.data["id"] = _form_id(get("form_id"), source, problems)
    found.data["version"] = _version(get("version"), row, problems)
    title = {"ar": unliteral(get("form_title")) or found.data["id"]}
    if row is None:
        found.data["title"] = title
        return found
    texts = Texts(sheet, found.default_language, problems)
    english = (texts.text(row, "rifd_title") or {}).get("en")
    found.data["title"] = {**title, "en": english} if english else title
    description = texts.text(row, "rifd_description")
    if description:
        found.data["description"] = description
    _extras(found.data, row, problems)
    return found


def _form_id(cell: str, source: str, problems: Problems) -> str:
    raw = cell or PurePath(source).stem
    try:
        return rifd_name(raw)
    except NameProblem as exc:
        problems.add("settings", 2, "form_id", str(exc))
        return "form"


def _version(cell: str, row: Row | None, problems: Problems) -> int:
    if not cell:
        return 1
    if not re.fullmatch(r"[0-9]{1,18}", cell) or int(cell) < 1:
        problems.add(
            "settings",
            row.number,
            "version",
            f'"{cell}" is not a whole number from 1 up: Rifd versions count 1, 2, 3...',
        )
        return 1
    return int(cell)


def _extras(data: dict, row: Row, problems: Problems) -> None:
    public = flag_cell(row, "rifd_public", problems)
    if public is not None:
        data["public"] = public
    prefix = row.get("rifd_ref_prefix")
    if prefix and re.fullmatch(r"[A-Z]{1,4}", prefix):
        data["ref_prefix"] = prefix
    elif prefix:
        problems.add("settings", row.number, "rifd_ref_prefix", "must be 1 to 4 capital letters")
    for base, problem in _REPORTED.items():
        if row.get(base):
            problems.add("settings", row.number, base, problem)
