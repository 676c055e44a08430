"""Program announcements against their lead time; one beneficiary, one record, his file."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import zipfile

from openpyxl import load_workbook

from cases.beneficiaries import BENEFICIARIES
from cases.programs import PROGRAMS
from letters.address import fallback
from tests.cases.conftest import edit_policy, move, post, submit_request

CATEGORIES = {
    "program_categories.0.id": "open",
    "program_categories.0.name.ar": "برامج عامة مفتوحة",
    "program_categories.0.lead_work_days": "5",
    "program_categories.1.id": "registration",
    "program_categories.1.name.ar": "برامج تتطلب تسجيلًا مسبقًا",
    "program_categories.1.needs_registration": "yes",
    "program_categories.1.lead_work_days": "10",
}


def announce(client, **fields):
    return post(client, "/programs/new", "/programs/new", fields)


def test_a_late_announcement_is_saved_and_flagged(store, people):
    assert edit_policy(people["nora"], **CATEGORIES).status_code == 302
    sara = people["sara"]
    sunday = dt.date(2026, 12, 6)
    program = {"name": "دورة الإسعافات الأولية", "category": "registration"}
    late = announce(
        sara,
        **program,
        announced_on=sunday.isoformat(),
        starts_on=(sunday + dt.timedelta(days=7)).isoformat(),
    )
    assert late.status_code == 302
    page = sara.get("/programs/").get_data(as_text=True)
    assert "الإعلان متأخر" in page and "بـ 5 يوم عمل" in page and "10 أيام عمل" in page
    on_time = announce(sara, **program, announced_on=sunday.isoformat(), starts_on="٢٠٢٦-١٢-٢٠")
    assert on_time.status_code == 302
    stored = sorted(store.iter(PROGRAMS), key=lambda p: p["id"])
    assert [(p["too_late"], p["lead_given"]) for p in stored] == [(True, 5), (False, 10)]
    # An Eid holiday in between makes the second one late too, when it is saved again.
    post(
        people["boss"],
        "/settings/holidays",
        "/settings/holidays",
        {"name": "عيد", "start": "2026-12-08", "end": "2026-12-10"},
    )
    pid = stored[1]["id"]
    again = post(
        sara,
        f"/programs/{pid}/edit",
        f"/programs/{pid}/edit",
        {**program, "announced_on": "2026-12-06", "starts_on": "2026-12-20"},
    )
    assert again.status_code == 302 and store.get(PROGRAMS, pid)["lead_given"] == 7


def test_bad_announcements_are_refused_with_a_message(store, people):
    assert edit_policy(people["nora"], **CATEGORIES).status_code == 302
    sara = people["sara"]
    bad = [
        ({"name": "", "category": "open"}, "اكتب اسم البرنامج"),
        ({"name": "x", "category": "nope"}, "اختر فئة البرنامج"),
        ({"name": "x", "category": "open", "announced_on": "غدًا"}, "YYYY-MM-DD"),
        (
            {
                "name": "x",
                "category": "open",
                "announced_on": "2026-12-10",
                "starts_on": "2026-12-01",
            },
            "يبدأ البرنامج بعد الإعلان",
        ),
    ]
    for fields, message in bad:
        fields = {"announced_on": "2026-12-01", "starts_on": "2026-12-20", **fields}
        response = announce(sara, **fields)
        assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert store.count(PROGRAMS) == 0
    assert people["huda"].get("/programs/new").status_code == 403


def test_a_second_request_finds_the_first_beneficiary(store, people):
    sara = people["sara"]
    first = submit_request(sara, "interview")
    second = submit_request(sara, "phone", mobile="0559876543")
    assert store.count(BENEFICIARIES) == 1
    person = next(store.iter(BENEFICIARIES))
    assert person["mobile"] == "+966559876543"  # the newest request knows his phone
    cases = [store.get("cases", cid) for cid in (first, second)]
    assert cases[0]["beneficiary_id"] == cases[1]["beneficiary_id"] == person["id"]
    page = sara.get(f"/cases/{second}").get_data(as_text=True)
    assert re.search(r"طلبات سابقة</dt><dd>1<", page)
    found = sara.get("/beneficiaries/?national_id=١٠٠٠٠٠٠٠٠٨")
    assert found.status_code == 302 and found.headers["Location"].endswith(f"/{person['id']}")
    file = people["vera"].get(f"/beneficiaries/{person['id']}").get_data(as_text=True)
    assert (
        len(re.findall(r'href="/cases/\d+"', file)) == 2
        and "1•••••••08" in file
        and "1000000008" not in file
    )
    assert sara.get("/beneficiaries/?national_id=1000000000").status_code == 400
    missing = sara.get("/beneficiaries/?national_id=2172323137").get_data(as_text=True)
    assert "لا يوجد مستفيد" in missing


def test_a_persons_export_and_erasure_cover_his_requests(store, people):
    sara = people["sara"]
    cid = submit_request(sara, "interview")
    move(sara, cid, "refer", {"note": "أرملة، حالتها الصحية تحتاج زيارة"})
    boss = people["boss"]
    found = post(boss, "/privacy/", "/privacy/", {"national_id": "1000000008", "action": "export"})
    assert found.status_code == 200
    with zipfile.ZipFile(io.BytesIO(found.data)) as zf:
        sheet = load_workbook(io.BytesIO(zf.read("data.xlsx")))["الطلبات"]
    assert sheet.cell(2, 1).value == store.get("cases", cid)["ref"]
    assert sheet.cell(2, 4).value == "research"
    erase = {"national_id": "1000000008", "confirm": "1000000008", "action": "erase"}
    assert post(boss, "/privacy/", "/privacy/", erase).status_code == 200
    case = store.get("cases", cid)
    assert case["name"] == "—" and case["national_id"] == "" and case["state"] == "research"
    assert all(step["note"] == "" for step in case["history"])
    person = next(store.iter(BENEFICIARIES))
    assert "national_id" not in person and "name" not in person and person.get("erased_at")


SURVEY = {
    "service_received": "in_kind",
    "channel_used": "interview",
    "rate_reception": "5",
    "rate_speed": "4",
    "rate_clarity": "5",
    "rate_staff": "5",
    "rate_overall": "٥",
    "nps": "9",
}


def serve(store, people, cid: int) -> None:
    """Take a request to served the quickest way the policy allows."""
    sara, huda = people["sara"], people["huda"]
    page = sara.get(f"/cases/{cid}").get_data(as_text=True)
    items = re.findall(r'name="checklist" value="([^"]+)"', page)
    assert move(sara, cid, "verify", {"checklist": items}).status_code == 302
    post(sara, f"/cases/{cid}", f"/cases/{cid}/letter/declaration")
    for who, name, data in [
        (sara, "declare", {"signed": "yes"}),
        (sara, "submit", {}),
        (huda, "accept", {"meeting_number": "5"}),
        (sara, "register", {}),
        (sara, "serve", {"proof": "bank_transfer", "kind": "cash", "amount": "500"}),
    ]:
        assert move(who, cid, name, data).status_code == 302, name
    assert store.get("cases", cid)["state"] == "served"


def test_a_served_beneficiary_gets_his_own_survey_link(app, store, people):
    sara = people["sara"]
    cid = submit_request(sara, "interview")
    assert 'id="survey"' not in sara.get(f"/cases/{cid}").get_data(as_text=True)
    serve(store, people, cid)
    page = sara.get(f"/cases/{cid}").get_data(as_text=True)
    # On the public address (none set: this machine's), never the request's Host header.
    link = re.search(f'value="{re.escape(fallback())}(/f/satisfaction_survey\\?b=[^"]+)"', page)
    assert link, "no survey link once served"
    path = link.group(1)
    phone = app.test_client()
    assert post(phone, path, path, SURVEY).status_code == 302
    tampered = path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB")
    assert post(phone, tampered, tampered, SURVEY).status_code == 302  # answered anyway...
    answers = sorted(store.iter("submissions/satisfaction_survey"), key=lambda r: r["id"])
    assert answers[0]["about"] == {"beneficiary": 1, "case": cid}
    assert "about" not in answers[1]  # ...but not joined to anyone's file
    file = people["vera"].get("/beneficiaries/1").get_data(as_text=True)
    surveys = file.split('id="surveys"')[1].split("</section>")[0]
    assert answers[0]["ref"] in surveys and answers[1]["ref"] not in surveys


def test_switching_to_english_keeps_the_survey_link_his(app, store, people):
    # The switch used to drop the query: the survey went on in English, unlinked.
    cid = submit_request(people["sara"], "interview")
    serve(store, people, cid)
    page = people["sara"].get(f"/cases/{cid}").get_data(as_text=True)
    path = re.search(f'value="{re.escape(fallback())}(/f/satisfaction_survey\\?b=[^"]+)"', page)[1]
    phone = app.test_client()
    survey = phone.get(path).get_data(as_text=True)
    switch = html.unescape(re.search(r'href="(/lang/en\?[^"]+)"', survey).group(1))
    response = phone.get(switch)
    assert response.status_code == 302 and response.headers["Location"] == path
    english = phone.get(path).get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in english and "satisfaction survey" in english
    assert post(phone, path, path, SURVEY).status_code == 302
    [answer] = store.iter("submissions/satisfaction_survey")
    assert answer["about"] == {"beneficiary": 1, "case": cid}


def test_without_categories_the_programs_page_says_where_to_add_them(people):
    page = people["sara"].get("/programs/").get_data(as_text=True)
    assert 'href="/programs/new"' not in page and "لم تُحدد السياسة فئات للبرامج بعد" in page
    assert edit_policy(people["nora"], **CATEGORIES).status_code == 302
    assert 'href="/programs/new"' in people["sara"].get("/programs/").get_data(as_text=True)
