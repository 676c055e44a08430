"""ODK question types that are one of Rifd's own with a limit: read as that type.

pyxform defines "phone number" as a text input whose answer is digits only
(`regex(., '^\\d*$')`, hinted "Enter numbers only."): in Rifd that is a text with the
numbers appearance (a digit keyboard) and the same pattern, with the same message.
Exported, it is written back as text with that constraint, which pyxform reads the
same way, and which imports to the same definition.
"""

from __future__ import annotations

from forms.xlsform.fields import FieldDraft

DIGITS_ONLY = r"^\d*$"
_DIGITS_MESSAGE = {"ar": "أدخل أرقامًا فقط.", "en": "Enter numbers only."}


def fill(kind: str, draft: FieldDraft) -> None:
    """Give a question of an ODK type read as a Rifd one what that type implied."""
    if kind == "phone_number":
        draft.data.setdefault("appearance", "numbers")
        if draft.constraint is None:  # the row's own constraint replaces it, as in pyxform
            draft.data["constraints"] = {
                "pattern": DIGITS_ONLY,
                "messages": {"pattern": dict(_DIGITS_MESSAGE)},
            }
