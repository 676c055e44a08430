"""The base of every field type, the registry, and the errors a field raises.

Each type turns what a person sent (a string, a list of strings, an uploaded
file) into the value Rifd stores, or raises FieldError with a message key.
An unknown type raises: nothing falls through silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from forms import patterns
from forms.invisible import strip_invisible

FIELD_TYPES: dict[str, type[FieldType]] = {}
# Control characters nobody types on purpose; XML (Excel, Word) cannot hold them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _plain(text: str) -> str:
    # Direction overrides and zero-width characters reorder or hide what lists and
    # letters show (forms.invisible): no answer keeps them.
    return strip_invisible(_CONTROL.sub("", text))


class FieldError(ValueError):
    """A value a person sent that this field cannot accept."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params


class UnknownFieldType(KeyError):
    pass


def register(name: str):
    def add(cls):
        cls.name = name
        FIELD_TYPES[name] = cls
        return cls

    return add


def get_field_type(name: str) -> FieldType:
    """Return the type object for `name`; raise UnknownFieldType for anything else."""
    try:
        return FIELD_TYPES[name]()
    except KeyError:
        raise UnknownFieldType(name) from None


@dataclass(frozen=True)
class PendingFile:
    """An upload that passed its checks but is not stored yet (only a valid form stores)."""

    data: bytes
    ext: str
    filename: str

    def reference(self, digest: str) -> dict:
        return {"sha256": digest, "type": self.ext, "size": len(self.data), "name": self.filename}


class FieldType:
    """A text input; subclasses change how the text is read and shown."""

    name = ""
    widget = "text"
    max_chars = 500
    attrs: dict[str, str] = {}

    def is_empty(self, raw) -> bool:
        if raw is None:
            return True
        if isinstance(raw, str):
            return not _plain(raw).strip()  # "\x00\x00" is as empty as ""
        if isinstance(raw, list | tuple):
            return not any(not self.is_empty(r) for r in raw)
        return False

    def posted(self, value, fdef: dict, read_file) -> list[str]:
        """Return what a person would post to be given the stored `value` again (a page
        opened to correct an answer); `read_file(digest)` reads a stored file."""
        if value is None or value == "":
            return []
        if isinstance(value, float) and value.is_integer():
            return [str(int(value))]
        return [str(value)]

    def clean(self, raw, fdef: dict, form, *, strict: bool = True):
        """Return the stored value for a non-empty `raw`, or raise FieldError.

        With strict=False the field's own constraints (range, length, pattern)
        are not applied: that is the value conditions see, in the browser too.
        """
        text = _plain(str(raw)).strip()
        if len(text) > self.max_chars:
            raise FieldError("too_long", limit=self.max_chars)
        value = self.parse(text, fdef, form)
        if strict:
            self.check(value, fdef)
        return value

    def parse(self, text: str, fdef: dict, form):
        return text

    def check(self, value, fdef: dict) -> None:
        """Raise FieldError if `value` breaks the field's constraints."""

    def condition_value(self, value):
        return value

    def display(self, value, fdef: dict, form, lang: str) -> str:
        return "" if value is None else str(value)

    def longest(self, fdef: dict) -> int:
        """Return how many characters the longest value this field accepts may have."""
        limit = fdef.get("constraints", {}).get("max_length")
        return min(self.max_chars, limit) if isinstance(limit, int) else self.max_chars

    def shown_again(self, text: str, fdef: dict) -> str:
        """Return what a refused page may show back of `text`: no more than the field takes."""
        # Echoed whole, a 10 MB answer made a 10 MB page.
        return text[: self.longest(fdef)]

    def upload_bytes(self, fdef: dict) -> int:
        """Return how many bytes of upload a valid value may bring (0: none, it is text)."""
        return 0

    def export(self, value, fdef: dict, form, lang: str):
        return self.display(value, fdef, form, lang)


def check_length(text: str, fdef: dict) -> None:
    cons = fdef.get("constraints", {})
    if "min_length" in cons and len(text) < cons["min_length"]:
        raise FieldError("min_length", limit=cons["min_length"])
    if "max_length" in cons and len(text) > cons["max_length"]:
        raise FieldError("max_length", limit=cons["max_length"])
    if "pattern" in cons and not patterns.fullmatch(cons["pattern"], text):
        raise FieldError("pattern")


def check_range(number, fdef: dict) -> None:
    cons = fdef.get("constraints", {})
    if "min" in cons and number < cons["min"]:
        raise FieldError("min", limit=cons["min"])
    if "max" in cons and number > cons["max"]:
        raise FieldError("max", limit=cons["max"])
