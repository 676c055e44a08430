"""Cascading choices in XLSForm: a survey row's choice_filter <-> Rifd's choice_filter.

In XLSForm a choice_filter reads the choice being decided on by its columns in the
choices sheet, written bare (`region`, `name` for the choice's own name), and the
answers as ${field}: `region = ${region}`, `selected(${wanted}, name)`. Rifd writes
the same as choice('region') == region and selected(wanted, choice('value')), and
keeps the columns a filter reads as each choice's `data`; export writes them back as
columns of the choices sheet (forms.xlsform.writer).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from forms.conditions import Node
from forms.conditions.syntax import MAX_LENGTH
from forms.xlsform.condition_text import text
from forms.xlsform.fields import FieldDraft
from forms.xlsform.names import NameProblem, rifd_name
from forms.xlsform.problems import Problems
from forms.xlsform.sheets import Sheet
from forms.xlsform.translate import AlreadyReported, Translator, Untranslatable
from forms.xlsform.xpath import XPathError, parse

_VALUE_COLUMN = "name"  # XLSForm's column of a choice's own name: Rifd's value
_LONGEST = 200  # what a choice's datum may hold (forms/schema.json)


def column_key(column: str) -> str:
    """Return the key of choice() for a column of the choices sheet."""
    if column == _VALUE_COLUMN:
        return "value"
    try:
        return rifd_name(column)
    except NameProblem:
        raise Untranslatable(
            f'the column "{column}" of the choices sheet cannot be a Rifd name:'
            " use English letters, digits and _"
        ) from None


@dataclass
class _FilterTranslator(Translator):
    """The survey's translator, reading a bare name as a column of the choices sheet."""

    columns: set[str] = field(default_factory=set)

    def condition(self, node, ctx) -> Node:
        if node.kind == "col":
            key = column_key(node.value)
            self.columns.add(node.value)
            return Node("call", "choice", (Node("literal", key),))
        return super().condition(node, ctx)


@dataclass
class Filters:
    """The choice filters of one survey, and the columns each list must give its choices."""

    translator: Translator
    problems: Problems
    wanted: list[tuple[FieldDraft, set[str]]] = field(default_factory=list)

    def translate(self, draft: FieldDraft) -> None:
        row, column, cell = draft.choice_filter
        reader = _FilterTranslator(
            self.translator.symbols, self.translator.failed, parents=self.translator.parents
        )
        reader.used = self.translator.used  # a calculate read here is read
        try:
            found = text(reader.condition(parse(cell, columns=True), draft.ctx))
        except (XPathError, Untranslatable) as exc:
            self.problems.add("survey", row, column, str(exc))
            return
        except AlreadyReported:
            return
        if len(found) > MAX_LENGTH:
            self.problems.add(
                "survey", row, column, f"the filter is longer than Rifd's {MAX_LENGTH} characters"
            )
            return
        draft.data["choice_filter"] = found
        self.wanted.append((draft, reader.columns - {_VALUE_COLUMN}))

    def attach_data(self, sheet: Sheet | None, lists: dict) -> None:
        """Give the choices of each filtered list the columns its filter reads."""
        for draft, columns in self.wanted:
            found = lists.get(draft.list_name)
            if found is None or not columns:
                continue
            for column in sorted(columns):
                self._column(sheet, draft, column, {c["value"]: c for c in found.choices})

    def _column(self, sheet: Sheet | None, draft: FieldDraft, column: str, choices) -> None:
        header = _header(sheet, column)
        if header is None:
            row, where, _cell = draft.choice_filter
            self.problems.add(
                "survey", row, where, f'the choices sheet has no column "{column}" to filter by'
            )
            return
        key = column_key(column)
        for row in sheet.rows:
            mine = row.get("list_name") == draft.list_name
            choice = choices.get(row.get("name")) if mine else None
            cell = row.cells.get(header.text, "")
            if choice is None or not cell:
                continue
            if len(cell) > _LONGEST:
                self.problems.add(
                    "choices", row.number, header.text, f"longer than {_LONGEST} characters"
                )
                continue
            choice.setdefault("data", {})[key] = cell


def _header(sheet: Sheet | None, column: str):
    """Return the choices sheet's header of `column`, as written or as XLSForm reads it."""
    if sheet is None:
        return None
    exact = [h for h in sheet.headers if h.text == column]
    near = [h for h in sheet.headers if h.base == column and h.lang is None]
    return (exact or near or [None])[0]
