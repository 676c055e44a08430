"""`flask --app app programs attendance-sheet`: a session's attendance sheet to print."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

import store
from association.profile import current
from cases import attendance, programs
from letters import attendance_sheet
from letters.pdf import PdfError, PdfUnavailable
from letters.render import LetterError

group = AppGroup("programs", help="Programs: attendance sheets.")
KINDS = ("docx", "pdf", "xlsx")


@group.command("attendance-sheet")
@click.argument("program_id", type=int)
@click.option("--session", "number", type=int, default=1, show_default=True, help="Session number.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False))
def attendance_sheet_command(program_id: int, number: int, output: str) -> None:
    """Write the attendance sheet of a session: .docx, .pdf (LibreOffice) or .xlsx."""
    target = click.format_filename(output)
    kind = Path(output).suffix.lower().lstrip(".")
    if kind not in KINDS:
        raise click.ClickException(f"{target}: the file name must end in .docx, .pdf or .xlsx")
    if not Path(output).absolute().parent.is_dir():
        raise click.ClickException(f"{target}: its folder does not exist")
    data = store.get_store()
    program = data.get(programs.PROGRAMS, program_id)
    if program is None:
        raise click.ClickException(f"there is no program {program_id}")
    session = programs.session(program, number)
    if session is None:
        count = len(program.get("sessions") or [])
        raise click.ClickException(f"program {program_id} has {count} session(s), not {number}")
    people = attendance.accepted(data, program_id)
    try:
        body = attendance_sheet.render(
            kind, current(data), program, number, session, people, data.read_file
        )
    except PdfUnavailable:
        raise click.ClickException("a PDF needs LibreOffice (soffice) on this machine") from None
    except (PdfError, LetterError) as exc:
        raise click.ClickException(f"the sheet could not be made: {exc}") from None
    Path(output).write_bytes(body)
    click.echo(f"{target}: written ({len(people)} people)")
