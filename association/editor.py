"""The profile as a page of plain inputs: which inputs there are, and how they read back.

Every input is named by its place in the profile ("contact.phone",
"channels.2.label.ar"), so a schema problem at `channels[2].value` lands beside
the input "channels.2.value". Parts the page does not show (the logo, the
documents' files, settings kept elsewhere) are carried over untouched.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass

from association.dates import gregorian_shown, read_gregorian, read_hijri
from forms.invisible import strip_invisible
from forms.saudi import normalize_digits

LTR_KEYS = frozenset(
    {
        "en",
        "id",
        "value",
        "rule",
        "email",
        "website",
        "phone",
        "iban",
        "letter_number_pattern",
        "area_cities",
        "cash_support_types",
        "date",
        "issue_date",
        "amendment_date",
        "date_gregorian",
        "date_hijri",
        "version",
        "amendment",
    }
)
EMPTY_ROWS = 2  # blank rows offered at the end of each table, for additions
MAX_ROWS = 60


@dataclass(frozen=True)
class Input:
    path: str  # dotted place in the profile (in a row: relative to the row)
    label: str
    # text | textarea | lines | outline | int | number | bool | choice | date | hijri
    kind: str = "text"
    choices: tuple = ()

    @property
    def ltr(self) -> bool:
        """Tell whether the input holds left-to-right text (English, codes, addresses)."""
        last = self.path.rsplit(".", 1)[-1]
        return last in LTR_KEYS or self.kind in ("int", "number", "date", "hijri")


@dataclass(frozen=True)
class Table:
    path: str
    label: str
    columns: tuple[Input, ...]


class ReadError(ValueError):
    """Inputs that cannot be read (letters where a number belongs, a date that is none).

    `problems` maps each input to its kind; `profile` is the page as typed, to show
    again with what the person wrote still in place.
    """

    def __init__(self, problems: dict[str, str], profile: dict | None = None):
        super().__init__(problems)
        self.problems = problems
        self.profile = profile or {}


def get(data: object, path: str) -> object:
    """Return the value at a dotted path, or None."""
    for part in path.split("."):
        if isinstance(data, list) and part.isdigit():
            data = data[int(part)] if int(part) < len(data) else None
        elif isinstance(data, dict):
            data = data.get(part)
        else:
            return None
    return data


def _put(data: dict, path: str, value: object) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        data = data.setdefault(part, {})
    if value in (None, "", []):
        data.pop(parts[-1], None)
    else:
        data[parts[-1]] = value


def _prune(data: dict) -> dict:
    # An object left empty by cleared inputs (e.g. approval.prepared_by) goes too.
    for key in list(data):
        if isinstance(data[key], dict):
            _prune(data[key])
            if not data[key]:
                del data[key]
    return data


def shown(item: Input, value: object) -> str:
    """Return a stored value as its input shows it."""
    if item.kind == "date":  # year first with slashes, as the Hijri date beside it
        return gregorian_shown(value)
    if item.kind == "lines":
        return "\n".join(value or [])
    if item.kind == "outline":
        lines = []
        for entry in value or []:
            if isinstance(entry, dict):
                lines.append(entry["text"])
                lines.extend(f"- {sub}" for sub in entry.get("items", []))
            else:
                lines.append(entry)
        return "\n".join(lines)
    return "" if value is None else str(value)


def _outline(text: str) -> list:
    out: list = []
    for line in (raw.strip() for raw in text.splitlines()):
        if not line:
            continue
        if line.startswith("-") and out:
            last = out[-1] if isinstance(out[-1], dict) else {"text": out[-1], "items": []}
            last["items"].append(line.lstrip("- ").strip())
            out[-1] = last
        else:
            out.append(line)
    return out


def _read(item: Input, raw: str | None) -> object:
    text = strip_invisible(raw or "").strip()
    if item.kind == "bool":
        return raw == "yes"
    if item.kind == "lines":
        return [line.strip() for line in text.splitlines() if line.strip()]
    if item.kind == "outline":
        return _outline(text)
    if item.kind == "date" and text:
        return read_gregorian(text)
    if item.kind == "hijri" and text:
        return read_hijri(text)
    if item.kind in ("int", "number") and text:
        number = normalize_digits(text).replace("٫", ".").replace(",", "")
        pattern = r"\d{1,9}" if item.kind == "int" else r"\d{1,9}(\.\d{1,2})?"
        if not re.fullmatch(pattern, number):
            raise ValueError(item.kind)
        return int(number) if item.kind == "int" else float(number)
    return text


def _rows(table: Table, form) -> list[dict]:
    rows = []
    for i in range(MAX_ROWS + EMPTY_ROWS):
        names = [f"{table.path}.{i}.{col.path}" for col in table.columns]
        if not any(name in form for name in names):
            break
        row: dict = {}
        for col, name in zip(table.columns, names, strict=True):
            _put(row, col.path, _read(col, form.get(name)))
        if any(v not in (None, "", False, {}) for v in _prune(row).values()):
            rows.append(row)
    return rows


def _blank(value: object) -> bool:
    return value in (None, "", [])


def read(sections, form, stored: dict) -> dict:
    """Return the profile the page describes, on top of the stored one; ReadError if unreadable."""
    profile = copy.deepcopy(stored)
    problems = {}
    for _key, _title, items in sections:
        for item in items:
            if isinstance(item, Table):
                old = {
                    row.get("id") or row.get("value"): row for row in get(stored, item.path) or []
                }
                rows = _rows(item, form)
                if not rows and _blank(get(stored, item.path)):
                    continue  # left as it was stored: [] stays [], absent stays absent
                # Keep what a row carries beyond its columns (a document's uploaded file).
                merged = [{**old.get(r.get("id") or r.get("value"), {}), **r} for r in rows]
                _put(profile, item.path, merged)
                continue
            try:
                value = _read(item, form.get(item.path))
            except ValueError:
                problems[item.path] = item.kind
                _put(profile, item.path, (form.get(item.path) or "").strip())
                continue
            if not (_blank(value) and _blank(get(stored, item.path))):
                _put(profile, item.path, value)
    if problems:
        raise ReadError(problems, _prune(profile))
    return _prune(profile)


def input_name(json_path: str) -> str:
    """Turn a schema path (`channels[2].label.ar`) into the input's name (`channels.2.label.ar`)."""
    return re.sub(r"\[(\d+)\]", r".\1", json_path)
