"""XLSForm expressions <-> Rifd conditions: the translation tables, both ways.

The names below stand for a small survey: a repeat with a field inside, a yes/no
question, a calculate, ODK metadata and a group, so every kind of reference is met.
"""

from __future__ import annotations

import pytest

from forms import conditions
from forms.xlsform.condition_text import text
from forms.xlsform.to_xpath import XPathWriter
from forms.xlsform.translate import Context, Symbol, Translator, Untranslatable
from forms.xlsform.xpath import XPathError, parse

TYPES = {
    "name": "text",
    "city": "text",
    "age": "integer",
    "size": "integer",
    "income": "decimal",
    "expenses": "decimal",
    "marital": "select_one",
    "needs": "select_multiple",
    "has_debts": "yes_no",
    "children": "repeat",
}


def _symbols() -> dict[str, Symbol]:
    found = {n: Symbol(n, n, "field", t) for n, t in TYPES.items()}
    found["child_age"] = Symbol("child_age", "child_age", "field", "integer", repeat="children")
    found["start"] = Symbol("start", "start", "metadata")
    found["household"] = Symbol("household", "household", "group")
    for name, expression in {
        "total": "${income} + ${expenses}",
        "loop_a": "${loop_b} + 1",
        "loop_b": "${loop_a} + 1",
    }.items():
        found[name] = Symbol(name, name, "calculate", expression=parse(expression))
    return found


TOP = Context()


def rifd(expression: str, ctx: Context = TOP) -> str:
    return text(Translator(_symbols()).condition(parse(expression), ctx))


IN_CHILDREN = Context(repeat="children", own="child_note")
TO_RIFD = [
    ("${age} >= 18", "age >= 18"),
    ("${age}>=18 and ${size}<5", "age >= 18 and size < 5"),
    ("${marital} = 'married'", "marital == 'married'"),
    ('${marital} = "widowed"', "marital == 'widowed'"),
    ("${city} = \u2018riyadh\u2019", "city == 'riyadh'"),
    ("${name} != ''", "filled(name)"),
    ("'' = ${name}", "empty(name)"),
    ("selected(${needs}, 'food')", "selected(needs, 'food')"),
    ("not(selected(${needs}, 'food'))", "not selected(needs, 'food')"),
    ("not(${age} > 60)", "not (age > 60)"),
    ("${has_debts} = 'yes'", "has_debts == true"),
    ("'no' != ${has_debts}", "false != has_debts"),
    ("selected(${has_debts}, 'yes')", "has_debts == true"),
    ("${has_debts} = true()", "has_debts == true"),
    ("${income} - ${expenses} < 0", "income - expenses < 0"),
    ("${income} div ${size} < 500", "income / size < 500"),
    ("(${income} + ${expenses}) * 2 > 100", "(income + expenses) * 2 > 100"),
    ("${income} - (${expenses} - 5) > 0", "income - (expenses - 5) > 0"),
    ("${income} - ${expenses} - 5 > 0", "income - expenses - 5 > 0"),
    ("-${age} < -5", "-age < -5"),
    (".5 < ${income}", "0.5 < income"),
    ("count(${children}) > 2", "count(children) > 2"),
    ("count-selected(${needs}) >= 3", "count(needs) >= 3"),
    ("string-length(${name}) > 3", "length(name) > 3"),
    ("number(${city}) = 5", "number(city) == 5"),
    ("${age} > 5 or ${size} > 2 and ${income} > 0", "age > 5 or (size > 2 and income > 0)"),
    ("(${age} > 5 or ${size} > 2) and ${income} > 0", "(age > 5 or size > 2) and income > 0"),
    ("${age} > 1 and ${age} < 9 and ${size} = 2", "age > 1 and age < 9 and size == 2"),
    ("${total} > 1000", "income + expenses > 1000"),
    ("${total} * 2 > 1000", "(income + expenses) * 2 > 1000"),
    ("${city} = concat('it', \"'\", 's')", 'city == "it\'s"'),
    ("true() and ${age} > 1", "true and age > 1"),
    ("if(${age} > 1, 1, 0) = 1", "if(age > 1, 1, 0) == 1"),
    ("today() > ${city}", "today() > city"),
    ("concat(${name}, ' ', ${city}) != ''", "filled(concat(name, ' ', city))"),
    (
        "sum(${income}, ${expenses}) > max(${age}, ${size})",
        "sum(income, expenses) > max(age, size)",
    ),
    ("min(${age}, 3) = 3", "min(age, 3) == 3"),
]


@pytest.mark.parametrize(("xlsform", "expected"), TO_RIFD)
def test_translation_table(xlsform, expected):
    assert rifd(xlsform) == expected
    conditions.parse(expected)  # Rifd's own parser reads what was written


def test_a_field_in_a_repeat_reads_its_row_and_the_top_level():
    assert rifd("${child_age} >= 6 and ${size} > 2", IN_CHILDREN) == "child_age >= 6 and size > 2"


@pytest.mark.parametrize(
    ("xlsform", "values", "holds"),
    [
        ("${income} div ${size} < 500", {"income": 1000, "size": 2}, False),
        ("${income} div ${size} < 500", {"income": 1000, "size": 3}, True),
        ("${name} != ''", {"name": ""}, False),
        ("${total} < 3000", {"income": 1000, "expenses": 1500}, True),
        ("${has_debts} = 'yes'", {"has_debts": True}, True),
        ("${has_debts} = 'no'", {"has_debts": True}, False),
        ("not(selected(${needs}, 'food'))", {"needs": ["rent", "food"]}, False),
    ],
)
def test_translations_mean_what_odk_means(xlsform, values, holds):
    assert conditions.evaluate(rifd(xlsform), values) is holds


ERRORS = [
    ("coalesce(${age}, 1) > 0", "the function coalesce() is not supported by Rifd"),
    ("format-date(${age}, '%Y') = '2020'", "the function format-date() is not supported by Rifd"),
    ("if(${age} > 1, 1) = 1", "if() takes 3 argument(s), not 2"),
    ("${age} mod 2 = 0", '"mod" is not supported by Rifd'),
    ("${agee} > 1", 'unknown field "${agee}" (did you mean "${age}"?)'),
    ("${start} != ''", '"${start}" is ODK metadata, which Rifd does not keep'),
    ("${household} = 'x'", '"${household}" is a group: an expression reads fields'),
    ("${child_age} > 5", 'is inside the repeat "children": from outside a repeat Rifd can only'),
    ("1 < ${age} < 5", 'comparisons cannot be chained: join them with "and"'),
    (". > 5", '"." (the answer itself) can only be used in a constraint'),
    ("${has_debts} = 'maybe'", 'the yes/no field "${has_debts}" is "yes" or "no", not "maybe"'),
    ("${loop_a} > 1", "in a circle: ${loop_a} -> ${loop_b} -> ${loop_a}"),
    ("regex(${name}, 'x')", "regex() can only be used in a constraint"),
    ("selected(${needs})", "selected() takes 2 argument(s), not 1"),
    ("sum() > 1", "the function sum() is not supported by Rifd"),
]


@pytest.mark.parametrize(("xlsform", "problem"), ERRORS)
def test_what_rifd_cannot_represent_is_named(xlsform, problem):
    with pytest.raises(Untranslatable) as caught:
        rifd(xlsform)
    assert problem in str(caught.value)


def test_a_field_cannot_read_itself():
    with pytest.raises(Untranslatable, match=r'cannot depend on itself \("\$\{age\}"\)'):
        rifd("${age} > 1", Context(own="age"))


@pytest.mark.parametrize(
    ("xlsform", "problem"),
    [
        ("${age} > ", "unexpected end of the expression at 9"),
        ("${age", '"${" is not closed with "}" at 0'),
        ("${name} = 'abc", "a text in quotes is not closed at 10"),
        ("../age > 1", "paths (/data/name, ../name, name) are not supported"),
        ("/data/age > 1", "paths (/data/name, ../name, name) are not supported"),
        ("age > 1", "paths (/data/name, ../name, name) are not supported"),
        ("${age} > 1)", 'unexpected ")" at 10'),
        ("${age} # 1", 'unexpected character "#" at 7'),
        ("1.2.3 > 1", '"1.2.3" is not a number at 0'),
        ("(" * 60 + "1" + ")" * 60, "the expression is nested more than 50 deep"),
        ("", "the expression is empty"),
    ],
)
def test_expressions_that_do_not_parse(xlsform, problem):
    with pytest.raises(XPathError) as caught:
        parse(xlsform)
    assert problem in str(caught.value)


TO_XPATH = [
    ("age >= 18", "${age} >= 18"),
    ("has_debts == true", "${has_debts} = 'yes'"),
    ("false == has_debts", "'no' = ${has_debts}"),
    ("has_debts", "${has_debts} = 'yes'"),
    ("not has_debts", "not(${has_debts} = 'yes')"),
    ("empty(name)", "${name} = ''"),
    ("filled(name) and age > 1", "${name} != '' and ${age} > 1"),
    ("count(needs) > 1", "count-selected(${needs}) > 1"),
    ("count(children) > 1", "count(${children}) > 1"),
    ("income / size < 5", "${income} div ${size} < 5"),
    ("length(name) > 2", "string-length(${name}) > 2"),
    ('name == "it\'s"', '${name} = "it\'s"'),
    ("name == 'a\\'b\"c'", "${name} = concat('a', \"'\", 'b\"c')"),
    ("name == null", "${name} = ''"),
    ("age > 1 or size > 1 and income > 1", "${age} > 1 or (${size} > 1 and ${income} > 1)"),
    ("-(age + 1) * 2 > 0.000001", "-(${age} + 1) * 2 > 0.000001"),
]


@pytest.mark.parametrize(("condition", "expected"), TO_XPATH)
def test_export_table(condition, expected):
    assert XPathWriter(TYPES).expression(conditions.parse(condition)) == expected


CANONICAL = [
    "age >= 18 and size < 5",
    "marital == 'married' or selected(needs, 'food')",
    "has_debts == true and filled(name)",
    "not (age > 60)",
    "not selected(needs, 'rent')",
    "count(children) + 1 != size",
    "-(income - expenses) / 2 >= 0.5",
    "income - (expenses - 5) > 0",
    "age > 5 or (size > 2 and income > 0)",
    "(age > 5 or size > 2) and income > 0",
    "city == 'it\\'s \"x\"'",
    "length(name) > 3 and number(city) == 5",
]


@pytest.mark.parametrize("condition", CANONICAL)
def test_canonical_conditions_come_back_letter_for_letter(condition):
    assert rifd(XPathWriter(TYPES).expression(conditions.parse(condition))) == condition


@pytest.mark.parametrize(
    "condition",
    [
        "has_debts",
        "not has_debts or age=3",
        "(has_debts)",
        "name == ''",
        "age > 1 and (size > 1 and age > 2)",
    ],
)
def test_other_spellings_come_back_with_the_same_meaning(condition):
    once = rifd(XPathWriter(TYPES).expression(conditions.parse(condition)))
    assert rifd(XPathWriter(TYPES).expression(conditions.parse(once))) == once
    for values in ({}, {"has_debts": True, "age": 3}, {"has_debts": False, "name": "x", "size": 2}):
        assert conditions.evaluate(once, values) == conditions.evaluate(condition, values)
