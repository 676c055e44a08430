"""What opens a follow-up, form by form: the thresholds the quality officer sets.

A form's rule holds, for its rating and NPS items, the score at or below which an
answer opens a follow-up ("scores"); for its select_one items, the choices that open
one ("choices", e.g. a complaint); or that every answer opens one ("every").
"respond" marks the answers that are messages the association must reply to: their
follow-up carries the policy's complaint deadline. A form without a stored rule uses
its default: the shipped survey and complaint forms have one, any other form opens
nothing until the quality officer says what should.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l

from accounts import audit
from accounts.audit import Actor
from forms.definition import FormDefinition

COLLECTION = "followup_rules"
PERMISSION = "followups.manage"
SCORED = {"rating": (1, 5), "nps": (0, 10)}  # the lowest and highest answer of each type
# The shipped forms' defaults: any 1-2 of 5, any 0-6 of 10 (an NPS detractor); a
# complaint or a suggestion (thanks need no reply).
SURVEY_AT_MOST = {"rating": 2, "nps": 6}
SHIPPED = {
    "satisfaction_survey": {"scores": SURVEY_AT_MOST},
    "complaint": {"choices": {"kind": ["complaint", "suggestion"]}, "respond": True},
}


class RuleError(ValueError):
    """Thresholds that cannot be kept, with the reason a person can act on."""


def scored_fields(form: FormDefinition) -> list[dict]:
    return [f for f in form.answer_fields() if f["type"] in SCORED]


def choice_fields(form: FormDefinition) -> list[dict]:
    return [f for f in form.answer_fields() if f["type"] == "select_one"]


def default_rule(form: FormDefinition) -> dict:
    """Return the rule a form follows until the quality officer sets its own."""
    shipped = SHIPPED.get(form.id, {})
    by_type = shipped.get("scores", {})
    scores = {f["name"]: by_type[f["type"]] for f in scored_fields(form) if f["type"] in by_type}
    names = {f["name"]: {c["value"] for c in form.choices(f)} for f in choice_fields(form)}
    choices = {
        name: [v for v in values if v in names[name]]
        for name, values in shipped.get("choices", {}).items()
        if name in names
    }
    return {
        "form_id": form.id,
        "scores": scores,
        "choices": {k: v for k, v in choices.items() if v},
        "every": False,
        "respond": bool(shipped.get("respond")),
    }


def stored_rule(store, form_id: str) -> dict | None:
    found = store.find(COLLECTION, where={"form_id": form_id})
    return found[0] if found else None


def rule_for(store, form: FormDefinition) -> dict:
    """Return the rule in force for `form`: the one the quality officer kept, or the default."""
    return stored_rule(store, form.id) or default_rule(form)


def triggers(rule: dict, form: FormDefinition, answers: dict) -> list[dict] | None:
    """Return what in `answers` opens a follow-up ([] when every answer does), or None."""
    found = []
    for name, limit in (rule.get("scores") or {}).items():
        value = answers.get(name)
        if isinstance(value, int) and not isinstance(value, bool) and value <= limit:
            found.append({"field": name, "value": value, "at_most": limit})
    for name, values in (rule.get("choices") or {}).items():
        if answers.get(name) in values:
            found.append({"field": name, "value": answers[name]})
    if found or rule.get("every"):
        return found
    return None


def _checked(form: FormDefinition, scores: dict, choices: dict) -> tuple[dict, dict]:
    """Return the thresholds kept for the form's own items; RuleError for any other."""
    limits = {f["name"]: SCORED[f["type"]] for f in scored_fields(form)}
    kept_scores = {}
    for name, value in scores.items():
        if name not in limits:
            raise RuleError(_l("هذا البند ليس تقييمًا في النموذج: %(name)s", name=name))
        low, high = limits[name]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value < high:
            raise RuleError(_l("الحد يجب أن يكون بين %(low)s و%(high)s.", low=low, high=high - 1))
        kept_scores[name] = value
    values = {f["name"]: {c["value"] for c in form.choices(f)} for f in choice_fields(form)}
    kept_choices = {}
    for name, picked in choices.items():
        if name not in values or not set(picked) <= values[name]:
            raise RuleError(_l("اختيار غير معروف في النموذج: %(name)s", name=name))
        if picked:
            kept_choices[name] = sorted(picked)
    return kept_scores, kept_choices


def save_rule(store, form: FormDefinition, wanted: dict, who: Actor) -> dict:
    """Keep the quality officer's thresholds for `form` and audit them; return the rule.

    `wanted` holds scores ({item: at most}), choices ({item: [values]}), every, respond.
    Raises PermissionError, or RuleError naming what cannot be kept.
    """
    if not who.can(PERMISSION):
        raise PermissionError(PERMISSION)
    scores, choices = _checked(form, wanted.get("scores") or {}, wanted.get("choices") or {})
    rule = {
        "form_id": form.id,
        "scores": scores,
        "choices": choices,
        "every": bool(wanted.get("every")),
        "respond": bool(wanted.get("respond")),
        "updated_by": who.username,
        "updated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    shown = ("scores", "choices", "every", "respond")
    with store.transaction() as tx:  # the store's write lock: one rule per form
        before = stored_rule(store, form.id)
        if before is None:
            rule["id"] = tx.insert(COLLECTION, rule)
            was = {k: v for k, v in default_rule(form).items() if k in shown}
        else:
            rule = tx.update(COLLECTION, before["id"], rule)
            was = {k: before.get(k) for k in shown}
        after = {k: rule[k] for k in shown}
        audit.write(tx, who, "update", "followup_rule", form.id, before=was, after=after)
    return rule
