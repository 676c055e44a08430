"""The association Rifd serves: its profile (name, channels, ...) from its policy.

Issue 5 grows this into the full policy profile; for now it holds what the
forms need: the association's names and its intake channels.
"""

from __future__ import annotations

import json
from pathlib import Path

PROFILES = Path(__file__).with_name("profiles")


def shipped_profile(name: str) -> dict:
    """Return a shipped profile by name (the file's stem); KeyError if there is none."""
    path = PROFILES / f"{name}.json"
    if path.parent != PROFILES or not path.is_file():
        raise KeyError(name)
    return json.loads(path.read_text(encoding="utf-8"))


def shipped_profiles() -> list[str]:
    return sorted(p.stem for p in PROFILES.glob("*.json"))
