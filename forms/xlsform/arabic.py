"""Say the problems of an XLSForm import in Arabic, for the editor's Arabic page.

The importer speaks English, the language of the command line. Here each problem
is rebuilt from its parts (forms.xlsform.problems.Problem): the place, with the
sheet, row and column as the spreadsheet names them, and the sentence, matched
against forms.xlsform.arabic_rules and arabic_expressions with its names and
numbers kept. A problem of the definition check goes through forms.problem_text,
as in the editor. A sentence no rule knows comes back in English: said in the
wrong language, never dropped.
"""

from __future__ import annotations

import re

from forms.problem_text import arabic as definition_arabic
from forms.xlsform import arabic_expressions as expressions
from forms.xlsform import arabic_rules as rules
from forms.xlsform.problems import DEFINITION, Problem, XLSFormError


def _compiled(table: list[tuple[str, str]]) -> list[tuple[re.Pattern, str]]:
    return [(re.compile(english), arabic) for english, arabic in table]


_SENTENCES = _compiled(rules.FILE + rules.ROWS + expressions.CONSTRAINTS + expressions.EXPRESSIONS)
_EXPRESSIONS = _compiled(expressions.EXPRESSIONS)
# The parts in parentheses, said by tables of their own.
_PARTS = {"d": _compiled(rules.DETAILS), "why": _compiled(expressions.WHY)}
_HINT = re.compile(r' \(did you mean "(?P<s>[^"]*)"\?\)$')
_AT = re.compile(r"(?P<p>.+) at (?P<pos>\d+)")  # an expression's problem and its character


def _apply(table: list[tuple[re.Pattern, str]], text: str) -> str | None:
    for pattern, arabic in table:
        found = pattern.fullmatch(text)
        if found is None:
            continue
        values = {key: value or "" for key, value in found.groupdict().items()}
        for key, part_rules in _PARTS.items():
            if key in values:
                values[key] = _apply(part_rules, values[key]) or values[key]
        # {w} stays as written (end_{w}); {w_ar} is the word in a sentence.
        values.update({f"{k}_ar": rules.WORDS.get(v, v) for k, v in list(values.items())})
        return arabic.format(**values)
    return None


def sentence(text: str) -> str | None:
    """Return one problem's sentence in Arabic, or None when no rule knows it."""
    hint = _HINT.search(text)
    body = text[: hint.start()] if hint else text
    at = _AT.fullmatch(body)
    inner = _apply(_EXPRESSIONS, at["p"]) if at else None
    said = f"{inner} (عند الحرف {at['pos']})" if inner else _apply(_SENTENCES, body)
    if said is None:
        return None
    return said + (f" (هل تقصد «{hint['s']}»؟)" if hint else "")


def place(problem: Problem) -> str:
    """Return where a problem is, in Arabic, with the spreadsheet's own names and numbers."""
    where = f"الورقة {problem.sheet}"
    if problem.row is not None:
        where += f"، الصف {problem.row}"
    if problem.column:
        where += f"، العمود {problem.column}"
    return where


def line(problem: Problem) -> str:
    """Return one problem as one Arabic line, beginning with the file's name."""
    if problem.sheet == DEFINITION:
        path, _sep, message = problem.text.partition(": ")
        return f"{problem.source}: {path}: {definition_arabic(message)}"
    said = sentence(problem.text) or problem.text
    if not problem.sheet:
        return f"{problem.source}: {said}"
    return f"{problem.source}: {place(problem)}: {said}"


def in_arabic(error: XLSFormError) -> list[str]:
    """Return the problems of a refused import in Arabic, one line each, in their order."""
    if not error.problems:
        return list(error.messages)
    return [line(problem) for problem in error.problems]


_TAKEN = {"cell": "الخلية (cell)", "row": "الصف (row)", "column": "العمود (column)"}


def skipped_line(item) -> str:
    """Return an item left out of an import (forms.xlsform.skipping.Skipped) in Arabic."""
    rows = f"الصفوف {item.first}–{item.last} (rows)"
    taken = rows if item.what == "rows" else _TAKEN[item.what]
    return f"{line(item.problem)} (تُرك: {taken})"
