"""The language a form's own texts are shown in: the page's, or one the form adds.

A form with texts in a language beyond Arabic and English (forms/languages.py) is
shown in it when the page is opened with ?form_lang=es; the page carries the choice
in a hidden field, so a page sent back with errors stays in that language.
"""

from __future__ import annotations

from flask import request

from forms.definition import FormDefinition
from forms.languages import extra_languages
from web.i18n import current_lang

FIELD = "form_lang"


def form_lang(form: FormDefinition) -> str:
    """Return the language of the form's texts on this page."""
    wanted = request.values.get(FIELD, "")
    return wanted if wanted in extra_languages(form) else current_lang()
