"""Respect for people: a refusing number gets nothing, no SMS at night, a limit per number,
and the beneficiary's file lists his messages with their statuses."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.audit import COLLECTION as AUDIT
from cases import beneficiaries, outbox
from cases.beneficiaries import BENEFICIARIES
from messages import respect, sender
from tests.conftest import csrf_token, post_form
from tests.messages.conftest import SECRET

MOBILE = "+966512345678"
OTHER = "+966598765432"


@pytest.fixture
def any_hour():
    """Override tests/messages/conftest.py: these tests keep the real defaults."""


@pytest.fixture
def provider():
    return "taqnyat"


def riyadh(days: int, hour: int, minute: int = 0) -> dt.datetime:
    """A moment of the fake clock: `days` from today at hour:minute, Riyadh time."""
    day = dt.date.today() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute), respect.RIYADH).astimezone(dt.UTC)


def person(store, mobile=MOBILE) -> int:
    with store.transaction() as tx:
        return tx.insert(
            BENEFICIARIES, {"national_id": "1000000008", "name": "سالم", "mobile": mobile}
        )


def queue(store, text="نص", mobile=MOBILE) -> dict:
    with store.transaction() as tx:
        return outbox.queue(tx, mobile, text, "test")


def status(store, message: dict) -> str:
    return store.get(outbox.OUTBOX, message["id"])["status"]


def refuse(client, bid: int, **form):
    url = f"/beneficiaries/{bid}"
    data = {"csrf_token": csrf_token(client, url), "channel": "phone", "confirm": "yes"} | form
    return client.post(f"{url}/messages/refuse", data=data)


def test_a_refusing_number_gets_nothing_and_it_is_audited(client, store, configured):
    bid = person(store)
    before = queue(store, "قبل الرفض")
    response = refuse(client, bid, reason="لا يريد رسائل")
    assert response.status_code == 302
    after = queue(store, "بعد الرفض")
    other = queue(store, "لغيره", OTHER)
    assert sender.send_due(store, riyadh(2, 10)) == 1  # only the other number's
    assert configured.texts() == ["لغيره"]
    assert status(store, before) == status(store, after) == outbox.REFUSED
    assert status(store, other) == outbox.SENT
    assert store.get(outbox.OUTBOX, after["id"])["text"] == "بعد الرفض"  # what he was not told
    entry = [e for e in store.iter(AUDIT) if e["action"] == "refuse_messages"][-1]
    assert entry["entity_id"] == str(bid) and entry["actor"] == "staff"
    assert entry["after"]["messages_refused"]["channel"] == "phone"
    assert entry["after"]["messages_refused"]["reason"] == "لا يريد رسائل"
    assert entry["after"]["messages_stopped"] == [before["id"]]
    # He asks for messages again: what is queued from now on is sent, audited.
    url = f"/beneficiaries/{bid}"
    allowed = client.post(f"{url}/messages/allow", data={"csrf_token": csrf_token(client, url)})
    assert allowed.status_code == 302
    again = queue(store, "بعد الإلغاء")
    assert sender.send_due(store, riyadh(2, 11)) == 1
    assert status(store, again) == outbox.SENT and status(store, before) == outbox.REFUSED
    assert [e for e in store.iter(AUDIT) if e["action"] == "allow_messages"]


def test_the_sender_refuses_under_its_lock_what_was_queued_before(store, configured):
    message = queue(store)
    with store.transaction() as tx:  # the refusal lands between queueing and sending
        outbox.mark_refusal(tx, MOBILE, 1)
    assert sender.send_due(store, riyadh(2, 10)) == 0
    assert status(store, message) == outbox.REFUSED and configured.requests == []


@pytest.mark.parametrize("form", [{"confirm": ""}, {"channel": "pigeon"}])
def test_an_unconfirmed_or_unknown_refusal_records_nothing(client, store, form):
    bid = person(store)
    response = refuse(client, bid, **form)
    assert response.status_code == 302
    assert not store.get(BENEFICIARIES, bid).get("messages_refused")
    page = client.get(f"/beneficiaries/{bid}").get_data(as_text=True)
    assert "سجّل أنه يرفض الرسائل" in page
    assert not [e for e in store.iter(AUDIT) if e["action"] == "refuse_messages"]


def test_a_message_queued_at_23_riyadh_waits_until_8(store, configured):
    message = queue(store, "في الليل")
    assert sender.send_due(store, riyadh(2, 23)) == 0
    held = store.get(outbox.OUTBOX, message["id"])
    assert held["status"] == outbox.QUEUED and held["held"] == "quiet_hours"
    assert held["next_try_at"] == outbox.now_iso(riyadh(3, 8))
    assert sender.send_due(store, riyadh(3, 7, 59)) == 0
    assert configured.requests == []
    assert sender.send_due(store, riyadh(3, 8)) == 1
    assert configured.texts() == ["في الليل"]


def test_a_code_he_asked_for_goes_at_night_even_to_a_refusing_number(store, configured):
    # The code to his own page lasts ten minutes and he asked for it this moment: holding
    # it until morning, or refusing it, would only lock him out.
    with store.transaction() as tx:
        outbox.mark_refusal(tx, MOBILE, 1)
        code = outbox.queue(tx, MOBILE, "رمز الدخول 123456", "own_page_code", asked=True)
    night = queue(store, "خبر في الليل", OTHER)
    assert status(store, code) == outbox.QUEUED
    assert sender.send_due(store, riyadh(2, 23)) == 1
    assert configured.texts() == ["رمز الدخول 123456"]
    assert status(store, code) == outbox.SENT and status(store, night) == outbox.QUEUED


def test_staff_emails_are_not_held_at_night(store):
    night = riyadh(2, 23)
    mail = {"channel": outbox.EMAIL, "mobile": "", "email": "q@example.org"}
    with store.transaction() as tx:
        assert respect.hold(store, tx, respect.rules({}), mail, night) is None
        assert respect.hold(store, tx, respect.rules({}), {"mobile": MOBILE}, night)


def test_the_limit_per_number_holds_and_the_extra_waits(client, store, configured):
    form = {"provider": "taqnyat", "sender": "Sanad", "key": SECRET, "user": "u"}
    form |= {"base_url": configured.url, "quiet_from": "21:00", "quiet_until": "08:00"}
    assert post_form(client, "/settings/messages", form | {"sms_per_day": "2"}).status_code == 302
    first, second, third = (queue(store, f"رسالة {n}") for n in range(3))
    other = queue(store, "لرقم آخر", OTHER)
    morning = riyadh(2, 9)
    assert sender.send_due(store, morning) == 3
    assert configured.texts() == ["رسالة 0", "رسالة 1", "لرقم آخر"]
    waiting = store.get(outbox.OUTBOX, third["id"])
    assert waiting["status"] == outbox.QUEUED and waiting["held"] == "limit"
    assert waiting["next_try_at"] == outbox.now_iso(morning + dt.timedelta(hours=24, seconds=1))
    assert sender.send_due(store, morning + dt.timedelta(hours=12)) == 0  # 21:00: still held
    assert sender.send_due(store, morning + dt.timedelta(hours=24, seconds=1)) == 1
    assert status(store, third) == outbox.SENT
    assert {status(store, m) for m in (first, second, other)} == {outbox.SENT}


@pytest.mark.parametrize(
    "field, value", [("quiet_from", "25:00"), ("quiet_until", "x"), ("sms_per_day", "0")]
)
def test_bad_respect_settings_are_refused(client, store, field, value):
    form = {"provider": "outbox", "sender": "", "key": "", "user": "", "base_url": ""}
    response = post_form(client, "/settings/messages", form | {field: value})
    assert response.status_code == 400
    assert store.get(sender.gateway_settings.SETTINGS, 1) is None


def test_the_settings_page_shows_the_defaults(client):
    page = client.get("/settings/messages").get_data(as_text=True)
    assert 'value="21:00"' in page and 'value="08:00"' in page and 'value="5"' in page


def test_the_file_lists_his_messages_newest_first_with_their_statuses(client, store, configured):
    bid = person(store)
    sent = queue(store, "رسالة أُرسلت")
    sender.send_due(store, riyadh(2, 10))
    night = queue(store, "رسالة الليل")
    sender.send_due(store, riyadh(2, 23))
    queue(store, "ليست له", OTHER)
    refuse(client, bid)
    refused = queue(store, "رسالة مرفوضة")
    page = client.get(f"/beneficiaries/{bid}").get_data(as_text=True)
    rows = page.split('id="message-list"')[1]
    assert rows.index(f'data-message="{refused["id"]}"') < rows.index(
        f'data-message="{sent["id"]}"'
    )
    assert "رسالة أُرسلت" in rows and "أُرسلت" in rows
    assert f'data-message="{night["id"]}" data-status="refused"' in rows  # stopped by the refusal
    assert "لم تُرسل: المستفيد يرفض الرسائل" in rows and "ليست له" not in page
    assert "يرفض المستفيد الرسائل منذ" in page and "اتصال هاتفي" in page
    assert 'id="allow-messages"' in page


def test_the_file_pages_his_messages(client, store):
    bid = person(store)
    for n in range(21):
        queue(store, f"رسالة رقم {n}")
    first = client.get(f"/beneficiaries/{bid}").get_data(as_text=True)
    assert "رسالة رقم 20" in first and "رسالة رقم 0<" not in first and "تنتظر الإرسال" in first
    second = client.get(f"/beneficiaries/{bid}?page=2").get_data(as_text=True)
    assert "رسالة رقم 0<" in second and "رسالة رقم 20" not in second


def test_his_refusal_follows_his_new_number(client, store):
    bid = person(store)
    refuse(client, bid)
    with store.transaction() as tx:  # his next request gives a new mobile
        beneficiaries.register(store, tx, "1000000008", {"mobile": OTHER})
    assert store.get(BENEFICIARIES, bid)["mobile"] == OTHER
    assert queue(store, "للرقم الجديد", OTHER)["status"] == outbox.REFUSED
    assert queue(store, "للرقم القديم", MOBILE)["status"] == outbox.QUEUED


def test_a_code_goes_at_night_however_many_messages_wait_for_the_morning(store, configured):
    # More waiting than one look at the queue reads: the sender still finds the code.
    with store.transaction() as tx:
        for n in range(sender.SCAN + 20):
            outbox.queue(tx, f"+9665{n:08d}", f"خبر {n}", "test")
    for _round in range(2):  # a round looks at SCAN of them: each is held until 8
        assert sender.send_due(store, riyadh(2, 23)) == 0
    assert {m["held"] for m in store.find(outbox.OUTBOX)} == {"quiet_hours"}
    with store.transaction() as tx:
        code = outbox.queue(tx, MOBILE, "رمز الدخول 654321", "own_page_code", asked=True)
    assert sender.send_due(store, riyadh(2, 23, 5)) == 1
    assert configured.texts() == ["رمز الدخول 654321"] and status(store, code) == outbox.SENT
    # In the morning every one goes, the oldest first, each once.
    assert sender.send_due(store, riyadh(3, 8)) == sender.SCAN + 20
    texts = configured.texts()[1:]
    assert texts[:2] == ["خبر 0", "خبر 1"] and len(set(texts)) == sender.SCAN + 20
