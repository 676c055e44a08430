"""Saudi identifiers and digits: national ID / iqama, IBAN, mobile numbers.

Each `clean_*` takes what a person typed (any digits, spaces, dashes) and
returns the stored form, or raises ValueError with a message key from
forms.messages.
"""

from __future__ import annotations

import re

# Arabic-Indic (U+0660..) and Persian/Extended (U+06F0..) digits to ASCII.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# Arabic decimal and thousands separators, as phones and keyboards send them.
_SEPARATORS = str.maketrans({"٫": ".", "٬": ",", "،": ","})
_SPACING = re.compile(r"[\s\-\u200e\u200f\u202a-\u202e\u2066-\u2069]+")


def normalize_digits(text: str) -> str:
    """Return `text` with Arabic-Indic and Persian digits as ASCII digits."""
    return text.translate(_DIGITS)


def normalize_number(text: str) -> str:
    """Digits to ASCII, Arabic separators to . and , ; surrounding space removed."""
    return normalize_digits(text).translate(_SEPARATORS).strip()


def compact(text: str) -> str:
    """Digits to ASCII with spaces, dashes and direction marks removed."""
    return _SPACING.sub("", normalize_digits(text))


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def clean_national_id(text: str) -> str:
    """Return a valid 10-digit national ID (1...) or iqama (2...) number."""
    value = compact(text)
    if not re.fullmatch(r"\d{10}", value):
        raise ValueError("national_id_format")
    if value[0] not in "12":
        raise ValueError("national_id_prefix")
    if not luhn_ok(value):
        raise ValueError("national_id_check")
    return value


def iban_ok(iban: str) -> bool:
    """ISO 7064 mod-97: move the first four characters to the end, letters to numbers."""
    moved = iban[4:] + iban[:4]
    number = "".join(str(int(ch, 36)) for ch in moved)
    return int(number) % 97 == 1


def clean_iban(text: str) -> str:
    """Return a valid Saudi IBAN: SA, 2 check digits, 20 more characters."""
    value = compact(text).upper()
    if not re.fullmatch(r"SA\d{2}[0-9A-Z]{20}", value):
        raise ValueError("iban_format")
    if not iban_ok(value):
        raise ValueError("iban_check")
    return value


def clean_mobile(text: str) -> str:
    """Return a Saudi mobile as +9665XXXXXXXX from 05XXXXXXXX, 5XXXXXXXX or +966/00966 forms."""
    value = compact(text).replace("(", "").replace(")", "")
    for prefix in ("+966", "00966", "966"):
        if value.startswith(prefix):
            value = "0" + value[len(prefix) :]
            break
    if re.fullmatch(r"5\d{8}", value):
        value = "0" + value
    if not re.fullmatch(r"05\d{8}", value):
        raise ValueError("mobile_format")
    return "+966" + value[1:]


def mask(value: str, keep_start: int = 1, keep_end: int = 2) -> str:
    """Mask the middle of an identifier: 1000000008 -> 1•••••••08."""
    if len(value) <= keep_start + keep_end:
        return value
    hidden = len(value) - keep_start - keep_end
    return value[:keep_start] + "•" * hidden + value[-keep_end:]
