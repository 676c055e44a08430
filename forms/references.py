"""Labels and hints that show other answers: `${name}` becomes the answer's text.

On a form page the text is escaped and each `${name}` becomes an empty
<span data-ref="name">, which rifd-forms.js fills with the answer as the person types
(the same text the submission page shows). On the submission page the stored answer
is put in place on the server. A name must be a field of the form (forms.checks).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markupsafe import Markup, escape

REFERENCE = re.compile(r"\$\{([a-z_][a-z0-9_]*)\}")


def names_in(text: str | None) -> list[str]:
    """Return the field names a label or hint shows, in order."""
    return REFERENCE.findall(text or "")


def live_html(text: str | None) -> Markup:
    """Return the escaped text with a span to fill in place of each `${name}`."""
    pieces, last = [], 0
    for match in REFERENCE.finditer(text or ""):
        pieces.append(escape(text[last : match.start()]))
        pieces.append(Markup('<span class="ref" data-ref="{}"></span>').format(match.group(1)))
        last = match.end()
    pieces.append(escape((text or "")[last:]))
    return Markup("").join(pieces)


def filled(text: str | None, answer_text: Callable[[str], str]) -> str:
    """Return the text with each `${name}` replaced by `answer_text(name)` (plain text)."""
    return REFERENCE.sub(lambda m: answer_text(m.group(1)), text or "")
