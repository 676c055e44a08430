"""The association's policy profile: checked against its schema, kept in the store.

The profile is the board-approved policy as configuration. Everything that
runs the policy (channels, the decision deadline, eligibility rules, program
lead times, commitments, the printed policy) reads it from here, so a change
the board makes is one edit, not a code change.
"""

from __future__ import annotations

from pathlib import Path

from forms.conditions import ConditionError, parse
from forms.schema_messages import ProblemsError, SchemaFile

SCHEMA_PATH = Path(__file__).with_name("schema.json")
SETTINGS = "settings"  # the profile is record 1 of this collection
DEFAULT_DEADLINE = {"days": 14, "count": "calendar_days"}
# No policy Rifd serves names one: a complaint is answered within a work week unless the
# association's profile says otherwise (quality/followups.py counts it).
DEFAULT_COMPLAINT_DEADLINE = {"days": 5, "count": "work_days"}
DEFAULTS = {"request_form": "support_request", "research_form": "social_research"}
# Lists whose items carry an id that must be unique within the list.
_KEYED = (
    ("channels", "value"),
    ("documents", "id"),
    ("program_categories", "id"),
    ("proof_of_delivery", "value"),
    ("eligibility.general", "id"),
    ("eligibility.cash", "id"),
)


SCHEMA = SchemaFile(SCHEMA_PATH)


class ProfileError(ProblemsError):
    """A profile that cannot be used; `messages` holds one line per problem."""


def schema() -> dict:
    return SCHEMA.schema


def _items(profile: dict, dotted: str) -> list:
    value: object = profile
    for part in dotted.split("."):
        value = value.get(part, {}) if isinstance(value, dict) else {}
    return value if isinstance(value, list) else []


def _duplicates(profile: dict) -> list[str]:
    out = []
    for dotted, key in _KEYED:
        seen: set = set()
        for i, item in enumerate(_items(profile, dotted)):
            if item.get(key) in seen:
                out.append(f'{dotted}[{i}].{key}: "{item[key]}" is used twice')
            seen.add(item.get(key))
    return out


def _rule_problems(profile: dict) -> list[str]:
    out = []
    for group in ("general", "cash"):
        for i, item in enumerate(_items(profile, f"eligibility.{group}")):
            if not item.get("rule"):
                continue
            try:
                parse(item["rule"])
            except ConditionError as exc:
                out.append(f"eligibility.{group}[{i}].rule: {exc}")
    return out


def problems(profile: object) -> list[str]:
    """Return every problem of a profile as 'path: message' lines (empty when usable)."""
    return SCHEMA.problems(profile) or _duplicates(profile) + _rule_problems(profile)


def check(profile: object, source: str = "profile") -> dict:
    """Return the profile if it is usable; raise ProfileError naming `source` otherwise."""
    found = problems(profile)
    if found:
        raise ProfileError([f"{source}: {line}" for line in found])
    return profile


def current(store) -> dict:
    """Return the stored profile with the defaults filled in ({} parts where unset)."""
    stored = store.get(SETTINGS, 1) or {}
    return {
        **DEFAULTS,
        "decision_deadline": DEFAULT_DEADLINE,
        "complaint_deadline": DEFAULT_COMPLAINT_DEADLINE,
        **stored,
    }


def save(store, profile: dict) -> dict:
    """Check and store the profile as the association's; return what was there before."""
    check(profile)
    before = store.get(SETTINGS, 1)
    if before is None:
        store.insert(SETTINGS, profile)
        return {}
    # Replaced whole: a key the new profile lacks is gone, not kept from the old one.
    store.replace(SETTINGS, 1, profile)
    return before
