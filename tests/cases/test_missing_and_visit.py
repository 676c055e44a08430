"""Staff record what a request lacks and set the research visit; the beneficiary is told by
SMS (in his language), sees both on his own page, and an upload settles what he sent."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from urllib.parse import urlsplit

from association.profile import current
from cases import outbox
from cases.service import CASES
from forms.dates import format_date, hijri, saudi_today
from tests.cases.conftest import move, post, submit_request
from tests.cases.test_moves import to_committee
from tests.cases.test_own_page import PDF, audited, enter, own_path
from tests.conftest import post_form
from tests.web.survey_answers import ANSWERS, form_data

SURVEY = form_data(*ANSWERS[0][1:])


def sms(store, cid: int, event: str) -> list[dict]:
    return store.find(outbox.OUTBOX, where={"case_id": cid, "event": event})


def ask(client, cid: int, kind: str, note: str):
    return post(client, f"/cases/{cid}", f"/cases/{cid}/missing", {"kind": kind, "note": note})


def test_staff_record_a_missing_document_he_is_told_and_his_upload_settles_it(store, people, anon):
    sara = people["sara"]
    url = "/settings/messages"
    setting = {"provider": "outbox", "staff_emails": "intake@example.org"}
    assert post(people["boss"], url, url, setting).status_code == 302
    cid = submit_request(sara, "interview")
    ref = store.get(CASES, cid)["ref"]
    assert ask(sara, cid, "document", "صورة صك الإعالة").status_code == 302
    (told,) = sms(store, cid, "something_missing")
    assert told["status"] == outbox.QUEUED and told["channel"] == outbox.SMS
    assert f"ينقص طلبك {ref}: صورة صك الإعالة." in told["text"]
    assert "/r/" in told["text"]  # his own page, where he sends it
    (item,) = store.get(CASES, cid)["missing"]
    assert item["state"] == "waiting" and item["asked_by"] == "sara"
    trail = store.find("audit", where={"action": "ask_missing", "entity": "case"})
    assert trail and trail[0]["after"] == {"kind": "document", "note": "صورة صك الإعالة"}
    staff = sara.get(f"/cases/{cid}").get_data(as_text=True)
    assert 'data-state="waiting"' in staff and "صورة صك الإعالة" in staff
    # His page, after the code: the item leads the upload's list; the upload settles it.
    path = own_path(store, cid)
    enter(store, anon, cid, path)
    page = anon.get(path).get_data(as_text=True)
    assert 'id="own-lacks"' in page and f'<option value="item-{item["id"]}">' in page
    sent = {"what": f"item-{item['id']}", "document": (io.BytesIO(PDF), "sak.pdf")}
    assert post(anon, path, f"{path}/upload", sent).status_code == 302
    case = store.get(CASES, cid)
    (done,) = case["missing"]
    assert done["state"] == "settled" and done["how"] == "upload"
    assert done["document"] == case["documents"][0]["sha256"]
    assert audited(store, "upload")[0]["after"] == {"what": "صورة صك الإعالة", "item": 1}
    (mail,) = store.find(outbox.OUTBOX, where={"event": "document_received"})
    assert mail["email"] == "intake@example.org" and mail["channel"] == outbox.EMAIL
    assert ref in mail["text"] and "صورة صك الإعالة" in mail["text"]
    assert f"/cases/{cid}" in mail["text"]
    assert f'value="item-{item["id"]}"' not in anon.get(path).get_data(as_text=True)
    sent["document"] = (io.BytesIO(PDF), "sak.pdf")
    again = post(anon, path, f"{path}/upload", sent)
    assert again.status_code == 400  # settled: no longer in his list
    assert 'data-state="settled"' in sara.get(f"/cases/{cid}").get_data(as_text=True)


def test_information_asked_shows_on_his_page_and_staff_settle_it(store, people, anon):
    sara = people["sara"]
    cid = submit_request(sara, "interview")
    assert ask(sara, cid, "information", "اسم جهة عمل الابن الأكبر").status_code == 302
    path = own_path(store, cid)
    enter(store, anon, cid, path)
    page = anon.get(path).get_data(as_text=True)
    assert 'id="own-asked"' in page and "اسم جهة عمل الابن الأكبر" in page
    assert 'value="item-1"' not in page  # nothing to upload for information
    settle = f"/cases/{cid}/missing/1/settle"
    assert post(people["vera"], f"/cases/{cid}", settle).status_code == 403  # a viewer
    assert post(sara, f"/cases/{cid}", settle).status_code == 302
    (item,) = store.get(CASES, cid)["missing"]
    assert item["state"] == "settled" and item["how"] == "staff" and item["settled_by"] == "sara"
    again = post(sara, f"/cases/{cid}", settle)
    assert again.status_code == 400 and "ليس بانتظار المستفيد" in again.get_data(as_text=True)
    assert "اسم جهة عمل الابن الأكبر" not in anon.get(path).get_data(as_text=True)


def test_a_bad_missing_item_is_refused_with_the_reason_and_the_note_kept(store, people):
    sara = people["sara"]
    cid = submit_request(sara, "interview")
    empty = ask(sara, cid, "document", "   ")
    assert empty.status_code == 400 and "اكتب ما ينقص الطلب" in empty.get_data(as_text=True)
    long = ask(sara, cid, "document", "ب" * 201)
    text = long.get_data(as_text=True)
    assert long.status_code == 400 and "أطول من 200" in text and "ب" * 201 in text  # kept
    assert ask(sara, cid, "photo", "صورة").status_code == 400
    assert ask(people["huda"], cid, "document", "صورة").status_code == 403  # the committee
    assert ask(people["vera"], cid, "document", "صورة").status_code == 403
    stray = post(sara, f"/cases/{cid}", "/cases/9999/missing", {"kind": "document", "note": "x"})
    assert stray.status_code == 404
    assert sms(store, cid, "something_missing") == []
    assert move(sara, cid, "withdraw", {"note": "تكرار"}).status_code == 302
    closed = ask(sara, cid, "document", "صورة الهوية")
    assert closed.status_code == 400 and "بعد قرار اللجنة" in closed.get_data(as_text=True)


def _visit_day() -> dt.date:
    return saudi_today() + dt.timedelta(days=6)


def test_the_research_visit_is_set_told_in_hijri_and_shown_on_his_page(store, people, anon):
    sara, ali = people["sara"], people["ali"]
    cid = submit_request(sara, "interview")
    ref = store.get(CASES, cid)["ref"]
    url = f"/cases/{cid}/visit"
    day = _visit_day()
    form = {"visit_day": day.isoformat(), "visit_time": "١٠:٣٠", "visit_note": "يرجى إحضار الصكوك"}
    early = post(ali, f"/cases/{cid}", url, form)  # not referred yet
    assert early.status_code == 400 and "المحال إلى البحث" in early.get_data(as_text=True)
    assert move(sara, cid, "refer", {"note": "زيارة منزلية"}).status_code == 302
    assert post(people["vera"], f"/cases/{cid}", url, form).status_code == 403
    past = post(ali, f"/cases/{cid}", url, form | {"visit_day": "2020-01-01"})
    assert past.status_code == 400 and "موعد الزيارة من اليوم" in past.get_data(as_text=True)
    bad_time = post(ali, f"/cases/{cid}", url, form | {"visit_time": "25:00"})
    assert bad_time.status_code == 400 and "وقت الزيارة" in bad_time.get_data(as_text=True)
    h = hijri(day)
    typed_hijri = f"{h.year}/{h.month:02d}/{h.day:02d}"  # typed as Hijri, the same day
    assert post(ali, f"/cases/{cid}", url, form | {"visit_day": typed_hijri}).status_code == 302
    (told,) = sms(store, cid, "visit_appointment")
    assert f"موعد زيارة الباحث الاجتماعي لطلبك {ref}:" in told["text"]
    assert format_date(day, "ar") in told["text"] and "الساعة 10:30" in told["text"]
    assert "يرجى إحضار الصكوك" in told["text"]
    assert store.get(CASES, cid)["visit"]["on"] == day.isoformat()
    staff = sara.get(f"/cases/{cid}").get_data(as_text=True)
    assert 'id="visit-when"' in staff and "10:30" in staff
    path = own_path(store, cid)
    assert 'id="own-visit"' not in anon.get(path).get_data(as_text=True)  # before the code
    enter(store, anon, cid, path)
    page = anon.get(path).get_data(as_text=True)
    assert 'id="own-visit"' in page and "10:30" in page and f"{h.year}" in page
    trail = store.find("audit", where={"action": "schedule_visit", "entity": "case"})
    assert trail[0]["after"]["visit"]["time"] == "10:30"
    # Moved: he is told again, the page shows the new time, the audit keeps the old one.
    moved = form | {"visit_day": day.isoformat(), "visit_time": "13:15"}
    assert post(ali, f"/cases/{cid}", url, moved).status_code == 302
    assert [m["text"].count("13:15") for m in sms(store, cid, "visit_appointment")] == [0, 1]
    assert "13:15" in anon.get(path).get_data(as_text=True)
    trail = store.find("audit", where={"action": "schedule_visit", "entity": "case"})
    assert trail[-1]["before"]["visit"]["time"] == "10:30"


def test_a_beneficiary_who_chose_english_gets_english_texts(store, people):
    sara = people["sara"]
    cid = submit_request(sara, "interview")
    bid = store.get(CASES, cid)["beneficiary_id"]
    url = f"/beneficiaries/{bid}/messages/language"
    page = f"/beneficiaries/{bid}"
    assert post(people["vera"], page, url, {"language": "en"}).status_code == 403
    assert post(sara, page, url, {"language": "fr"}).status_code == 302
    assert "language" not in store.get("beneficiaries", bid)
    assert post(sara, page, url, {"language": "en"}).status_code == 302
    assert store.get("beneficiaries", bid)["language"] == "en"
    assert 'value="en" selected' in sara.get(page).get_data(as_text=True)
    assert ask(sara, cid, "document", "Lease contract").status_code == 302
    (told,) = sms(store, cid, "something_missing")
    assert "your request" in told["text"] and "lacks: Lease contract." in told["text"]
    assert move(sara, cid, "refer", {"note": "زيارة"}).status_code == 302
    form = {"visit_day": _visit_day().isoformat(), "visit_time": "09:00"}
    assert post(people["ali"], f"/cases/{cid}", f"/cases/{cid}/visit", form).status_code == 302
    (visit,) = sms(store, cid, "visit_appointment")
    assert "the social researcher will visit you" in visit["text"]
    assert format_date(_visit_day(), "en") in visit["text"] and "AH" in visit["text"]
    assert "at 09:00" in visit["text"]
    trail = store.find("audit", where={"action": "message_language"})
    assert trail[0]["before"] == {"language": "ar"} and trail[0]["after"] == {"language": "en"}


def test_his_page_offers_his_survey_once_served_until_he_answers(store, people, anon):
    sara = people["sara"]
    cid = submit_request(sara, "interview")
    path = own_path(store, cid)
    enter(store, anon, cid, path)
    assert 'id="own-survey"' not in anon.get(path).get_data(as_text=True)  # not served yet
    to_committee(people, cid)
    decision = {"meeting_number": "12", "reasons": "مستوفية للشروط", "support_types": ["rent"]}
    assert move(people["huda"], cid, "accept", decision | {"amount": "1500"}).status_code == 302
    assert move(sara, cid, "register").status_code == 302
    proof = (current(store).get("proof_of_delivery") or [{"value": "bank_transfer"}])[0]["value"]
    service = {"proof": proof, "service_date": saudi_today().isoformat(), "service_note": "سلة"}
    assert (
        move(sara, cid, "serve", service | {"kind": "in_kind", "quantity": "1"}).status_code == 302
    )
    page = anon.get(path).get_data(as_text=True)
    link = re.search(r'id="survey-link" href="([^"]+)"|href="([^"]+)" id="survey-link"', page)
    assert 'id="own-survey"' in page and link, page[-3000:]
    survey = html.unescape(link.group(1) or link.group(2))
    assert "/f/satisfaction_survey?b=" in survey
    answered = post_form(anon, urlsplit(survey).path + "?" + urlsplit(survey).query, SURVEY)
    assert answered.status_code == 302, answered.get_data(as_text=True)[:2000]
    assert 'id="own-survey"' not in anon.get(path).get_data(as_text=True)  # answered


def test_with_no_mobile_his_code_goes_to_his_email(store, people, anon):
    cid = submit_request(people["sara"], "interview", email="sara.b@example.org")
    case = store.get(CASES, cid)
    store.update("beneficiaries", case["beneficiary_id"], {"mobile": ""})
    path = own_path(store, cid)
    asked = post(anon, path, f"{path}/code")
    assert asked.status_code == 302
    assert "بريدك الإلكتروني" in anon.get(path).get_data(as_text=True)
    (sent,) = store.find(outbox.OUTBOX, where={"case_id": cid, "event": "own_page_code"})
    assert sent["channel"] == outbox.EMAIL and sent["email"] == "sara.b@example.org"
    assert sent["mobile"] == "" and sent["subject"] == "رمز الدخول إلى صفحة طلبك"
    code = re.search(r": (\d{6}) ", sent["text"]).group(1)
    assert post(anon, path, f"{path}/enter", {"code": code}).status_code == 302
    assert case["name"] in anon.get(path).get_data(as_text=True)


def test_erasing_him_drops_the_notes_staff_wrote_about_him(store, people, runner):
    sara = people["sara"]
    cid = submit_request(sara, "interview")
    assert ask(sara, cid, "information", "دخل الابن من عمله في الرياض").status_code == 302
    assert move(sara, cid, "refer", {"note": "زيارة"}).status_code == 302
    form = {"visit_day": _visit_day().isoformat(), "visit_time": "09:00", "visit_note": "حي النسيم"}
    assert post(people["ali"], f"/cases/{cid}", f"/cases/{cid}/visit", form).status_code == 302
    result = runner.invoke(args=["privacy", "erase", store.get(CASES, cid)["national_id"], "--yes"])
    assert result.exit_code == 0, result.output
    case = store.get(CASES, cid)
    assert "دخل الابن" not in str(case) and "حي النسيم" not in str(case)
    assert case["missing"][0]["kind"] == "information" and case["visit"]["time"] == "09:00"
    kept = str(store.find("audit", where={"entity": "case", "entity_id": str(cid)}))
    assert "دخل الابن" not in kept and "حي النسيم" not in kept


def test_the_new_events_are_edited_and_previewed_in_both_languages(store, people):
    officer, page = people["nora"], "/settings/messages/events"
    listed = officer.get(page).get_data(as_text=True)
    for name in ("something_missing", "visit_appointment", "document_received"):
        assert f'id="{name}"' in listed or f"/settings/messages/events/{name}" in listed
    url = f"{page}/visit_appointment"
    ar = "{{ association }}: يزورك الباحث {{ day }} {{ date }} {{ time }} لطلبك {{ ref }}"
    en = "{{ association }}: the researcher visits you {{ day }} {{ date }} at {{ time }}"
    shown = post(officer, page, url, {"on": "yes", "ar": ar, "en": en, "action": "preview"})
    text = shown.get_data(as_text=True)
    assert shown.status_code == 200
    assert "يزورك الباحث الأحد 1448/06/20 هـ (2026/12/13 م) 10:30 لطلبك SR-1447-0012" in text
    assert "Sanad Association: the researcher visits you Sunday 1448/06/20 AH" in text
    assert post(officer, page, url, {"ar": ar, "en": en, "action": "save"}).status_code == 302
    cid = submit_request(people["sara"], "interview")
    assert move(people["sara"], cid, "refer", {"note": "زيارة"}).status_code == 302
    form = {"visit_day": _visit_day().isoformat(), "visit_time": "09:00"}
    assert post(people["ali"], f"/cases/{cid}", f"/cases/{cid}/visit", form).status_code == 302
    assert sms(store, cid, "visit_appointment") == []  # switched off
    assert store.get(CASES, cid)["visit"]["time"] == "09:00"  # the visit is set all the same
