"""What the form editor needs from the engine: a new form, checks placed where they belong.

The editor shows a definition as sections and fields, never as JSON, so every
problem the checks report by JSON path (`sections[1].fields[3].constraints.min: ...`)
is placed here: on which section or field (the item), on which of its properties,
with the message in Arabic and English. Drafts come from a browser and may be
anything, so nothing here trusts their shape.
"""

from __future__ import annotations

import json
import re

from forms import checks
from forms.definition import problems
from forms.problem_text import arabic

FORM = "form"  # the item of problems that belong to the form itself
# A section, or a field at any depth (a repeat inside a repeat's field is fields three deep).
_ITEM = re.compile(r"(sections\[\d+\](?:\.fields\[\d+\])*)(?:\.(.*)|(\[.*))?")
_STEP = re.compile(r"(sections|fields)\[(\d+)\]")
_REQUIRED = re.compile(r'"(\w+)" is required')
# A definition nests about a dozen levels (a repeat's field's message's text); a
# deeper document is not a definition, and would only exhaust recursion later.
MAX_DEPTH = 32


def parse_json(text: str | bytes) -> object:
    """Parse JSON sent by a browser; raise ValueError if it is not JSON or nests too deep."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    stack = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ValueError("nested too deeply")
        children = (
            node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        )
        stack.extend((child, depth + 1) for child in children)
    return data


def new_definition(form_id: str, title_ar: str, title_en: str = "") -> dict:
    """Return the smallest valid definition: one section holding one text question."""
    title = {"ar": title_ar, **({"en": title_en} if title_en else {})}
    return {
        "id": form_id,
        "version": 1,
        "title": title,
        "sections": [
            {
                "name": "section_1",
                "title": {"ar": "القسم الأول", "en": "Section 1"},
                "fields": [
                    {"name": "field_1", "type": "text", "label": {"ar": "سؤال", "en": "Question"}}
                ],
            }
        ],
    }


def item_at(data: object, path: str) -> dict | None:
    """Return the section or field at a path like sections[1].fields[0], or None."""
    node = data
    for kind, index in _STEP.findall(path):
        items = node.get(kind) if isinstance(node, dict) else None
        if not isinstance(items, list) or int(index) >= len(items):
            return None
        node = items[int(index)]
    return node if isinstance(node, dict) and node is not data else None


def split_path(path: str) -> tuple[str, str]:
    """Return (item, property): the section or field a path is in, and the rest of it."""
    found = _ITEM.fullmatch(path)
    if not found:
        return FORM, "" if path == "$" else path
    return found[1], found[2] or found[3] or ""


def locate(lines: list[str], data: object) -> list[dict]:
    """Turn 'path: message' lines into problems placed on an item and a property."""
    out = []
    for line in lines:
        path, sep, message = line.partition(": ")
        if not sep:
            path, message = "$", line
        item, prop = split_path(path)
        if not prop and (missing := _REQUIRED.fullmatch(message)):
            prop = missing[1]  # '"label" is required' belongs beside the label
        found = item_at(data, item) if item != FORM else None
        name = found.get("name") if found else None
        out.append(
            {
                "path": path,
                "item": item,
                "name": name if isinstance(name, str) else "",
                "property": prop,
                "message": message,
                "message_ar": arabic(message),
            }
        )
    return out


def _items(data: object):
    """Yield (path, node) for every section and field of a definition of any shape."""
    sections = data.get("sections") if isinstance(data, dict) else None
    for si, section in enumerate(sections if isinstance(sections, list) else []):
        yield f"sections[{si}]", section
        yield from _fields(f"sections[{si}]", section)


def _fields(path: str, holder: object):
    """Yield (path, node) for the fields of a section or repeat, and theirs (repeats in repeats)."""
    fields = holder.get("fields") if isinstance(holder, dict) else None
    for fi, fdef in enumerate(fields if isinstance(fields, list) else []):
        yield f"{path}.fields[{fi}]", fdef
        yield from _fields(f"{path}.fields[{fi}]", fdef)


def check(data: object) -> list[dict]:
    """Return every problem of a whole definition, placed (empty when it can be published)."""
    found = locate(problems(data), data)
    # The checks beyond the schema wait for a schema-valid definition; conditions are
    # checked now anyway, so a slip in one is named while the person is still there.
    seen = {(p["path"], p["message"]) for p in found}
    for path, node in _items(data):
        keys = ("visible_if", "required_if") if "fields[" in path else ("visible_if",)
        for key in keys:
            expr = node.get(key) if isinstance(node, dict) else None
            if not isinstance(expr, str):
                continue
            for problem in check_condition(data, path, key, expr):
                if (problem["path"], problem["message"]) not in seen:
                    seen.add((problem["path"], problem["message"]))
                    found.append(problem)
    return found


def _names(items: object) -> set[str]:
    if not isinstance(items, list):
        return set()
    return {f["name"] for f in items if isinstance(f, dict) and isinstance(f.get("name"), str)}


def check_condition(data: object, where: str, key: str, expr: object) -> list[dict]:
    """Check one condition written at `where` (a section or field) as its `key`."""
    path = f"{where}.{key}" if where else key
    if not isinstance(expr, str) or not expr.strip():
        return locate([f"{path}: empty condition at 0"], data)
    sections = data.get("sections") if isinstance(data, dict) else None
    top = set()
    for section in sections if isinstance(sections, list) else []:
        top |= _names(section.get("fields")) if isinstance(section, dict) else set()
    target = item_at(data, where)
    if target is None or where.count("fields[") == 0 and key != "visible_if":
        return locate([f"{path}: is not allowed here"], data)
    own = target.get("name") if where.count("fields[") else None
    known = set(top)
    holder = where
    while holder.count("fields[") >= 2:  # inside a repeat: its row's fields, and the rows around
        holder = holder.rsplit(".fields[", 1)[0]
        known |= _names((item_at(data, holder) or {}).get("fields"))
    return locate(checks.condition_problems(path, expr, known, own), data)
