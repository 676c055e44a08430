"""Export: a Rifd form definition -> an .xlsx XLSForm, right to left, that pyxform accepts.

What XLSForm can say is written in its own columns (so ODK and KoboToolbox see the
questions, conditions and limits); what only Rifd has goes in rifd_* columns, which
pyxform ignores and import_xlsform reads back, so importing the file gives the same
definition again.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from openpyxl import Workbook
from openpyxl.styles import Font

from forms import conditions
from forms.definition import FormDefinition
from forms.xlsform import constraints, qualify
from forms.xlsform.condition_text import number_text
from forms.xlsform.live_labels import live_cells
from forms.xlsform.texts import LANGUAGE_NAMES, cells, column, literal
from forms.xlsform.to_xpath import XPathWriter
from forms.xlsform.types import INLINE_PREFIX, YES_NO_LIST, export_type, recorded


def _language_columns(*bases: str) -> list[str]:
    return [column(base, lang) for base in bases for lang in LANGUAGE_NAMES]


SURVEY_COLUMNS = [
    "type", "name", "rifd_name", *_language_columns("label", "hint"), "required", "relevant",
    "constraint", "calculation", "trigger", "choice_filter", "read_only",
    *_language_columns("constraint_message", "required_message"), "default", "appearance",
    "repeat_count",
    "parameters", "body::accept", "rifd_type", "rifd_required_if", "rifd_messages",
    "rifd_staff_only", "rifd_max_size_mb", "rifd_multiple", "rifd_max_files",
    "rifd_max_total_mb", "rifd_camera", "rifd_min", "rifd_max",
    *_language_columns("rifd_add_label"),
]  # fmt: skip
CHOICES_COLUMNS = ["list_name", "name", *_language_columns("label")]
SETTINGS_COLUMNS = [
    "form_title", "form_id", "version", "default_language", column("rifd_title", "en"),
    *_language_columns("rifd_description"), "rifd_public", "rifd_ref_prefix",
]  # fmt: skip
# Always written, so that even a bare sheet reads as an XLSForm.
_ALWAYS = {"type", "name", "list_name", "form_title", "form_id", "version"}
# Names pyxform keeps for itself: "meta" for metadata, "data" for the form's root.
_RESERVED = {"meta", "data"}
_YES_NO = [("yes", {"ar": "نعم", "en": "Yes"}), ("no", {"ar": "لا", "en": "No"})]


def export_xlsform(definition: FormDefinition) -> bytes:
    """Return the .xlsx bytes of the form as an XLSForm."""
    survey = _Survey(definition)
    book = Workbook()
    _sheet(book.active, "survey", SURVEY_COLUMNS, survey.rows)
    data_columns = sorted({key for row in survey.choice_rows for key in row} - set(CHOICES_COLUMNS))
    _sheet(book.create_sheet(), "choices", CHOICES_COLUMNS + data_columns, survey.choice_rows)
    _sheet(book.create_sheet(), "settings", SETTINGS_COLUMNS, [_settings(definition)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet(sheet, title: str, columns: list[str], rows: list[dict]) -> None:
    # Texts in a language beyond Arabic and English bring their own columns.
    columns = columns + sorted({key for row in rows for key in row} - set(columns))
    filled = {c for c in columns if c in _ALWAYS or any(row.get(c) for row in rows)}
    # A language column goes with its pair, or pyxform warns that a language lacks it.
    used = [c for c in columns if c in filled or _pair(c) in filled]
    sheet.title = title
    sheet.sheet_view.rightToLeft = True
    sheet.append(used)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row.get(c, "") for c in used])
    sheet.freeze_panes = "A2"
    for index, name in enumerate(used, start=1):
        width = max([len(name), *(len(str(row.get(name, ""))) for row in rows)])
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(width + 2, 60)


def _pair(name: str) -> str:
    for lang, other in (("ar", "en"), ("en", "ar")):
        suffix = "::" + LANGUAGE_NAMES[lang]
        if name.endswith(suffix):
            return name[: -len(suffix)] + "::" + LANGUAGE_NAMES[other]
    return ""


def _settings(definition: FormDefinition) -> dict:
    data = definition.data
    row = {
        "form_title": literal(data["title"]["ar"]),
        "form_id": data["id"],
        "version": str(data["version"]),
        "default_language": LANGUAGE_NAMES["ar"],
        column("rifd_title", "en"): data["title"].get("en", ""),
        **cells("rifd_description", data.get("description")),
    }
    if "public" in data:
        row["rifd_public"] = _yes(data["public"])
    if data.get("ref_prefix"):
        row["rifd_ref_prefix"] = data["ref_prefix"]
    return row


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _default(value: object) -> str:
    if isinstance(value, bool):
        return _yes(value)
    if isinstance(value, list):
        return " ".join(value)
    if isinstance(value, int | float):
        return number_text(value)
    return str(value)


def _every_field(items) -> Iterator[dict]:
    """Yield each field and, inside repeats (a repeat inside a repeat too), each sub-field."""
    for fdef in items:
        yield fdef
        yield from _every_field(fdef.get("fields", ()))


class _Survey:
    """The survey and choices rows of one form."""

    def __init__(self, definition: FormDefinition):
        self.definition = definition
        types = {fdef["name"]: fdef["type"] for fdef in _every_field(definition.fields())}
        self.taken = set(types) | {s["name"] for s in definition.sections} | _RESERVED
        self.names = {name: self._free(name, "_field") for name in types if name in _RESERVED}
        self.field_names = set(types)
        # Names qualified by their group on import go out as they came in, where they can.
        sections = {s["name"] for s in definition.sections}
        self.written = qualify.export_names(definition.data, sections | _RESERVED)
        self.xpath = XPathWriter(types, self.names)
        self.rows: list[dict] = []
        self.choice_rows: list[dict] = []
        for name, choices in definition.data.get("choice_lists", {}).items():
            self._choices(name, choices)
        # ${username}: ODK's metadata row, read back as default_username.
        if any(f.get("default_username") for f in definition.fields()):
            self.username = (
                "username" if "username" not in self.taken else self._free("username", "_meta")
            )
            self.taken.add(self.username)
            self.rows.append({"type": "username", "name": self.username})
        # As written, not as the page sees it: an "or other" is its select's or_other.
        for section in definition.data["sections"]:
            self._section(section)
        if "yes_no" in types.values():
            self._choices(YES_NO_LIST, [{"value": v, "label": t} for v, t in _YES_NO])

    def _choices(self, list_name: str, choices: list[dict]) -> None:
        for choice in choices:
            # A choice's data are the columns its choice_filter reads (forms.xlsform.filters).
            self.choice_rows.append(
                {
                    **choice.get("data", {}),
                    "list_name": list_name,
                    "name": choice["value"],
                    **cells("label", choice["label"]),
                }
            )

    def _expression(self, condition: str | None) -> str:
        return self.xpath.expression(conditions.parse(condition)) if condition else ""

    def _free(self, name: str, suffix: str) -> str:
        unique = name + suffix
        while unique in self.taken:
            unique += "_"
        self.taken.add(unique)
        return unique

    def _name_cells(self, name: str, section: bool = False) -> dict:
        """Return the name cells of a row: XLSForm names are unique across the sheet."""
        if section and (name in self.field_names or name in _RESERVED):
            return {"name": self._free(name, "_section"), "rifd_name": name}
        if not section and name in self.names:
            return {"name": self.names[name], "rifd_name": name}
        if not section and name in self.written:
            return {"name": self.written[name], "rifd_name": name}
        return {"name": name}

    def _section(self, section: dict) -> None:
        names = self._name_cells(section["name"], section=True)
        row = {"type": "begin_group", **names, **cells("label", section["title"])}
        row.update(live_cells("hint", section.get("description"), self.names))
        row["relevant"] = self._expression(section.get("visible_if"))
        if "staff_only" in section:
            row["rifd_staff_only"] = _yes(section["staff_only"])
        self.rows.append(row)
        for fdef in section["fields"]:
            self._field(fdef)
        self.rows.append({"type": "end_group", "name": names["name"]})

    def _field(self, fdef: dict) -> None:
        names = self._name_cells(fdef["name"])
        choices = fdef.get("choices")
        list_name = choices if isinstance(choices, str) else INLINE_PREFIX + names["name"]
        if isinstance(choices, list):
            self._choices(list_name, choices)
        row = {**names, **export_type(fdef, list_name)}
        row.update(live_cells("label", fdef.get("label"), self.names))
        row.update(live_cells("hint", fdef.get("hint"), self.names))
        row.update(cells("media::image", fdef.get("label_image")))
        row.update(self._required(fdef))
        row.update(cells("required_message", fdef.get("required_message")))
        row["relevant"] = self._expression(fdef.get("visible_if"))
        row.update(self._limits(fdef))
        if "calculation" in fdef:
            row["calculation"] = self.xpath.value(conditions.parse(fdef["calculation"]))
        if "trigger" in fdef:
            row["trigger"] = self.xpath.value(conditions.parse(fdef["trigger"]))
        row["choice_filter"] = self._expression(fdef.get("choice_filter"))
        if "default" in fdef:
            row["default"] = _default(fdef["default"])
        if fdef.get("default_last_saved"):
            row["default"] = "${last-saved#" + row["name"] + "}"
        if fdef.get("default_username"):
            row["default"] = "${" + self.username + "}"
        if "default_calculation" in fdef:
            row["default"] = self.xpath.value(conditions.parse(fdef["default_calculation"]))
        if "staff_only" in fdef:
            row["rifd_staff_only"] = _yes(fdef["staff_only"])
        if fdef.get("read_only"):
            row["read_only"] = "yes"
        if "accept" in fdef and not recorded(fdef):
            row["body::accept"] = ",".join(f".{kind}" for kind in fdef["accept"])
        for key in ("max_size_mb", "max_files", "max_total_mb"):
            if key in fdef:
                row["rifd_" + key] = number_text(fdef[key])
        for key in ("multiple", "camera"):
            if key in fdef and not (key == "camera" and recorded(fdef)):
                row["rifd_" + key] = _yes(fdef[key])
        if fdef["type"] == "repeat":
            self._repeat(fdef, row)
        else:
            self.rows.append(row)

    def _required(self, fdef: dict) -> dict:
        condition = self._expression(fdef.get("required_if"))
        if "required" not in fdef:
            return {"required": condition}
        # XLSForm's required holds yes/no or a condition: a form with both keeps the
        # condition in a column of its own.
        return {"required": _yes(fdef["required"]), "rifd_required_if": condition}

    def _limits(self, fdef: dict) -> dict:
        limits = fdef.get("constraints")
        if not limits:
            return {}
        message, extra = constraints.messages_cells(limits)
        terms = [constraints.to_expression(limits)]
        if "rule" in limits:
            rule = self.xpath.constraint(conditions.parse(limits["rule"]), fdef["name"])
            terms.append(rule if " or " not in rule else f"({rule})")
        row = {"constraint": " and ".join(t for t in terms if t), "rifd_messages": extra}
        row.update(cells("constraint_message", message))
        return row

    def _repeat(self, fdef: dict, row: dict) -> None:
        row["type"] = "begin_repeat"
        low, high = fdef.get("min"), fdef.get("max")
        if "count" in fdef:
            row["repeat_count"] = self.xpath.value(conditions.parse(fdef["count"]))
        elif low is not None and low == high:
            row["repeat_count"] = str(low)
        else:
            row["rifd_min"] = "" if low is None else str(low)
            row["rifd_max"] = "" if high is None else str(high)
        row.update(cells("rifd_add_label", fdef.get("add_label")))
        self.rows.append(row)
        for sub in fdef["fields"]:
            self._field(sub)
        self.rows.append({"type": "end_repeat", "name": row["name"]})
