"""Eligibility rules from the profile, evaluated on each request, shown rule by rule."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from werkzeug.datastructures import FileStorage

from cases.eligibility import FAILED, MANUAL, PASSED, check, variables
from tests.cases.conftest import edit_policy, post, submit_request
from tests.test_library import SIGNATURE

TODAY = dt.date(2026, 12, 3)
PROFILE = {
    "eligibility": {
        "area_cities": ["hofuf", "mubarraz"],
        "cash_support_types": ["cash_aid"],
        "income_threshold": 1000,
        "general": [
            {"id": "area", "text": {"ar": "داخل نطاق الجمعية"}, "rule": "in_area"},
            {"id": "residency", "text": {"ar": "إقامة نظامية"}, "rule": "legal_residency"},
            {"id": "member", "text": {"ar": "من المستفيدين"}},
        ],
        "cash": [
            {
                "id": "low_income",
                "text": {"ar": "دخل لا يكفي"},
                "rule": "income_per_person <= income_threshold",
            },
            {"id": "adult", "text": {"ar": "راشد"}, "rule": "age >= 18"},
        ],
    }
}
BASE = {
    "city": "hofuf",
    "id_type": "citizen",
    "birth_date": "1985-03-14",
    "family_count": 3,
    "income_social_security": 1500,
    "income_citizen_account": 800,
    "support_types": ["rent"],
}


def outcome(answers, history=None):
    return {o.id: o.status for o in check(PROFILE, answers, history or {}, TODAY)}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, {"area": PASSED, "residency": PASSED, "member": MANUAL}),
        ({"city": "riyadh"}, {"area": FAILED, "residency": PASSED, "member": MANUAL}),
        ({"id_type": "resident", "iqama_expiry": "2026-12-02"}, {"residency": FAILED}),
        ({"id_type": "resident", "iqama_expiry": "2026-12-03"}, {"residency": PASSED}),
        ({"national_id": "1000000008"}, {"residency": PASSED}),
        # An iqama number with "citizen" ticked: its expiry was never asked for.
        ({"national_id": "2172323137"}, {"residency": FAILED}),
        ({"support_types": ["cash_aid"]}, {"low_income": PASSED, "adult": PASSED}),
        ({"support_types": ["cash_aid"], "income_citizen_account": 2000}, {"low_income": FAILED}),
        ({"support_types": ["cash_aid"], "birth_date": "2010-01-01"}, {"adult": FAILED}),
    ],
)
def test_rules_pass_fail_or_wait_for_a_person(changes, expected):
    got = outcome({**BASE, **changes})
    assert {k: got[k] for k in expected} == expected
    if "cash_aid" not in (changes.get("support_types") or []):
        assert "low_income" not in got  # cash rules only when cash is asked for


def test_the_values_worked_out_for_rules():
    values = variables(PROFILE, {**BASE, "support_types": ["cash_aid"]}, {}, TODAY)
    assert values["total_income"] == 2300
    assert values["income_per_person"] == pytest.approx(766.67)
    assert values["age"] == 41 and values["cash_requested"] is True


def test_a_missing_answer_leaves_the_rule_to_a_person():
    got = check(PROFILE, {**BASE, "city": None}, {}, TODAY)
    area = next(o for o in got if o.id == "area")
    assert area.status == FAILED  # in_area is worked out by Rifd: no city is not in the area
    rule = {"id": "x", "text": {"ar": "س"}, "rule": "housing_type == 'rented'"}
    profile = {"eligibility": {"general": [rule]}}
    assert check(profile, {}, {}, TODAY)[0].status == MANUAL
    assert check(profile, {"housing_type": "rented"}, {}, TODAY)[0].status == PASSED


def test_staff_and_the_committee_see_the_rules_on_the_request(store, people):
    rules = {
        "eligibility.general.0.id": "area",
        "eligibility.general.0.text.ar": "أن يكون المستفيد في نطاق عمل الجمعية",
        "eligibility.general.0.rule": "in_area",
        "eligibility.cash.0.id": "low_income",
        "eligibility.cash.0.text.ar": "ألا يكفي الدخل حاجة الأسرة",
        "eligibility.cash.0.rule": "income_per_person <= income_threshold",
        "eligibility.area_cities": "hofuf\nmubarraz",
        "eligibility.cash_support_types": "cash_aid",
        "eligibility.income_threshold": "١٠٠٠",
    }
    assert edit_policy(people["nora"], **rules).status_code == 302
    cid = submit_request(
        people["sara"],
        "interview",
        support_types=["cash_aid"],
        bank_name="alrajhi",
        iban="SA0380000000608010167519",
        iban_certificate=FileStorage(io.BytesIO(b"%PDF-1.4\n" + b"0" * 100), "iban.pdf"),
    )
    for who in ("sara", "huda"):
        page = people[who].get(f"/cases/{cid}").get_data(as_text=True)
        table = page.split('id="eligibility"')[1].split("</section>")[0]
        assert 'class="rule-passed" data-rule="area"' in table
        assert 'class="rule-passed" data-rule="low_income"' in table  # 2300 / 3 <= 1000
        assert "income_per_person = 766.67" in table and "income_threshold = 1000" in table


def test_program_registrations_count_for_the_rules(store, people):
    rule = {
        "eligibility.general.0.id": "takes_part",
        "eligibility.general.0.text.ar": "أن يكون من المشاركين في برامج الجمعية",
        "eligibility.general.0.rule": "program_registrations > 0",
    }
    assert edit_policy(people["nora"], **rule).status_code == 302
    cid = submit_request(people["sara"], "interview")

    def status():
        page = people["sara"].get(f"/cases/{cid}").get_data(as_text=True)
        return re.search(r'class="rule-(\w+)" data-rule="takes_part"', page).group(1)

    assert status() == "failed"
    url = "/f/program_registration"
    fields = {
        "program_name": "دورة الحاسب",
        "how_heard": "whatsapp",
        "full_name": "فاطمة القحطاني",
        "national_id": "1000000008",
        "nationality": "saudi",
        "mobile": "0551234567",
        "gender": "female",
        "birth_date": "1985-03-14",
        "city": "hofuf",
        "accept_commitments": "yes",
        "signature": SIGNATURE,
    }
    response = post(people.app.test_client(), url, url, fields)
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    assert status() == "passed"
