"""Import: an .xlsx XLSForm -> a Rifd form definition (a dict parse_definition accepts).

Two passes. The first reads the sheets into drafts (forms.xlsform.survey); the
second translates every relevant, required and constraint, once all names are
known. Every problem is collected with its sheet, row and column; if there is any,
the import stops with all of them rather than return a form that differs from the
spreadsheet.
"""

from __future__ import annotations

from forms.conditions import Node
from forms.conditions.syntax import MAX_LENGTH
from forms.definition import DefinitionError, parse_definition
from forms.xlsform import choices, constraints, dynamic_defaults, loops, triggers
from forms.xlsform.condition_text import text
from forms.xlsform.fields import FieldDraft, Source
from forms.xlsform.filters import Filters
from forms.xlsform.live_labels import LiveLabels
from forms.xlsform.package import no_survey
from forms.xlsform.problems import Problems
from forms.xlsform.settings import read_settings
from forms.xlsform.sheets import Sheet, read_workbook
from forms.xlsform.survey import SurveyReader
from forms.xlsform.texts import Texts
from forms.xlsform.translate import AlreadyReported, Context, Translator, Untranslatable
from forms.xlsform.xpath import XPathError, parse

_FORM_KEYS = ("id", "version", "title", "description", "public", "ref_prefix", "choice_lists")
_SECTION_KEYS = ("name", "title", "description", "visible_if", "staff_only", "fields")
_FIELD_KEYS = (
    "name", "type", "label", "label_image", "hint", "calculation", "required",
    "required_message", "required_if", "visible_if", "appearance", "read_only", "choices",
    "choice_filter", "or_other", "default", "default_calculation", "default_username",
    "default_last_saved", "constraints", "accept", "max_size_mb", "multiple", "max_files",
    "max_total_mb", "camera", "min", "max", "add_label", "count", "trigger", "staff_only",
    "fields",
)  # fmt: skip


def import_xlsform(data: bytes, source: str) -> dict:
    """Read an XLSForm workbook; return the definition or raise XLSFormError."""
    return build(read_sheets(data, source), source)


def read_sheets(data: bytes, source: str) -> dict[str, Sheet]:
    """Read the workbook's sheets, or raise XLSFormError when the file cannot be read."""
    problems = Problems(source)
    sheets = read_workbook(data, problems)
    problems.raise_if_any()
    return sheets


def build(sheets: dict[str, Sheet], source: str) -> dict:
    """Return the definition the sheets hold, or raise XLSFormError with every problem."""
    problems = Problems(source)
    if "survey" not in sheets:
        problems.file(no_survey(list(sheets)))
        problems.raise_if_any()
    settings = read_settings(sheets.get("settings"), source, problems)
    loops.expand(sheets["survey"], sheets.get("choices"), problems)
    texts = Texts(sheets["survey"], settings.default_language, problems)
    survey = SurveyReader(sheets["survey"], texts, settings.data["title"], problems)
    sections = survey.read()
    lists = choices.read_choices(sheets.get("choices"), settings.default_language, problems)
    shared = choices.attach(survey.drafts, lists, problems)
    expressions = _Expressions(survey, problems)
    labels = LiveLabels(survey, expressions.translator, problems)
    labels.keep_shown_calculates(texts)  # kept as fields, so that a label can show them
    expressions.translate(sections)
    expressions.filters.attach_data(sheets.get("choices"), lists)
    labels.resolve(texts)
    problems.raise_if_any()
    form = {**settings.data, "choice_lists": shared} if shared else dict(settings.data)
    form["sections"] = [_ordered(s.data, _SECTION_KEYS) for s in sections]
    form = _ordered(form, (*_FORM_KEYS, "sections"))
    try:
        parse_definition(form, source)
    except DefinitionError as exc:
        # A gap in this importer, not in the file: still a message, never a bad form.
        problems.file("could not be made a valid Rifd form:")
        problems.lines(exc.messages)
        problems.raise_if_any()
    return form


def _ordered(data: dict, keys: tuple[str, ...]) -> dict:
    out = {key: data[key] for key in keys if key in data}
    if "fields" in out:
        out["fields"] = [_ordered(f, _FIELD_KEYS) for f in out["fields"]]
    return out


class _Expressions:
    """The second pass: translate every expression, now that all names are known."""

    def __init__(self, survey: SurveyReader, problems: Problems):
        self.translator = Translator(survey.symbols, parents=survey.repeat_parents)
        self.drafts, self.problems = survey.drafts, problems
        self.calculates = [s for s in survey.symbols.values() if s.kind == "calculate"]
        self.calculate_fields = survey.calculate_fields
        self.computed: dict[str, Node] = {}
        self.filters = Filters(self.translator, problems)

    def translate(self, sections) -> None:
        self._calculates()
        for section in sections:
            found = self.condition(section.visible, Context())
            if found:
                section.data["visible_if"] = found
        for draft in self.drafts:
            self._field(draft)
        for symbol in self.calculates:
            read = symbol.xls_name in self.translator.used | self.translator.failed
            if self._kept(symbol, read and symbol.xls_name not in self.translator.columns):
                continue
            if not read and symbol.xls_name in self.calculate_fields:  # too long to keep
                self.problems.add(
                    "survey",
                    symbol.row,
                    "calculation",
                    f"the calculation is longer than Rifd's {MAX_LENGTH} characters once"
                    " translated",
                )

    def _kept(self, symbol, read: bool) -> bool:
        """Keep an unread calculate as a Rifd calculate field; True when it is kept."""
        kept = self.calculate_fields.get(symbol.xls_name)
        if kept is None:
            return False
        target, data = kept
        node = self.computed.get(symbol.xls_name)
        calculation = text(node) if node is not None else ""
        if read or not calculation or len(calculation) > MAX_LENGTH:
            # Read inline where it is used (or failed, reported at its row): no field.
            target.remove(data)
            return False
        data["calculation"] = calculation
        return True

    def _calculates(self) -> None:
        # Each calculate is checked once where it stands, so its problem is told at its row.
        for symbol in self.calculates:
            try:
                if symbol.expression is None:
                    raise AlreadyReported(symbol.xls_name)
                node = self.translator.condition(symbol.expression, Context(symbol.repeat))
                self.computed[symbol.xls_name] = node
            except Untranslatable as exc:
                self.problems.add("survey", symbol.row, "calculation", str(exc))
                self.translator.failed.add(symbol.xls_name)
            except AlreadyReported:
                self.translator.failed.add(symbol.xls_name)
        self.translator.used.clear()

    def _field(self, draft: FieldDraft) -> None:
        found = self.condition(draft.visible, draft.ctx)
        if found:
            draft.data["visible_if"] = found
        if draft.required_if:
            found = self.condition([draft.required_if], draft.ctx)
            if found:
                draft.data["required_if"] = found
        if draft.constraint:
            self._constraint(draft)
        if draft.choice_filter:
            self.filters.translate(draft)
        if draft.count:
            found = self.condition([draft.count], draft.ctx)
            if found:
                draft.data["count"] = found
        if draft.calculation:
            self._triggered(draft)
        if draft.default_from and self._user_default(draft):
            draft.data["default_username"] = True
        elif draft.default_from:
            found = self.condition([draft.default_from], draft.ctx)
            if found:
                draft.data["default_calculation"] = found

    def _user_default(self, draft: FieldDraft) -> bool:
        """Say whether a text's default is ${username}: the signed-in staff member's."""
        found = dynamic_defaults.ONE_REFERENCE.fullmatch(draft.default_from[2])
        symbol = self.translator.symbols.get(found.group(1)) if found else None
        return (
            draft.data["type"] == "text"
            and symbol is not None
            and (symbol.kind, symbol.type) == ("metadata", "username")
        )

    def _triggered(self, draft: FieldDraft) -> None:
        # It may read its own last value: if(${at} = '', now(), ${at}).
        found = self.condition([draft.calculation], Context(draft.ctx.repeat))
        if found:
            draft.data["calculation"] = found
        row, column, cell = draft.trigger
        try:
            name = triggers.trigger_name(self.translator.condition(parse(cell), draft.ctx))
        except (XPathError, Untranslatable) as exc:
            self.problems.add("survey", row, column, str(exc))
            return
        if name is None:
            self.problems.add("survey", row, column, "a trigger names one question: ${name}")
        else:
            draft.data["trigger"] = name

    def condition(self, sources: list[Source], ctx: Context) -> str | None:
        """Return the Rifd condition joining the sources with `and`, or None."""
        nodes = []
        for row, column, cell in sources:
            try:
                nodes.append(self.translator.condition(parse(cell), ctx))
            except (XPathError, Untranslatable) as exc:
                self.problems.add("survey", row, column, str(exc))
            except AlreadyReported:
                pass
        if not nodes or len(nodes) < len(sources):
            return None
        args = [arg for node in nodes for arg in (node.args if node.kind == "and" else (node,))]
        result = text(nodes[0] if len(nodes) == 1 else Node("and", None, tuple(args)))
        if len(result) > MAX_LENGTH:
            row, column, _cell = sources[-1]
            self.problems.add(
                "survey",
                row,
                column,
                f"the condition is longer than Rifd's {MAX_LENGTH} characters once translated",
            )
            return None
        return result

    def _constraint(self, draft: FieldDraft) -> None:
        row, column, cell = draft.constraint
        try:
            limits = constraints.from_expression(parse(cell), draft.data["type"])
            messages = {key: draft.messages for key in limits} if draft.messages else {}
            if draft.rifd_messages:
                row, column, cell = draft.rifd_messages
                messages = constraints.read_messages(cell)
        except (XPathError, constraints.ConstraintError) as exc:
            self.problems.add("survey", row, column, str(exc))
            return
        if messages:
            limits["messages"] = messages
        draft.data["constraints"] = limits
