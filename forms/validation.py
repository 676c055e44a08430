"""Check a whole submission against its definition: visibility, required, types.

This is the server's side of every form, free of Flask and WTForms: raw
values in (strings, lists, uploaded files), stored answers and per-field
errors out. A field hidden by its condition (or its section's) is never
required and its value is dropped, exactly as the browser hides it: both
sides compute visibility the same way (see static/js/rifd-forms.js).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from forms import choice_filter, conditions, rows
from forms.computed_defaults import read_only_values
from forms.conditions.syntax import ROW_KEY
from forms.conditions.values import blank
from forms.definition import FormDefinition
from forms.messages import message
from forms.repeat_count import rows_allowed
from forms.types import FieldError, PendingFile, get_field_type
from forms.types.files import FILE_TYPES
from forms.within import Within

# How often visibility is recomputed at most: a field hidden in one pass can
# hide the fields whose conditions read it in the next.
_MAX_PASSES = 8


@dataclass
class Result:
    answers: dict = field(default_factory=dict)
    # field name -> message; a field inside a repeat is keyed "group-3-name", inside an
    # inner repeat "family-1-illnesses-0-name" (the names of the page's inputs)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def lenient_value(fdef: dict, raw, form: FormDefinition):
    """Return the value conditions see: the cleaned value, or None if empty or invalid."""
    ftype = get_field_type(fdef["type"])
    if fdef["type"] == "repeat":
        return ftype.condition_value(_non_empty_rows(fdef, raw))
    if ftype.is_empty(raw):
        return None
    if fdef["type"] in (*FILE_TYPES, "signature"):
        return ftype.condition_value(True)  # presence is enough; do not read the upload twice
    try:
        return ftype.condition_value(ftype.clean(raw, fdef, form, strict=False))
    except FieldError:
        return None


def _filled(fdef: dict, row: dict) -> bool:
    """Tell whether a person answered one of the row's fields, in its inner rows too."""
    for sub in rows.typed(fdef):
        value = row.get(sub["name"])
        if sub["type"] == "repeat":
            if _non_empty_rows(sub, value):
                return True
        elif not get_field_type(sub["type"]).is_empty(value):
            return True
    return False


def _non_empty_rows(fdef: dict, posted) -> list[tuple[int, dict]]:
    """Return the rows a person filled in, each with its read-only defaults (forms.rows)."""
    out = []
    for index, row in enumerate(posted if isinstance(posted, list) else []):
        if isinstance(row, dict) and _filled(fdef, row):
            out.append((index, rows.with_defaults(fdef, row, _as_posted)))
    return out


def _shown(conds: list[str], values: dict) -> bool:
    return all(conditions.evaluate(c, values) for c in conds)


def _row_values(fdef: dict, index: int, row: dict, over: dict, form: FormDefinition) -> dict:
    """Return the values conditions see in one filled row: its answers over `over` (the
    form's, or an outer row's), its number for position(), the columns of its inner
    repeats (sum(cost) of a member's illnesses), then its calculations."""
    values = {**over, ROW_KEY: index + 1}
    subs = [s for s in fdef["fields"] if s["type"] != "note"]
    values.update({s["name"]: lenient_value(s, row.get(s["name"]), form) for s in subs})
    for sub in subs:
        if sub["type"] == "repeat":
            values.update(repeat_columns(sub, row.get(sub["name"]), values, form))
    return rows.calculated(fdef, values)


def repeat_columns(fdef: dict, posted, top: dict, form: FormDefinition) -> dict[str, list]:
    """Return each sub-field's answers down a repeat's filled rows, as conditions see them.

    Outside its repeat, sum(income) or max(age) reads the column: the non-blank answers
    of the sub-fields shown in their row (a row's condition sees the row over `top`),
    a multiple choice's items one by one; an inner repeat's sub-fields read from outside
    it give their answers down every row of every outer row. rifd-forms.js builds the
    same lists.
    """
    columns: dict[str, list] = {name: [] for name in rows.nested_names(fdef)}
    for index, row in _non_empty_rows(fdef, posted):
        row_values = _row_values(fdef, index, row, top, form)
        for sub in fdef["fields"]:
            cond = sub.get("visible_if")
            if sub["type"] == "note" or (cond and not conditions.evaluate(cond, row_values)):
                continue
            inner = rows.nested_names(sub) if sub["type"] == "repeat" else set()
            for name in (sub["name"], *sorted(inner)):
                value = row_values.get(name)
                if value is not None:
                    columns[name].extend(value if isinstance(value, list) else [value])
    return columns


def visible_fields(form: FormDefinition, raw: dict, audience: str) -> tuple[set[str], dict]:
    """Return the names of the visible top-level fields and the values conditions see."""
    plan = []
    for section in form.sections:
        for fdef in section["fields"]:
            staff_only = section.get("staff_only") or fdef.get("staff_only")
            if audience == "public" and staff_only:
                continue
            conds = [c for c in (section.get("visible_if"), fdef.get("visible_if")) if c]
            plan.append((fdef, conds))
    full = {f["name"]: lenient_value(f, raw.get(f["name"]), form) for f, _c in plan}
    columns = {
        f["name"]: repeat_columns(f, raw.get(f["name"]), full, form)
        for f, _c in plan
        if f["type"] == "repeat"
    }
    calculates = [f for f, _c in plan if f["type"] == "calculate"]
    shown = set(full)
    values = _calculated(calculates, _seen(full, columns, shown), shown)
    for _ in range(_MAX_PASSES):
        now = {f["name"] for f, conds in plan if _shown(conds, values)}
        values = _calculated(calculates, _seen(full, columns, now), now)
        if now == shown:
            break
        shown = now
    return shown, values


def _calculated(calculates: list[dict], values: dict, shown: set[str]) -> dict:
    """Compute the calculate fields in page order into `values`; each sees those above it."""
    # What the browser posted for them is never read: these are the values stored. One
    # with a trigger is computed when its trigger is answered: a submission is saved
    # once, so at the save (the page shows the moment of the change).
    for fdef in calculates:
        name, trigger = fdef["name"], fdef.get("trigger")
        computed = name in shown and (trigger is None or not blank(values.get(trigger)))
        values[name] = None  # its own last value, if it reads it: none before the one save
        values[name] = conditions.value_of(fdef["calculation"], values) if computed else None
    return values


def _seen(full: dict, columns: dict[str, dict], shown: set[str]) -> dict:
    """Return the values conditions see: hidden fields and hidden repeats' columns blank."""
    values = {}
    for repeat, columns_of in columns.items():
        values.update({n: (c if repeat in shown else []) for n, c in columns_of.items()})
    values.update({name: (v if name in shown else None) for name, v in full.items()})
    return values


def _is_required(fdef: dict, values: dict) -> bool:
    if fdef.get("required"):
        return True
    cond = fdef.get("required_if")
    return bool(cond) and conditions.evaluate(cond, values)


def _check_one(fdef: dict, raw, values: dict, form, lang: str):
    """Return (value, error) for one visible field; value None means nothing to store."""
    ftype = get_field_type(fdef["type"])
    if ftype.is_empty(raw):
        return None, (message("required", lang, fdef) if _is_required(fdef, values) else None)
    try:
        value = ftype.clean(raw, fdef, form)
    except FieldError as exc:
        return None, message(exc.key, lang, fdef, **exc.params)
    rule = fdef.get("constraints", {}).get("rule")
    if rule and not conditions.evaluate(rule, values):
        return None, message("rule", lang, fdef)
    if choice_filter.refused(fdef, value, form.choices(fdef), values):
        return None, message("choice_filter", lang)
    return value, None


def _check_rows(fdef: dict, raw, values: dict, form, lang: str, errors: dict, within=None):
    """Check a repeat's rows (and their inner repeats'); return the answers of its filled
    rows, or None when there are none. Errors go to `errors` by the page's field names."""
    within = within or Within()
    name, posted = within.prefix + fdef["name"], raw if isinstance(raw, list) else []
    limit = rows_allowed(fdef, values)
    filled = _non_empty_rows(fdef, posted)
    # A counted repeat offers rows that may stay empty: only the filled ones count.
    if len(filled if "count" in fdef else posted) > limit:
        errors[name] = within.say(message("rows_max", lang, limit=limit), lang)
        return None
    kept = []
    for index, row in filled:
        row_values = _row_values(fdef, index, row, values, form)
        inner = within.row(fdef, index + 1, row.get("#", index), lang)
        answers = {}
        for sub in fdef["fields"]:
            conds = [sub["visible_if"]] if sub.get("visible_if") else []
            if sub["type"] == "note" or not _shown(conds, row_values):
                continue
            if sub["type"] == "repeat":
                got = _check_rows(sub, row.get(sub["name"]), row_values, form, lang, errors, inner)
                if got:
                    answers[sub["name"]] = got
                continue
            if sub["type"] == "calculate":
                if not blank(row_values[sub["name"]]):
                    answers[sub["name"]] = row_values[sub["name"]]
                continue
            value, error = _check_one(sub, row.get(sub["name"]), row_values, form, lang)
            if error:
                errors[inner.prefix + sub["name"]] = inner.say(error, lang, least=2)
            elif value is not None:
                answers[sub["name"]] = value
        kept.append(answers)
    minimum = fdef.get("min", 0)
    if kept and len(kept) < minimum:
        errors[name] = within.say(message("rows_min", lang, limit=minimum), lang)
    elif not kept and (minimum or _is_required(fdef, values)):
        errors[name] = within.say(message("required", lang, fdef), lang)
    return kept or None


def validate_answers(
    form: FormDefinition, raw: dict, lang: str = "ar", audience: str = "staff"
) -> Result:
    """Validate every visible field of `raw`; hidden and unknown names are dropped."""
    raw = _read_only_defaults(form, raw)
    shown, values = visible_fields(form, raw, audience)
    computed = read_only_values(form.answer_fields(), values)
    if computed:  # a read-only field holding a default computed from the answers
        raw = {**raw, **{name: _as_posted(value) for name, value in computed.items()}}
        shown, values = visible_fields(form, raw, audience)
    result = Result()
    for fdef in form.answer_fields():
        name = fdef["name"]
        if name not in shown:
            continue
        if fdef["type"] == "repeat":
            kept = _check_rows(fdef, raw.get(name), values, form, lang, result.errors)
            if kept:
                result.answers[name] = kept
            continue
        if fdef["type"] == "calculate":
            if not blank(values.get(name)):
                result.answers[name] = values[name]
            continue
        value, error = _check_one(fdef, raw.get(name), values, form, lang)
        if error:
            result.errors[name] = error
        elif value is not None:
            result.answers[name] = value
    return result


def _read_only_defaults(form: FormDefinition, raw: dict) -> dict:
    """Return `raw` with each read-only field holding its default, whatever was posted."""
    fixed = {
        fdef["name"]: _as_posted(fdef.get("default"))
        for fdef in form.answer_fields()
        if fdef.get("read_only")
    }
    return {**raw, **fixed} if fixed else raw


def _as_posted(value):
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None or isinstance(value, list):
        return value
    return str(value)


def store_files(answers: dict, put) -> dict:
    """Replace each pending upload by a reference; `put(bytes) -> digest` stores the bytes."""

    def swap(value):
        if isinstance(value, PendingFile):
            return value.reference(put(value.data))
        if isinstance(value, list):
            return [swap(v) for v in value]
        if isinstance(value, dict):
            return {k: swap(v) for k, v in value.items()}
        return value

    return swap(answers)
