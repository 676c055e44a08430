"""Repeats inside repeats: a family's members, each with a table of chronic illnesses and
a table of courses counted by an answer of the member's own row.

Stored shape: a repeat's value is a list of row dicts; an inner repeat's value is a list
of row dicts inside its parent row's dict. The server checks each inner repeat per parent
row (its rows, its count, its calculations, what its conditions see) and names both rows
in its errors.
"""

import copy
import json
from pathlib import Path

import pytest

from forms.definition import DefinitionError, parse_definition
from forms.problem_text import arabic
from forms.validation import validate_answers
from tests.conftest import post_form, sign_in
from tests.web.conftest import t
from tests.web.test_staff_forms import errors_by_field, stored

URL = "/forms/family/new"

ILLNESSES = {
    "name": "illnesses",
    "type": "repeat",
    "label": t("الأمراض المزمنة", "Chronic illnesses"),
    "max": 2,
    "add_label": t("إضافة مرض", "Add an illness"),
    "fields": [
        {
            "name": "illness",
            "type": "text",
            "label": t("المرض", "Illness"),
            "hint": t("مرض يعاني منه ${member}", "An illness ${member} has"),
            "required": True,
        },
        {
            "name": "monthly_cost",
            "type": "decimal",
            "label": t("التكلفة الشهرية", "Monthly"),
            # A rule reading the member's row: above 5000 only for those 60 and over.
            "constraints": {
                "rule": "monthly_cost <= 5000 or age >= 60",
                "messages": {"rule": t("تكلفة عالية لمن دون الستين.", "High for under 60.")},
            },
        },
        {
            "name": "unit",
            "type": "text",
            "label": t("العملة", "Currency"),
            "read_only": True,
            "default": "ريال",
        },
        {
            "name": "yearly_cost",
            "type": "calculate",
            "label": t("التكلفة السنوية", "Yearly cost"),
            "calculation": "monthly_cost * 12",
        },
        {
            "name": "illness_no",
            "type": "calculate",
            "label": t("رقم المرض", "Illness number"),
            "calculation": "position()",
        },
        {
            # Sees its own row (the cost), the member's row (the age) and the form.
            "name": "covered",
            "type": "yes_no",
            "label": t("هل يغطيها التأمين؟", "Covered by insurance?"),
            "visible_if": "insured and age >= 18 and monthly_cost > 0",
            "required": True,
        },
        {"name": "report", "type": "file", "label": t("التقرير الطبي", "Medical report")},
    ],
}

COURSES = {
    "name": "courses",
    "type": "repeat",
    "label": t("الدورات", "Courses"),
    "count": "course_count",
    "fields": [{"name": "course", "type": "text", "label": t("الدورة", "Course")}],
}

FAMILY = {
    "id": "family",
    "version": 1,
    "ref_prefix": "FM",
    "title": t("بيانات الأسرة", "Family data"),
    "sections": [
        {
            "name": "main",
            "title": t("الأسرة", "Family"),
            "fields": [
                {"name": "head", "type": "text", "label": t("رب الأسرة", "Head"), "required": True},
                {"name": "insured", "type": "yes_no", "label": t("لديهم تأمين؟", "Insured?")},
                {
                    "name": "members",
                    "type": "repeat",
                    "label": t("أفراد الأسرة", "Family members"),
                    "max": 6,
                    "fields": [
                        {
                            "name": "member",
                            "type": "text",
                            "label": t("الاسم", "Name"),
                            "required": True,
                        },
                        {"name": "age", "type": "integer", "label": t("العمر", "Age")},
                        {
                            "name": "course_count",
                            "type": "integer",
                            "label": t("عدد الدورات", "Courses taken"),
                        },
                        ILLNESSES,
                        COURSES,
                        {
                            "name": "member_cost",
                            "type": "calculate",
                            "label": t("تكلفة أمراضه سنويًا", "Yearly cost of his illnesses"),
                            "calculation": "sum(yearly_cost)",
                        },
                    ],
                },
                {
                    "name": "family_cost",
                    "type": "calculate",
                    "label": t("تكلفة الأسرة سنويًا", "Family's yearly cost"),
                    "calculation": "sum(yearly_cost)",
                },
            ],
        }
    ],
}


@pytest.fixture(autouse=True)
def family_form(app, own_forms):
    folder = Path(app.config["DATA_DIR"]) / "forms"
    (folder / "family.json").write_text(json.dumps(FAMILY, ensure_ascii=False), "utf-8")


def member(i: int, name: str, age: str = "", courses: str = "", **extra) -> dict:
    out = {f"members-{i}-member": name, f"members-{i}-age": age}
    out[f"members-{i}-course_count"] = courses
    out.update({f"members-{i}-{k}": v for k, v in extra.items()})
    return out


def illness(i: int, j: int, name: str, cost: str = "", **extra) -> dict:
    out = {f"members-{i}-illnesses-{j}-illness": name}
    out[f"members-{i}-illnesses-{j}-monthly_cost"] = cost
    out.update({f"members-{i}-illnesses-{j}-{k}": v for k, v in extra.items()})
    return out


def sent(*parts: dict, **top) -> dict:
    out = {"rifd-channel": "interview", "head": "صالح", **top}
    for part in parts:
        out.update(part)
    return out


def test_the_definition_nests_three_levels_and_refuses_a_fourth():
    parse_definition(FAMILY)
    deep = copy.deepcopy(FAMILY)
    inner = deep["sections"][0]["fields"][2]["fields"][3]
    third = {"name": "doses", "type": "repeat", "label": t("الجرعات", "Doses"), "fields": []}
    third["fields"] = [{"name": "dose", "type": "text", "label": t("الجرعة", "Dose")}]
    inner["fields"].append(third)
    parse_definition(deep)  # members > illnesses > doses: three levels
    fourth = {"name": "times", "type": "repeat", "label": t("الأوقات", "Times")}
    fourth["fields"] = [{"name": "time_of", "type": "text", "label": t("الوقت", "Time")}]
    third["fields"].append(fourth)
    with pytest.raises(DefinitionError) as err:
        parse_definition(deep)
    [line] = err.value.messages
    assert line.endswith(
        "sections[0].fields[2].fields[3].fields[7].fields[1].type:"
        " repeats nest 3 levels deep at most (this one is level 4)"
    )
    said = arabic(line.split(": ", 2)[2])
    assert "لا تتداخل المجموعات المتكررة أكثر من 3 مستويات" in said and "المستوى 4" in said


def test_inner_rules_are_checked_like_the_outer_ones():
    bad = copy.deepcopy(FAMILY)
    courses = bad["sections"][0]["fields"][2]["fields"][4]
    courses["count"] = "course + 1"  # counted by what is typed in its own rows
    bad["sections"][0]["fields"][2]["fields"][3]["fields"][0]["name"] = "member"
    with pytest.raises(DefinitionError) as err:
        parse_definition(bad)
    text = "\n".join(err.value.messages)
    assert '.fields[4].count: unknown field "course"' in text
    assert '.fields[3].fields[0].name: "member" is already used by' in text


def test_nested_rows_are_stored_inside_their_parent_row(client, store):
    data = sent(
        member(0, "سارة", "40", "0"),
        member(1, "خالد", "70", "2"),
        illness(1, 0, "السكري", "100", covered="yes", yearly_cost="1", illness_no="9"),
        illness(1, 1, "الضغط", "50", unit="دولار", covered="no"),
        {"members-1-courses-0-course": "الإسعافات", "members-1-courses-1-course": "الحاسب"},
        insured="yes",
    )
    response = post_form(client, URL, data)
    assert response.status_code == 302, errors_by_field(response.get_data(as_text=True))
    [record] = stored(store, "family")
    assert record["answers"] == {
        "head": "صالح",
        "insured": True,
        "members": [
            {"member": "سارة", "age": 40, "course_count": 0, "member_cost": 0},
            {
                "member": "خالد", "age": 70, "course_count": 2,
                "illnesses": [
                    {"illness": "السكري", "monthly_cost": 100, "unit": "ريال",
                     "yearly_cost": 1200, "illness_no": 1, "covered": True},
                    {"illness": "الضغط", "monthly_cost": 50, "unit": "ريال",
                     "yearly_cost": 600, "illness_no": 2, "covered": False},
                ],
                "courses": [{"course": "الإسعافات"}, {"course": "الحاسب"}],
                "member_cost": 1800,
            },
        ],
        "family_cost": 1800,
    }  # fmt: skip


def test_an_inner_condition_sees_its_row_the_parent_row_and_the_form(client, store):
    # A child's illness: the member's age hides the insurance question, so its answer
    # is dropped; an adult's needs it.
    data = sent(
        member(0, "ريم", "10"),
        illness(0, 0, "الربو", "30", covered="yes"),
        member(1, "فهد", "30"),
        illness(1, 0, "الربو", "30"),
        insured="yes",
    )
    response = post_form(client, URL, data)
    assert response.status_code == 400
    errors = errors_by_field(response.get_data(as_text=True))
    assert errors == {"covered": "هذا الحقل مطلوب. (أفراد الأسرة: الصف 2؛ الأمراض المزمنة: الصف 1)"}
    page = response.get_data(as_text=True)
    assert 'name="members-1-illnesses-0-illness" type="text" value="الربو"' in page
    # The summary at the top links to the field, labelled with both rows' numbers.
    summary = page.split('id="error-summary"', 1)[1].split("</ul>", 1)[0]
    assert 'href="#members-1-illnesses-0-covered-label"' in summary
    assert "هل يغطيها التأمين؟ (2، 1): هذا الحقل مطلوب." in summary
    data = sent(member(0, "ريم", "10"), illness(0, 0, "الربو", "30", covered="yes"))
    response = post_form(client, URL, {**data, "insured": "no"})
    assert response.status_code == 302, errors_by_field(response.get_data(as_text=True))
    [record] = stored(store, "family")
    assert "covered" not in record["answers"]["members"][0]["illnesses"][0]


def test_inner_limits_are_per_parent_row():
    form = parse_definition(FAMILY)
    raw = {"head": "صالح", "members": [
        {"member": "أ", "illnesses": [{"illness": "1"}, {"illness": "2"}]},
        {"member": "ب", "illnesses": [{"illness": "1"}, {"illness": "2"}, {"illness": "3"}]},
    ]}  # fmt: skip
    result = validate_answers(form, raw)
    assert result.errors == {"members-1-illnesses": "عدد الصفوف أكثر من 2. (أفراد الأسرة: الصف 2)"}
    least = copy.deepcopy(FAMILY)
    least["sections"][0]["fields"][2]["fields"][3].update(min=2)
    raw["members"][1]["illnesses"].pop()
    raw["members"][0]["illnesses"].pop()
    result = validate_answers(parse_definition(least), raw)
    assert result.errors == {"members-0-illnesses": "أضف 2 صفًا على الأقل. (أفراد الأسرة: الصف 1)"}


def test_an_inner_count_follows_an_answer_of_its_parent_row():
    form = parse_definition(FAMILY)
    courses = [{"course": "أ"}, {"course": "ب"}]
    raw = {"head": "صالح", "members": [
        {"member": "أ", "course_count": "2", "courses": courses},
        {"member": "ب", "course_count": "1", "courses": courses + [{"course": ""}]},
    ]}  # fmt: skip
    result = validate_answers(form, raw)
    assert result.errors == {"members-1-courses": "عدد الصفوف أكثر من 1. (أفراد الأسرة: الصف 2)"}
    raw["members"][1]["course_count"] = "2"
    result = validate_answers(form, raw)
    assert result.ok, result.errors
    assert [len(m["courses"]) for m in result.answers["members"]] == [2, 2]


@pytest.mark.parametrize(
    "hostile",
    [
        {"members-99999999-illnesses-99999999-illness": "x"},
        {"members-" + "9" * 5000 + "-member": "x"},
        {"members-²-member": "x", "members-0-illnesses-³-illness": "x"},
        {"members--1-member": "x", "members-0-illnesses--1-illness": "x"},
        {"members-0-illnesses": "نص", "members-0-illnesses-0": "نص"},
        {"members-0-illnesses-0-illness-0-x": "نص", "members-0-member": ["a", "b"]},
    ],
)
def test_hostile_posts_get_an_answer_never_a_500(client, store, hostile):
    response = post_form(client, URL, sent(**hostile))
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        [record] = stored(store, "family")
        assert set(record["answers"]) <= {"head", "members", "family_cost"}


def test_inner_rows_without_their_parent_row_are_refused_by_name(client, store):
    # Only an illness under a member row nobody filled: the member's name is required.
    response = post_form(client, URL, sent(illness(4, 0, "السكري")))
    assert response.status_code == 400
    assert errors_by_field(response.get_data(as_text=True)) == {"member": "هذا الحقل مطلوب."}
    assert stored(store, "family") == []


def test_too_many_inner_rows_are_refused_and_nothing_is_written(client, store):
    rows = {}
    for j in range(60):
        rows.update(illness(0, j, f"مرض {j}"))
    response = post_form(client, URL, sent(member(0, "سارة"), rows))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "عدد الصفوف أكثر من 2. (أفراد الأسرة: الصف 1)" in page
    assert 'value="سارة"' in page
    assert stored(store, "family") == []


def test_a_draft_keeps_the_inner_rows_and_sends_them_later(app, store):
    client = app.test_client()
    sign_in(client, app, username="sara", roles=["intake"])
    data = sent(member(0, "سارة"), member(1, "خالد", "70"), illness(1, 1, "الضغط", "50"))
    saved = post_form(client, URL, {**data, "rifd-action": "draft"})
    assert saved.status_code == 302 and "?draft=" in saved.headers["Location"]
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    # Each inner row under its own member, by the name it was sent with.
    assert 'name="members-1-illnesses-1-illness" type="text" value="الضغط"' in page
    assert 'name="members-0-illnesses-0-illness" type="text" value=""' in page
    assert 'name="members-1-illnesses-0-illness"' not in page
    response = post_form(client, saved.headers["Location"], data)
    assert response.status_code == 302, errors_by_field(response.get_data(as_text=True))
    [record] = stored(store, "family")
    assert record["answers"]["members"][1]["illnesses"] == [
        {"illness": "الضغط", "monthly_cost": 50, "unit": "ريال", "yearly_cost": 600,
         "illness_no": 1},
    ]  # fmt: skip


def test_a_row_removed_in_the_browser_leaves_the_others_their_names(client, store):
    # Rows 0 and 3 sent (1 and 2 removed): the error lands on row 3, numbered 2nd.
    data = sent(member(0, "سارة"), member(3, "", "70"), illness(3, 0, "الربو"))
    response = post_form(client, URL, data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'name="members-3-age" type="text" value="70"' in page
    assert 'data-index="3"' in page and 'name="members-1-' not in page
    assert 'data-focus="members-3-member">الاسم (2): هذا الحقل مطلوب.' in page


def test_an_inner_rule_reads_the_parent_row():
    form = parse_definition(FAMILY)
    rows = [{"illness": "الكلى", "monthly_cost": "6000"}]
    raw = {"head": "صالح", "members": [
        {"member": "أ", "age": "70", "illnesses": rows},
        {"member": "ب", "age": "30", "illnesses": rows},
    ]}  # fmt: skip
    result = validate_answers(form, raw)
    assert result.errors == {
        "members-1-illnesses-0-monthly_cost": "تكلفة عالية لمن دون الستين."
        " (أفراد الأسرة: الصف 2؛ الأمراض المزمنة: الصف 1)"
    }


def test_three_levels_from_an_imported_xlsform_fill_and_store(app, client, store):
    # The nested XLSForm of the import's tests (families > members > follow-ups).
    source = Path(__file__).parents[1] / "forms" / "xlsforms" / "family_visits.json"
    folder = Path(app.config["DATA_DIR"]) / "forms"
    (folder / "family_visits.json").write_text(source.read_text("utf-8"), "utf-8")
    url = "/forms/family_visits/new"
    page = client.get(url).get_data(as_text=True)
    for placeholder in ("__index__", "__index1__", "__index2__"):
        assert f'data-placeholder="{placeholder}"' in page
    assert 'name="family-__index__-member-__index1__-follow_up-__index2__-follow_up_note"' in page
    row = "family-0-member-"
    data = {
        "rifd-channel": "interview",
        "researcher": "نورة",
        "family-0-head_name": "صالح",
        "family-0-members_count": "2",
        f"{row}0-member_name": "خالد",
        f"{row}0-member_age": "40",
        f"{row}0-member_income": "3000",
        f"{row}1-member_name": "ريم",
        f"{row}1-member_age": "12",
        f"{row}1-member_income": "999",  # hidden under 18: dropped
        f"{row}1-follow_up-0-follow_up_note": "زيارة المدرسة",
        f"{row}1-follow_up-0-follow_up_date": "2026-03-01",
    }
    response = post_form(client, url, data)
    assert response.status_code == 302, errors_by_field(response.get_data(as_text=True))
    [record] = stored(store, "family_visits")
    [family] = record["answers"]["family"]
    assert family["family_income"] == 3000
    assert family["member"][1] == {
        "member_name": "ريم",
        "member_age": 12,
        "guardian": "رب الأسرة",  # its default, shown under 18 with a head named
        "follow_up": [{"follow_up_note": "زيارة المدرسة", "follow_up_date": "2026-03-01"}],
    }
    # A follow-up without its note, two levels down: named by all three rows.
    data[f"{row}1-follow_up-0-follow_up_note"] = ""
    response = post_form(client, url, data)
    assert response.status_code == 400
    assert errors_by_field(response.get_data(as_text=True)) == {
        "follow_up_note": "هذا الحقل مطلوب. (أسرة: الصف 1؛ فرد من الأسرة: الصف 2؛ متابعة: الصف 1)"
    }
