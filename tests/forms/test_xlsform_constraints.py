"""XLSForm constraints <-> Rifd limits, and regex() <-> Rifd patterns, as tables."""

from __future__ import annotations

import re

import pytest

from forms.xlsform.constraints import ConstraintError, from_expression, to_expression
from forms.xlsform.regex import from_xlsform, to_xlsform
from forms.xlsform.xpath import parse


@pytest.mark.parametrize(
    ("constraint", "field_type", "limits"),
    [
        (". >= 1 and . <= 30", "integer", {"min": 1, "max": 30}),
        ("30 >= .", "integer", {"max": 30}),
        (". > 0 and . < 31", "integer", {"min": 1, "max": 30}),
        (". = 5", "integer", {"min": 5, "max": 5}),
        (". >= -2.5 and . <= 1000000", "decimal", {"min": -2.5, "max": 1000000}),
        (
            "string-length(.) >= 2 and string-length(.) <= 30",
            "text",
            {"min_length": 2, "max_length": 30},
        ),
        ("string-length(.) < 11", "textarea", {"max_length": 10}),
        ("string-length(.) = 24", "email", {"min_length": 24, "max_length": 24}),
        ("regex(., '^[0-9]{5}$')", "text", {"pattern": "[0-9]{5}"}),
        ("regex(., '^(?:a|b)$')", "text", {"pattern": "a|b"}),
        ("regex(., '^a|b$')", "text", {"pattern": ".*(?:^a|b$).*"}),
        ("regex(., '05')", "text", {"pattern": ".*(?:05).*"}),
        ("(. >= 1) and (string-length(.) <= 3)", "integer", None),
    ],
)
def test_constraints_that_map(constraint, field_type, limits):
    if limits is None:
        with pytest.raises(ConstraintError, match="a max length limit does not apply"):
            from_expression(parse(constraint), field_type)
        return
    assert from_expression(parse(constraint), field_type) == limits


@pytest.mark.parametrize(
    ("constraint", "field_type", "problem"),
    [
        (". > 0", "decimal", '">" on a decimal cannot be represented: use ">=" or "<="'),
        (". >= 1", "text", 'a min limit does not apply to a field of type "text" in Rifd'),
        (". >= 1", "date", 'a min limit does not apply to a field of type "date" in Rifd'),
        (". >= 1 and . >= 2", "integer", "the constraint sets min twice"),
        (". >= 1 or . <= 0", "integer", "this constraint cannot be represented"),
        (". != 3", "integer", "this constraint cannot be represented"),
        ("regex(., '[')", "text", "the pattern '[' is not one Rifd can use"),
        (". <= today()", "date", "the function today() is not supported in a Rifd constraint"),
        (". <= ${other}", "integer", "cannot compare with another answer (${other})"),
    ],
)
def test_constraints_rifd_cannot_keep(constraint, field_type, problem):
    with pytest.raises(ConstraintError) as caught:
        from_expression(parse(constraint), field_type)
    assert problem in str(caught.value)


@pytest.mark.parametrize(
    ("limits", "field_type", "expected"),
    [
        ({"min": 1, "max": 30}, "integer", ". >= 1 and . <= 30"),
        ({"min": -2.5}, "decimal", ". >= -2.5"),
        (
            {"min_length": 2, "max_length": 30},
            "text",
            "string-length(.) >= 2 and string-length(.) <= 30",
        ),
        ({"pattern": "\\d{4}"}, "text", "regex(., '^(?:\\d{4})$')"),
        (
            {"pattern": "[^'\"]+", "max_length": 9},
            "text",
            "string-length(.) <= 9 and regex(., concat('^(?:[^', \"'\", '\"]+)$'))",
        ),
    ],
)
def test_limits_written_as_a_constraint_and_read_back(limits, field_type, expected):
    assert to_expression(limits) == expected
    assert from_expression(parse(expected), field_type) == limits


SAMPLES = [
    "",
    "a",
    "b",
    "ab",
    "ba",
    "12345",
    "1234",
    "123456",
    "x12345",
    "05",
    "0512",
    "SA03",
    "xSA",
]


@pytest.mark.parametrize(
    "regex", ["^[0-9]{5}$", "[0-9]{5}", "^a|b$", "^(a|b)$", "^05", "SA", "^(?:a)|(?:b)$", "^[]a]$"]
)
def test_a_pattern_accepts_what_odk_would(regex):
    # ODK finds the regex anywhere in the answer; Rifd matches the whole answer.
    pattern = from_xlsform(regex)
    for sample in SAMPLES:
        assert bool(re.search(regex, sample)) == bool(re.fullmatch(pattern, sample)), sample


@pytest.mark.parametrize("pattern", ["\\D+", "\\d{4}", "a|b", "(x)|(y)", "[A-Za-z]{4}\\d{4}"])
def test_a_rifd_pattern_comes_back_letter_for_letter(pattern):
    assert from_xlsform(to_xlsform(pattern)) == pattern
