"""The difference between two versions of a form: fields added, removed and changed.

Fields and sections are matched by name, which is what answers are stored
under, so a relabelled question is "changed" and a renamed one is "removed" plus
"added" (its old answers keep the old name). Each change names a property path
(`label.ar`, `constraints.min`, `choices[rented].label.ar`) with its old and new
value. A draft may be any JSON a browser sent, so nothing trusts its shape.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

_SKIP_FORM = {"sections", "version", "$schema"}


@dataclass
class Change:
    property: str
    old: object
    new: object


@dataclass
class Item:
    """A field or section as the difference shows it."""

    name: str
    label: dict
    parent: str = ""  # the section (or repeat) holding a field
    changes: list[Change] = field(default_factory=list)


@dataclass
class Difference:
    form: list[Change]
    sections: dict[str, list[Item]]
    fields: dict[str, list[Item]]

    @property
    def empty(self) -> bool:
        groups = (*self.sections.values(), *self.fields.values())
        return not self.form and not any(groups)


def flatten(value: object, prefix: str = "") -> dict[str, object]:
    """Return the leaves of a JSON value by path; choice lists are keyed by choice value."""
    if isinstance(value, dict):
        out: dict[str, object] = {}
        for key, item in value.items():
            out.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(value, list) and value and all(_is_choice(c) for c in value):
        out = {}
        for choice in value:
            out.update(flatten(choice.get("label"), f"{prefix}[{choice['value']}].label"))
        return out
    return {prefix: value}


def _is_choice(item: object) -> bool:
    return isinstance(item, dict) and isinstance(item.get("value"), str)


def changes(old: dict, new: dict) -> list[Change]:
    """Return the changed leaves between two flattened values, in a stable order."""
    keys = list(dict.fromkeys([*old, *new]))
    return [Change(k, old.get(k), new.get(k)) for k in keys if old.get(k) != new.get(k)]


def _list(node: object, key: str) -> list[dict]:
    items = node.get(key) if isinstance(node, dict) else None
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _fields(data: object) -> dict[str, tuple[dict, str]]:
    """Return every field by name with the name of what holds it, in page order."""
    out: dict[str, tuple[dict, str]] = {}

    def add(holder: dict) -> None:  # a repeat's fields, and its inner repeats', too
        for fdef in _list(holder, "fields"):
            out.setdefault(str(fdef.get("name")), (fdef, str(holder.get("name"))))
            add(fdef)

    for section in _list(data, "sections"):
        add(section)
    return out


def _label(node: dict) -> dict:
    text = node.get("label", node.get("title"))
    return text if isinstance(text, dict) else {}


def _compare(old: dict[str, tuple], new: dict[str, tuple], skip: set[str]) -> dict:
    """Return added, removed and changed items between two name -> (node, parent) maps."""
    out: dict[str, list[Item]] = {"added": [], "removed": [], "changed": []}
    for name, (node, parent) in new.items():
        if name not in old:
            out["added"].append(Item(name, _label(node), parent))
    for name, (node, parent) in old.items():
        if name not in new:
            out["removed"].append(Item(name, _label(node), parent))
            continue
        now, now_parent = new[name]
        body = {k: v for k, v in node.items() if k not in skip}
        found = changes(flatten(body), flatten({k: v for k, v in now.items() if k not in skip}))
        if parent != now_parent:
            found.insert(0, Change("parent", parent, now_parent))
        if found:
            out["changed"].append(Item(name, _label(now), now_parent, found))
    return out


def _moved(old: list[str], new: list[str]) -> set[str]:
    """Return the names whose place among the names both versions share changed."""
    common = set(old) & set(new)
    a, b = [n for n in old if n in common], [n for n in new if n in common]
    kept = set()
    for block in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_matching_blocks():
        kept.update(a[block.a : block.a + block.size])
    return common - kept


def _top(data: object) -> dict[str, object]:
    items = data.items() if isinstance(data, dict) else ()
    return flatten({k: v for k, v in items if k not in _SKIP_FORM})


def diff(old: object, new: object) -> Difference:
    """Return what changed from definition `old` to definition `new`."""
    form = changes(_top(old), _top(new))
    old_sections = {str(s.get("name")): (s, "") for s in _list(old, "sections")}
    new_sections = {str(s.get("name")): (s, "") for s in _list(new, "sections")}
    sections = _compare(old_sections, new_sections, {"name", "fields"})
    old_fields, new_fields = _fields(old), _fields(new)
    fields = _compare(old_fields, new_fields, {"name", "fields"})
    moved = _moved(list(old_fields), list(new_fields))
    changed = {item.name: item for item in fields["changed"]}
    for name in sorted(moved, key=list(new_fields).index):
        item = changed.get(name)
        if item is None:
            item = Item(name, _label(new_fields[name][0]), new_fields[name][1])
            fields["changed"].append(item)
        old_at, new_at = list(old_fields).index(name) + 1, list(new_fields).index(name) + 1
        item.changes.append(Change("position", old_at, new_at))
    order = list(new_fields)
    fields["changed"].sort(key=lambda i: order.index(i.name))
    return Difference(form, sections, fields)
