"""Times of day, dates with a time, an acknowledgement and computed fields."""

from __future__ import annotations

import datetime as dt
import re

from forms import saudi
from forms.conditions.functions import as_text
from forms.types.base import FieldError, FieldType, register

_TIME = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])(?::[0-5][0-9](?:\.[0-9]+)?)?")
_DATETIME = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[T ](.+)")


def read_time(text: str) -> str | None:
    """Return a typed time of day as HH:MM (seconds dropped), or None."""
    match = _TIME.fullmatch(saudi.normalize_digits(text))
    return f"{int(match.group(1)):02d}:{match.group(2)}" if match else None


@register("time")
class Time(FieldType):
    # The browser's own time picker; what it sends (HH:MM) is what is stored, so a
    # condition compares times as text: visit_time >= '08:00'.
    attrs = {"type": "time", "dir": "ltr"}
    max_chars = 20

    def parse(self, text, fdef, form):
        value = read_time(text)
        if value is None:
            raise FieldError("time")
        return value

    def export(self, value, fdef, form, lang):
        return dt.time.fromisoformat(value) if value else None


@register("datetime")
class DateTime(FieldType):
    attrs = {"type": "datetime-local", "dir": "ltr"}
    max_chars = 40

    def parse(self, text, fdef, form):
        match = _DATETIME.fullmatch(saudi.normalize_digits(text))
        time = read_time(match.group(2)) if match else None
        try:
            day = dt.date.fromisoformat(match.group(1)) if time else None
        except ValueError:
            day = None
        if day is None:
            raise FieldError("datetime")
        return f"{day.isoformat()}T{time}"

    def display(self, value, fdef, form, lang):
        return "" if value is None else value.replace("T", " ")

    def export(self, value, fdef, form, lang):
        return dt.datetime.fromisoformat(value) if value else None


_ACKNOWLEDGED = {"ar": "تم الإقرار", "en": "Acknowledged"}


@register("acknowledge")
class Acknowledge(FieldType):
    # One box to tick (XLSForm's acknowledge): ticked is true, unticked is no answer.
    widget = "acknowledge"

    def clean(self, raw, fdef, form, *, strict=True):
        values = raw if isinstance(raw, list | tuple) else [raw]
        if [str(v).strip() for v in values if str(v).strip()] != ["OK"]:
            raise FieldError("acknowledge")
        return True

    def posted(self, value, fdef, read_file):
        return ["OK"] if value else []

    def display(self, value, fdef, form, lang):
        return _ACKNOWLEDGED["en" if lang == "en" else "ar"] if value else ""


_YES_NO_TEXT = {True: {"ar": "نعم", "en": "Yes"}, False: {"ar": "لا", "en": "No"}}


@register("calculate")
class Calculate(FieldType):
    """A value computed from the other answers by its `calculation`.

    forms.validation computes it on the server when the form is sent, whatever the
    browser posted; the page shows it live (rifd-forms.js), and it is kept with the
    answers like any other.
    """

    widget = "calculate"

    def is_empty(self, raw) -> bool:
        return True  # nothing a person sends is read

    def posted(self, value, fdef, read_file):
        return []

    def display(self, value, fdef, form, lang):
        if isinstance(value, bool):
            return _YES_NO_TEXT[value]["en" if lang == "en" else "ar"]
        return as_text(value)

    def export(self, value, fdef, form, lang):
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value
        return self.display(value, fdef, form, lang)
