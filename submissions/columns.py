"""The columns of an export whose submissions were made with several versions of a form.

Columns follow the current version's fields, in its order; a field that only
older versions have comes after them, headed by the label of the newest version
that had it, so the answers given to it are never dropped. Each answer is then
read with the field as its own submission's version defined it: its type, its
choices and their labels.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from forms.definition import FormDefinition
from forms.types import FieldType, get_field_type


@dataclass(frozen=True)
class Column:
    """An answer field placed in a sheet, with its type looked up once."""

    name: str
    fdef: dict
    ftype: FieldType
    form: FormDefinition  # the version the field comes from: its choice lists live there


def column(fdef: dict, form: FormDefinition) -> Column:
    return Column(fdef["name"], fdef, get_field_type(fdef["type"]), form)


@dataclass
class Group:
    """A repeat field and the columns of its rows: one sheet.

    An inner repeat (a member's illnesses) has a sheet of its own too: `path` holds the
    names of the repeats around it, from the outermost, then its own; `parents` their
    definitions. Its rows carry the numbers of the rows they are in.
    """

    name: str
    fdef: dict
    columns: list[Column]
    path: tuple[str, ...] = ()
    parents: tuple[dict, ...] = ()


@dataclass
class Plan:
    """Every column of every version, and how to read a record of each version."""

    main: list[Column]
    groups: list[Group]
    known: set[str]  # top-level names of every version: other answers go to one column
    _cache: dict = field(default_factory=dict)

    def for_version(self, form: FormDefinition) -> tuple[list[Column], list[list[Column]]]:
        """Return the main columns and each group's columns, as `form` defines them."""
        key = id(form)
        if key not in self._cache:
            own = {f["name"]: f for f in form.answer_fields()}
            main = [_own(c, own.get(c.name), form, repeat=False) for c in self.main]
            groups = []
            for group in self.groups:
                rep = repeat_at(form, group.path)
                subs = {s["name"]: s for s in rep["fields"]} if _is_repeat(rep) else {}
                groups.append([_own(c, subs.get(c.name), form, False) for c in group.columns])
            self._cache[key] = (form, main, groups)  # the form is kept so its id stays unique
        return self._cache[key][1], self._cache[key][2]


def _is_repeat(fdef: dict | None) -> bool:
    return fdef is not None and fdef["type"] == "repeat"


def repeat_at(form: FormDefinition, path: tuple[str, ...]) -> dict | None:
    """Return the repeat `path` names in `form` (an inner one through its parents), or None."""
    fields, found = list(form.answer_fields()), None
    for name in path:
        found = next((f for f in fields if f["name"] == name and _is_repeat(f)), None)
        if found is None:
            return None
        fields = found["fields"]
    return found


def _own(col: Column, fdef: dict | None, form: FormDefinition, repeat: bool) -> Column:
    if fdef is None or _is_repeat(fdef) != repeat:
        return col
    return replace(col, fdef=fdef, ftype=get_field_type(fdef["type"]), form=form)


def plan(form: FormDefinition, older: Iterable[FormDefinition] = ()) -> Plan:
    """Lay out the columns of `form` and of the older versions its submissions used."""
    others = sorted(
        (f for f in older if f.version != form.version), key=lambda f: f.version, reverse=True
    )
    main: dict[str, Column] = {}
    groups: dict[str, Group] = {}
    for version in [form, *others]:
        for fdef in version.answer_fields():
            if _is_repeat(fdef):
                _add_group(groups, fdef, version, ())
            else:
                main.setdefault(fdef["name"], column(fdef, version))
    known = set(main) | {path[0] for path in groups}
    for version in [form, *others]:
        known |= {f["name"] for f in version.fields()}
    return Plan(list(main.values()), list(groups.values()), known)


def _add_group(groups: dict, fdef: dict, version: FormDefinition, parents: tuple) -> None:
    """Add the columns of a repeat's rows (not its inner repeats: a sheet each) to its group."""
    path = (*(p["name"] for p in parents), fdef["name"])
    group = groups.setdefault(path, Group(fdef["name"], fdef, [], path, parents))
    have = {c.name for c in group.columns}
    subs = [s for s in fdef["fields"] if s["type"] != "note"]
    new = [s for s in subs if s["name"] not in have and not _is_repeat(s)]
    group.columns += [column(sub, version) for sub in new]
    for sub in subs:
        if _is_repeat(sub):
            _add_group(groups, sub, version, (*parents, fdef))
