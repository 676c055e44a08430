"""The settings page (secret masked, audit without it), the CLI, Unifonic's reports."""

from __future__ import annotations

import pytest

from accounts.audit import COLLECTION as AUDIT
from cases import outbox
from messages import sender
from tests.conftest import csrf_token, post_form, sign_in
from tests.messages.conftest import SECRET
from tests.messages.fake_gateway import WRONG_CREDENTIALS
from web.message_settings import callback_token

URL = "/settings/messages"
SMTP = "smtp://rifd:mail-pa55word-xyz@mail.example.org:587?from=rifd@example.org"


@pytest.fixture
def no_env(monkeypatch):
    for name in ("PROVIDER", "SENDER", "KEY", "USER", "BASE_URL"):
        monkeypatch.delenv(f"RIFD_SMS_{name}", raising=False)
    monkeypatch.delenv("RIFD_SMTP_URL", raising=False)


def test_the_admin_sets_the_gateway_and_never_sees_the_secret_again(client, store, no_env):
    form = {"provider": "unifonic", "sender": "Sanad", "key": SECRET, "user": "", "base_url": ""}
    response = post_form(client, URL, form | {"smtp_url": SMTP})
    assert response.status_code == 302
    page = client.get(URL).get_data(as_text=True)
    assert SECRET not in page and "mail-pa55word-xyz" not in page
    assert SECRET[-4:] in page  # the last four, to recognise it
    assert "smtp://rifd:****@mail.example.org:587" in page
    # Saving again with the secret fields empty keeps the secrets.
    assert post_form(client, URL, form | {"key": "", "sender": "Sanad2"}).status_code == 302
    assert sender.gateway_settings.gateway(store)["key"] == SECRET
    assert sender.gateway_settings.gateway(store)["smtp_url"] == SMTP
    entries = [e for e in store.iter(AUDIT) if e.get("entity") == "message_settings"]
    assert len(entries) == 2 and entries[0]["after"]["secrets_changed"] == ["key", "smtp_url"]
    assert all(SECRET not in str(e) and "pa55word" not in str(e) for e in store.iter(AUDIT))


def test_the_environment_fills_what_the_page_left_empty(client, monkeypatch, no_env):
    monkeypatch.setenv("RIFD_SMS_PROVIDER", "taqnyat")
    monkeypatch.setenv("RIFD_SMS_KEY", SECRET)
    page = client.get(URL).get_data(as_text=True)
    assert 'value="taqnyat" selected' in page and SECRET not in page


@pytest.mark.parametrize(
    "field, value",
    [
        ("provider", "twilio"),
        ("base_url", "ftp://x"),
        ("smtp_url", "http://mail"),
        ("sender", "a\r\nb"),
    ],
)
def test_bad_settings_are_refused_and_nothing_is_kept(client, store, no_env, field, value):
    form = {"provider": "msegat", "sender": "S", "key": "k", "user": "u", "base_url": ""}
    response = post_form(client, URL, form | {field: value})
    assert response.status_code == 400
    assert sender.gateway_settings.stored(store) == {}


def test_only_the_admin_opens_the_settings(app, no_env):
    clerk = app.test_client()
    sign_in(clerk, app, "clerk", roles=("intake",))
    assert clerk.get(URL).status_code == 403


def test_cli_test_prints_the_providers_answer(runner, configured):
    result = runner.invoke(args=["messages", "test", "--to", "0512345678"])
    assert result.exit_code == 0, result.output
    assert f"{configured.provider}: sent" in result.output
    assert "HTTP 20" in result.output and SECRET not in result.output
    assert len(configured.requests) == 1


def test_cli_test_shows_a_refusal_and_fails(runner, configured):
    configured.script.append(WRONG_CREDENTIALS[configured.provider])
    result = runner.invoke(args=["messages", "test", "--to", "0512345678"])
    assert result.exit_code == 1
    assert "permanent" in result.output and SECRET not in result.output


def test_cli_test_without_a_gateway_says_so(runner, no_env):
    result = runner.invoke(args=["messages", "test", "--to", "0512345678"])
    assert result.exit_code != 0 and "outbox only" in result.output


@pytest.mark.parametrize("provider", ["unifonic"])
def test_unifonic_delivery_report_marks_the_message_delivered(app, store, configured):
    with store.transaction() as tx:
        message = outbox.queue(tx, "+966512345678", "نص", "test")
    sender.send_due(store)
    provider_id = store.get(outbox.OUTBOX, message["id"])["provider_id"]
    public = app.test_client()
    with app.test_request_context():
        token = callback_token()
    assert public.post("/messages/unifonic/status/wrong", data={}).status_code == 404
    answer = public.post(
        f"/messages/unifonic/status/{token}", data={"messageId": provider_id, "status": "Delivered"}
    )
    assert answer.status_code == 200
    assert store.get(outbox.OUTBOX, message["id"])["status"] == outbox.DELIVERED


def test_a_message_to_check_is_sent_again_only_when_a_person_says_so(client, store, no_env):
    with store.transaction() as tx:
        message = outbox.queue(tx, "+966512345678", "نص للمراجعة", "test")
    store.update(outbox.OUTBOX, message["id"], {"status": outbox.CHECK, "answer": "lease expired"})
    page = client.get("/outbox/?status=check").get_data(as_text=True)
    assert "نص للمراجعة" in page and f"/outbox/{message['id']}/requeue" in page
    url = f"/outbox/{message['id']}/requeue"
    response = client.post(url, data={"csrf_token": _token(client)})
    assert response.status_code == 302
    assert store.get(outbox.OUTBOX, message["id"])["status"] == outbox.QUEUED
    assert [e["action"] for e in store.iter(AUDIT) if e["entity"] == "message"] == ["requeue"]
    assert client.post(url, data={"csrf_token": _token(client)}).status_code == 404  # queued now


def _token(client):
    return csrf_token(client, "/outbox/?status=check")
