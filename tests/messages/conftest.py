"""Fixtures of the message tests: a fake gateway per provider, and settings pointing at it."""

from __future__ import annotations

import pytest

from messages import drivers, respect
from tests.messages.fake_gateway import Gateway

SECRET = "s3cr3t-AppSid-0123456789abcdef"
USER = "assoc-user"


@pytest.fixture(autouse=True)
def any_hour(monkeypatch):
    """The gateway tests run on the real clock, at any hour: no quiet hours, no limit.

    tests/messages/test_respect.py overrides this fixture to test the real defaults.
    """
    monkeypatch.setattr(
        respect, "DEFAULTS", {"quiet_from": "00:00", "quiet_until": "00:00", "sms_per_day": "1000"}
    )


@pytest.fixture(params=["unifonic", "taqnyat", "msegat"])
def provider(request):
    return request.param


@pytest.fixture
def gateway(provider):
    fake = Gateway(provider)
    yield fake
    fake.close()


@pytest.fixture
def configured(monkeypatch, gateway):
    """The environment variables an admin would set, pointing at the fake gateway."""
    monkeypatch.setenv("RIFD_SMS_PROVIDER", gateway.provider)
    monkeypatch.setenv("RIFD_SMS_SENDER", "Sanad")
    monkeypatch.setenv("RIFD_SMS_KEY", SECRET)
    monkeypatch.setenv("RIFD_SMS_USER", USER)
    monkeypatch.setenv("RIFD_SMS_BASE_URL", gateway.url)
    monkeypatch.setattr(drivers, "TIMEOUT", (2, 1))
    return gateway


def settings_for(gateway) -> dict:
    return {
        "provider": gateway.provider,
        "sender": "Sanad",
        "key": SECRET,
        "user": USER,
        "base_url": gateway.url,
        "smtp_url": "",
    }
