"""Server side of what forms compute with: a repeat's columns, rules between answers."""

import pytest

from forms.conditions.words import in_words
from forms.definition import DefinitionError, parse_definition
from forms.validation import validate_answers


def text(ar):
    return {"ar": ar, "en": ar}


def definition(**changes):
    data = {
        "id": "family",
        "version": 1,
        "title": text("الأسرة"),
        "sections": [
            {
                "name": "s",
                "title": text("الأسرة"),
                "fields": [
                    {"name": "start_date", "type": "date", "label": text("من")},
                    {
                        "name": "end_date",
                        "type": "date",
                        "label": text("إلى"),
                        "constraints": {
                            "rule": "end_date > start_date",
                            "messages": {
                                "rule": {"ar": "النهاية بعد البداية", "en": "End after start"}
                            },
                        },
                    },
                    {
                        "name": "family_count",
                        "type": "integer",
                        "label": text("عدد الأفراد"),
                        "constraints": {"rule": "family_count == count(family)"},
                    },
                    {
                        "name": "family",
                        "type": "repeat",
                        "label": text("الأفراد"),
                        "fields": [
                            {"name": "member", "type": "text", "label": text("الاسم")},
                            {"name": "income", "type": "decimal", "label": text("الدخل")},
                            {
                                "name": "works",
                                "type": "yes_no",
                                "label": text("يعمل"),
                            },
                            {
                                "name": "salary",
                                "type": "decimal",
                                "label": text("الراتب"),
                                "visible_if": "works == true",
                            },
                        ],
                    },
                    {
                        "name": "support_reason",
                        "type": "text",
                        "label": text("سبب الدعم"),
                        "visible_if": "sum(income) + sum(salary) < 3000 and count(family) > 0",
                        "required": True,
                    },
                ],
            }
        ],
    }
    data.update(changes)
    return parse_definition(data)


FORM = definition()
ROWS = [
    {"#": 0, "member": "سارة", "income": "1000", "works": "no", "salary": "5000"},
    {"#": 1, "member": "علي", "income": "٥٠٠", "works": "yes", "salary": "1000"},
]


def test_a_rule_compares_two_dates():
    late = validate_answers(FORM, {"start_date": "2026-03-15", "end_date": "2026-03-01"})
    assert late.errors == {"end_date": "النهاية بعد البداية"}
    english = validate_answers(
        FORM, {"start_date": "2026-03-15", "end_date": "2026-03-01"}, lang="en"
    )
    assert english.errors == {"end_date": "End after start"}
    right = validate_answers(FORM, {"start_date": "2026-03-01", "end_date": "2026-03-15"})
    assert right.ok


def test_a_rule_holds_only_for_a_given_answer():
    assert validate_answers(FORM, {"end_date": "2026-03-01"}).errors == {
        "end_date": "النهاية بعد البداية"
    }
    assert validate_answers(FORM, {"start_date": "2026-03-01"}).ok


def test_the_family_count_equals_the_rows_of_the_table():
    raw = {"family_count": "3", "family": ROWS, "support_reason": "x"}
    assert validate_answers(FORM, raw).errors == {
        "family_count": "الإجابة لا تتفق مع الإجابات الأخرى، راجعها."
    }
    raw["family_count"] = "٢"
    assert validate_answers(FORM, raw).ok


def test_sum_over_a_repeat_reads_the_shown_answers_of_filled_rows():
    # Sara's salary is hidden (she does not work): 1000 + 500 + 1000 < 3000.
    rows = [*ROWS, {"#": 5, "member": "", "income": "", "works": "", "salary": ""}]
    result = validate_answers(FORM, {"family": rows})
    assert result.errors == {"support_reason": "هذا الحقل مطلوب."}
    rows[1]["salary"] = "2000"  # now 3500: the reason is hidden and not asked
    assert validate_answers(FORM, {"family": rows}).ok


def test_no_rows_no_sum():
    # count(family) > 0 fails: the reason stays hidden and is not asked for.
    assert validate_answers(FORM, {}).ok


@pytest.mark.parametrize(
    ("rule", "problem"),
    [
        ("end_date > strat_date", 'unknown field "strat_date" (did you mean "start_date"?)'),
        ("end_date >", "unexpected end of condition"),
    ],
)
def test_a_bad_rule_is_named(rule, problem):
    with pytest.raises(DefinitionError) as err:
        parse_definition(_with_rule(rule))
    assert problem in str(err.value)


def _with_rule(rule):
    form = {
        "id": "r",
        "version": 1,
        "title": text("ر"),
        "sections": [
            {
                "name": "s",
                "title": text("س"),
                "fields": [
                    {"name": "start_date", "type": "date", "label": text("من")},
                    {
                        "name": "end_date",
                        "type": "date",
                        "label": text("إلى"),
                        "constraints": {"rule": rule},
                    },
                ],
            }
        ],
    }
    return form


def test_the_editor_reads_the_new_functions_in_words():
    data = {"sections": [{"fields": [{"name": "a", "label": {"ar": "الدخل", "en": "Income"}}]}]}
    assert (
        in_words(data, "visible_if", "sum(a, 2) > 3") == "يظهر إذا كان مجموع «الدخل»، 2 أكبر من 3"
    )
    assert in_words(data, "visible_if", "age(a) >= 18", "en") == (
        "Shown when the age in years from «Income» ≥ 18"
    )
