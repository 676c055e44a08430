"""pyxform's loop (`begin loop over <list>` ... `end loop`): one group per choice.

pyxform writes the loop's questions once for each choice of the list, in a group
named after the choice and labelled with it, `%(label)s` in a question's text being
the choice's label (in the same language). Rifd reads the sheet as pyxform expands
it: the loop becomes a group holding one group per choice, and the same names in
different groups are qualified by their group as anywhere else. Exported, the form is
written as those groups, which pyxform reads to the same questions.
"""

from __future__ import annotations

import re

from forms.xlsform.problems import Problems
from forms.xlsform.sheets import Row, Sheet

_BEGIN = re.compile(r"begin[ _]loop\s+over\s+(\S+)", re.IGNORECASE)
_END = re.compile(r"end[ _]loop", re.IGNORECASE)


def is_loop_row(cell: str) -> bool:
    """Say whether a type cell begins or ends a loop (no question of its own)."""
    return bool(_BEGIN.fullmatch(cell.strip()) or _END.fullmatch(cell.strip()))


def expand(survey: Sheet, choices: Sheet | None, problems: Problems) -> None:
    """Replace each loop of the survey sheet by its groups, one per choice of its list."""
    if not any(_BEGIN.fullmatch(row.get("type").strip()) for row in survey.rows):
        return
    out: list[Row] = []
    rows = iter(survey.rows)
    for row in rows:
        found = _BEGIN.fullmatch(row.get("type").strip())
        if found is None:
            out.append(row)
            continue
        body = []
        for inner in rows:
            if _END.fullmatch(inner.get("type").strip()):
                break
            body.append(inner)
        else:
            problem = f'the loop "{row.get("name")}" is never closed: add an end_loop row'
            problems.add("survey", row.number, "type", problem)
            break
        listed = _choices(choices, found.group(1))
        if not listed:
            problem = f'there is no list "{found.group(1)}" in the choices sheet'
            problems.add("survey", row.number, "type", problem)
        else:
            out.extend(_groups(survey, row, body, listed))
        # A loop reported is left out, its questions with it: nothing else is told of them.
    survey.rows = out


def _choices(choices: Sheet | None, list_name: str) -> list[Row]:
    if choices is None:
        return []
    return [row for row in choices.rows if row.get("list_name") == list_name]


def _groups(survey: Sheet, loop: Row, body: list[Row], listed: list[Row]) -> list[Row]:
    name_header = _header(survey, "name", None)
    type_header = _header(survey, "type", None)
    out = [_row(survey, loop, {type_header: "begin_group"})]
    for choice in listed:
        labels = _labels(survey, choice)
        group = {type_header: "begin_group", name_header: choice.get("name"), **labels}
        out.append(Row(loop.number, group, survey))
        for row in body:
            cells = dict(row.cells)
            for header in survey.with_base("label") + survey.with_base("hint"):
                if header.text in cells:
                    label = labels.get(_same_language(survey, header), "")
                    cells[header.text] = cells[header.text].replace("%(label)s", label)
            out.append(Row(row.number, cells, survey))
        out.append(Row(loop.number, {type_header: "end_group"}, survey))
    out.append(Row(loop.number, {type_header: "end_group"}, survey))
    return out


def _row(survey: Sheet, loop: Row, changes: dict) -> Row:
    return Row(loop.number, {**loop.cells, **changes}, survey)


def _header(sheet: Sheet, base: str, lang: str | None) -> str:
    return next(
        (h.text for h in sheet.headers if h.base == base and h.lang == lang),
        sheet.header_text(base),
    )


def _labels(survey: Sheet, choice: Row) -> dict[str, str]:
    """Return the choice's label in each label column of the survey, by its header."""
    out = {}
    for header in survey.with_base("label"):
        own = [h for h in choice.sheet.with_base("label") if h.lang == header.lang]
        any_label = [h for h in choice.sheet.with_base("label") if h.text in choice.cells]
        source = next((h for h in own if h.text in choice.cells), None) or next(
            iter(any_label), None
        )
        if source is not None:
            out[header.text] = choice.cells[source.text]
    return out


def _same_language(survey: Sheet, header) -> str:
    """Return the label column of the survey in the language of `header`."""
    return _header(survey, "label", header.lang)
