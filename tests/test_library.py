"""The forms Rifd ships (forms/library) and the example definition in docs/forms.md."""

from __future__ import annotations

import base64
import io
import json
import re
import struct
import zlib
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage

from forms.definition import load_definition, parse_definition
from forms.validation import validate_answers

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "forms" / "library"
DOCS = ROOT / "docs" / "forms.md"
FILES = sorted(LIBRARY.glob("*.json"))
PUBLIC = {
    "support_request": False,
    "social_research": False,
    "satisfaction_survey": True,
    "complaint": True,
    "program_registration": True,
    "volunteer_registration": True,
}


def _form(form_id: str):
    return load_definition(LIBRARY / f"{form_id}.json")


def _texts(data: dict):
    """Yield (where, text) for every translatable text of a definition."""
    for key in ("title", "description"):
        if key in data:
            yield key, data[key]
    for name, choices in data.get("choice_lists", {}).items():
        for i, choice in enumerate(choices):
            yield f"choice_lists.{name}[{i}]", choice["label"]
    for si, section in enumerate(data["sections"]):
        for key in ("title", "description"):
            if key in section:
                yield f"sections[{si}].{key}", section[key]
        for fi, fdef in enumerate(section["fields"]):
            yield from _field_texts(f"sections[{si}].fields[{fi}]", fdef)


def _field_texts(path: str, fdef: dict):
    for key in ("label", "hint", "add_label"):
        if key in fdef:
            yield f"{path}.{key}", fdef[key]
    for key, text in fdef.get("constraints", {}).get("messages", {}).items():
        yield f"{path}.constraints.messages.{key}", text
    if isinstance(fdef.get("choices"), list):
        for i, choice in enumerate(fdef["choices"]):
            yield f"{path}.choices[{i}]", choice["label"]
    for ri, sub in enumerate(fdef.get("fields", [])):
        yield from _field_texts(f"{path}.fields[{ri}]", sub)


def _all_fields(form):
    for fdef in form.fields():
        yield fdef
        yield from fdef.get("fields", [])


# The definitions ---------------------------------------------------------------------


def test_the_library_holds_the_six_forms():
    assert {p.stem for p in FILES} >= set(PUBLIC)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_definition_loads_and_its_id_is_its_file_name(path):
    form = load_definition(path)  # raises DefinitionError listing every problem
    assert form.id == path.stem
    assert form.version == 1


@pytest.mark.parametrize(("form_id", "public"), PUBLIC.items())
def test_form_is_public_or_staff_only_as_intended(form_id, public):
    assert _form(form_id).public is public


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_text_has_arabic_and_english(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    missing = [where for where, text in _texts(data) if not (text.get("ar") and text.get("en"))]
    assert missing == []


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_field_has_a_label(path):
    assert all("label" in fdef for fdef in _all_fields(load_definition(path)))


def test_support_request_has_what_intake_needs():
    form = _form("support_request")
    family = form.field("family_members")
    assert family["type"] == "repeat" and family["max"] == 20
    types = {fdef["type"] for fdef in _all_fields(form)}
    assert {"iban", "national_id", "file", "signature", "mobile"} <= types
    assert form.field("id_copy")["required"] is True
    assert form.field("applicant_signature")["required"] is True


# What the conditions do on real submissions -------------------------------------------


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


SIGNATURE = "data:image/png;base64," + base64.b64encode(_png()).decode()


def _pdf(name: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(b"%PDF-1.4\n%test\n" + b"0" * 100), filename=name)


def _support_request(**changes) -> dict:
    raw = {
        "first_name": "فاطمة",
        "father_name": "محمد",
        "grandfather_name": "عبدالله",
        "family_name": "القحطاني",
        "id_type": "citizen",
        "national_id": "١٠٠٠٠٠٠٠٠٨",
        "nationality": "saudi",
        "birth_date": "1985-03-14",
        "gender": "female",
        "marital_status": "widowed",
        "health_status": "healthy",
        "mobile": "0551234567",
        "city": "hofuf",
        "district": "المزروعية",
        "street": "شارع الملك فهد",
        "building_number": "2929",
        "postal_code": "36361",
        "employment_status": "homemaker",
        "has_income": "yes",
        "income_sources": ["social_security", "citizen_account"],
        "income_social_security": "1500",
        "income_citizen_account": "٨٠٠",
        "has_debts": "no",
        "housing_type": "rented",
        "housing_unit": "apartment",
        "housing_condition": "acceptable",
        "annual_rent": "18000",
        "family_count": "3",
        "family_members": [
            {
                "member_name": "سارة",
                "member_relation": "daughter",
                "member_gender": "female",
                "member_birth_date": "2012-05-01",
                "member_status": "school",
                "member_health": "healthy",
            },
        ],
        "support_types": ["food_basket", "rent"],
        "description": "أرملة تعول ابنتين، والإيجار متأخر منذ شهرين.",
        "id_copy": _pdf("id.pdf"),
        "applicant_signature": SIGNATURE,
        "data_verified": "yes",
    }
    raw.update(changes)
    return raw


def test_support_request_accepts_a_complete_request():
    result = validate_answers(_form("support_request"), _support_request())
    assert result.errors == {}
    assert result.answers["mobile"] == "+966551234567"
    assert result.answers["national_id"] == "1000000008"
    assert result.answers["income_citizen_account"] == 800


def test_an_income_amount_is_asked_only_for_a_chosen_source():
    form = _form("support_request")
    result = validate_answers(form, _support_request(income_sources=["salary"]))
    assert "income_salary" in result.errors
    assert "income_pension" not in result.errors
    hidden = _support_request(has_income="no", income_salary="5000")
    result = validate_answers(form, hidden)
    assert "income_salary" not in result.answers and "income_sources" not in result.answers


def test_rent_is_asked_only_of_tenants():
    form = _form("support_request")
    result = validate_answers(form, _support_request(housing_type="owned"))
    assert result.errors == {} and "annual_rent" not in result.answers
    result = validate_answers(form, _support_request(annual_rent=""))
    assert "annual_rent" in result.errors


def test_cash_aid_needs_bank_details_and_debts_need_their_amount():
    form = _form("support_request")
    result = validate_answers(form, _support_request(support_types=["cash_aid"], has_debts="yes"))
    assert {"bank_name", "iban", "debt_amount", "debt_creditor"} <= set(result.errors)
    assert "iban_certificate" not in result.errors  # shown once an IBAN is entered


def test_national_address_numbers_use_the_forms_own_messages():
    form = _form("support_request")
    result = validate_answers(form, _support_request(postal_code="3636", building_number="29a"))
    assert result.errors["postal_code"] == "الرمز البريدي ٥ أرقام."
    en = validate_answers(form, _support_request(postal_code="3636"), lang="en")
    assert en.errors["postal_code"] == "The postal code has 5 digits."
    assert "building_number" in result.errors


def test_a_family_member_row_asks_for_health_details_when_not_healthy():
    form = _form("support_request")
    row = dict(_support_request()["family_members"][0], member_health="disability")
    result = validate_answers(form, _support_request(family_members=[row]))
    assert set(result.errors) == {"family_members-0-member_health_details"}


def social_research(**changes) -> dict:
    """A researcher's phone visit that recommends declining, every check ticked."""
    checks = [
        f["name"] for f in _form("social_research").fields() if f["name"].startswith("check_")
    ]
    raw = {
        "request_ref": "SR-2025-0001",
        "applicant_name": "فاطمة محمد القحطاني",
        "applicant_national_id": "1000000008",
        "visit_date": "2025-01-12",
        "visit_type": "phone",
        "verified_family_count": "3",
        "breadwinner": "mother",
        "family_notes": "الأم أرملة وتعول ابنتين في المرحلة الدراسية.",
        "has_chronic_illness": "no",
        "has_disability": "no",
        "verified_income": "2300",
        "verified_expenses": "3100",
        "need_level": "severe",
        **{name: "yes" for name in checks},
        "recommendation": "reject",
        "rejection_reason": "outside_area",
        "researcher_name": "خالد سعد العتيبي",
        "researcher_signature": SIGNATURE,
    }
    raw.update(changes)
    return raw


def test_social_research_reasons_are_required_when_declining():
    form = _form("social_research")
    raw = social_research()
    result = validate_answers(form, raw)
    assert set(result.errors) == {"recommendation_reasons"}  # housing section hidden by phone
    raw["recommendation_reasons"] = "العنوان خارج نطاق خدمة الجمعية."
    raw["check_address"] = "no"
    assert set(validate_answers(form, raw).errors) == {"verification_notes"}


# A short, honest answer to each public form, as its public page would send it.
PUBLIC_ANSWERS = {
    "satisfaction_survey": {
        "service_received": "in_kind",
        "channel_used": "interview",
        **dict.fromkeys(["rate_reception", "rate_speed", "rate_clarity"], "5"),
        "rate_staff": "٤",
        "rate_overall": "4",
        "nps": "9",
    },
    "complaint": {
        "kind": "suggestion",
        "category": "other",
        "description": "تمديد الدوام مساءً.",
        "wants_reply": "no",
    },
    "program_registration": {
        "program_name": "دورة اللغة العربية",
        "how_heard": "whatsapp",
        "full_name": "Ahmad Ali Khan",
        "national_id": "2172323137",
        "nationality": "pakistani",
        "mobile": "+966 55 123 4567",
        "gender": "male",
        "birth_date": "1990-01-01",
        "city": "other",
        "city_other": "الشعف",
        "accept_commitments": "yes",
    },
    "volunteer_registration": {
        "full_name": "نورة عبدالرحمن الدوسري",
        "national_id": "1000000008",
        "nationality": "saudi",
        "gender": "female",
        "birth_date": "2000-02-02",
        "mobile": "0501234567",
        "city": "riyadh",
        "education_level": "bachelor",
        "occupation": "employed",
        "skills": ["design", "events"],
        "available_days": ["thu", "sat"],
        "available_times": ["evening"],
        "volunteering_mode": "both",
        "previous_volunteering": "no",
        "platform_registered": "yes",
        "emergency_name": "سعد",
        "emergency_relation": "أخ",
        "emergency_mobile": "0509876543",
    },
}


@pytest.mark.parametrize(("form_id", "raw"), PUBLIC_ANSWERS.items(), ids=list(PUBLIC_ANSWERS))
def test_public_form_accepts_a_short_honest_answer(form_id, raw):
    result = validate_answers(_form(form_id), raw, audience="public")
    assert result.errors == {}


def test_complaint_needs_name_and_mobile_only_for_a_reply():
    form = _form("complaint")
    raw = {"kind": "complaint", "category": "delay", "description": "لم يصلني رد منذ شهر."}
    result = validate_answers(form, {**raw, "wants_reply": "yes"}, audience="public")
    assert set(result.errors) == {"reply_name", "reply_mobile"}
    result = validate_answers(
        form, {**raw, "wants_reply": "no", "reply_name": "سعد"}, audience="public"
    )
    assert result.errors == {} and result.answers["reply_name"] == "سعد"


def test_survey_asks_what_went_wrong_only_after_a_low_rating():
    form = _form("satisfaction_survey")
    raw = {"service_received": "cash_aid", "channel_used": "phone", "nps": "3"}
    raw |= dict.fromkeys(["rate_reception", "rate_speed", "rate_clarity", "rate_staff"], "3")
    high = validate_answers(form, {**raw, "rate_overall": "4", "low_rating_reason": "x"})
    assert "low_rating_reason" not in high.answers
    low = validate_answers(form, {**raw, "rate_overall": "2", "low_rating_reason": "تأخر"})
    assert low.answers["low_rating_reason"] == "تأخر"


# docs/forms.md -----------------------------------------------------------------------


def test_the_example_in_the_documentation_is_a_valid_definition():
    text = DOCS.read_text(encoding="utf-8")
    block = re.search(r"```json\n(.*?)\n```", text, re.DOTALL)
    assert block, "docs/forms.md has no ```json block"
    form = parse_definition(json.loads(block.group(1)), "docs/forms.md")
    kinds = {fdef["type"] for fdef in form.fields()}
    assert "repeat" in kinds and form.data.get("choice_lists")
