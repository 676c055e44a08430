"""The registry of field types: one class per type, looked up by name.

Each type turns what a person sent (a string, a list of strings, an uploaded
file) into the value Rifd stores, or raises FieldError with a message key.
An unknown type raises: nothing falls through silently.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from dataclasses import dataclass

import filetype
from email_validator import EmailNotValidError, validate_email

from forms import saudi
from forms.definition import localized

FIELD_TYPES: dict[str, type[FieldType]] = {}


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
            return not raw.strip()
        if isinstance(raw, list | tuple):
            return not any(not self.is_empty(r) for r in raw)
        return False

    def clean(self, raw, fdef: dict, form, *, strict: bool = True):
        """Return the stored value for a non-empty `raw`, or raise FieldError.

        With strict=False the field's own constraints (range, length, pattern)
        are not applied: that is the value conditions see, in the browser too.
        """
        text = str(raw).replace("\x00", "").strip()
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

    def export(self, value, fdef: dict, form, lang: str):
        return self.display(value, fdef, form, lang)


def _check_length(text: str, fdef: dict) -> None:
    cons = fdef.get("constraints", {})
    if "min_length" in cons and len(text) < cons["min_length"]:
        raise FieldError("min_length", limit=cons["min_length"])
    if "max_length" in cons and len(text) > cons["max_length"]:
        raise FieldError("max_length", limit=cons["max_length"])
    if "pattern" in cons and not re.fullmatch(cons["pattern"], text):
        raise FieldError("pattern")


def _check_range(number, fdef: dict) -> None:
    cons = fdef.get("constraints", {})
    if "min" in cons and number < cons["min"]:
        raise FieldError("min", limit=cons["min"])
    if "max" in cons and number > cons["max"]:
        raise FieldError("max", limit=cons["max"])


@register("text")
class Text(FieldType):
    def parse(self, text, fdef, form):
        # A text with a pattern is a code (postal code, building number): its
        # digits are stored as ASCII like every other number.
        if "pattern" in fdef.get("constraints", {}):
            return saudi.normalize_digits(text)
        return text

    def check(self, value, fdef):
        _check_length(value, fdef)


@register("textarea")
class TextArea(Text):
    widget = "textarea"
    max_chars = 5000


@register("email")
class Email(FieldType):
    attrs = {"type": "email", "dir": "ltr", "autocomplete": "email"}
    max_chars = 254

    def parse(self, text, fdef, form):
        try:
            found = validate_email(text, check_deliverability=False)
        except EmailNotValidError:
            raise FieldError("email") from None
        return found.normalized

    def check(self, value, fdef):
        _check_length(value, fdef)


@register("integer")
class Integer(FieldType):
    attrs = {"inputmode": "numeric", "dir": "ltr"}
    max_chars = 40

    def parse(self, text, fdef, form):
        text = saudi.normalize_number(text).replace(",", "")
        if not re.fullmatch(r"[+-]?\d{1,15}", text):
            raise FieldError(self.name)
        return int(text)

    def check(self, value, fdef):
        _check_range(value, fdef)

    def export(self, value, fdef, form, lang):
        return value


@register("decimal")
class Decimal(Integer):
    attrs = {"inputmode": "decimal", "dir": "ltr"}

    def parse(self, text, fdef, form):
        text = saudi.normalize_number(text).replace(",", "")
        if not re.fullmatch(r"[+-]?(\d{1,15}(\.\d{0,6})?|\.\d{1,6})", text):
            raise FieldError("decimal")
        number = float(text)
        return int(number) if number.is_integer() else number


@register("date")
class Date(FieldType):
    widget = "date"
    attrs = {"type": "date", "dir": "ltr"}
    max_chars = 40

    def parse(self, text, fdef, form):
        text = saudi.normalize_digits(text).replace("/", "-")
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            raise FieldError("date") from None
        if not 1900 <= day.year <= 2100:
            raise FieldError("date")
        return day.isoformat()

    def export(self, value, fdef, form, lang):
        return dt.date.fromisoformat(value) if value else None


@register("select_one")
class SelectOne(FieldType):
    widget = "select"

    def parse(self, text, fdef, form):
        if text not in {c["value"] for c in form.choices(fdef)}:
            raise FieldError("choice")
        return text

    def display(self, value, fdef, form, lang):
        labels = {c["value"]: localized(c["label"], lang) for c in form.choices(fdef)}
        return labels.get(value, "" if value is None else str(value))


@register("select_multiple")
class SelectMultiple(SelectOne):
    widget = "checkboxes"

    def clean(self, raw, fdef, form, *, strict=True):
        values = raw if isinstance(raw, list | tuple) else [raw]
        allowed = {c["value"] for c in form.choices(fdef)}
        picked = [v for v in dict.fromkeys(str(v).strip() for v in values) if v]
        if any(v not in allowed for v in picked):
            raise FieldError("choice")
        return picked

    def display(self, value, fdef, form, lang):
        sep = "، " if lang == "ar" else ", "
        return sep.join(
            super(SelectMultiple, self).display(v, fdef, form, lang) for v in value or []
        )


_YES_NO = {"yes": True, "no": False}
_YES_NO_TEXT = {True: {"ar": "نعم", "en": "Yes"}, False: {"ar": "لا", "en": "No"}}


@register("yes_no")
class YesNo(FieldType):
    widget = "yes_no"

    def parse(self, text, fdef, form):
        if text not in _YES_NO:
            raise FieldError("yes_no")
        return _YES_NO[text]

    def display(self, value, fdef, form, lang):
        return "" if value is None else _YES_NO_TEXT[bool(value)][lang if lang == "en" else "ar"]


@register("rating")
class Rating(FieldType):
    widget = "scale"
    low, high = 1, 5

    def parse(self, text, fdef, form):
        text = saudi.normalize_digits(text)
        if not re.fullmatch(r"\d{1,2}", text) or not self.low <= int(text) <= self.high:
            raise FieldError(self.name)
        return int(text)

    def export(self, value, fdef, form, lang):
        return value


@register("nps")
class Nps(Rating):
    low, high = 0, 10


class _Identifier(FieldType):
    """IDs, phones and IBANs: typed left to right, masked in lists."""

    attrs = {"dir": "ltr", "inputmode": "numeric", "autocomplete": "off"}
    max_chars = 64
    cleaner = staticmethod(str)

    def parse(self, text, fdef, form):
        try:
            return self.cleaner(text)
        except ValueError as exc:
            raise FieldError(str(exc)) from None


@register("mobile")
class Mobile(_Identifier):
    attrs = {"dir": "ltr", "inputmode": "tel", "type": "tel", "autocomplete": "tel"}
    cleaner = staticmethod(saudi.clean_mobile)

    def display(self, value, fdef, form, lang):
        # Shown as people dial it locally; stored in international form.
        return "0" + value[4:] if value and value.startswith("+966") else (value or "")


@register("national_id")
class NationalId(_Identifier):
    cleaner = staticmethod(saudi.clean_national_id)


@register("iban")
class Iban(_Identifier):
    attrs = {"dir": "ltr", "autocomplete": "off", "autocapitalize": "characters"}
    cleaner = staticmethod(saudi.clean_iban)


_EXT_ALIASES = {"jpeg": "jpg"}


@register("file")
class File(FieldType):
    widget = "file"
    default_accept = ("pdf", "jpg", "png")
    default_mb = 5

    def is_empty(self, raw) -> bool:
        return raw is None or isinstance(raw, str) or not getattr(raw, "filename", "")

    def clean(self, raw, fdef, form, *, strict=True):
        limit_mb = fdef.get("max_size_mb", self.default_mb)
        data = raw.stream.read(int(limit_mb * 1024 * 1024) + 1)
        if len(data) > limit_mb * 1024 * 1024:
            raise FieldError("file_size", limit=limit_mb)
        kind = filetype.guess(data)
        ext = _EXT_ALIASES.get(kind.extension, kind.extension) if kind else ""
        allowed = fdef.get("accept", self.default_accept)
        if ext not in allowed:
            raise FieldError("file_type", allowed=", ".join(allowed))
        # The name is kept for display only; it never reaches the file system.
        name = re.sub(r"[^\w.\- ]+", "_", raw.filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1])
        return PendingFile(data=data, ext=ext, filename=name[-120:])

    def condition_value(self, value):
        return None if value is None else "file"

    def display(self, value, fdef, form, lang):
        return (value or {}).get("name", "")


_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_SIGNATURE_MAX = 512 * 1024


@register("signature")
class Signature(FieldType):
    widget = "signature"

    def clean(self, raw, fdef, form, *, strict=True):
        prefix = "data:image/png;base64,"
        text = str(raw).strip()
        if not text.startswith(prefix) or len(text) > _SIGNATURE_MAX * 4 // 3 + 100:
            raise FieldError("signature")
        try:
            data = base64.b64decode(text[len(prefix) :], validate=True)
        except (binascii.Error, ValueError):
            raise FieldError("signature") from None
        if not data.startswith(_PNG_MAGIC) or len(data) < 60:
            raise FieldError("signature")
        return PendingFile(data=data, ext="png", filename="signature.png")

    def condition_value(self, value):
        return None if value is None else "signed"

    def display(self, value, fdef, form, lang):
        return "✓" if value else ""


@register("note")
class Note(FieldType):
    widget = "note"


@register("repeat")
class Repeat(FieldType):
    """A group of fields repeated per row; the builder validates its rows."""

    widget = "repeat"

    def condition_value(self, value):
        # Conditions only count rows (count(family_members) > 2).
        return ["row"] * len(value or [])

    def display(self, value, fdef, form, lang):
        return str(len(value or []))
