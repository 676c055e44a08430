"""Parse and evaluate the condition language of form definitions (visible_if, required_if).

The same language runs in the browser (static/js/conditions.js), so a field hides as
the person types and the server agrees it was hidden. Both sides are a hand-written
tokenizer, a precedence parser that builds a small tuple AST, and a tree-walking
evaluator; nothing is ever handed to eval. tests/condition_cases.json holds the one
table of cases that both evaluators must pass.

The stages live in their own modules: syntax (limits, vocabulary, ConditionError,
Node), tokens, parser (parse, names), values (numbers, blanks, truthiness) and
evaluator (evaluate, value_of). This package exposes them as one API.

The language, lowest precedence first:

    a or b          a and b          not a
    == = != < <= > >=               (one per operand pair: a < b < c is an error)
    + -             * /              -a              ( ... )
    numbers (Arabic-Indic and Persian digits too), 'text' or "text" (\\' \\" \\\\ only),
    true false null, field_names, and the functions in FUNCTIONS.

Keywords and names are lowercase ASCII only; `AND` or `Age` is an error that says so.
Positions in errors count characters (code points) from 0.

Values: None, bool, int/float, str, or a list of those. A missing name is null.
'' and [] count as null for comparison. `==` compares numbers numerically, a number
with a numeric string numerically, two strings as text, two booleans as booleans;
anything else is unequal. A list `==` a scalar is true when the list contains it; two
lists are equal when each holds every item of the other. Ordering is numeric for numbers
and numeric strings, by code point for two other strings, false otherwise. Arithmetic
takes numbers and numeric strings, gives null for anything else and for division by
zero, and rounds its result to 10 decimal places so 0.1 + 0.2 == 0.3 on both sides.
Truthiness: null, false, 0, '' and [] are false; `and`, `or`, `not` give booleans.
A numeric string is [+-]digits[.digits] once Arabic-Indic/Persian digits (and the
Arabic decimal sign) become ASCII and SPACES are trimmed; '1e3' and '1,000' are text.

Functions: selected(x, v) a list holds v or a non-blank x equals v; count(x) items of
a list, 0 for null or '', else 1; empty(x) x is null, '' or []; filled(x) not empty;
length(x) code points of a string, 0 for null, else null; number(x) a number, a
numeric string's value, 1/0 for true/false, else null.
if(c, a, b) a when c is truthy, else b; concat(x, ...) the text of each argument
(null '', numbers as JavaScript writes them, a list's items joined by a space), null
past MAX_TEXT characters; count_selected(x) (count-selected) and string_length(x)
(string-length) are XLSForm's names of count and length; today() the ISO date of
today, now() the date and time to the minute (2026-03-15T10:05); age(x) the whole
years from an ISO date (or date and time) to today, null for
anything else or a date to come; sum/min/max(x, ...) over numbers and lists (a
repeat's column: see forms.validation), blanks skipped, null if any other item is not
a number; sum of nothing is 0, min/max of nothing null. position() the number of the
repeat row the expression is read in (1 for the first row), null outside a repeat.
"""

from forms.conditions.evaluator import evaluate, value_of
from forms.conditions.parser import names, parse
from forms.conditions.syntax import (
    FUNCTIONS,
    HYPHENATED,
    MAX_DEPTH,
    MAX_LENGTH,
    SPACES,
    ConditionError,
    Node,
)

__all__ = [
    "FUNCTIONS",
    "HYPHENATED",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "SPACES",
    "ConditionError",
    "Node",
    "evaluate",
    "names",
    "parse",
    "value_of",
]
