"""E-mail through a real local SMTP server (aiosmtpd) with STARTTLS and a password."""

from __future__ import annotations

import socket
import ssl
import subprocess

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from cases import outbox
from messages import sender
from messages.email import Smtp, masked
from messages.result import PERMANENT, SENT, TEMPORARY

PASSWORD = "mail-pa55word-xyz"


class Inbox:
    def __init__(self):
        self.mails = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.mails.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1, made once for the module."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def smtp_server(certificate):
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox = Inbox()

    def check(server, session, envelope, mechanism, auth_data):
        good = auth_data.login == b"rifd" and auth_data.password == PASSWORD.encode()
        return AuthResult(success=good, handled=False)  # aiosmtpd answers 535 itself

    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=free_port(),
        tls_context=context,
        require_starttls=True,
        authenticator=check,
        auth_required=True,
    )
    controller.start()
    inbox.url = (
        f"smtp://rifd:{PASSWORD}@127.0.0.1:{controller.port}?from=rifd@example.org&cafile={cert}"
    )
    yield inbox
    controller.stop()


def test_a_mail_goes_through_starttls_with_arabic_text(smtp_server):
    result = Smtp(smtp_server.url).send("officer@example.org", "طلبات قرب موعدها", "طلب SR-1")
    assert result.outcome == SENT
    (mail,) = smtp_server.mails
    assert mail.rcpt_tos == ["officer@example.org"]
    assert "طلب SR-1" in mail.content.decode("utf-8", "replace") or b"SR-1" in mail.content


def test_a_wrong_password_is_permanent_and_never_echoed(smtp_server):
    url = smtp_server.url.replace(PASSWORD, "wrong-password-1")
    result = Smtp(url).send("officer@example.org", "s", "t")
    assert result.outcome == PERMANENT
    assert "wrong-password-1" not in result.answer and PASSWORD not in result.answer
    assert smtp_server.mails == []


def test_an_unreachable_server_is_temporary():
    result = Smtp(f"smtp://127.0.0.1:{free_port()}").send("a@example.org", "s", "t")
    assert result.outcome == TEMPORARY


def test_an_untrusted_certificate_is_not_sent_to(smtp_server):
    url = smtp_server.url.split("&cafile=")[0]
    assert Smtp(url).send("a@example.org", "s", "t").outcome != SENT
    assert smtp_server.mails == []


def test_the_address_is_shown_without_its_password(smtp_server):
    assert PASSWORD not in masked(smtp_server.url)
    assert masked(smtp_server.url).startswith("smtp://rifd:****@127.0.0.1:")


def test_the_sender_delivers_a_queued_mail_through_the_outbox(store, smtp_server, monkeypatch):
    monkeypatch.setenv("RIFD_SMTP_URL", smtp_server.url)
    with store.transaction() as tx:
        queued = outbox.queue(
            tx, "", "طلب SR-2 قرب موعده", "deadline_digest",
            channel=outbox.EMAIL, email="officer@example.org", subject="رفد",
        )  # fmt: skip
    assert sender.send_due(store) == 1
    assert store.get(outbox.OUTBOX, queued["id"])["status"] == outbox.SENT
    (mail,) = smtp_server.mails
    assert mail.rcpt_tos == ["officer@example.org"]
    assert PASSWORD not in str(store.get(outbox.OUTBOX, queued["id"]))
