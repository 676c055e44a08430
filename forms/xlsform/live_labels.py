"""Labels and hints that show another answer: XLSForm's ${name} <-> Rifd's ${name}.

Both write a reference the same way; only the names differ (`HH_size` is `hh_size` in
Rifd). forms.xlsform.texts keeps the texts of questions that hold one; once the whole
sheet is read, each ${name} becomes the Rifd name of the field, or a problem at its
cell when Rifd cannot show it there (no such field, a group, ODK metadata, a field of
a repeat seen from outside it). A calculate a label shows is kept as a field, even where
an expression also reads it in place.
A section's description (its group's hint) shows answers like a question's hint; a
section's title cannot show an answer in Rifd: that stays a problem. Export writes
each reference back with the XLSForm name (forms.xlsform.writer).
"""

from __future__ import annotations

import re

from forms.references import REFERENCE
from forms.xlsform.problems import Problems
from forms.xlsform.texts import FIXED, LANGUAGE_NAMES, Texts, column, literal, unliteral
from forms.xlsform.translate import AlreadyReported, Context, Translator, Untranslatable

_XLS_REFERENCE = re.compile(r"\$\{\s*([^{}]*?)\s*\}")


class LiveLabels:
    """Resolve the names of every label and hint that shows another answer."""

    def __init__(self, survey, translator: Translator, problems: Problems):
        self.survey, self.translator, self.problems = survey, translator, problems
        self.drafts = {draft.row: draft for draft in survey.drafts}
        # The same dict the section holds: resolved in place, read outside any repeat.
        self.descriptions = {
            id(s.data["description"]) for s in survey.sections if s.data.get("description")
        }
        self.told: set[tuple[int, str, str]] = set()

    def keep_shown_calculates(self, texts: Texts) -> None:
        """Mark the calculates a label shows to be kept as fields, even where read inline."""
        for _row, _headers, text in texts.live:
            for value in text.values():
                for name in _XLS_REFERENCE.findall(value):
                    symbol = self.survey.symbols.get(name)
                    if symbol is not None and symbol.kind == "calculate":
                        self.translator.columns.add(name)

    def resolve(self, texts: Texts) -> None:
        for row, headers, text in texts.live:
            draft = self.drafts.get(row.number)
            for lang, value in text.items():
                where = (row.number, headers[lang])
                if draft is None and id(text) not in self.descriptions:
                    self._tell(where, FIXED)
                    text[lang] = unliteral(value)
                    continue
                ctx = Context(draft.ctx.repeat if draft else None)
                swap = lambda found, ctx=ctx, where=where: self._swap(found, ctx, where)  # noqa: E731
                text[lang] = unliteral(_XLS_REFERENCE.sub(swap, value))

    def _swap(self, found: re.Match, ctx: Context, where: tuple[int, str]) -> str:
        try:
            return "${" + self._name(found.group(1), ctx) + "}"
        except Untranslatable as exc:
            self._tell(where, str(exc))
        except AlreadyReported:
            pass
        return found.group(0)

    def _name(self, xls_name: str, ctx: Context) -> str:
        symbol = self.survey.symbols.get(xls_name)
        if symbol is not None and symbol.kind == "calculate":
            kept = self.survey.calculate_fields.get(xls_name)
            if kept is not None and "calculation" in kept[1]:
                return symbol.name  # kept as a field (keep_shown_calculates)
            # Not kept: a relevant, a calculation that fails or is too long, all told at
            # the calculate's own row.
            raise AlreadyReported(xls_name)
        return self.translator.reference(xls_name, ctx).value

    def _tell(self, where: tuple[int, str], problem: str) -> None:
        if (*where, problem) not in self.told:
            self.told.add((*where, problem))
            self.problems.add("survey", where[0], where[1], problem)


def live_cells(base: str, text: dict | None, names: dict[str, str]) -> dict[str, str]:
    """Return the cells of a label or hint, each ${name} written with its XLSForm name."""
    text = text or {}
    # Arabic and English first, then any other language the text is kept in.
    order = [*LANGUAGE_NAMES, *(lang for lang in text if lang not in LANGUAGE_NAMES)]
    return {column(base, lang): _written(text[lang], names) for lang in order if text.get(lang)}


def _written(value: str, names: dict[str, str]) -> str:
    pieces, last = [], 0
    for found in REFERENCE.finditer(value):
        pieces.append(literal(value[last : found.start()]))
        pieces.append("${" + names.get(found.group(1), found.group(1)) + "}")
        last = found.end()
    pieces.append(literal(value[last:]))
    return "".join(pieces)
