"""The policy page takes dates as the printed policy gives them, and says plainly what is wrong.

Either calendar year first, / or -, Western or Arabic-Indic digits; stored one way
(Gregorian ISO, Hijri 1447/07/02); a Hijri and a Gregorian approval date that are
not one day under Umm al-Qura are named with the days they do fall on, and a
person may keep them as printed.
"""

from __future__ import annotations

import pytest

from accounts.audit import COLLECTION as AUDIT
from association.profile import current
from tests.cases.conftest import edit_policy, page_fields

HIJRI, GREGORIAN = "approval.date_hijri", "approval.date_gregorian"
# Signs that a regular expression or a checker's raw message reached the page.
RAW = ("^[", "[0-9]", "{4}", "the pattern", "$defs")


def _approval(store) -> dict:
    return current(store).get("approval") or {}


@pytest.mark.parametrize(
    ("hijri", "gregorian"),
    [
        ("١٤٤٧/٠٧/٠٣", "٢٠٢٥/١٢/٢٣"),
        ("١٤٤٧-٠٧-٠٣", "2025-12-23"),
        ("1447/7/3 هـ", "2025/12/23 م"),
        ("\u20661447/07/03\u2069", "٢٠٢٥-١٢-٢٣"),
    ],
)
def test_dates_are_taken_as_typed_and_stored_one_way(store, people, hijri, gregorian):
    nora = people["nora"]
    response = edit_policy(nora, **{HIJRI: hijri, GREGORIAN: gregorian})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    approval = _approval(store)
    assert (approval["date_hijri"], approval["date_gregorian"]) == ("1447/07/03", "2025-12-23")
    shown = page_fields(nora.get("/policy/edit").get_data(as_text=True), "/policy/edit")
    assert (shown[HIJRI], shown[GREGORIAN]) == ("1447/07/03", "2025/12/23")  # one order, one /
    before = current(store)
    assert edit_policy(nora).status_code == 302 and current(store) == before  # saved unchanged


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize(
    ("name", "typed"),
    [
        (HIJRI, "1447/13/01"),
        (HIJRI, "02/07/1447"),
        (HIJRI, "1300/01/01"),
        (HIJRI, "الثاني من رجب"),
        (GREGORIAN, "2025/02/30"),
        (GREGORIAN, "22-12-2025"),
        (GREGORIAN, "٢٠٢٥/١٢"),
        ("approval.approved_by.date", "أمس"),
        (GREGORIAN, "2025/12/22" * 500),
    ],
)
def test_a_date_that_is_none_is_said_plainly_and_nothing_is_saved(store, people, lang, name, typed):
    nora = people["nora"]
    nora.get(f"/lang/{lang}")
    before = current(store)
    response = edit_policy(nora, **{name: typed})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert not [raw for raw in RAW if raw in page]
    words = ("السنة ثم الشهر ثم اليوم",) if lang == "ar" else ("year first", "e.g.")
    assert all(w in page for w in words)
    assert page_fields(page, "/policy/edit")[name] == typed.strip()  # what he typed, kept
    assert current(store) == before


def test_an_id_in_the_wrong_form_is_named_in_words_in_english_too(store, people):
    nora = people["nora"]
    nora.get("/lang/en")
    page = edit_policy(nora, **{"channels.1.value": "Phone Calls"}).get_data(as_text=True)
    assert "lower-case English letters" in page and not [raw for raw in RAW if raw in page]


def test_dates_that_disagree_name_the_days_they_fall_on_and_may_be_kept(store, people):
    nora = people["nora"]
    before = current(store)
    typed = {HIJRI: "١٤٤٧/٠٧/٠٢", GREGORIAN: "2025/12/23"}  # Umm al-Qura: 1447/07/03
    response = edit_policy(nora, **typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and current(store) == before
    assert "١٤٤٧/٠٧/٠٢ هـ يوافق ٢٠٢٥/١٢/٢٢ م" in page
    assert "٢٠٢٥/١٢/٢٣ م يوافق ١٤٤٧/٠٧/٠٣ هـ" in page
    assert 'name="keep_printed_dates"' in page

    response = edit_policy(nora, **typed, keep_printed_dates="yes")
    assert response.status_code == 302
    assert _approval(store)["date_hijri"] == "1447/07/02"
    assert _approval(store)["date_gregorian"] == "2025-12-23"
    entry = [e for e in store.iter(AUDIT) if e["entity"] == "policy_profile"][-1]
    assert entry["actor"] == "nora" and entry["after"]["approval"]["date_hijri"] == "1447/07/02"
    # Kept once, not asked again when something else changes.
    assert edit_policy(nora, **{"decision_deadline.days": "10"}).status_code == 302


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_hijri_date_a_year_away_is_caught_in_either_language(store, people, lang):
    nora = people["nora"]
    nora.get(f"/lang/{lang}")
    response = edit_policy(nora, **{HIJRI: "1446/07/02", GREGORIAN: "2025-12-22"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    if lang == "ar":
        assert "١٤٤٦/٠٧/٠٢ هـ يوافق ٢٠٢٥/٠١/٠٢ م" in page
    else:
        assert "1446/07/02 AH falls on 2025/01/02" in page
        assert "2025/12/22 falls on 1447/07/02 AH" in page
    assert "date_hijri" not in _approval(store)


def test_a_thirtieth_umm_al_qura_does_not_count_is_named_too(store, people):
    nora = people["nora"]
    response = edit_policy(nora, **{HIJRI: "1447/02/30", GREGORIAN: "2025-08-24"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "١٤٤٧/٠٢/٣٠ هـ ليس يومًا في تقويم أم القرى" in page
    assert (
        edit_policy(
            nora, **{HIJRI: "1447/02/30", GREGORIAN: "2025-08-24"}, keep_printed_dates="yes"
        ).status_code
        == 302
    )
