"""The quality officer sets, form by form, which answers open a follow-up."""

from __future__ import annotations

import pytest

from accounts.audit import COLLECTION as AUDIT
from quality import followups, rules
from tests.cases.conftest import People, page_fields, post
from tests.quality.test_followups import COMPLAINT, HIGH, answer

URL = "/followups/rules/satisfaction_survey"


@pytest.fixture
def people(app):
    return People(app)


def shown(client, url: str = URL) -> dict:
    return page_fields(client.get(url).get_data(as_text=True), url)


def test_the_shipped_forms_open_follow_ups_for_low_scores_and_complaints(people):
    fields = shown(people["nora"])
    ratings = ("rate_reception", "rate_speed", "rate_clarity", "rate_staff", "rate_overall")
    assert all(fields[f"score.{name}"] == "2" for name in ratings + ("rate_facilities",))
    assert fields["score.nps"] == "6" and "respond" not in fields and "every" not in fields
    fields = shown(people["nora"], "/followups/rules/complaint")
    assert fields["choice.kind"] == ["complaint", "suggestion"] and fields["respond"] == ["yes"]


def test_a_threshold_the_officer_raises_opens_follow_ups_for_more_answers(app, store, people):
    nora = people["nora"]
    answer(app, "/f/satisfaction_survey", {**HIGH, "rate_speed": "3"})
    assert store.count(followups.COLLECTION) == 0
    fields = shown(nora) | {"score.rate_speed": "٣", "score.nps": ""}
    assert post(nora, URL, URL, fields).status_code == 302
    assert shown(nora)["score.rate_speed"] == "3"
    answer(app, "/f/satisfaction_survey", {**HIGH, "rate_speed": "3", "nps": "0"})
    [item] = store.iter(followups.COLLECTION)
    assert item["reasons"] == [{"field": "rate_speed", "value": 3, "at_most": 3}]
    [entry] = store.find(AUDIT, where={"entity": "followup_rule"})
    assert entry["actor"] == "nora" and entry["before"]["scores"]["rate_speed"] == 2
    assert entry["after"]["scores"]["rate_speed"] == 3 and "nps" not in entry["after"]["scores"]
    trail = people["boss"].get("/audit/?entity=followup_rule").get_data(as_text=True)
    assert "ما يفتح متابعة في نموذج" in trail and "حدود التقييمات" in trail


def test_every_answer_and_thanks_can_open_one_when_the_officer_says_so(app, store, people):
    url = "/followups/rules/complaint"
    fields = shown(people["nora"], url) | {"choice.kind": ["complaint", "suggestion", "thanks"]}
    assert post(people["nora"], url, url, fields).status_code == 302
    answer(app, "/f/complaint", {**COMPLAINT, "kind": "thanks"})
    assert store.count(followups.COLLECTION) == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"score.rate_speed": "x"}, "اكتب الحد رقمًا"),
        ({"score.rate_speed": "5"}, "الحد يجب أن يكون بين 1 و4."),
        ({"score.nps": "10"}, "الحد يجب أن يكون بين 0 و9."),
        ({"choice.channel_used": ["pigeon"]}, "اختيار غير معروف"),
    ],
)
def test_thresholds_that_cannot_be_kept_are_refused_with_the_reason(
    store, people, changes, message
):
    nora = people["nora"]
    response = post(nora, URL, URL, shown(nora) | changes)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert (
        store.count(rules.COLLECTION) == 0
        and store.count(AUDIT, where={"entity": "followup_rule"}) == 0
    )


def test_an_unknown_form_has_no_thresholds_page(people):
    assert people["nora"].get("/followups/rules/no_such_form").status_code == 404
