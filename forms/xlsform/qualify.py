"""The same name in different groups: qualified by its group inside Rifd, original outside.

XLSForm names need only be unique among the questions of one group: `name` under
`mother` and `name` under `father` are two questions. Rifd names are unique in the
whole form, so the second `name` becomes `father__name` (its group's name, two
underscores, its own); a third in a group of the same name takes the group's group
too (`parents__father__name`). The export writes the original name back, with the
Rifd name in the rifd_name column, wherever XLSForm allows it: no other question of
its group bears that name, and no expression reads it (pyxform refuses `${name}`
when the name is not unique, and so does the import: translate.Translator.reference).
"""

from __future__ import annotations

from forms import conditions
from forms.xlsform.names import NameProblem, Names, rifd_name

SEPARATOR = "__"


class GroupedNames(Names):
    """Names given so far, each with the groups it was given in."""

    def __init__(self, what: str):
        super().__init__(what)
        self.paths: dict[str, tuple[str, ...]] = {}

    def claim_in(self, raw: str, row: int, path: tuple[str, ...]) -> tuple[str, bool]:
        """Return (the Rifd name, whether it was qualified); raise NameProblem if taken.

        `path` holds the XLSForm names of the groups and repeats around the row,
        outermost first. A name taken in the same groups is a true duplicate.
        """
        try:
            name = self.claim(raw, row)
        except NameProblem:
            base = rifd_name(raw)
            name = self._qualified(base, row, path) if self.paths.get(base) != path else None
            if name is None:
                raise  # the same groups, or no free name: the first problem stands
            self.paths[name] = path
            return name, True
        self.paths[name] = path
        return name, False

    def _qualified(self, base: str, row: int, path: tuple[str, ...]) -> str | None:
        for depth in range(1, len(path) + 1):
            try:
                groups = [rifd_name(group) for group in path[-depth:]]
                return self.claim(SEPARATOR.join([*groups, base]), row)
            except NameProblem:
                continue
        return None


def original(name: str) -> str:
    """Return the XLSForm name a qualified Rifd name stands for (itself if not qualified)."""
    return name.rsplit(SEPARATOR, 1)[-1]


def names_read(definition_data: dict) -> set[str]:
    """Return every field name an expression of the form reads."""
    found: set[str] = set()

    def read(text: str | None) -> None:
        if text:
            found.update(conditions.names(text))

    def walk(items: list[dict]) -> None:
        for fdef in items:
            for key in ("visible_if", "required_if", "calculation"):
                read(fdef.get(key))
            read((fdef.get("constraints") or {}).get("rule"))
            walk(fdef.get("fields", []))

    for section in definition_data["sections"]:
        read(section.get("visible_if"))
        walk(section["fields"])
    return found


def export_names(definition_data: dict, taken: set[str]) -> dict[str, str]:
    """Return {Rifd name: XLSForm name} for the qualified names the export writes back.

    `taken` are names the export keeps for itself (reserved, given to sections).
    """
    read = names_read(definition_data)
    out: dict[str, str] = {}

    def walk(items: list[dict], parent: str) -> None:
        # Taken in this group: its plain names, then each name written back, first first.
        used = {f["name"] for f in items if original(f["name"]) == f["name"]} | taken | {parent}
        for fdef in items:
            name = fdef["name"]
            back = original(name)
            if back != name and _free(back, name, used, read):
                out[name] = back
                used.add(back)
            walk(fdef.get("fields", []), name)

    for section in definition_data["sections"]:
        walk(section["fields"], section["name"])
    return out


def _free(back: str, name: str, used: set[str], read: set[str]) -> bool:
    # ${back} would be ambiguous once two questions bear it; pyxform refuses that.
    return back[:1].isalpha() and back not in used and not {name, back} & read
