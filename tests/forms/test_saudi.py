"""Saudi identifiers and digits, with the vectors from the field notes."""

import pytest

from forms import saudi


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("1000000008", "1000000008"),
        ("2172323137", "2172323137"),
        ("١٠٠٠٠٠٠٠٠٨", "1000000008"),  # Arabic-Indic
        ("۱۰۰۰۰۰۰۰۰۸", "1000000008"),  # Persian
        (" 1000-000-008 ", "1000000008"),
    ],
)
def test_national_id_accepted(typed, stored):
    assert saudi.clean_national_id(typed) == stored


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("1000000000", "national_id_check"),
        ("3000000006", "national_id_prefix"),
        ("100000000", "national_id_format"),
        ("10000000088", "national_id_format"),
        ("abcdefghij", "national_id_format"),
    ],
)
def test_national_id_refused(typed, key):
    with pytest.raises(ValueError, match=key):
        saudi.clean_national_id(typed)


@pytest.mark.parametrize(
    "typed",
    ["SA0380000000608010167519", "sa03 8000 0000 6080 1016 7519", "SA٠٣80000000608010167519"],
)
def test_iban_accepted(typed):
    assert saudi.clean_iban(typed) == "SA0380000000608010167519"


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("SA0480000000608010167519", "iban_check"),
        ("SA038000000060801016751", "iban_format"),
        ("GB0380000000608010167519", "iban_format"),
    ],
)
def test_iban_refused(typed, key):
    with pytest.raises(ValueError, match=key):
        saudi.clean_iban(typed)


@pytest.mark.parametrize(
    "typed",
    ["0512345678", "٠٥١٢٣٤٥٦٧٨", "512345678", "+966512345678", "00966512345678", "051 234 5678"],
)
def test_mobile_stored_international(typed):
    assert saudi.clean_mobile(typed) == "+966512345678"


@pytest.mark.parametrize("typed", ["0412345678", "05123456", "051234567890", "phone"])
def test_mobile_refused(typed):
    with pytest.raises(ValueError, match="mobile_format"):
        saudi.clean_mobile(typed)


def test_digits_and_mask():
    assert saudi.normalize_digits("٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹") == "0123456789 0123456789"
    assert saudi.normalize_number("١٢٫٥") == "12.5"
    assert saudi.mask("1000000008") == "1•••••••08"
