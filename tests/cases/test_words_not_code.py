"""People by their full names, and the audit trail in words, in local time."""

from __future__ import annotations

import re

from accounts import users
from accounts.audit import COLLECTION as AUDIT
from cases.service import CASES
from tests.cases.conftest import move, submit_request
from tests.conftest import csrf_token


def test_a_full_name_is_given_refused_when_odd_and_shown_instead_of_the_login(app, store, people):
    boss = people["boss"]
    sara = people["sara"]  # made with no full name
    uid = users.find(store, "sara")["id"]
    page = f"/users/{uid}"
    bad = boss.post(
        page,
        data={"csrf_token": csrf_token(boss, page), "roles": ["intake"], "full_name": "<b>x</b>"},
    )
    assert "حروف ومسافات فقط" in bad.get_data(as_text=True)
    assert not users.find(store, "sara").get("full_name")  # refused: nothing changed
    saved = boss.post(
        page,
        data={
            "csrf_token": csrf_token(boss, page),
            "roles": ["intake"],
            "full_name": "  سارة   محمد الغامدي ",
        },
    )
    assert saved.status_code == 302
    assert users.find(store, "sara")["full_name"] == "سارة محمد الغامدي"
    assert [e["action"] for e in store.iter(AUDIT)].count("set_full_name") == 1

    cid = submit_request(sara, "interview")
    assert move(sara, cid, "refer", {"note": "زيارة منزلية"}).status_code == 302
    case_page = sara.get(f"/cases/{cid}").get_data(as_text=True)
    history = case_page[case_page.index("سجل") :]
    assert "سارة محمد الغامدي" in history and '<bdi dir="ltr">sara</bdi>' not in history
    assert "سارة محمد الغامدي" in sara.get("/").get_data(as_text=True)  # the top bar


def test_the_audit_page_says_what_happened_in_words_and_riyadh_time(app, store, people):
    sara = people["sara"]
    cid = submit_request(sara, "interview")
    assert move(sara, cid, "refer", {"note": "زيارة منزلية"}).status_code == 302
    page = people["boss"].get("/audit/").get_data(as_text=True)
    assert "فتح طلب" in page and "إحالة إلى الباحث الاجتماعي" in page
    assert "case.refer" not in re.sub(r'title="[^"]*"', "", page)  # the code only as a tip
    assert "إجابة نموذج «" in page  # the submission, by its form's title
    # Before and after as a list of words: the state by its name, the note as typed.
    assert re.search(r"<dt>الحالة</dt><dd>مستلم</dd>", page)
    assert re.search(r"<dt>الحالة</dt><dd>محال للبحث الاجتماعي</dd>", page)
    assert re.search(r"<dt>ملاحظة</dt><dd>زيارة منزلية</dd>", page)
    assert '{"state"' not in page
    # The time in Riyadh: three hours after the UTC moment stored.
    entry = next(e for e in store.iter(AUDIT) if e["action"] == "case.refer")
    hour = (int(entry["at"][11:13]) + 3) % 24
    assert f'<span class="time" dir="ltr">{hour:02d}:{entry["at"][14:16]}</span>' in page
    assert store.get(CASES, cid)["state"] == "research"
