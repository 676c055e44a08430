"""What the policy page says when it cannot save: beside each input, in the page's language.

The checks speak English (the CLI's language); an Arabic page says them in
Arabic. No message shows a regular expression: a pattern the page knows is
named in words, any other is "not in the expected form".
"""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from association import editor
from association.dates import Mismatch, gregorian_shown
from forms.dates import arabic_digits
from forms.problem_text import arabic
from web.i18n import current_lang

_RAW_PATTERN = re.compile(r"(?P<v>.+) does not match the pattern (?P<p>.+)")
_DESCRIBED = re.compile(r"(?P<v>.+) is not valid: use (?P<d>.+)")
# The profile schema's patterns, in words.
PATTERN_WORDS = {
    "^[a-z][a-z0-9_]{0,40}$": _l("أحرف إنجليزية صغيرة وأرقام و _ فقط، ويبدأ بحرف"),
    "^[a-z][a-z0-9_]{0,60}$": _l("أحرف إنجليزية صغيرة وأرقام و _ فقط، ويبدأ بحرف"),
}


def _read_error(kind: str) -> str:
    if kind == "date":
        return _("اكتب التاريخ الميلادي: السنة ثم الشهر ثم اليوم، مثل 2025/12/22.")
    if kind == "hijri":
        return _(
            "اكتب التاريخ الهجري: السنة ثم الشهر ثم اليوم، مثل 1447/07/02 (من سنة 1343 إلى 1500)."
        )
    return _("يجب أن يكون رقمًا.")


def read_errors(problems: dict[str, str]) -> dict[str, list[str]]:
    """Say why each unreadable input (input name -> its kind) could not be read."""
    return {path: [_read_error(kind)] for path, kind in problems.items()}


def _plain(text: str) -> str:
    said = arabic(text) if current_lang() == "ar" else text
    raw = _RAW_PATTERN.fullmatch(text)
    if raw:  # named in words here, in either language, or not named at all
        words = PATTERN_WORDS.get(raw["p"])
        if words:
            return _("%(v)s غير صالح: %(p)s", v=raw["v"], p=words)
        return _("%(v)s ليس بالصيغة المطلوبة.", v=raw["v"])
    described = _DESCRIBED.fullmatch(text)
    if described and said == text and current_lang() == "ar":  # an English description
        return _("%(v)s ليس بالصيغة المطلوبة.", v=described["v"])
    return said


def errors_by_input(lines: list[str]) -> dict[str, list[str]]:
    """Place each problem ('path: text') beside its input, said in the page's language."""
    out: dict[str, list[str]] = {}
    for line in lines:
        path, _sep, text = line.partition(": ")
        missing = re.fullmatch(r'"(\w+)" is required', text)
        if missing:  # the schema names the object; the input is the missing key's
            path = f"{path}.{missing.group(1)}" if path != "$" else missing.group(1)
        out.setdefault(editor.input_name(path), []).append(_plain(text))
    return out


def _digits(text: str) -> str:
    return arabic_digits(text) if current_lang() == "ar" else text


def _hijri(text: str) -> str:
    return _("%(d)s هـ", d=_digits(text))


def _gregorian(iso: str) -> str:
    return _("%(d)s م", d=_digits(gregorian_shown(iso)))


def mismatch_warning(found: Mismatch) -> str:
    """Name the pairs that do agree under Umm al-Qura, so the person can see which is off."""
    pairs = []
    if found.hijri_falls_on:
        pairs.append(
            _("%(h)s يوافق %(g)s", h=_hijri(found.hijri), g=_gregorian(found.hijri_falls_on))
        )
    else:
        pairs.append(_("%(h)s ليس يومًا في تقويم أم القرى", h=_hijri(found.hijri)))
    if found.gregorian_falls_on:
        pairs.append(
            _(
                "%(g)s يوافق %(h)s",
                g=_gregorian(found.gregorian),
                h=_hijri(found.gregorian_falls_on),
            )
        )
    return _(
        "التاريخان الهجري والميلادي للاعتماد لا يتوافقان بتقويم أم القرى: %(pairs)s. "
        "صحّح أحدهما، أو أبقهما كما طُبعا في السياسة المعتمدة.",
        pairs=_("، و").join(pairs),
    )
