"""The shipped policy profiles, the checks that guard a profile, and seeding each one."""

from __future__ import annotations

import copy
import json

import pytest

from app import create_app
from association import shipped_profile, shipped_profiles
from association.profile import ProfileError, check, current, problems, save
from forms.conditions import evaluate, names, parse
from tests.conftest import sign_in

SHIPPED = ["basmat_dental", "dawah_alshaaf", "mojtamee_madinah", "sanad_alahsa"]
# What the eligibility evaluator offers a rule beside the request's answers.
RULE_VARIABLES = {
    "in_area",
    "legal_residency",
    "total_income",
    "income_per_person",
    "income_threshold",
    "age",
    "previous_requests",
    "accepted_requests",
    "program_registrations",
    "cash_requested",
    "today",
}


def request_form() -> dict:
    with open("forms/library/support_request.json", encoding="utf-8") as fh:
        return json.load(fh)


def field_names(node) -> set[str]:
    """Return every field name of a form definition, inside repeats too."""
    found = set()
    if isinstance(node, dict):
        if "name" in node and "type" in node:
            found.add(node["name"])
        for value in node.values():
            found |= field_names(value)
    elif isinstance(node, list):
        for value in node:
            found |= field_names(value)
    return found


def choice_values(form: dict, field: str) -> set[str]:
    for section in form["sections"]:
        for fdef in section["fields"]:
            if fdef["name"] == field:
                choices = fdef["choices"]
                if isinstance(choices, str):
                    choices = form["choice_lists"][choices]
                return {c["value"] for c in choices}
    raise KeyError(field)


def test_four_profiles_ship():
    assert shipped_profiles() == SHIPPED


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_profile_passes_schema_and_checks(name):
    profile = shipped_profile(name)
    assert problems(profile) == []
    assert check(profile, name) is profile
    assert profile["id"] == name


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_profile_says_what_the_policy_says(name):
    profile = shipped_profile(name)
    assert profile["decision_deadline"] == {"days": 14, "count": "calendar_days"}
    steps = profile["policy"]["handling_steps"]
    assert len(steps) == 7 and sum("{deadline}" in step for step in steps) == 1
    assert "placeholders" in profile["_note"]
    assert profile["name"]["ar"].startswith("جمعية") and profile["name"]["en"]
    channels = [c["value"] for c in profile["channels"]]
    assert len(channels) == (8 if name == "sanad_alahsa" else 7)
    assert ("branch_reps" in channels) == (name == "sanad_alahsa")


def test_dawah_categories_rules_commitments_and_proof():
    profile = shipped_profile("dawah_alshaaf")
    leads = {c["id"]: c["lead_work_days"] for c in profile["program_categories"]}
    assert leads == {
        "open_programs": 5,
        "registration_programs": 10,
        "volunteer_programs": 0,
        "services_products": 0,
    }
    assert all(c["description"] for c in profile["program_categories"])
    rules = profile["eligibility"]
    assert (len(rules["general"]), len(rules["cash"])) == (3, 5)
    assert all(r["text"]["ar"] and r["text"]["en"] for r in rules["general"] + rules["cash"])
    # The ones no answer can decide are left to a person.
    unruled = {r["id"] for r in rules["cash"] if "rule" not in r}
    assert unruled == {"preacher_or_translator", "at_alshaaf", "distinguished_worker"}
    assert len(profile["commitments"]) == 7 and len(profile["proof_of_delivery"]) == 5
    assert profile["approval"] == {"board_meeting": 8, "date_gregorian": "2024-09-30"}


@pytest.mark.parametrize("name", SHIPPED)
def test_rules_name_only_answers_and_evaluator_variables(name):
    form = request_form()
    known = field_names(form) | RULE_VARIABLES
    rules = shipped_profile(name).get("eligibility", {})
    for rule in rules.get("general", []) + rules.get("cash", []):
        if "rule" in rule:
            assert names(parse(rule["rule"])) <= known, rule
    assert set(rules.get("area_cities", [])) <= choice_values(form, "city")
    assert set(rules.get("cash_support_types", [])) <= choice_values(form, "support_types")


@pytest.mark.parametrize(
    ("values", "passed"),
    [
        ({"income_per_person": 900}, True),
        ({"income_per_person": 1500}, True),
        ({"income_per_person": 2400}, False),
        ({"income_per_person": None}, False),
    ],
)
def test_dawah_low_income_rule_against_its_threshold(values, passed):
    rules = shipped_profile("dawah_alshaaf")["eligibility"]
    rule = next(r["rule"] for r in rules["cash"] if r["id"] == "low_income")
    variables = {"income_threshold": rules["income_threshold"], **values}
    assert evaluate(parse(rule), variables) is passed


def test_dawah_residency_rule_needs_both_area_and_residency():
    rule = parse(shipped_profile("dawah_alshaaf")["eligibility"]["general"][1]["rule"])
    assert evaluate(rule, {"in_area": True, "legal_residency": True}) is True
    assert evaluate(rule, {"in_area": True, "legal_residency": False}) is False
    assert evaluate(rule, {"in_area": False, "legal_residency": True}) is False


def test_madinah_document_control_and_basmat_chair():
    madinah = shipped_profile("mojtamee_madinah")["approval"]
    assert madinah["version"] == "01"
    assert madinah["prepared_by"] == madinah["reviewed_by"]
    assert madinah["prepared_by"]["date"] == "2021-11-18"
    assert madinah["approved_by"]["date"] == "2021-11-21"
    assert "eligibility" not in shipped_profile("mojtamee_madinah")
    basmat = shipped_profile("basmat_dental")["approval"]
    assert (basmat["board_meeting"], basmat["date_hijri"]) == (3, "1445/05/03")
    assert basmat["date_gregorian"] == "2023-11-16"
    assert basmat["approved_by"]["name"] == "د. سيرين بنت فخر الشواف"


def broken(change) -> dict:
    profile = copy.deepcopy(shipped_profile("dawah_alshaaf"))
    change(profile)
    return profile


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda p: p["policy"].update(titel="x"), 'policy.titel: unknown key "titel"'),
        (lambda p: p.update(colour="green"), 'colour: unknown key "colour"'),
        (
            lambda p: p["channels"][1].update(value="interview"),
            'channels[1].value: "interview" is used twice',
        ),
        (
            lambda p: p["program_categories"][2].update(id="open_programs"),
            'program_categories[2].id: "open_programs" is used twice',
        ),
        (
            lambda p: p["eligibility"]["cash"][1].update(rule="income_per_person <="),
            "eligibility.cash[1].rule: ",
        ),
        (
            lambda p: p["eligibility"]["general"][0].update(rule="in_area AND age > 18"),
            "eligibility.general[0].rule: ",
        ),
        (lambda p: p["decision_deadline"].update(days=0), "decision_deadline.days"),
        (lambda p: p["decision_deadline"].update(count="weeks"), "decision_deadline.count"),
        (lambda p: p["approval"].update(date_gregorian="30/09/2024"), "approval.date_gregorian"),
        (lambda p: p.pop("channels"), '$: "channels" is required'),
    ],
    ids=[
        "unknown-key",
        "unknown-top-key",
        "duplicate-channel",
        "duplicate-category",
        "rule-cut-short",
        "rule-uppercase",
        "zero-days",
        "unknown-count",
        "date-format",
        "no-channels",
    ],
)
def test_bad_profile_names_the_path(change, expected):
    found = problems(broken(change))
    assert found and any(line.startswith(expected) for line in found), found
    with pytest.raises(ProfileError) as err:
        check(broken(change), "dawah_alshaaf.json")
    assert all(line.startswith("dawah_alshaaf.json: ") for line in err.value.messages)


def test_save_replaces_the_profile_and_current_fills_defaults(store):
    before = save(store, shipped_profile("dawah_alshaaf"))
    sanad = shipped_profile("sanad_alahsa")["name"]
    assert before["name"] == sanad  # the app fixture seeds the default profile
    stored = current(store)
    assert stored["channels"] == shipped_profile("dawah_alshaaf")["channels"]
    lean = {k: v for k, v in shipped_profile("basmat_dental").items() if k != "request_form"}
    save(store, lean)
    stored = current(store)
    assert "program_categories" not in stored  # replaced whole, nothing kept from Da'wah
    assert stored["request_form"] == "support_request"  # the default fills the gap


def test_save_refuses_a_bad_profile_and_keeps_the_old(store):
    bad = broken(lambda p: p["channels"][1].update(value="interview"))
    with pytest.raises(ProfileError, match="used twice"):
        save(store, bad)
    assert current(store)["name"] == shipped_profile("sanad_alahsa")["name"]


@pytest.mark.parametrize("name", SHIPPED)
def test_seed_with_each_profile_gives_a_working_association(tmp_path, name):
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / name), "SECRET_KEY": "test"})
    result = app.test_cli_runner().invoke(args=["seed", "--profile", name])
    assert result.exit_code == 0, result.output
    profile = shipped_profile(name)
    assert profile["name"]["en"] in result.output
    data = app.extensions["rifd_store"]
    assert data.get("settings", 1) | {"id": name} == profile | {"id": name}
    assert problems(data.get("settings", 1)) == []
    client = app.test_client()
    sign_in(client, app)
    page = client.get("/forms/support_request/new").get_data(as_text=True)
    for channel in profile["channels"]:
        assert channel["label"]["ar"] in page
    assert ("مناديب المكاتب الفرعية" in page) == (name == "sanad_alahsa")
    # A second seed leaves the chosen association alone.
    again = app.test_cli_runner().invoke(args=["seed", "--profile", "basmat_dental"])
    assert again.exit_code == 0 and "already set up" in again.output
    assert data.get("settings", 1)["name"] == profile["name"]


def test_seed_with_an_unknown_profile_stores_nothing(tmp_path):
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "d"), "SECRET_KEY": "test"})
    result = app.test_cli_runner().invoke(args=["seed", "--profile", "../schema"])
    assert result.exit_code != 0 and "no shipped profile" in result.output
    assert app.extensions["rifd_store"].get("settings", 1) is None
