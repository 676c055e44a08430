"""`flask --app app letters lint|render|bulk`: check a template, fill it, or issue many letters."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

import store
from accounts.audit import Actor
from accounts.audit import everything as all_permissions
from cases import operations
from letters import address, bulk, templates
from letters.lint import check_file, lint
from letters.pdf import PdfError, PdfUnavailable, available
from letters.render import LetterError, render_letter
from submissions import service

group = AppGroup("letters", help="Letter templates (.docx).")


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        name = click.format_filename(path)
        raise click.ClickException(f"{name}: cannot be read ({exc.strerror or exc})") from None


def _context(path: str) -> dict:
    """Return the JSON object in `path`; a problem becomes one clear line, never a trace."""
    name = click.format_filename(path)
    try:
        data = json.loads(_read(path).decode("utf-8"))
    except UnicodeDecodeError:
        raise click.ClickException(f"{name}: is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        raise click.ClickException(f"{name}: {where}: invalid JSON: {exc.msg}") from None
    if not isinstance(data, dict):
        raise click.ClickException(f"{name}: must hold a JSON object (name -> value)")
    return data


@group.command("lint")
@click.argument("template", type=click.Path(dir_okay=False))
@click.option("--form", "form_id", help="Check answers.X against the fields of this form.")
def lint_command(template: str, form_id: str | None) -> None:
    """Check TEMPLATE; exit 0 when it can be accepted, 1 with the problems otherwise."""
    form = None
    if form_id:
        form = current_app.extensions["rifd_forms"].get(form_id)
        if form is None:
            raise click.ClickException(f'there is no form "{form_id}"')
    report = lint(_read(template), form)
    name = click.format_filename(template)
    for line in report.messages():
        click.echo(f"{name}: {line}", err=True)
    if not report.ok:
        raise SystemExit(1)
    click.echo(f"{name}: ok ({len(report.placeholders)} placeholders)")


@group.command("render")
@click.argument("template", type=click.Path(dir_okay=False))
@click.option("--data", "data_path", required=True, type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False))
def render_command(template: str, data_path: str, output: str) -> None:
    """Fill TEMPLATE with the JSON object in --data and write the letter to OUTPUT."""
    name = click.format_filename(template)
    source = _read(template)
    # The same refusals as an upload: a letter is never rendered from a
    # file lint would turn away (zip bomb, macros, broken XML).
    refused = check_file(source).errors
    if refused:
        raise click.ClickException(f"{name}: {refused[0]}")
    context = _context(data_path)
    try:
        rendered = render_letter(source, context)
    except LetterError as exc:
        raise click.ClickException(f"{name}: {exc}") from None
    for missing in rendered.missing:
        click.echo(f"warning: no value for {missing}", err=True)
    try:
        Path(output).write_bytes(rendered.data)
    except OSError as exc:
        target = click.format_filename(output)
        raise click.ClickException(f"{target}: cannot be written ({exc.strerror or exc})") from None
    click.echo(f"{click.format_filename(output)}: written")


def _submissions(data, form, everything: bool, ids: str | None, search: str) -> list[dict]:
    """Return the chosen submissions of `form`, or fail with one clear line."""
    form_id = form.id
    if everything == bool(ids):
        raise click.ClickException("choose the submissions: either --all or --ids 1,2,3")
    if search and not everything:
        raise click.ClickException("--search goes with --all")
    if everything:
        # Whoever runs the command holds the data folder: every search is his.
        found = service.matching(data, form, search, Actor("cli", "cli", all_permissions))
        if not found:
            which = f' matching "{search}"' if search else ""
            raise click.ClickException(f'the form "{form_id}" has no submissions{which}')
        return found
    wanted = [part.strip() for part in (ids or "").split(",")]
    bad = [part for part in wanted if not part.isdigit() or int(part) < 1]
    if bad:
        raise click.ClickException(f"--ids: {', '.join(repr(b) for b in bad)} is not a number")
    found = {int(n): service.get(data, form_id, int(n)) for n in dict.fromkeys(wanted)}
    missing = [str(n) for n, record in found.items() if record is None]
    if missing:
        raise click.ClickException(f'the form "{form_id}" has no submission {", ".join(missing)}')
    return list(found.values())


def _output_kind(output: str, pdf: bool, merge: bool) -> str:
    """Return the bulk output asked for; the file name's suffix must match it."""
    kind = f"{'merged' if merge else 'zip'}_{'pdf' if pdf else 'docx'}"
    suffix = bulk.OUTPUTS[kind][0]
    if not output.lower().endswith(f".{suffix}"):
        raise click.ClickException(f"{click.format_filename(output)}: this output is a .{suffix}")
    if not Path(output).absolute().parent.is_dir():
        raise click.ClickException(f"{click.format_filename(output)}: its folder does not exist")
    if pdf and not available():
        raise click.ClickException("PDF needs LibreOffice (soffice), which is not installed")
    return kind


def _fields(pairs: tuple[str, ...]) -> dict:
    fields = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.ClickException(f"--set {pair!r}: write it as name=value")
        fields[key.strip()] = value
    return fields


@group.command("bulk")
@click.argument("template_name")
@click.option("--form", "form_id", required=True, help="The form whose submissions get letters.")
@click.option("--all", "everything", is_flag=True, help="Every submission of the form.")
@click.option("--ids", help="Only these submissions, e.g. 1,2,3.")
@click.option(
    "--search", default="", help="With --all: only what this search finds, e.g. a program's name."
)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False))
@click.option("--pdf", is_flag=True, help="PDF instead of Word.")
@click.option("--merge", is_flag=True, help="One document for printing instead of a zip.")
@click.option(
    "--set", "pairs", multiple=True, help="A value the letters print: reasons=..., program_name=..."
)
@click.option(
    "--again", is_flag=True, help="Also for submissions that already had a letter of this kind."
)
@click.option(
    "--base-url",
    envvar="RIFD_BASE_URL",
    help="Where people verify a letter (QR code); default: the public address set by the admin.",
)
@click.option("--by", "username", default="cli", help="Who issues them, for the audit trail.")
def bulk_command(
    template_name,
    form_id,
    everything,
    ids,
    search,
    output,
    pdf,
    merge,
    pairs,
    again,
    base_url,
    username,
):
    """Issue TEMPLATE_NAME for many submissions of --form and write them to OUTPUT."""
    data = store.get_store()
    catalog = current_app.extensions["rifd_forms"]
    form = catalog.get(form_id)
    if form is None:
        raise click.ClickException(f'there is no form "{form_id}"')
    template = templates.get(data, template_name)
    if template is None:
        raise click.ClickException(f'there is no letter template "{template_name}"')
    base_url = _base_url(data, base_url)
    records = _submissions(data, form, everything, ids, search.strip())
    kind = _output_kind(output, pdf, merge)
    # The same rules as the pages: the request's state and decision, a letter already issued.
    refused = operations.bulk_problems(data, form_id, records, template_name, again=again)
    if refused:
        lines = "\n".join(f"  {ref}: {why}" for ref, why in refused)
        hint = "" if again else "\n(--again issues a new letter where one of this kind was issued)"
        raise click.ClickException(
            f"no letter was issued; these cannot get one now:\n{lines}{hint}"
        )
    who = Actor(username.strip() or "cli", "cli", all_permissions)
    with click.progressbar(length=len(records), label="Issuing letters") as bar:
        letters = operations.issue_letters(
            data,
            form,
            records,
            template.name,
            who=who,
            fields=_fields(pairs),
            again=again,
            base_url=base_url,
            progress=lambda _done, _total: bar.update(1),
            form_of=catalog.for_record,  # each submission with the version it was filled with
        )
    _write(data, letters, kind, output, who)


def _base_url(data, given: str | None) -> str:
    """Return where the QR codes point: --base-url, else the public address set."""
    if given:
        try:
            return address.clean(given)
        except address.AddressError as exc:
            raise click.ClickException(f"--base-url {given!r}: {exc}") from None
    found = address.configured(data)
    if not found:
        raise click.ClickException(
            "no public address is set: give --base-url (or set it at /settings/address, "
            "or RIFD_PUBLIC_URL): the QR codes point there"
        )
    return found


def _write(data, letters: list[dict], kind: str, output: str, who: Actor) -> None:
    """Write the packed letters and print the summary; exit 1 when none was issued."""
    ok = bulk.issued(letters)
    failed = [x for x in letters if "error" in x]
    click.echo(f"issued {len(ok)}, failed {len(failed)}")
    for item in failed:
        click.echo(f"  {item['ref']}: {item['error']}", err=True)
    if not ok:
        raise SystemExit(1)
    try:
        archive = lambda lid, pdf: operations.archive_pdf(data, lid, pdf, who)  # noqa: E731
        Path(output).write_bytes(bulk.pack(data, ok, kind, archive))
    except (PdfUnavailable, PdfError, LetterError) as exc:
        numbers = ", ".join(x["number"] for x in ok)
        raise click.ClickException(
            f"letters {numbers} were issued; the file failed: {exc}"
        ) from None
    except OSError as exc:
        target = click.format_filename(output)
        raise click.ClickException(f"{target}: cannot be written ({exc.strerror or exc})") from None
    click.echo(f"{click.format_filename(output)}: written")
