"""The placeholders two versions of a letter template use: which came, which went.

A new version of a template that drops `{{ decision.reasons }}` or starts reading
`{{ answers.iban }}` changes what every letter says or needs; the templates page
shows that before anyone issues one.
"""

from __future__ import annotations

from dataclasses import dataclass

from letters import templates
from letters.lint import lint


@dataclass(frozen=True)
class PlaceholderDiff:
    added: list[str]
    removed: list[str]
    kept: list[str]


def placeholders(data: bytes) -> list[str]:
    """Return the placeholders a template reads, once each, in the order they appear."""
    return list(dict.fromkeys(lint(data).placeholders))


def compare(store, name: str, old: int, new: int) -> PlaceholderDiff | None:
    """Return the placeholder difference from version `old` to `new`, or None if one is missing."""
    first, second = templates.get(store, name, old), templates.get(store, name, new)
    if first is None or second is None:
        return None
    before, after = placeholders(first.data), placeholders(second.data)
    return PlaceholderDiff(
        added=[p for p in after if p not in before],
        removed=[p for p in before if p not in after],
        kept=[p for p in after if p in before],
    )
