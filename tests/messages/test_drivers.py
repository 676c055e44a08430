"""Each SMS driver against a local server speaking its provider's documented API."""

from __future__ import annotations

import pytest

from messages.drivers import DRIVERS
from messages.result import PERMANENT, SENT, TEMPORARY
from tests.messages.conftest import SECRET, USER, settings_for
from tests.messages.fake_gateway import (
    BAD_NUMBER,
    NO_BALANCE,
    PATHS,
    WRONG_CREDENTIALS,
    success,
)

TEXT = "جمعية سند: استلمنا طلبك رقم SR-12"


def send(gateway, mobile="0512345678", text=TEXT):
    return DRIVERS[gateway.provider](settings_for(gateway)).send(mobile, text)


def test_success_speaks_the_documented_request(configured):
    gateway = configured
    result = send(gateway)
    assert result.outcome == SENT and result.ok
    (request,) = gateway.requests
    assert request["path"] == PATHS[gateway.provider]
    body, headers = request["body"], request["headers"]
    if gateway.provider == "unifonic":
        assert body == {
            "AppSid": SECRET,
            "SenderID": "Sanad",
            "Recipient": "966512345678",
            "Body": TEXT,
            "responseType": "JSON",
        }
        assert result.provider_id == "3001"
    elif gateway.provider == "taqnyat":
        assert headers["Authorization"] == f"Bearer {SECRET}"
        assert body == {"recipients": [966512345678], "body": TEXT, "sender": "Sanad"}
        assert result.provider_id == "5001"
    else:
        assert body == {
            "userName": USER,
            "apiKey": SECRET,
            "numbers": "966512345678",
            "userSender": "Sanad",
            "msg": TEXT,
            "msgEncoding": "UTF8",
        }
    assert SECRET not in result.answer


@pytest.mark.parametrize("table", [WRONG_CREDENTIALS, NO_BALANCE, BAD_NUMBER])
def test_documented_refusals_are_permanent(configured, table):
    gateway = configured
    gateway.script.append(table[gateway.provider])
    result = send(gateway)
    assert result.outcome == PERMANENT
    assert table[gateway.provider][1]["message"] in result.answer
    assert SECRET not in result.answer


@pytest.mark.parametrize("status", [500, 503, 429])
def test_server_errors_and_throttling_are_temporary(configured, status):
    configured.script.append((status, {"message": "busy"}))
    assert send(configured).outcome == TEMPORARY


def test_a_timeout_is_temporary(configured):
    configured.script.append((*success(configured.provider, 1), 1.5))  # after the 1 s limit
    assert send(configured).outcome == TEMPORARY


def test_a_closed_port_is_temporary(configured):
    configured.close()
    assert send(configured).outcome == TEMPORARY


def test_a_number_that_is_not_saudi_is_refused_before_sending(configured):
    result = send(configured, mobile="12345")
    assert result.outcome == PERMANENT and configured.requests == []
