"""XLSForm's trigger column: a value set again each time another answer changes.

ODK computes a row's calculation when the question its trigger names changes
(`now()` with trigger `${name}`: the time the name was last changed). Rifd has that
as a calculate field with a `trigger`: a calculate row, or a question with no label
(nothing for the person to type in, only a value kept), becomes one, named in its
label when it has none. A question with a label is one a person answers, whose
value the trigger would overwrite: Rifd has no such field, so it is reported.
The export writes a calculate row with its trigger, which imports back the same.
"""

from __future__ import annotations

from forms.xlsform import fields
from forms.xlsform.fields import FieldDraft


def takes(row, texts, is_calculate: bool) -> bool:
    """Say whether a row is a triggered calculation Rifd keeps (see the module's text)."""
    if not (row.get("trigger") and row.get("calculation")):
        return False
    return is_calculate or texts.text(row, "label") is None


def read(reader, row) -> None:
    """Add the row as a Rifd calculate field with its trigger; problems are told at their cell."""
    problems = reader.problems
    fields.unsupported_columns(row, {"calculation", "trigger"}, problems)
    where = ("survey", row.number)
    if row.get("relevant"):
        problems.add(
            *where,
            row.sheet.header_text("relevant"),
            "a calculate with a relevant is not supported by Rifd",
        )
    if reader._repeat() is not None:
        problems.add(
            *where,
            row.sheet.header_text("trigger"),
            "a calculation with a trigger inside a repeat is not supported by Rifd (yet)",
        )
    name = reader._remember(row, "field", "calculate") or ""
    draft: FieldDraft = reader._add(row, name, "calculate")
    draft.data["label"] = reader.texts.text(row, "label") or {"ar": row.get("name")}
    draft.calculation = (row.number, row.sheet.header_text("calculation"), row.get("calculation"))
    draft.trigger = (row.number, row.sheet.header_text("trigger"), row.get("trigger"))


def trigger_name(node) -> str | None:
    """Return the Rifd name a translated trigger names, or None if it is not one name."""
    return node.value if node.kind == "name" else None
