"""Labels, hints and messages in several languages: XLSForm columns <-> Rifd texts.

XLSForm writes one column per language (`label::Arabic (ar)`, the older
`label:Arabic`, or a plain `label` in the form's default language); Rifd keeps
{"ar": ..., "en": ..., "es": ...}. A language beyond Arabic and English is kept by
the code in brackets of its column (`label::Español (es)` gives "es") and exported
back; one named without a code (`label::French`) is reported, not dropped.
"""

from __future__ import annotations

import re

from forms.xlsform.problems import Problems
from forms.xlsform.sheets import Header, Row, Sheet

# How Rifd writes the two languages; pyxform reads the code in brackets.
LANGUAGE_NAMES = {"ar": "Arabic (ar)", "en": "English (en)"}
TRANSLATABLE = {
    "label",
    "media::image",
    "hint",
    "constraint_message",
    "required_message",
    "guidance_hint",
    "rifd_add_label",
    "rifd_title",
    "rifd_description",
}
# In XLSForm "${x}" in a label shows an answer; a Rifd text that says "${" literally
# is written with an invisible word joiner between "$" and "{", and read back.
_LITERAL = "$\u2060{"
FIXED = "Rifd texts are fixed: they cannot show another answer (${...})"
# The texts of a question that may show other answers (forms.xlsform.live_labels).
LIVE = ("label", "hint")
_CODE = re.compile(r"\(\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)?\s*\)\s*$")
_CODES = {"ar": "ar", "ara": "ar", "en": "en", "eng": "en"}
_KNOWN = {"ar", "en", "spare"}
_NAMES = {
    "arabic": "ar",
    "عربي": "ar",
    "عربى": "ar",
    "العربية": "ar",
    "english": "en",
    "انجليزي": "en",
    "إنجليزي": "en",
    "الإنجليزية": "en",
    "الانجليزية": "en",
}


def language_code(name: str) -> str | None:
    """Return the code of a language as XLSForm names it ("ar", "en", "es"), or None."""
    found = _CODE.search(name)
    if found:
        code = found.group(1).lower()
        return _CODES.get(code, code)
    key = name.strip().lower()
    return _CODES.get(key) or _NAMES.get(key)


def column(base: str, lang: str) -> str:
    return f"{base}::{LANGUAGE_NAMES.get(lang) or f'{lang} ({lang})'}"


def cells(base: str, text: dict | None) -> dict[str, str]:
    """Return the cells that write a Rifd text in the columns of `base`, Arabic first."""
    text = text or {}
    order = [*LANGUAGE_NAMES, *(lang for lang in text if lang not in LANGUAGE_NAMES)]
    return {column(base, lang): literal(text[lang]) for lang in order if text.get(lang)}


def literal(text: str) -> str:
    """Write a text that says "${" so that XLSForm does not read an answer into it."""
    return text.replace("${", _LITERAL)


def unliteral(text: str) -> str:
    return text.replace(_LITERAL, "${")


class Texts:
    """Read the language columns of one sheet into Rifd texts."""

    def __init__(self, sheet: Sheet, default_language: str, problems: Problems):
        self.slots: dict[str, list[tuple[str, str]]] = {}
        self.problems = problems
        # (row, the header of each language, the text): a label or hint showing another
        # answer, its names resolved once the whole sheet is read.
        self.live: list[tuple[Row, dict[str, str], dict]] = []
        default = language_code(default_language) if default_language else None
        for base in TRANSLATABLE:
            headers = [h for h in sheet.with_base(base)]
            if headers:
                self.slots[base] = self._slots(sheet, headers, default_language, default, problems)

    def _slots(self, sheet, headers: list[Header], default_name, default, problems):
        explicit = {language_code(h.lang) for h in headers if h.lang}
        slots = []
        for header in headers:
            name = header.lang or default_name
            code = language_code(name) if name else None
            if name and code is None:
                if any(header.text in row.cells for row in sheet.rows):
                    problem = (
                        f'language "{name}" is not supported by Rifd without its code:'
                        f' name it as in "{name} (xx)"'
                    )
                    problems.add(sheet.name, None, header.text, problem)
                continue
            if code is None:
                # A plain column in no stated language: it fills the language the
                # sheet has no column for, Arabic first (Rifd's own language).
                code = "ar" if "ar" not in explicit else "en" if "en" not in explicit else "spare"
            slots.append((header.text, code))
        return slots

    def text(self, row: Row, base: str) -> dict | None:
        """Return the Rifd text of `base` in this row, or None when every cell is empty."""
        found: dict[str, str] = {}
        headers: dict[str, str] = {}
        live = row.sheet.name == "survey" and base in LIVE
        for header, code in self.slots.get(base, ()):
            value = row.cells.get(header)
            if value and "${" in value and not live:
                self.problems.add(row.sheet.name, row.number, header, FIXED)
            if value and code not in found:
                found[code], headers[code] = value, header
        # Rifd needs Arabic: without an Arabic cell the other text stands in for it.
        others = [code for code in found if code not in _KNOWN]
        arabic = next((c for c in ("ar", "spare", "en", *others) if found.get(c)), None)
        if not arabic:
            return None
        out = {"ar": found[arabic]}
        where = {"ar": headers[arabic]}
        if found.get("en"):
            out["en"], where["en"] = found["en"], headers["en"]
        for code in others:  # a language beyond Arabic and English, kept by its code
            out[code], where[code] = found[code], headers[code]
        if any("${" in value for value in out.values()):
            self.live.append((row, where, out))  # read as it is once names are known
            return out
        return {lang: unliteral(value) for lang, value in out.items()}

    def columns(self, base: str) -> list[str]:
        return [header for header, _code in self.slots.get(base, ())]
