"""The letter context's letterhead: the licence sentence and the association's own lines."""

from __future__ import annotations

import pytest

from letters.context import association, licence_sentence

LRI, PDI, WJ = "\u2066", "\u2069", "\u2060"


@pytest.mark.parametrize(
    ("profile", "printed"),
    [
        (
            {"licence_number": "1234"},
            f"مسجلة لدى المركز الوطني لتنمية القطاع غير الربحي برقم ترخيص {LRI}1234{PDI}",
        ),
        (
            {"licence_number": "12-34", "licence_sentence": "مرخصة برقم ({licence_number})"},
            f"مرخصة برقم ({LRI}12-{WJ}34{PDI})",
        ),
        ({"licence_number": "1234", "licence_sentence": "مرخصة من الوزارة"}, "مرخصة من الوزارة"),
        ({}, ""),
        ({"licence_number": "  "}, ""),
        ({"licence_sentence": "تحت إشراف الوزارة"}, "تحت إشراف الوزارة"),
    ],
)
def test_the_licence_sentence_is_the_associations_or_the_usual_one(profile, printed):
    assert licence_sentence(profile) == printed


def test_letterhead_lines_are_a_copy_as_typed():
    lines = ["تحت إشراف وزارة الموارد البشرية", "إكس: @sanad"]
    profile = {"name": {"ar": "جمعية سند"}, "letterhead_lines": lines}
    printed = association(profile)
    assert printed["letterhead_lines"] == lines and printed["letterhead_lines"] is not lines
    assert association({"name": {"ar": "جمعية سند"}})["letterhead_lines"] == []
