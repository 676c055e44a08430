"""A repeat whose number of rows is computed from the answers (its `count`).

"How many children?" then one row per child: the page adds rows as the answer
grows and takes empty ones away as it shrinks (static/js/rifd-forms.js), and the
server refuses more filled rows than the count allows. Both compute the count as
number(count) over the same values, capped at the repeat's 50 rows; an empty or
non-numeric answer allows none. Rows left empty are allowed, as in ODK: a count
is the rows offered, not rows that must be filled.
"""

from __future__ import annotations

from forms import conditions

MOST_ROWS = 50


def rows_allowed(fdef: dict, values: dict) -> int:
    """Return the most rows this repeat may hold given the answers in `values`."""
    expression = fdef.get("count")
    if not expression:
        return fdef.get("max", MOST_ROWS)
    number = conditions.value_of(f"number({expression})", values)
    if not isinstance(number, int | float) or isinstance(number, bool):
        return 0
    return max(0, min(MOST_ROWS, int(number)))
