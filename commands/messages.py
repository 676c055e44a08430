"""`flask --app app messages worker|test`: the outbox's sender, and a test message."""

from __future__ import annotations

import signal
import threading

import click
from flask import current_app
from flask.cli import AppGroup

import store
from forms.saudi import clean_mobile
from messages import settings as gateway_settings
from messages import worker
from messages.drivers import DRIVERS

group = AppGroup("messages", help="Messages: the outbox's sender, a test message.")
TEST_TEXT = "رسالة تجريبية من رفد: إعداد بوابة الرسائل يعمل."


@group.command("worker")
@click.option("--poll", type=float, default=worker.POLL, show_default=True, help="Seconds.")
def worker_command(poll: float) -> None:
    """Send the outbox's messages until stopped (Ctrl-C or SIGTERM)."""
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    click.echo("sending the outbox's messages; Ctrl-C stops")
    worker.run(store.get_store(), current_app.config["DATA_DIR"], stop, poll)


@group.command("test")
@click.option("--to", "to", required=True, help="A mobile, 05XXXXXXXX.")
def test_command(to: str) -> None:
    """Send a test SMS through the configured gateway and print its answer."""
    try:
        mobile = clean_mobile(to)
    except ValueError:
        raise click.ClickException(f"{to}: not a Saudi mobile (05XXXXXXXX)") from None
    settings = gateway_settings.gateway(store.get_store())
    provider = settings["provider"]
    if provider not in DRIVERS:
        raise click.ClickException(
            "no SMS gateway is set (outbox only): set RIFD_SMS_PROVIDER or the settings page"
        )
    result = DRIVERS[provider](settings).send(mobile, TEST_TEXT)
    click.echo(f"{provider}: {result.outcome}")
    click.echo(result.answer)
    if not result.ok:
        raise SystemExit(1)
