"""Command-line tools: `flask --app app forms|submissions|letters|programs|deliveries|seed ...`."""

from __future__ import annotations

from commands import (
    association,
    deliveries,
    forms,
    letters,
    messages,
    privacy,
    programs,
    reports,
    seed,
    submissions,
    surveys,
    users,
)
from commands import store as store_commands


def register(app) -> None:
    app.cli.add_command(forms.group)
    app.cli.add_command(submissions.group)
    app.cli.add_command(seed.seed)
    app.cli.add_command(letters.group)
    app.cli.add_command(association.group)
    app.cli.add_command(store_commands.group)
    app.cli.add_command(users.group)
    app.cli.add_command(privacy.group)
    app.cli.add_command(programs.group)
    app.cli.add_command(messages.group)
    app.cli.add_command(deliveries.group)
    app.cli.add_command(surveys.group)
    app.cli.add_command(reports.group)
