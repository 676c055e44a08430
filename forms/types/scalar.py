"""Text, numbers, dates and choices."""

from __future__ import annotations

import datetime as dt
import re

from email_validator import EmailNotValidError, validate_email

from forms import saudi
from forms.dates import read_day
from forms.definition import localized
from forms.types.base import FieldError, FieldType, check_length, check_range, register


@register("text")
class Text(FieldType):
    def parse(self, text, fdef, form):
        # A text with a pattern is a code (postal code, building number): its
        # digits are stored as ASCII like every other number.
        if "pattern" in fdef.get("constraints", {}):
            return saudi.normalize_digits(text)
        return text

    def check(self, value, fdef):
        check_length(value, fdef)


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
        check_length(value, fdef)


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
        check_range(value, fdef)

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
    # Typed, not picked: Saudi IDs carry Hijri dates, which no browser's date picker takes.
    # read_day accepts either calendar; static/js/dates.js shows the other beside it.
    attrs = {
        "type": "text",
        "dir": "ltr",
        "inputmode": "numeric",
        "autocomplete": "off",
        "placeholder": "1446/05/12",
        "data-calendar": "",
    }
    max_chars = 40

    def parse(self, text, fdef, form):
        day = read_day(text)
        if day is None:
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

    def posted(self, value, fdef, read_file):
        return [str(v) for v in value or []]

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

    def posted(self, value, fdef, read_file):
        return [] if value is None else ["yes" if value else "no"]

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
