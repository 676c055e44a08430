"""E-mail through SMTP, always over TLS: smtps:// (TLS from the start) or smtp:// (STARTTLS,
refused if the server does not offer it).

RIFD_SMTP_URL=smtp://user:password@mail.example.org:587?from=rifd@example.org
(`cafile=PATH` trusts one more certificate authority: a private mail server, or the tests).
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

from messages.result import PERMANENT, SENT, TEMPORARY, Result, scrub

TIMEOUT = 20


class SmtpError(ValueError):
    """The SMTP address cannot be used: the text says why."""


def parse(url: str) -> dict:
    """Return the parts of an SMTP address; SmtpError when it is not one."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise SmtpError("the address must start with smtp:// or smtps:// and name a host")
    query = parse_qs(parts.query)
    return {
        "implicit_tls": parts.scheme == "smtps",
        "host": parts.hostname,
        "port": parts.port or (465 if parts.scheme == "smtps" else 587),
        "user": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "sender": (query.get("from") or [""])[0],
        "cafile": (query.get("cafile") or [""])[0],
    }


def masked(url: str) -> str:
    """Return the address with its password hidden (for pages; never the password)."""
    try:
        p = parse(url)
    except SmtpError:
        return ""
    who = f"{p['user']}:****@" if p["user"] else ""
    scheme = "smtps" if p["implicit_tls"] else "smtp"
    return f"{scheme}://{who}{p['host']}:{p['port']}"


class Smtp:
    name = "smtp"

    def __init__(self, url: str):
        self.url = url
        self.p = parse(url)

    def _context(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        if self.p["cafile"]:
            context.load_verify_locations(self.p["cafile"])
        return context

    def _connect(self) -> smtplib.SMTP:
        p, context = self.p, self._context()
        if p["implicit_tls"]:
            return smtplib.SMTP_SSL(p["host"], p["port"], timeout=TIMEOUT, context=context)
        client = smtplib.SMTP(p["host"], p["port"], timeout=TIMEOUT)
        client.ehlo()
        if not client.has_extn("starttls"):
            client.quit()
            raise smtplib.SMTPNotSupportedError("the server offers no STARTTLS")
        client.starttls(context=context)
        client.ehlo()
        return client

    def send(self, to: str, subject: str, text: str) -> Result:
        mail = EmailMessage()
        mail["From"] = self.p["sender"] or self.p["user"]
        mail["To"] = to
        mail["Subject"] = subject
        mail.set_content(text)
        secret = self.p["password"]
        try:
            with self._connect() as client:
                if self.p["user"]:
                    client.login(self.p["user"], secret)
                refused = client.send_message(mail)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPAuthenticationError) as exc:
            return Result(PERMANENT, scrub(f"{type(exc).__name__}: {exc}", secret))
        except smtplib.SMTPResponseException as exc:
            kind = PERMANENT if 500 <= exc.smtp_code < 600 else TEMPORARY
            return Result(kind, scrub(f"{exc.smtp_code} {exc.smtp_error!r}", secret))
        except smtplib.SMTPNotSupportedError as exc:
            return Result(PERMANENT, scrub(str(exc), secret))
        except (OSError, smtplib.SMTPException) as exc:
            return Result(TEMPORARY, scrub(f"{type(exc).__name__}: {exc}", secret))
        if refused:
            return Result(PERMANENT, scrub(f"refused: {refused}", secret))
        return Result(SENT, "250 accepted")
