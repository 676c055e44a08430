"""Public and staff forms drop direction overrides and zero-width characters from answers.

A right-to-left override (U+202E) in a name was stored as typed and reversed what
followed it wherever the name was shown (tests/cases/test_invisible_characters.py
follows one into a letter).
"""

import pytest

from tests.conftest import post_form
from tests.web.test_staff_forms import stored

# (id, typed, stored)
TYPED = [
    ("override", "\u202eمحمد علي", "محمد علي"),
    ("embedding-and-pop", "\u202bمحمد\u202c علي", "محمد علي"),
    ("isolates", "\u2067محمد\u2069 علي", "محمد علي"),
    ("marks", "\u200fمحمد\u200e علي\u061c", "محمد علي"),
    ("zero-width", "مح\u200bمد\u200c عل\u200dي\u2060\ufeff", "محمد علي"),
    ("tags", "محمد علي\U000e0041\U000e007f", "محمد علي"),
]


@pytest.mark.parametrize("typed, kept", [c[1:] for c in TYPED], ids=[c[0] for c in TYPED])
def test_the_staff_form_stores_the_name_plainly(client, store, valid_intake, typed, kept):
    assert (
        post_form(client, "/forms/intake/new", {**valid_intake, "full_name": typed}).status_code
        == 302
    )
    [record] = stored(store)
    assert record["answers"]["full_name"] == kept
    listing = client.get("/forms/intake/submissions").get_data(as_text=True)
    assert "\u202e" not in listing


def test_the_public_form_stores_free_text_plainly(anon, store):
    comment = "خدمة\u202e ممتازة\u200b، شكرًا\u2066"
    assert (
        post_form(anon, "/f/quick_survey", {"overall": "5", "comment": comment}).status_code == 302
    )
    [record] = stored(store, "quick_survey")
    assert record["answers"]["comment"] == "خدمة ممتازة، شكرًا"


def test_a_required_answer_of_marks_alone_is_missing(client, store, valid_intake):
    response = post_form(
        client, "/forms/intake/new", {**valid_intake, "full_name": "\u202e\u200b\u200f"}
    )
    assert response.status_code == 400 and "هذا الحقل مطلوب" in response.get_data(as_text=True)
    assert stored(store) == []
