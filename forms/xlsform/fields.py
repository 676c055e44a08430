"""One survey row -> one Rifd field, with its expressions kept for the second pass.

Expressions can name fields further down the sheet, so they are translated once the
whole sheet has been read (forms.xlsform.reader); here they are only recorded with
the row and column they came from.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from forms.conditions.values import as_number
from forms.xlsform import dynamic_defaults
from forms.xlsform.problems import Problems
from forms.xlsform.sheets import Row
from forms.xlsform.texts import Texts
from forms.xlsform.translate import Context

# Columns XLSForm defines that Rifd has nothing for; a filled cell is reported.
UNSUPPORTED = {
    "guidance_hint": "guidance hints are not supported by Rifd; use the hint",
    "trigger": "triggers are not supported by Rifd",
    "autoplay": "media is not supported by Rifd",
    "media": "media (images, audio, video) is not supported by Rifd",
    "calculation": "only a calculate row has a calculation in Rifd",
    "repeat_count": "only a begin_repeat row has a repeat_count",
    "parameters": "only a range question takes parameters in Rifd",
}
_UNSUPPORTED_PREFIXES = ("media::", "bind::", "instance::", "body::")
_TRUE, _FALSE = {"yes", "true", "true()"}, {"no", "false", "false()"}
_CALL = re.compile(r"\s*[a-z][a-z0-9:-]*\(.*\)\s*")
_FILE_KINDS = {"pdf", "jpg", "png", "gif", "webp", "docx", "xlsx"}
_MIME = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png", "image/gif": "gif"}

Source = tuple[int, str, str]  # row, column, the cell's text


@dataclass
class FieldDraft:
    """A field being built: its data, and its expressions waiting for translation."""

    row: int
    xls_name: str
    data: dict
    ctx: Context
    visible: list[Source] = field(default_factory=list)
    required_if: Source | None = None
    constraint: Source | None = None
    list_name: str = ""
    choice_filter: Source | None = None  # translated by forms.xlsform.filters
    messages: dict | None = None
    rifd_messages: Source | None = None
    count: Source | None = None  # a repeat_count computed from the answers
    calculation: Source | None = None  # a calculate field's, with its trigger
    default_from: Source | None = None  # a default computed from other answers
    trigger: Source | None = None


def flag(text: str) -> bool | None:
    """Read yes/no, true/false, TRUE()/FALSE(); None for anything else."""
    lowered = text.strip().lower()
    return True if lowered in _TRUE else False if lowered in _FALSE else None


def flag_cell(row: Row, base: str, problems: Problems) -> bool | None:
    """Read a yes/no column; a cell that is neither is reported."""
    cell = row.get(base)
    if cell and flag(cell) is None:
        problems.add(row.sheet.name, row.number, base, f'"{cell}" is neither yes nor no')
    return flag(cell) if cell else None


def unsupported_columns(row: Row, allowed: set[str], problems: Problems) -> None:
    for header in row.sheet.headers:
        if header.text not in row.cells or header.base in allowed:
            continue
        problem = UNSUPPORTED.get(header.base)
        if problem is None and header.base.startswith(_UNSUPPORTED_PREFIXES):
            problem = f'the column "{header.text}" is not supported by Rifd'
        if problem:
            problems.add("survey", row.number, header.text, problem)


def common(draft: FieldDraft, row: Row, texts: Texts, problems: Problems) -> None:
    """Fill what every field and repeat has: label, hint, relevant, staff_only."""
    for base in ("label", "hint"):
        text = texts.text(row, base)
        if text:
            draft.data[base] = text
    picture = texts.text(row, "media::image")
    if picture and row.sheet.name == "survey" and draft.data["type"] != "repeat":
        draft.data["label_image"] = picture
    if texts.text(row, "label") is None:
        column = (texts.columns("label") or ["label"])[0]
        problems.add("survey", row.number, column, "the label is empty")
    if row.get("relevant"):
        draft.visible.append((row.number, row.sheet.header_text("relevant"), row.get("relevant")))
    staff = flag_cell(row, "rifd_staff_only", problems)
    if staff is not None:
        draft.data["staff_only"] = staff


def question(draft: FieldDraft, row: Row, kind: str, texts: Texts, problems: Problems) -> None:
    """Fill the keys of a question: required, default, appearance, constraint, files."""
    common(draft, row, texts, problems)
    _required(draft, row, kind, problems)
    required_message = texts.text(row, "required_message")
    if required_message:
        draft.data["required_message"] = required_message
    if row.get("constraint"):
        draft.constraint = (row.number, row.sheet.header_text("constraint"), row.get("constraint"))
        draft.messages = texts.text(row, "constraint_message")
    if row.get("rifd_messages"):
        cell = row.get("rifd_messages")
        draft.rifd_messages = (row.number, row.sheet.header_text("rifd_messages"), cell)
    if row.get("default"):
        _default(draft, row, kind, problems)
    if kind == "file":
        _file(draft, row, problems)
    _read_only(draft, row, kind, problems)
    if row.get("choice_filter"):
        column = row.sheet.header_text("choice_filter")
        if kind in ("select_one", "select_multiple"):
            draft.choice_filter = (row.number, column, row.get("choice_filter"))
        else:
            problems.add("survey", row.number, column, "only a select has a choice_filter")


# Shown, never typed into, already: a read_only cell on them says nothing more.
_ALWAYS_READ_ONLY = {"note", "calculate"}
_NEVER_READ_ONLY = {"file", "image", "signature", "acknowledge", "repeat"}


def _read_only(draft: FieldDraft, row: Row, kind: str, problems: Problems) -> None:
    value = flag_cell(row, "read_only", problems)
    if not value or kind in _ALWAYS_READ_ONLY:
        return
    if kind in _NEVER_READ_ONLY:
        column = row.sheet.header_text("read_only")
        problems.add("survey", row.number, column, f"a {kind} question cannot be read-only in Rifd")
        return
    draft.data["read_only"] = True


def _required(draft: FieldDraft, row: Row, kind: str, problems: Problems) -> None:
    cell = row.get("required")
    if not cell:
        return
    if kind == "note":
        problems.add("survey", row.number, "required", "a note cannot be required")
        return
    value = flag(cell)
    if value is not None:
        draft.data["required"] = value
    else:
        draft.required_if = (row.number, row.sheet.header_text("required"), cell)
    extra = row.get("rifd_required_if")
    if extra:
        draft.required_if = (row.number, row.sheet.header_text("rifd_required_if"), extra)


def _default(draft: FieldDraft, row: Row, kind: str, problems: Problems) -> None:
    cell = row.get("default")
    if "${" in cell or _CALL.fullmatch(cell):
        computed = dynamic_defaults.read(kind, cell)
        if dynamic_defaults.last_saved_own(kind, cell, row.get("name")):
            draft.data["default_last_saved"] = True
        elif computed:
            draft.data["default_calculation"] = computed
        elif dynamic_defaults.from_answers(kind, cell):
            # Translated once every name is known (forms.xlsform.reader).
            draft.default_from = (row.number, row.sheet.header_text("default"), cell)
        else:
            problems.add("survey", row.number, "default", dynamic_defaults.problem(cell))
        return
    try:
        draft.data["default"] = default_value(kind, cell)
    except ValueError as exc:
        problems.add("survey", row.number, "default", str(exc))


def default_value(kind: str, cell: str) -> object:
    """Return the Rifd default of a default cell, or raise ValueError."""
    if kind in ("integer", "decimal", "rating", "nps"):
        number = as_number(cell) if re.fullmatch(r"-?\d+(\.\d+)?", cell) else None
        if number is None or (kind != "decimal" and not isinstance(number, int)):
            raise ValueError(f'"{cell}" is not a valid default for a {kind} question')
        return number
    if kind == "yes_no":
        if flag(cell) is None:
            raise ValueError(f'"{cell}" is not yes or no')
        return flag(cell)
    if kind == "select_multiple":
        return cell.split()
    if kind == "date":
        try:
            return dt.date.fromisoformat(cell).isoformat()
        except ValueError:
            raise ValueError(f'"{cell}" is not a date written YYYY-MM-DD') from None
    if kind in ("file", "signature", "note"):
        raise ValueError(f"a {kind} takes no default")
    return cell


def _file(draft: FieldDraft, row: Row, problems: Problems) -> None:
    accept = row.get("body::accept")
    if accept:
        kinds, unknown = [], []
        for part in re.split(r"[\s,]+", accept.lower()):
            kind = _MIME.get(part) or {"jpeg": "jpg"}.get(part.lstrip("."), part.lstrip("."))
            (kinds if kind in _FILE_KINDS else unknown).append(kind)
        if unknown:
            problems.add(
                "survey",
                row.number,
                "body::accept",
                f"Rifd accepts only the file kinds"
                f" {', '.join(sorted(_FILE_KINDS))}, not {', '.join(unknown)}",
            )
        draft.data["accept"] = list(dict.fromkeys(kinds))
    limits = (("max_size_mb", 20, False), ("max_total_mb", 30, False), ("max_files", 10, True))
    for key, top, whole in limits:
        number = _limit(row, "rifd_" + key, top, whole, problems)
        if number is not None:
            draft.data[key] = number
    for key in ("multiple", "camera"):
        if flag_cell(row, "rifd_" + key, problems):
            draft.data[key] = True


def _limit(row: Row, base: str, top: int, whole: bool, problems: Problems):
    """Read a positive number up to `top` (a whole one from 2 if `whole`); None if absent."""
    cell = row.get(base)
    if not cell:
        return None
    number = as_number(cell) if re.fullmatch(r"\d+(\.\d+)?", cell) else None
    if whole and (number is None or number != int(number) or not 2 <= number <= top):
        problems.add("survey", row.number, base, f"must be a whole number from 2 to {top}")
        return None
    if number is None or not 0 < number <= top:
        problems.add("survey", row.number, base, f"must be a number above 0, up to {top}")
        return None
    return int(number) if whole else number


def repeat_limits(draft: FieldDraft, row: Row, problems: Problems) -> None:
    """Read repeat_count (a fixed number of rows, or an expression) and rifd_min / rifd_max."""
    count = row.get("repeat_count")
    limits = {}
    if count and not count.isdigit():
        # Translated once every name is known (forms.xlsform.reader).
        draft.count = (row.number, row.sheet.header_text("repeat_count"), count)
    elif count:
        limits = {"min": int(count), "max": int(count)}
    for key in ("min", "max"):
        cell = row.get(f"rifd_{key}")
        if cell and cell.isdigit():
            limits[key] = int(cell)
        elif cell:
            problems.add("survey", row.number, f"rifd_{key}", "must be a whole number")
    if not 0 <= limits.get("min", 0) <= 50 or not 1 <= limits.get("max", 50) <= 50:
        problems.add(
            "survey",
            row.number,
            row.sheet.header_text("repeat_count"),
            "Rifd repeats hold 0 to 50 rows, with at least 1 allowed",
        )
    draft.data.update(limits)
