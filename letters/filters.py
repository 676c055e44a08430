"""Jinja filters for letters: dates, digits, amounts in figures and in Arabic words."""

from __future__ import annotations

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


def hijri(value) -> str:
    """Print a date as Umm al-Qura Hijri with the Gregorian beside."""
    return format_date(value, "ar")


def gregorian(value) -> str:
    day = as_date(value)
    return f"{day.year:04d}/{day.month:02d}/{day.day:02d}" if day else ""


FILTERS = {
    "digits": digits,
    "amount": amount,
    "words": words,
    "hijri": hijri,
    "gregorian": gregorian,
}
