"""Where a repeat's rows are checked, for errors that say which row they belong to.

A field of a family member's row sits beside its row's number; an error inside one of
that member's illnesses names both rows ("أفراد الأسرة: الصف 2؛ الأمراض: الصف 1"),
as a bulk import or a long page needs to find it. Errors are keyed by the names of
the page's inputs, which carry every row's number: "family-1-illnesses-0-name".
"""

from __future__ import annotations

from dataclasses import dataclass

from forms.definition import localized
from forms.messages import message


@dataclass(frozen=True)
class Within:
    """Where a repeat's rows are checked: the name prefix its page fields carry and the
    rows around it, (label, number) each, from the outermost."""

    prefix: str = ""
    rows: tuple[tuple[str, int], ...] = ()

    def row(self, fdef: dict, number: int, index, lang: str) -> Within:
        label = localized(fdef.get("label"), lang)
        prefix = f"{self.prefix}{fdef['name']}-{index}-"
        return Within(prefix, (*self.rows, (label, number)))

    def say(self, text: str, lang: str, least: int = 1) -> str:
        """Return `text` naming the rows around when there are at least `least`.

        A field of a member's row is beside its row's number; an illness's field (two
        rows around) or a member's illnesses as a whole (one) is named by both.
        """
        if len(self.rows) < least:
            return text
        where = [message("row_of", lang, label=label, n=n) for label, n in self.rows]
        return message("in_rows", lang, text=text, where="؛ ".join(where))
