"""The choices sheet -> Rifd's shared choice lists, attached to the questions using them.

Every XLSForm list becomes a shared list under `choice_lists` (its name made a Rifd
name). Two lists only Rifd writes are read back to what they were: `rifd-yes-no`,
the list behind yes/no questions (which need no list in Rifd), and
`rifd-inline-<field>`, a field's own choices.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from forms.xlsform.fields import UNSUPPORTED, FieldDraft
from forms.xlsform.names import NameProblem, Names
from forms.xlsform.problems import Problems
from forms.xlsform.sheets import Sheet
from forms.xlsform.texts import Texts
from forms.xlsform.types import INLINE_PREFIX, YES_NO_LIST

_VALUE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


@dataclass
class ChoiceList:
    row: int  # where the list starts, for messages
    choices: list[dict] = field(default_factory=list)


def read_choices(sheet: Sheet | None, default_language: str, problems: Problems) -> dict:
    """Return the lists of the choices sheet by their XLSForm name, in sheet order."""
    lists: dict[str, ChoiceList] = {}
    if sheet is None:
        return lists
    texts = Texts(sheet, default_language, problems)
    list_column, name_column = sheet.header_text("list_name"), sheet.header_text("name")
    for row in sheet.rows:
        for header in sheet.headers:
            if header.base.split("::")[0] == "media" and header.text in row.cells:
                problems.add("choices", row.number, header.text, UNSUPPORTED["media"])
        list_name, value = row.get("list_name"), row.get("name")
        label = texts.text(row, "label")
        if not list_name:
            problems.add("choices", row.number, list_column, "the list_name is empty")
            continue
        choices = lists.setdefault(list_name, ChoiceList(row.number))
        if not _VALUE.match(value):
            shown = f'"{value}" is not' if value else "an empty name is not"
            problems.add(
                "choices",
                row.number,
                name_column,
                f"{shown} a Rifd choice value: use 1 to 64 English letters, digits, _ . or -",
            )
        elif any(c["value"] == value for c in choices.choices):
            problems.add(
                "choices",
                row.number,
                name_column,
                f'"{value}" appears twice in the list "{list_name}"',
            )
        elif label is None:
            problems.add("choices", row.number, "label", "the label is empty")
        else:
            choices.choices.append({"value": value, "label": label})
    return lists


def attach(drafts: list[FieldDraft], lists: dict, problems: Problems) -> dict:
    """Point every select at its list; return the form's `choice_lists`."""
    users: dict[str, list[FieldDraft]] = {}
    for draft in drafts:
        if draft.list_name and draft.data["type"] != "yes_no":
            if draft.list_name not in lists:
                problems.add(
                    "survey",
                    draft.row,
                    "type",
                    f'there is no list "{draft.list_name}" in the choices sheet',
                )
                continue
            users.setdefault(draft.list_name, []).append(draft)
    shared, names = {}, Names("choice list")
    for xls_name, found in lists.items():
        using = users.get(xls_name, [])
        if _inline(xls_name, using):
            using[0].data["choices"] = found.choices
            continue
        if xls_name == YES_NO_LIST and not using:
            continue
        try:
            name = names.claim(xls_name, found.row)
        except NameProblem as exc:
            problems.add("choices", found.row, "list_name", str(exc))
            continue
        shared[name] = found.choices
        for draft in using:
            draft.data["choices"] = name
    for draft in drafts:
        _check_default(draft, lists, problems)
    return shared


def _inline(xls_name: str, using: list[FieldDraft]) -> bool:
    return (
        xls_name.startswith(INLINE_PREFIX)
        and len(using) == 1
        and using[0].xls_name == xls_name[len(INLINE_PREFIX) :]
    )


def _check_default(draft: FieldDraft, lists: dict, problems: Problems) -> None:
    if "default" not in draft.data or draft.list_name not in lists:
        return
    values = {c["value"] for c in lists[draft.list_name].choices}
    wanted = draft.data["default"]
    missing = [v for v in (wanted if isinstance(wanted, list) else [wanted]) if v not in values]
    if missing and draft.data["type"] != "yes_no":
        problems.add(
            "survey",
            draft.row,
            "default",
            f'"{" ".join(missing)}" is not a choice of the list "{draft.list_name}"',
        )
