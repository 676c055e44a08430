"""The letters' Jinja filters: codes kept whole and left to right inside Arabic text."""

from __future__ import annotations

import pytest
from jinja2.sandbox import SandboxedEnvironment

from letters.filters import FILTERS, code

LRI, PDI, WJ, NNBSP = "\u2066", "\u2069", "\u2060", "\u202f"


@pytest.mark.parametrize(
    ("value", "printed"),
    [
        ("SR-1448-00001", f"{LRI}SR-{WJ}1448-{WJ}00001{PDI}"),
        ("1448/000123", f"{LRI}1448/000123{PDI}"),
        ("+966 13 500 0000", f"{LRI}+966{NNBSP}13{NNBSP}500{NNBSP}0000{PDI}"),
        ("SA03 8000 0000 6080 1016 7519", LRI + NNBSP.join(["SA03", "8000", "0000"]) + NNBSP
         + NNBSP.join(["6080", "1016", "7519"]) + PDI),
        (1234, f"{LRI}1234{PDI}"),
        ("  1000000008 ", f"{LRI}1000000008{PDI}"),
        (None, ""),
        ("", ""),
        (f"{LRI}{PDI}", ""),
    ],
)  # fmt: skip
def test_a_code_is_isolated_and_joined(value, printed):
    assert code(value) == printed


@pytest.mark.parametrize(
    "value",
    [f"{LRI}1000000008{PDI}", f"{LRI}1•••••••08{PDI}", "SR-1448-00001", "+966 13 500 0000"],
)
def test_a_code_already_isolated_or_joined_is_not_isolated_twice(value):
    # LibreOffice broke a code isolated twice (LRI LRI ... PDI PDI) inside its digits.
    once = code(value)
    assert code(once) == once
    assert once.count(LRI) == 1 and once.count(PDI) == 1
    assert WJ + WJ not in code(once)


def test_a_code_prints_escaped_in_a_letter():
    env = SandboxedEnvironment(autoescape=True)
    env.filters.update(FILTERS)
    text = env.from_string("رقم ({{ ref|code }})").render(ref="<w:t>A&B-1</w:t>")
    assert text == f"رقم ({LRI}&lt;w:t&gt;A&amp;B-{WJ}1&lt;/w:t&gt;{PDI})"
