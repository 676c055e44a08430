"""Low scores and complaints are followed up: opened from the public link, seen, closed."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from accounts.audit import COLLECTION as AUDIT
from accounts.audit import Actor
from cases.service import CASES
from forms.dates import saudi_today
from quality import followup_list, followups
from tests.cases.conftest import People, edit_policy, post, submit_request
from web import survey_links

HIGH = {
    "service_received": "in_kind",
    "channel_used": "interview",
    "rate_reception": "5",
    "rate_speed": "4",
    "rate_clarity": "5",
    "rate_staff": "5",
    "rate_overall": "٥",
    "nps": "9",
}
LOW = {**HIGH, "rate_speed": "1", "rate_overall": "2", "nps": "3"}
LOW_REASON = "انتظرت ثلاثة أسابيع دون رد على اتصالاتي"
COMPLAINT = {
    "kind": "complaint",
    "category": "delay",
    "description": "تأخر تسليم السلة الغذائية أكثر من شهر",
    "wants_reply": "no",
}


@pytest.fixture
def people(app):
    return People(app)


def survey_link(app, store, people) -> tuple[str, int]:
    """Open a request as intake staff and return the beneficiary's own survey link."""
    cid = submit_request(people["sara"], "interview")
    case = store.get(CASES, cid)
    with app.test_request_context():
        token = survey_links.make(case["beneficiary_id"], cid)
    return f"/f/satisfaction_survey?b={token}", cid


def answer(app, path: str, data: dict):
    phone = app.test_client()  # the public, on his phone
    response = post(phone, path, path, data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def only_followup(store) -> dict:
    [item] = store.iter(followups.COLLECTION)
    return item


def act(client, fid: int, action: str, text: str | None):
    data = {} if text is None else {"text": text}
    return post(client, f"/followups/{fid}", f"/followups/{fid}/{action}", data)


def test_a_low_score_from_a_personal_link_opens_a_followup_with_who_and_what(app, store, people):
    path, cid = survey_link(app, store, people)
    answer(app, path, {**LOW, "low_rating_reason": LOW_REASON})
    item = only_followup(store)
    [survey] = store.iter("submissions/satisfaction_survey")
    assert item["ref"] == survey["ref"] and item["state"] == "open" and item["kind"] == "low_score"
    assert (
        item["case_id"] == cid and item["beneficiary_id"] == store.get(CASES, cid)["beneficiary_id"]
    )
    assert {(r["field"], r["value"]) for r in item["reasons"]} == {
        ("rate_speed", 1),
        ("rate_overall", 2),
        ("nps", 3),
    }
    nora = people["nora"]
    listing = nora.get("/followups/").get_data(as_text=True)
    assert f'href="/followups/{item["id"]}"' in listing and survey["ref"] in listing
    page = nora.get(f"/followups/{item['id']}").get_data(as_text=True)
    who = page.split('id="who"')[1].split("</dd>")[0]
    assert store.get(CASES, cid)["name"] in who
    service = page.split('id="service"')[1].split("</dd>")[0]
    assert store.get(CASES, cid)["ref"] in service
    said = page.split('id="reasons"')[1].split("</ul>")[0]
    assert "سرعة إنجاز الخدمة</strong>: 1" in said and "رضاك العام عن الخدمة</strong>: 2" in said
    assert "rate_reception" not in said and LOW_REASON in page


def test_an_anonymous_low_score_says_nobody_is_known(app, store, people):
    answer(app, "/f/satisfaction_survey", {**HIGH, "nps": "6"})  # a detractor, no more
    item = only_followup(store)
    assert item["beneficiary_id"] is None and item["reasons"] == [
        {"field": "nps", "value": 6, "at_most": 6}
    ]
    page = people["nora"].get(f"/followups/{item['id']}").get_data(as_text=True)
    assert "أُرسلت الإجابة من الرابط العام" in page.split('id="who"')[1].split("</dd>")[0]


def test_a_high_score_opens_nothing(app, store, people):
    path, _cid = survey_link(app, store, people)
    answer(app, path, HIGH)
    answer(app, "/f/satisfaction_survey", {**HIGH, "rate_speed": "3", "nps": "7"})
    assert store.count("submissions/satisfaction_survey") == 2
    assert store.count(followups.COLLECTION) == 0
    page = people["nora"].get("/").get_data(as_text=True)
    assert 'id="home-followups"' in page and "data-followup=" not in page


def test_the_same_answer_never_opens_two(app, store, people):
    answer(app, "/f/satisfaction_survey", LOW)
    [record] = store.iter("submissions/satisfaction_survey")
    form = app.extensions["rifd_forms"].get("satisfaction_survey")
    with store.transaction() as tx:
        again = followups.open_for_answer(tx, store, form, record, Actor("public"))
    assert again is None and store.count(followups.COLLECTION) == 1


def test_a_complaint_opens_one_due_in_the_policys_work_days(app, store, people):
    answer(app, "/f/complaint", COMPLAINT)
    answer(app, "/f/complaint", {**COMPLAINT, "kind": "thanks"})  # thanks need no reply
    item = only_followup(store)
    assert item["kind"] == "message" and item["deadline"] == {"days": 5, "count": "work_days"}
    assert [(r["field"], r["value"]) for r in item["reasons"]] == [("kind", "complaint")]
    # Opened on a Thursday: Friday and Saturday are the weekend, so 5 work days end the
    # Thursday after; 10 December is a holiday the admin keeps, so the Sunday after that.
    store.update(followups.COLLECTION, item["id"], {"opened_on": "2026-12-03"})
    nora = people["nora"]
    page = nora.get(f"/followups/{item['id']}").get_data(as_text=True)
    assert 'data-due="2026-12-10"' in page
    store.insert("holidays", {"name": "إجازة", "start": "2026-12-10", "end": "2026-12-10"})
    page = nora.get(f"/followups/{item['id']}").get_data(as_text=True)
    assert 'data-due="2026-12-13"' in page and "شكوى" in page


def test_an_overdue_complaint_is_in_colour_and_counted(app, store, people):
    answer(app, "/f/complaint", COMPLAINT)
    answer(app, "/f/complaint", {**COMPLAINT, "kind": "suggestion"})
    late, fresh = sorted(store.iter(followups.COLLECTION), key=lambda i: i["id"])
    store.update(followups.COLLECTION, late["id"], {"opened_on": "2026-01-04"})
    counts = followup_list.complaint_counts(store, saudi_today())
    assert counts == {"open": 2, "overdue": 1, "closed": 0, "on_time": 0}
    listing = people["nora"].get("/followups/").get_data(as_text=True)
    rows = re.findall(r'<tr class="status-(\w*)" data-followup="(\d+)">', listing)
    assert rows[0] == ("overdue", str(late["id"])) and rows[1][0] in ("on_track", "due_soon")
    assert "متأخر" in listing.split(f'data-followup="{late["id"]}"')[1].split("</tr>")[0]
    home = people["nora"].get("/").get_data(as_text=True)
    assert f'<li class="status-overdue" data-followup="{late["id"]}">' in home
    answer(app, "/f/satisfaction_survey", LOW)
    low = max(store.iter(followups.COLLECTION), key=lambda i: i["id"])
    shown = people["nora"].get("/followups/?kind=message").get_data(as_text=True)
    assert f'data-followup="{late["id"]}"' in shown and f'data-followup="{low["id"]}"' not in shown
    shown = people["nora"].get("/followups/?kind=low_score").get_data(as_text=True)
    assert f'data-followup="{late["id"]}"' not in shown and f'data-followup="{low["id"]}"' in shown
    assert act(people["nora"], fresh["id"], "close", "شكرناه وأحلنا الاقتراح").status_code == 302
    counts = followup_list.complaint_counts(store, saudi_today())
    assert counts == {"open": 1, "overdue": 1, "closed": 1, "on_time": 1}


def test_a_new_complaint_deadline_in_the_policy_holds_for_new_complaints(app, store, people):
    changed = {"complaint_deadline.days": "2", "complaint_deadline.count": "calendar_days"}
    assert edit_policy(people["nora"], **changed).status_code == 302
    answer(app, "/f/complaint", COMPLAINT)
    assert only_followup(store)["deadline"] == {"days": 2, "count": "calendar_days"}
    policy = people["nora"].get("/policy/").get_data(as_text=True)
    assert "2" in policy.split('id="complaint-deadline"')[1].split("</p>")[0]


def test_home_shows_open_followups_oldest_first_with_their_age(app, store, people):
    answer(app, "/f/satisfaction_survey", LOW)
    answer(app, "/f/satisfaction_survey", LOW)
    older, newer = sorted(store.iter(followups.COLLECTION), key=lambda i: i["id"])
    three_days = (saudi_today() - dt.timedelta(days=3)).isoformat()
    store.update(followups.COLLECTION, older["id"], {"opened_on": three_days})
    page = people["nora"].get("/").get_data(as_text=True)
    section = page.split('id="home-followups"')[1].split("</section>")[0]
    assert '<span class="count">2</span>' in section
    assert section.index(older["ref"]) < section.index(newer["ref"])
    line = section.split(f'data-followup="{older["id"]}"')[1].split("</li>")[0]
    assert "عمرها 3 يومًا" in line
    assert "home-followups" not in people["sara"].get("/").get_data(as_text=True)


def test_closing_is_audited_and_the_audit_page_says_it_in_words(app, store, people):
    answer(app, "/f/satisfaction_survey", LOW)
    fid, nora = only_followup(store)["id"], people["nora"]
    assert act(nora, fid, "note", "اتصلت به واعتذرت عن التأخير").status_code == 302
    assert act(nora, fid, "close", "أُنجزت الخدمة وأكد رضاه").status_code == 302
    item = store.get(followups.COLLECTION, fid)
    assert item["state"] == "closed" and item["closure"]["by"] == "nora"
    assert item["notes"][0]["text"] == "اتصلت به واعتذرت عن التأخير"
    [entry] = store.find(AUDIT, where={"action": "followup.close"})
    assert entry["actor"] == "nora" and entry["entity_id"] == str(fid)
    assert entry["after"] == {"followup_state": "closed", "resolution": "أُنجزت الخدمة وأكد رضاه"}
    trail = people["boss"].get("/audit/?entity=followup").get_data(as_text=True)
    assert "إغلاق متابعة" in trail and "متابعة تقييم أو شكوى" in trail
    assert "حالة المتابعة" in trail and "مغلقة" in trail and "ما انتهت إليه" in trail
    assert "فتح متابعة" in trail and "تسجيل ما تم في متابعة" in trail
    listing = nora.get("/followups/").get_data(as_text=True)
    assert "مغلقة" in listing
    assert act(nora, fid, "reopen", "عاد واتصل يشكو").status_code == 302
    assert store.get(followups.COLLECTION, fid)["state"] == "open"
    assert store.find(AUDIT, where={"action": "followup.reopen"})[0]["after"]["reason"]


def test_the_close_button_asks_first(app, store, people):
    answer(app, "/f/satisfaction_survey", LOW)
    page = people["nora"].get(f"/followups/{only_followup(store)['id']}").get_data(as_text=True)
    form = re.search(r'<form[^>]*id="close-form"[^>]*>', page, re.S).group(0)
    assert 'data-confirm="إغلاق هذه المتابعة؟' in form


@pytest.mark.parametrize(
    ("text", "first", "message"),
    [
        (None, False, "اكتب ما انتهت إليه المتابعة قبل إغلاقها."),
        ("   ", False, "اكتب ما انتهت إليه المتابعة قبل إغلاقها."),
        ("x" * (followups.TEXT_MAX + 1), False, "النص أطول من المسموح"),
        ("مرة ثانية", True, "هذه المتابعة مغلقة من قبل."),
    ],
)
def test_a_refused_close_says_why_and_changes_nothing(app, store, people, text, first, message):
    answer(app, "/f/satisfaction_survey", LOW)
    fid, nora = only_followup(store)["id"], people["nora"]
    if first:
        assert act(nora, fid, "close", "أُغلقت").status_code == 302
    before = store.get(followups.COLLECTION, fid)
    response = act(nora, fid, "close", text)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert store.get(followups.COLLECTION, fid) == before
    assert store.count(AUDIT, where={"action": "followup.close"}) == (1 if first else 0)


def test_an_unknown_followup_or_action_is_not_found(app, store, people):
    nora = people["nora"]
    assert nora.get("/followups/99").status_code == 404
    answer(app, "/f/satisfaction_survey", LOW)
    fid = only_followup(store)["id"]
    token = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"',
        nora.get(f"/followups/{fid}").get_data(as_text=True),
    ).group(1)
    data = {"csrf_token": token, "text": "أُغلقت"}
    assert nora.post("/followups/99/close", data=data).status_code == 404
    assert nora.post(f"/followups/{fid}/delete", data=data).status_code == 404
    assert nora.get(f"/followups/{fid}/close").status_code == 302  # back to its page
    assert nora.post(f"/followups/{fid}/close", data={"text": "بلا رمز"}).status_code == 400
    assert store.get(followups.COLLECTION, fid)["state"] == "open"


@pytest.mark.parametrize("name", ["sara", "ali", "huda", "vera"])
def test_other_roles_are_refused(app, store, people, name):
    answer(app, "/f/satisfaction_survey", LOW)
    fid = only_followup(store)["id"]
    client = people[name]
    for url in ("/followups/", f"/followups/{fid}", "/followups/rules/satisfaction_survey"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/followups/{fid}/close", data={"text": "x"}).status_code == 403
    assert store.get(followups.COLLECTION, fid)["state"] == "open"
    assert "/followups/" not in client.get("/").get_data(as_text=True)


def test_the_admin_follows_up_without_reading_the_answers(app, store, people):
    answer(app, "/f/satisfaction_survey", {**LOW, "low_rating_reason": LOW_REASON})
    fid = only_followup(store)["id"]
    page = people["boss"].get(f"/followups/{fid}").get_data(as_text=True)
    assert "سرعة إنجاز الخدمة</strong>: 1" in page and LOW_REASON not in page
    assert act(people["boss"], fid, "close", "راجعناها").status_code == 302


def test_the_list_pages_open_ones_oldest_first_then_the_closed(app, store, people, monkeypatch):
    from web import followups as pages

    monkeypatch.setattr(pages, "PER_PAGE", 2)
    for _ in range(3):
        answer(app, "/f/satisfaction_survey", LOW)
    first, second, third = sorted(i["id"] for i in store.iter(followups.COLLECTION))
    nora = people["nora"]
    assert act(nora, first, "close", "حُلّت").status_code == 302
    listed = [
        re.findall(
            r'data-followup="(\d+)"', nora.get(f"/followups/?page={n}").get_data(as_text=True)
        )
        for n in (1, 2, 3)
    ]
    assert listed[0] == [str(second), str(third)] and listed[1] == [str(first)]
    assert listed[2] == [] and "صفحة 2 من 2" in nora.get("/followups/?page=2").get_data(
        as_text=True
    )


def test_a_complaint_naming_a_request_leads_to_it_but_names_nobody(app, store, people):
    cid = submit_request(people["sara"], "interview")
    ref = store.get(CASES, cid)["ref"]
    answer(app, "/f/complaint", {**COMPLAINT, "request_ref": ref.lower()})
    item = only_followup(store)
    assert item["case_id"] == cid and item["beneficiary_id"] is None
    page = people["nora"].get(f"/followups/{item['id']}").get_data(as_text=True)
    assert ref in page.split('id="service"')[1].split("</dd>")[0]
    assert store.get(CASES, cid)["name"] not in page.split('id="who"')[1].split("</dd>")[0]


def test_a_complaint_taken_by_phone_opens_one_too(app, store, people):
    url = "/forms/complaint/new"
    response = post(people["sara"], url, url, {"rifd-channel": "phone", **COMPLAINT})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    item = only_followup(store)
    assert item["kind"] == "message" and item["deadline"]["count"] == "work_days"
    [entry] = store.find(AUDIT, where={"action": "followup.open"})
    assert entry["actor"] == "sara" and entry["entity_id"] == str(item["id"])
