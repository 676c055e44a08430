"""Load, validate and walk form definitions (one JSON file per form).

A definition is checked twice: against the published JSON Schema
(forms/schema.json), then for what a schema cannot say (unique names, choice
lists that exist, conditions that parse and name known fields). Every problem
becomes one line naming the file, the JSON path and the problem; callers never
see a stack trace.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from forms import schema_messages
from forms.checks import semantic_problems
from forms.or_other import expanded_sections

SCHEMA_PATH = Path(__file__).with_name("schema.json")


SCHEMA = schema_messages.SchemaFile(SCHEMA_PATH)
# Digests of definition texts that passed every check: the checks are a function of the
# text alone, and took most of the time a new form library (each app, each command) spent
# reading the same shipped files again.
_CHECKED: set[bytes] = set()
CHECKED_MAX = 1024


class DefinitionError(schema_messages.ProblemsError):
    """A definition that cannot be used; `messages` holds one line per problem."""


def schema() -> dict:
    return SCHEMA.schema


def field_type_names() -> list[str]:
    """Return the field types the schema admits (kept equal to the registry by a test)."""
    return list(schema()["$defs"]["field"]["properties"]["type"]["enum"])


def problems(data: object) -> list[str]:
    """Return every problem of a parsed definition as 'path: message' lines."""
    return SCHEMA.problems(data) or semantic_problems(data)


def parse_definition(data: object, source: str = "<definition>") -> FormDefinition:
    """Validate already-parsed JSON and wrap it; raise DefinitionError naming `source`."""
    found = problems(data)
    if found:
        raise DefinitionError([f"{source}: {line}" for line in found])
    return FormDefinition(data)


def load_definition(path: str | Path) -> FormDefinition:
    """Read one definition file; raise DefinitionError for unreadable or invalid files."""
    path = Path(path)
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DefinitionError([f"{name}: cannot be read ({exc.strerror or exc})"]) from None
    except UnicodeDecodeError:
        raise DefinitionError([f"{name}: is not UTF-8 text"]) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        raise DefinitionError([f"{name}: {where}: invalid JSON: {exc.msg}"]) from None
    digest = hashlib.sha256(text.encode()).digest()
    if digest in _CHECKED:  # the same text passed its checks in this process already
        return FormDefinition(data)
    found = parse_definition(data, name)
    if len(_CHECKED) >= CHECKED_MAX:
        _CHECKED.clear()
    _CHECKED.add(digest)
    return found


def localized(text: dict | None, lang: str) -> str:
    """Pick the text for `lang`, falling back to Arabic (always present)."""
    if not text:
        return ""
    return text.get(lang) or text.get("ar", "")


@dataclass(frozen=True)
class FormDefinition:
    """A validated definition: the JSON as loaded, with a few ways to walk it."""

    data: dict
    # What is worked out from this definition alone and asked for again on every page
    # (its empty page rendered per language): a definition is never changed, so neither
    # is this; a new version is a new FormDefinition with an empty memo.
    memo: dict = field(default_factory=dict, init=False, compare=False, repr=False)

    @property
    def id(self) -> str:
        return self.data["id"]

    @property
    def version(self) -> int:
        return self.data["version"]

    @property
    def public(self) -> bool:
        return bool(self.data.get("public", False))

    @property
    def ref_prefix(self) -> str:
        return self.data.get("ref_prefix") or self.id[:2].upper()

    @property
    def sections(self) -> list[dict]:
        """Return the sections as the page and the checks see them (forms.or_other)."""
        if "sections" not in self.memo:
            self.memo["sections"] = expanded_sections(self.data)
        return self.memo["sections"]

    def title(self, lang: str = "ar") -> str:
        return localized(self.data["title"], lang)

    def description(self, lang: str = "ar") -> str:
        return localized(self.data.get("description"), lang)

    def fields(self) -> Iterator[dict]:
        """Yield the top-level fields of every section, repeats included, in order."""
        for section in self.sections:
            yield from section["fields"]

    def answer_fields(self) -> Iterator[dict]:
        """Yield the top-level fields that hold an answer (notes hold none)."""
        return (f for f in self.fields() if f["type"] != "note")

    def field(self, name: str) -> dict | None:
        """Return the field named `name`, at the top or in a repeat's rows (at any depth)."""
        return self.all_fields().get(name)

    def all_fields(self) -> dict[str, dict]:
        """Return every field by name, those of repeats' rows (nested ones too) included."""
        if "all_fields" not in self.memo:
            found: dict[str, dict] = {}

            def add(fields: list[dict]) -> None:
                for fdef in fields:
                    found.setdefault(fdef["name"], fdef)
                    if fdef["type"] == "repeat":
                        add(fdef.get("fields", ()))

            for section in self.sections:
                add(section["fields"])
            self.memo["all_fields"] = found
        return self.memo["all_fields"]

    def choices(self, fdef: dict) -> list[dict]:
        """Return the choices of a select field, resolving a shared list by name."""
        choices = fdef.get("choices", [])
        if isinstance(choices, str):
            return self.data.get("choice_lists", {}).get(choices, [])
        return choices

    def section_of(self, name: str) -> dict | None:
        for section in self.sections:
            if any(f["name"] == name for f in section["fields"]):
                return section
        return None
