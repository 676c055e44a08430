"""Eligibility rules: the policy's conditions, checked on each request, rule by rule.

A quality officer writes each rule in the forms' condition language over the
request's answers and a few values Rifd works out from the answers and the
beneficiary's record (VARIABLES). Rules inform; people decide: a rule with no
expression, or one whose answers are missing, is shown as "for a person to
check", never as failed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from forms.conditions import ConditionError, evaluate, names, parse
from forms.conditions.values import blank, numeric

INCOME_PREFIX = "income_"  # the request form's income amounts: income_salary, ...
VARIABLES = {
    "in_area": "the applicant's city is one of the association's area cities",
    "legal_residency": "a citizen, or a resident whose iqama has not expired",
    "total_income": "the sum of the monthly income amounts",
    "income_per_person": "total_income divided by the number of family members",
    "income_threshold": "the profile's monthly income per person threshold",
    "age": "the applicant's age in whole years",
    "previous_requests": "the beneficiary's requests before this one",
    "accepted_requests": "the beneficiary's requests the committee accepted",
    "program_registrations": "the beneficiary's program registrations",
    "cash_requested": "the request asks for a support type that counts as cash aid",
    "today": "today's date (YYYY-MM-DD), to compare with dates",
}
PASSED, FAILED, MANUAL = "passed", "failed", "manual"


@dataclass(frozen=True)
class Outcome:
    """One rule's result and the values it looked at."""

    id: str
    text: dict
    group: str
    status: str
    rule: str
    inputs: dict


def _years(birth: object, today: dt.date) -> int | None:
    try:
        born = dt.date.fromisoformat(str(birth))
    except ValueError:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _total_income(answers: Mapping) -> float:
    amounts = (
        numeric(value)
        for key, value in answers.items()
        if key.startswith(INCOME_PREFIX) and not isinstance(value, bool)
    )
    return round(sum(a for a in amounts if a is not None), 2)


def variables(profile: dict, answers: Mapping, history: Mapping, today: dt.date) -> dict:
    """Return what rules can name: the answers, then the values worked out from them."""
    rules = profile.get("eligibility") or {}
    total = _total_income(answers)
    members = numeric(answers.get("family_count")) or 1
    expiry = str(answers.get("iqama_expiry") or "")
    # An iqama number (2...) entered as a citizen's ID skips the iqama's expiry date.
    citizen = answers.get("id_type") == "citizen" and not str(
        answers.get("national_id") or ""
    ).startswith("2")
    cash_types = set(rules.get("cash_support_types") or ())
    chosen = answers.get("support_types") or []
    return {
        **answers,
        "in_area": answers.get("city") in set(rules.get("area_cities") or ()),
        "legal_residency": citizen
        or (answers.get("id_type") == "resident" and expiry >= today.isoformat()),
        "total_income": total,
        "income_per_person": round(total / max(members, 1), 2),
        "income_threshold": rules.get("income_threshold"),
        "age": _years(answers.get("birth_date"), today),
        "previous_requests": history.get("previous_requests", 0),
        "accepted_requests": history.get("accepted_requests", 0),
        "program_registrations": history.get("program_registrations", 0),
        "cash_requested": bool(cash_types & set(chosen if isinstance(chosen, list) else [chosen])),
        "today": today.isoformat(),
    }


def _check(item: dict, group: str, values: Mapping) -> Outcome:
    rule = (item.get("rule") or "").strip()
    if not rule:
        return Outcome(item["id"], item["text"], group, MANUAL, "", {})
    try:
        used = sorted(names(rule))
        inputs = {name: values.get(name) for name in used}
        if any(blank(inputs[name]) for name in used if name not in VARIABLES):
            status = MANUAL  # an answer the rule needs is missing: a person decides
        else:
            status = PASSED if evaluate(parse(rule), values) else FAILED
    except ConditionError:
        return Outcome(item["id"], item["text"], group, MANUAL, rule, {})
    return Outcome(item["id"], item["text"], group, status, rule, inputs)


def check_rules(items, group: str, values: Mapping) -> list[Outcome]:
    """Return the outcome of each rule of `items` ({id, text, rule}) over `values`."""
    return [_check(item, group, values) for item in items or ()]


def check(profile: dict, answers: Mapping, history: Mapping, today: dt.date) -> list[Outcome]:
    """Return the outcome of every general rule, and of the cash rules when cash is asked."""
    values = variables(profile, answers, history, today)
    rules = profile.get("eligibility") or {}
    groups = ["general"] + (["cash"] if values["cash_requested"] else [])
    return [found for group in groups for found in check_rules(rules.get(group), group, values)]
