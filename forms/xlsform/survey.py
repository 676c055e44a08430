"""Walk the survey sheet: groups become sections, repeats become repeat fields.

A group at the top of the sheet is a Rifd section. Rifd sections do not nest, so a
group inside a section (or inside a repeat) is flattened: its label becomes a note
that heads its questions, and its relevant is joined with `and` to the relevant of
each question in it, so they show and hide exactly as before. Questions outside any
group are gathered into sections of their own, titled with the form's title. A repeat
inside a repeat is a repeat field among the outer one's fields, up to
forms.checks.MAX_REPEAT_DEPTH repeats deep.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from forms.checks import MAX_REPEAT_DEPTH
from forms.xlsform import fields, odk_types, triggers, types
from forms.xlsform.fields import FieldDraft, Source
from forms.xlsform.names import NameProblem, Names
from forms.xlsform.problems import Problems
from forms.xlsform.qualify import GroupedNames
from forms.xlsform.sheets import Row, Sheet
from forms.xlsform.texts import Texts
from forms.xlsform.translate import Context, Symbol
from forms.xlsform.xpath import XPathError, parse

_GROUP_COLUMNS = {"label", "hint", "relevant", "appearance"}


@dataclass
class SectionDraft:
    row: int | None  # None for a section made for questions outside any group
    data: dict
    visible: list[Source] = field(default_factory=list)


@dataclass
class _Frame:
    kind: str  # section, group (flattened) or repeat
    row: int
    xls_name: str
    fields: list | None  # where the questions inside go; None for a flattened group
    visible: list[Source] = field(default_factory=list)


class SurveyReader:
    """Read the survey sheet into section and field drafts and a table of names."""

    def __init__(self, sheet: Sheet, texts: Texts, title: dict, problems: Problems):
        self.texts, self.title, self.problems = texts, title, problems
        self.sheet = sheet
        self.sections: list[SectionDraft] = []
        self.drafts: list[FieldDraft] = []
        self.symbols: dict[str, Symbol] = {}
        self.field_names, self.section_names = GroupedNames("question"), Names("group")
        self._stack: list[_Frame] = []
        self._loose: SectionDraft | None = None
        # A calculate outside repeats, as a Rifd calculate field where it stands: kept
        # if nothing reads it, taken out again if a relevant or required reads it inline.
        self.calculate_fields: dict[str, tuple[list, dict]] = {}
        # The XLSForm name of each repeat -> that of the repeat around it (None at the top).
        self.repeat_parents: dict[str, str | None] = {}

    def read(self) -> list[SectionDraft]:
        if not self.sheet.with_base("type"):
            self.problems.add("survey", 1, None, 'the sheet has no "type" column')
            return self.sections
        before = len(self.problems.found)
        for row in self.sheet.rows:
            self._row(row)
        for frame in reversed(self._stack):
            what = "repeat" if frame.kind == "repeat" else "group"
            self.problems.add(
                "survey",
                frame.row,
                "type",
                f'the {what} "{frame.xls_name}" is never closed: add an end_{what} row',
            )
        if not self.drafts and len(self.problems.found) == before:
            self.problems.add("survey", None, None, "the sheet holds no question")
        self._name_loose_sections()
        return self.sections

    def _row(self, row: Row) -> None:
        cell = row.get("type")
        if not cell:
            self.problems.add("survey", row.number, "type", "the type is empty")
            return
        try:
            xls = types.read_type(cell)
        except types.TypeProblem as exc:
            self.problems.add("survey", row.number, "type", str(exc))
            self._remember(row, "unsupported", "")
            return
        if triggers.takes(row, self.texts, xls.kind == "calculate"):
            triggers.read(self, row)
            return
        match xls.kind:
            case "begin_group":
                self._begin_group(row)
            case "begin_repeat":
                self._begin_repeat(row)
            case "end_group" | "end_repeat":
                self._end(row, xls.kind[4:])
            case "calculate":
                self._calculate(row)
            case kind if kind in types.IGNORED_METADATA:
                self._remember(row, "metadata", kind)
            case _:
                self._question(row, xls)

    def _claim(self, row: Row, names: Names, rifd_name: str = "") -> str | None:
        try:
            return names.claim(rifd_name or row.get("name"), row.number)
        except NameProblem as exc:
            self.problems.add("survey", row.number, row.sheet.header_text("name"), str(exc))
            return None

    def _remember(self, row: Row, kind: str, rifd_type: str, expression=None) -> str | None:
        """Claim the row's name and enter it in the table expressions resolve against."""
        name = self._claim_field(row, kind)
        raw = row.get("name")
        if name and (raw not in self.symbols or self.symbols[raw].kind == "group"):
            repeat = self._repeat()
            self.symbols[raw] = Symbol(raw, name, kind, rifd_type, repeat, row.number, expression)
        return name

    def _claim_field(self, row: Row, kind: str) -> str | None:
        """Claim a question's name; the same name in other groups is qualified by its group."""
        carried = row.get("rifd_name")
        if carried or kind == "calculate":
            return self._claim(row, self.field_names, carried)
        path = tuple(f.xls_name for f in self._stack)
        try:
            name, qualified = self.field_names.claim_in(row.get("name"), row.number, path)
        except NameProblem as exc:
            self.problems.add("survey", row.number, row.sheet.header_text("name"), str(exc))
            return None
        earlier = self.symbols.get(row.get("name"))
        if qualified and earlier is not None and earlier.kind != "group":
            # ${name} could mean either question now: XLSForm refuses it, so does Rifd.
            self.symbols[row.get("name")] = replace(earlier, kind="ambiguous")
        return name

    def _repeat(self) -> str | None:
        return next((f.xls_name for f in reversed(self._stack) if f.kind == "repeat"), None)

    def _target(self) -> tuple[list, list[Source]]:
        """Return where a new field goes and the relevants of the flattened groups around it."""
        joined: list[Source] = []
        for frame in reversed(self._stack):
            if frame.fields is not None:
                return frame.fields, joined
            joined = frame.visible + joined
        if self._loose is None:
            self._loose = SectionDraft(None, {"name": "", "title": self.title, "fields": []})
            self.sections.append(self._loose)
        return self._loose.data["fields"], joined

    def _add(self, row: Row, name: str, kind: str) -> FieldDraft:
        target, outer = self._target()
        draft = FieldDraft(
            row.number,
            row.get("name"),
            {"name": name, "type": kind},
            Context(self._repeat(), row.get("name")),
            visible=outer,
        )
        target.append(draft.data)
        self.drafts.append(draft)
        return draft

    def _group_row(self, row: Row, allowed: set[str]) -> None:
        look = " ".join(row.get("appearance").split())
        if look not in types.GROUP_APPEARANCES:
            self.problems.add(
                "survey",
                row.number,
                "appearance",
                f'appearance "{look}" is not supported by Rifd for a group',
            )
        fields.unsupported_columns(row, allowed, self.problems)

    def _begin_group(self, row: Row) -> None:
        self._group_row(row, _GROUP_COLUMNS)
        relevant = row.get("relevant")
        own = [(row.number, row.sheet.header_text("relevant"), relevant)] if relevant else []
        if self._stack:
            name = self._remember(row, "group", "note")
            if self.texts.text(row, "label") and name:
                # The heading note shows when the group would: outer relevants, then its own.
                fields.common(self._add(row, name, "note"), row, self.texts, self.problems)
            self._stack.append(_Frame("group", row.number, row.get("name"), None, own))
            return
        name = self._claim(row, self.section_names, row.get("rifd_name")) or ""
        title = self.texts.text(row, "label") or {"ar": row.get("name") or name}
        section = SectionDraft(row.number, {"name": name, "title": title}, own)
        description = self.texts.text(row, "hint")
        if description:
            section.data["description"] = description
        staff = fields.flag_cell(row, "rifd_staff_only", self.problems)
        if staff is not None:
            section.data["staff_only"] = staff
        section.data["fields"] = []
        self.sections.append(section)
        self._loose = None
        self._stack.append(_Frame("section", row.number, row.get("name"), section.data["fields"]))
        self.symbols.setdefault(row.get("name"), Symbol(row.get("name"), name, "group"))

    def _begin_repeat(self, row: Row) -> None:
        self._group_row(row, _GROUP_COLUMNS | {"repeat_count"})
        if sum(f.kind == "repeat" for f in self._stack) >= MAX_REPEAT_DEPTH:
            self.problems.add(
                "survey",
                row.number,
                "type",
                f"more than {MAX_REPEAT_DEPTH} repeats one inside another are not supported"
                " by Rifd",
            )
            # Its questions go on into the outer repeat, so nothing else is reported.
            self._stack.append(_Frame("repeat", row.number, row.get("name"), self._target()[0]))
            return
        # A repeat inside a repeat: its rows are read from their own row, the row
        # around it and the form (forms.xlsform.translate.Translator.reference).
        self.repeat_parents.setdefault(row.get("name"), self._repeat())
        name = self._remember(row, "field", "repeat") or ""
        draft = self._add(row, name, "repeat")
        fields.common(draft, row, self.texts, self.problems)
        add_label = self.texts.text(row, "rifd_add_label")
        if add_label:
            draft.data["add_label"] = add_label
        fields.repeat_limits(draft, row, self.problems)
        draft.data["fields"] = []
        self._stack.append(_Frame("repeat", row.number, row.get("name"), draft.data["fields"]))

    def _end(self, row: Row, kind: str) -> None:
        if not self._stack:
            self.problems.add(
                "survey", row.number, "type", f"end_{kind} has no begin_{kind} before it"
            )
            return
        frame = self._stack.pop()
        opened = "repeat" if frame.kind == "repeat" else "group"
        if opened != kind:
            self.problems.add(
                "survey",
                row.number,
                "type",
                f"end_{kind} closes the {opened}"
                f' "{frame.xls_name}" opened at row {frame.row}: use end_{opened}',
            )
        if frame.fields is not None and not frame.fields:
            self.problems.add(
                "survey", frame.row, "type", f'the {opened} "{frame.xls_name}" holds no question'
            )

    def _calculate(self, row: Row) -> None:
        fields.unsupported_columns(row, {"calculation"}, self.problems)
        if row.get("relevant"):
            # Rifd puts the calculation where it is read, so it cannot be switched off.
            self.problems.add(
                "survey",
                row.number,
                row.sheet.header_text("relevant"),
                "a calculate with a relevant is not supported by Rifd",
            )
        text, column = row.get("calculation"), row.sheet.header_text("calculation")
        node = None
        if not text:
            self.problems.add("survey", row.number, column, "a calculate needs a calculation")
        else:
            try:
                node = parse(text)
            except XPathError as exc:
                self.problems.add("survey", row.number, column, str(exc))
        name = self._remember(row, "calculate", "", node)
        if name and node is not None and not row.get("relevant"):
            target, _outer = self._target()
            label = self.texts.text(row, "label") or {"ar": row.get("name")}
            data = {"name": name, "type": "calculate", "label": label}
            target.append(data)
            self.calculate_fields[row.get("name")] = (target, data)

    def _question(self, row: Row, xls: types.XLSType) -> None:
        try:
            carried = row.get("rifd_type").strip().lower()
            kind = types.rifd_type(xls, row.get("appearance"), row.get("parameters"), carried)
        except types.TypeProblem as exc:
            self.problems.add("survey", row.number, "type", str(exc))
            self._remember(row, "unsupported", "")
            return
        try:
            look = types.appearance(kind, row.get("appearance"))
        except types.TypeProblem as exc:
            # Told at its own cell: the question itself is fine without it.
            self.problems.add("survey", row.number, row.sheet.header_text("appearance"), str(exc))
            look = ""
        allowed = {"parameters"} if xls.kind in ("range", "image") else set()
        allowed.add("media::image")  # a picture with the label (fields.common)
        if kind == "file":
            allowed.add("body::accept")
        fields.unsupported_columns(row, allowed, self.problems)
        name = self._remember(row, "field", kind) or ""
        draft = self._add(row, name, kind)
        draft.list_name = xls.list_name
        if xls.or_other:
            draft.data["or_other"] = True
        fields.question(draft, row, kind, self.texts, self.problems)
        odk_types.fill(xls.kind, draft)
        if look:
            draft.data["appearance"] = look
        if xls.kind == "image" and kind == "file":
            draft.data.setdefault("accept", ["jpg", "png"])

    def _name_loose_sections(self) -> None:
        taken = set(self.section_names.rows)
        for number, section in enumerate(self.sections, start=1):
            if section.row is None:
                name = f"section_{number}"
                while name in taken:
                    name += "_"
                section.data["name"] = name
                taken.add(name)
