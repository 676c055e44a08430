"""The languages a form's texts are written in beyond Arabic and English.

A text is {"ar": ..., "en": ..., "es": ...}: a form imported from an XLSForm in
Spanish keeps its Spanish. The form page offers each such language (web/form_language.py):
chosen, the questions, hints and choices show in it, and in Arabic where a text has
none; Rifd's own words stay in the page's language.
"""

from __future__ import annotations

import re

from forms.definition import FormDefinition

_CODE = re.compile(r"^[a-z]{2,3}$")
_OWN = {"ar", "en"}


def extra_languages(form: FormDefinition) -> list[str]:
    """Return the codes of the languages beyond Arabic and English, in order of first use."""
    if "extra_languages" not in form.memo:
        found: dict[str, None] = {}
        _collect(form.data, found)
        form.memo["extra_languages"] = list(found)
    return form.memo["extra_languages"]


def _collect(node, found: dict[str, None]) -> None:
    if isinstance(node, dict):
        if isinstance(node.get("ar"), str):  # a text
            found.update((k, None) for k in node if k not in _OWN and _CODE.match(k))
            return
        for value in node.values():
            _collect(value, found)
    elif isinstance(node, list):
        for value in node:
            _collect(value, found)
