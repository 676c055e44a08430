"""Jinja filters for letters: dates, digits, codes, amounts in figures and in Arabic words."""

from __future__ import annotations

import re

from num2words import num2words

from forms.dates import arabic_digits, as_date, format_date


def digits(value) -> str:
    """Print with Arabic-Indic digits (١٢٣)."""
    return arabic_digits("" if value is None else str(value))


def _number(value) -> float | None:
    if isinstance(value, bool) or value in (None, ""):
        return None
    try:
        return float(str(value).replace(",", ""))
    except ValueError:
        return None


def amount(value) -> str:
    """Print an amount in figures: 1,500 or 1,500.50."""
    number = _number(value)
    if number is None:
        return "" if value is None else str(value)
    return f"{number:,.0f}" if number.is_integer() else f"{number:,.2f}"


def words(value) -> str:
    """Print an amount in Arabic words, in riyals (and halalas)."""
    number = _number(value)
    if number is None:
        return ""
    try:
        text = num2words(round(number, 2), lang="ar", to="currency", currency="SR")
    except (ArithmeticError, AssertionError, NotImplementedError):
        # num2words asserts on numbers past its names (10**100 and more).
        raise ValueError(f"المبلغ {value} أكبر من أن يُكتب بالحروف") from None
    return text.replace(" و ", " و")  # Arabic writes the conjunction joined to the word


# Measured in LibreOffice 7.4's PDFs, a code in an Arabic line at every place a line can end:
# it broke after its hyphen; U+2011 (non-breaking hyphen) did not stop that and made it break
# inside the digits; a word joiner after the hyphen held. No-break space U+00A0 did not hold
# a phone number together, narrow no-break space U+202F did. A code isolated twice
# (LRI LRI ... PDI PDI) broke inside its digits: what a value already has is replaced.
_JOINERS = re.compile("[\u2060\u2066-\u2069]")
_UNBREAKABLE = str.maketrans({"-": "-\u2060", " ": "\u202f"})


def code(value) -> str:
    """Print a reference, number, ID or IBAN left to right, in one piece on one line."""
    text = _JOINERS.sub("", "" if value is None else str(value)).replace("\u202f", " ").strip()
    return f"\u2066{text.translate(_UNBREAKABLE)}\u2069" if text else ""


def hijri(value) -> str:
    """Print a date as Umm al-Qura Hijri with the Gregorian beside."""
    return format_date(value, "ar")


def gregorian(value) -> str:
    day = as_date(value)
    return f"{day.year:04d}/{day.month:02d}/{day.day:02d}" if day else ""


FILTERS = {
    "code": code,
    "digits": digits,
    "amount": amount,
    "words": words,
    "hijri": hijri,
    "gregorian": gregorian,
}
