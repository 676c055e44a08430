"""Characters that change how text shows without being seen, kept out of what people type.

A right-to-left override (U+202E) in a name reversed everything after it, in lists
and in letters; the other direction controls (embeddings, isolates, marks) reorder
text the same way, and zero-width characters hide inside names and codes. They are
removed from every name and free text a person types (forms, the association's
profile, a request's notes, programs), and again from the values a letter prints,
so that values stored before this rule print plainly too. Letters add their own
isolates around codes (letters.context.ltr) after that.
"""

from __future__ import annotations

import re

INVISIBLE = re.compile(
    "["
    "\u061c"  # Arabic letter mark
    "\u180e"  # Mongolian vowel separator
    "\u200b-\u200f"  # zero width space, non-joiner, joiner; LRM, RLM
    "\u202a-\u202e"  # LRE, RLE, PDF, LRO, RLO
    "\u2060-\u2064"  # word joiner and the invisible operators
    "\u2066-\u2069"  # LRI, RLI, FSI, PDI
    "\ufeff"  # zero width no-break space (BOM)
    "\U000e0000-\U000e007f"  # tag characters
    "]"
)


def strip_invisible(value):
    """Return `value` with those characters removed from every string in it.

    Strings, and dicts and lists of them (a record's answers), come back cleaned;
    anything else (None, numbers) as it is, so it also serves as a WTForms filter.
    """
    if isinstance(value, str):
        return INVISIBLE.sub("", value)
    if isinstance(value, dict):
        return {key: strip_invisible(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [strip_invisible(item) for item in value]
    return value
