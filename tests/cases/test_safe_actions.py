"""Safe actions on a request: a question before a step that decides or ends it, the box
opened by default, and an admin reopening a closed request with a reason."""

from __future__ import annotations

import re

from accounts.audit import COLLECTION as AUDIT
from cases.service import CASES
from cases.workflow import DEFAULT_MOVE, MOVES
from tests.cases.conftest import move, post, submit_request
from tests.cases.test_moves import to_committee

DECISION = {"meeting_number": "7", "reasons": "الدخل يكفي حاجة الأسرة"}


def opened_boxes(client, cid: int) -> list[str]:
    page = client.get(f"/cases/{cid}").get_data(as_text=True)
    return re.findall(r'<details class="move-box" id="box-(\w+)" open>', page)


def asks_first(client, cid: int) -> dict[str, str]:
    """Return the moves of the page whose form asks a question before it is sent."""
    page = client.get(f"/cases/{cid}").get_data(as_text=True)
    found = re.findall(r'id="move-(\w+)"\s+data-confirm="([^"]+)"', page)
    return dict(found)


def verify(client, cid: int) -> None:
    page = client.get(f"/cases/{cid}").get_data(as_text=True)
    items = re.findall(r'name="checklist" value="([^"]+)"', page)
    assert move(client, cid, "verify", {"checklist": items}).status_code == 302


def test_withdraw_close_accept_and_reject_ask_before_they_are_sent(store, people):
    sara, huda = people["sara"], people["huda"]
    cid = submit_request(sara, "interview")
    page = sara.get(f"/cases/{cid}").get_data(as_text=True)
    assert "/static/js/page.js" in page  # the script that asks the question
    assert set(asks_first(sara, cid)) == {"withdraw"}
    assert "دون قرار" in asks_first(sara, cid)["withdraw"]
    to_committee(people, cid)
    questions = asks_first(huda, cid)
    assert set(questions) == {"accept", "reject"}
    assert "القبول" in questions["accept"] and "الرفض" in questions["reject"]
    assert move(huda, cid, "reject", DECISION).status_code == 302
    assert set(asks_first(sara, cid)) == {"close"}
    # Without the script the form is sent as it is: the move still works.
    assert move(sara, cid, "close").status_code == 302
    assert store.get(CASES, cid)["state"] == "closed"


def test_no_move_that_decides_or_ends_a_request_opens_by_default():
    for state, name in DEFAULT_MOVE.items():
        chosen = MOVES[name]
        assert state in chosen.sources and chosen.confirm is None, (state, name)


def test_the_box_opened_by_default_is_the_policy_s_next_step(store, people):
    sara, huda, ali = people["sara"], people["huda"], people["ali"]
    cid = submit_request(sara, "interview")
    assert opened_boxes(sara, cid) == ["verify"]  # not "withdraw"
    other = submit_request(sara, "interview")
    assert move(sara, other, "refer", {"note": "تحتاج زيارة"}).status_code == 302
    # In research intake can only withdraw: once the first box, it opened itself.
    assert opened_boxes(sara, other) == []
    assert opened_boxes(ali, other) == ["research_done"]
    verify(sara, cid)
    assert opened_boxes(sara, cid) == ["declare"]
    to_committee_from_verified(sara, cid)
    assert opened_boxes(huda, cid) == []  # "accept" was opened before anyone chose
    assert move(huda, cid, "reject", DECISION).status_code == 302
    assert opened_boxes(sara, cid) == []  # only "close" is left: it waits for a click


def to_committee_from_verified(sara, cid: int) -> None:
    post(sara, f"/cases/{cid}", f"/cases/{cid}/letter/declaration")
    assert move(sara, cid, "declare", {"signed": "yes"}).status_code == 302
    assert opened_boxes(sara, cid) == ["submit"]
    assert move(sara, cid, "submit").status_code == 302


def reopen(client, cid: int, reason: str | None = None):
    return move(client, cid, "reopen", {"note": reason} if reason is not None else {})


def test_an_admin_reopens_a_withdrawn_request_with_a_reason(store, people):
    sara, boss = people["sara"], people["boss"]
    cid = submit_request(sara, "interview")
    verify(sara, cid)
    assert move(sara, cid, "withdraw", {"note": "طلب مكرر"}).status_code == 302
    assert 'id="move-reopen"' not in sara.get(f"/cases/{cid}").get_data(as_text=True)
    assert reopen(sara, cid, "خطأ").status_code == 403
    assert reopen(people["vera"], cid, "خطأ").status_code == 403
    page = boss.get(f"/cases/{cid}").get_data(as_text=True)
    assert 'id="move-reopen"' in page and "سبب إعادة الفتح" in page
    assert opened_boxes(boss, cid) == []
    missing = reopen(boss, cid)
    assert missing.status_code == 400
    assert "هذا الحقل مطلوب: الملاحظة" in missing.get_data(as_text=True)
    long = reopen(boss, cid, "س" * 2001)
    assert long.status_code == 400 and "أطول من المسموح" in long.get_data(as_text=True)
    assert store.get(CASES, cid)["state"] == "closed"

    reason = "أُغلق بالخطأ: الطلب ليس مكررًا"
    assert reopen(boss, cid, reason).status_code == 302
    case = store.get(CASES, cid)
    assert case["state"] == "verified"  # where it was when it was withdrawn
    step = case["history"][-1]
    assert (step["move"], step["from"], step["to"], step["by"]) == (
        "reopen",
        "closed",
        "verified",
        "boss",
    )
    assert step["note"] == reason
    history = sara.get(f"/cases/{cid}").get_data(as_text=True).split('id="history"')[1]
    assert reason in history
    entry = [e for e in store.iter(AUDIT) if e["action"] == "case.reopen"]
    assert len(entry) == 1 and entry[0]["entity_id"] == str(cid)
    assert entry[0]["before"] == {"state": "closed"}
    assert entry[0]["after"]["state"] == "verified" and entry[0]["after"]["note"] == reason
    # The request goes on from there.
    to_committee_from_verified(sara, cid)
    assert store.get(CASES, cid)["state"] == "committee"


def test_a_closed_decided_request_reopens_to_its_decision(store, people):
    sara, huda, boss = people["sara"], people["huda"], people["boss"]
    cid = submit_request(sara, "interview")
    assert reopen(boss, cid, "لماذا").status_code == 400  # not closed: nothing to reopen
    to_committee(people, cid)
    assert move(huda, cid, "reject", DECISION).status_code == 302
    assert move(sara, cid, "close").status_code == 302
    assert reopen(boss, cid, "التظلم مقبول للنظر").status_code == 302
    case = store.get(CASES, cid)
    assert case["state"] == "rejected" and case["decision"]["outcome"] == "rejected"
    assert reopen(boss, cid, "مرة أخرى").status_code == 400
    assert store.get(CASES, cid)["state"] == "rejected"
