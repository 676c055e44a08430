"""Command-line tools: `flask --app app forms|submissions|seed ...`."""

from __future__ import annotations

from commands import forms, letters, seed, submissions


def register(app) -> None:
    app.cli.add_command(forms.group)
    app.cli.add_command(submissions.group)
    app.cli.add_command(seed.seed)
    app.cli.add_command(letters.group)
