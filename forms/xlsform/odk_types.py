"""ODK question types that are one of Rifd's own with a limit: read as that type.

pyxform defines "phone number" as a text input whose answer is digits only
(`regex(., '^\\d*$')`, hinted "Enter numbers only."): in Rifd that is a text with the
numbers appearance (a digit keyboard) and the same pattern, with the same message.
Exported, it is written back as text with that constraint, which pyxform reads the
same way, and which imports to the same definition. "audio" and "video" are a file
field taking every kind phones record (forms.file_kinds), the phone's recorder or
camera opened at once (`camera`): written back as audio or video.
"""

from __future__ import annotations

from forms.file_kinds import AUDIO, VIDEO
from forms.xlsform.fields import FieldDraft

DIGITS_ONLY = r"^\d*$"
_DIGITS_MESSAGE = {"ar": "أدخل أرقامًا فقط.", "en": "Enter numbers only."}


def fill(kind: str, draft: FieldDraft) -> None:
    """Give a question of an ODK type read as a Rifd one what that type implied."""
    if kind in ("audio", "video"):
        # A file of what phones record, the recorder opened at once (capture).
        draft.data.setdefault("accept", list(AUDIO if kind == "audio" else VIDEO))
        draft.data.setdefault("camera", True)
    if kind == "phone_number":
        draft.data.setdefault("appearance", "numbers")
        if draft.constraint is None:  # the row's own constraint replaces it, as in pyxform
            draft.data["constraints"] = {
                "pattern": DIGITS_ONLY,
                "messages": {"pattern": dict(_DIGITS_MESSAGE)},
            }
