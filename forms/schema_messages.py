"""Turn jsonschema errors into one plain line a quality officer can act on.

jsonschema's own messages print whole sub-schemas; these name the JSON path
(`sections[1].fields[3].type`) and the problem, with a suggestion where a
near miss is likely a typing slip.
"""

from __future__ import annotations

import difflib
import json
from functools import cached_property
from pathlib import Path

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

_TYPE_NAMES = {
    "object": "an object",
    "array": "a list",
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
}


def json_path(parts) -> str:
    """Format a path like sections[1].fields[3].type (the root is '$')."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "$"


def did_you_mean(word: object, options) -> str:
    if not isinstance(word, str):
        return ""
    close = difflib.get_close_matches(word, [str(o) for o in options], n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


def _show(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _enum(err: ValidationError) -> str:
    path = list(err.absolute_path)
    options = err.validator_value
    if path and path[-1] == "type":
        return f"{_show(err.instance)} is not a field type{did_you_mean(err.instance, options)}"
    listed = ", ".join(_show(o) for o in options)
    return f"{_show(err.instance)} is not one of {listed}{did_you_mean(err.instance, options)}"


def _additional(err: ValidationError) -> tuple[str, str]:
    known = list(err.schema.get("properties", {}))
    extra = [k for k in err.instance if k not in known]
    key = extra[0] if extra else "?"
    where = json_path(list(err.absolute_path) + [key])
    return where, f'unknown key "{key}"{did_you_mean(key, known)}'


def _not(err: ValidationError) -> str:
    forbidden = err.validator_value.get("required", [])
    if forbidden == ["fields"]:
        return '"fields" belongs only to a field of type "repeat"'
    if forbidden == ["required"]:
        return 'a note cannot be "required"'
    return "is not allowed here"


def _one_of(err: ValidationError) -> str:
    if list(err.absolute_path)[-1:] == ["choices"]:
        return "must be the name of a shared choice list or a list of choices"
    return "does not match any of the allowed forms"


def _pattern(err: ValidationError) -> str:
    desc = err.schema.get("description")
    if desc:
        return f"{_show(err.instance)} is not valid: use {desc}"
    return f"{_show(err.instance)} does not match the pattern {err.validator_value}"


def _message(err: ValidationError) -> str:
    kind = err.validator
    if kind == "enum":
        return _enum(err)
    if kind == "required":
        missing = [k for k in err.validator_value if k not in err.instance]
        return f'"{missing[0] if missing else "?"}" is required'
    if kind == "type":
        expected = _TYPE_NAMES.get(str(err.validator_value), str(err.validator_value))
        return f"must be {expected}, not {_show(err.instance)}"
    if kind == "pattern":
        return _pattern(err)
    if kind == "not":
        return _not(err)
    if kind == "oneOf":
        return _one_of(err)
    if kind in ("minItems", "minLength"):
        return "must not be empty"
    return err.message


def describe(err: ValidationError) -> str:
    """Return 'path: problem' for one schema error."""
    if err.validator == "additionalProperties":
        where, text = _additional(err)
        return f"{where}: {text}"
    return f"{json_path(err.absolute_path)}: {_message(err)}"


class ProblemsError(ValueError):
    """A document that cannot be used; `messages` holds one line per problem."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


class SchemaFile:
    """A JSON Schema read once from its file, with its validator and plain-line problems."""

    def __init__(self, path: Path):
        self.path = path

    @cached_property
    def schema(self) -> dict:
        return json.loads(self.path.read_text(encoding="utf-8"))

    @cached_property
    def validator(self) -> Draft202012Validator:
        return Draft202012Validator(self.schema)

    def problems(self, data: object) -> list[str]:
        """Return one 'path: problem' line per schema error, each line once, in order."""
        found = [describe(err) for err in self.validator.iter_errors(data)]
        return sorted(set(found), key=found.index)
