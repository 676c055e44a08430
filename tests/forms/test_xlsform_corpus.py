"""Real-world XLSForms written by others (tests/forms/corpus, SOURCES.md): the honest share.

Each form of the corpus is an XLSForm pyxform accepts, as its authors published it.
Each one imports whole, or imports without a listed set of items, or is refused with a
list: never a crash. Each form imported (whole or not) exports back to an XLSForm that
pyxform accepts and that imports to the same definition. The share imported whole,
with every question and every piece of logic kept, is printed with what blocks the
rest, and may only go up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pyxform.xls2xform import convert

from forms.definition import parse_definition
from forms.xlsform import XLSFormError, export_xlsform, import_xlsform, loops, types
from forms.xlsform.names import NameProblem, rifd_name
from forms.xlsform.skipping import import_skipping
from tests.forms.corpus.build import corpus, sheets, xlsx

FORMS = corpus()
IDS = [f"{p.parent.name}/{p.name}" for p in FORMS]
# Imported whole when this was written; a change may add to it, never take from it.
WHOLE = {
    "odk_docs/example_constraint_on_selected.rst",
    "odk_docs/example_regex_middle_initial.rst",
    "odk_docs/language_01_single.rst",
    "odk_docs/language_02_multiple.rst",
    "odk_docs/language_03_media.rst",
    "odk_docs/logic_03_tip_calculation.rst",
    "odk_docs/logic_04_last_saved.rst",
    "odk_docs/logic_05_required_message.rst",
    "odk_docs/logic_01_variables.rst",
    "odk_docs/logic_06_static_default.rst",
    "odk_docs/logic_07_default_now.rst",
    "odk_docs/logic_08_default_username.rst",
    "odk_docs/logic_13_last_update_times.rst",
    "odk_docs/logic_14_first_update_times.rst",
    "odk_docs/logic_15_read_only_total.rst",
    "odk_docs/logic_16_relevant_simple.rst",
    "odk_docs/logic_17_group.rst",
    "odk_docs/logic_18_repeat.rst",
    "odk_docs/logic_19_repeat_fixed_count.rst",
    "odk_docs/logic_20_repeat_dynamic_count.rst",
    "odk_docs/logic_22_repeat_zero_or_more.rst",
    "odk_docs/logic_23_named_repeats.rst",
    "odk_docs/logic_24_cascading_select.rst",
    "odk_docs/repeats_01_reference_inside.rst",
    "odk_docs/repeats_02_max_by_constraint.rst",
    "odk_docs/repeats_03_max_by_relevant_group.rst",
    "odk_docs/repeats_04_up_to_five_images.rst",
    "odk_docs/repeats_05_three_to_five_images.rst",
    "pyxform/example_group.md",
    "pyxform/example_loop.md",
    "pyxform/example_specify_other.md",
    "pyxform/example_text_and_integer.md",
    "pyxform/example_yes_or_no_question.md",
    "pyxform/groups_01_group_type.md",
    "pyxform/groups_02_group_relevant.md",
    "pyxform/groups_03_same_names_in_two_groups.md",
    "pyxform/groups_04_same_names_group_and_repeat.md",
    "pyxform/groups_05_repeat_named_as_group.md",
    "pyxform/groups_06_repeat_in_repeat.md",
    "pyxform/repeat_01_relative_reference.md",
}
# What keeps a form from importing whole, told by the lines of its list.
BLOCKERS = [
    (
        "${...} in a group's or choice's text, or naming what a label cannot show",
        r"cannot show another answer",
    ),
    ("cascading choices from a repeat's rows, or on columns Rifd cannot name", r"choice_filter"),
    ('"or other" (choices)', r"or_other|or specify other"),
    ("read-only on a file, image, signature or acknowledge", r"read-only"),
    ("more than 3 repeats one inside another", r"repeats one inside another"),
    ("the same name in different groups", r"is already the name of a"),
    ("a computed default (ODK metadata, now() on a time)", r"calculated default|ODK metadata"),
    ("a default from the last saved record", r"last-saved"),
    ("a calculation on a question (not a calculate row)", r"only a calculate row has"),
    ("triggers", r"triggers are not"),
    ("a language beyond Arabic and English", r'language ".*" is not supported'),
    ("a sheet Rifd does not read", r"sheet is not supported"),
    ("a question type Rifd lacks", r'column type: ".*" is not supported'),
    ("a column Rifd does not read", r'the column ".*" is not supported|shows its own message'),
    ("an appearance Rifd lacks", r"appearance"),
    ("a label left empty", r"the label is empty"),
    ("XPath paths and functions Rifd lacks", r"paths \(|the function"),
    ("a select from a list not on the choices sheet", r"there is no list"),
    ("a constraint Rifd cannot represent", r"cannot be represented"),
]
# Lines that follow from another item of the same list (a block emptied, a calculate
# left without its calculation, a field read from the repeat it was moved into).
CONSEQUENCES = (
    r"holds no question|needs a calculation|unknown field|the name is empty"
    r"|from outside a repeat Rifd can only count"
)


@dataclass
class Outcome:
    kind: str  # whole, skipped or refused
    form: dict | None = None
    lines: list[str] = field(default_factory=list)


_OUTCOMES: dict[Path, Outcome] = {}


def outcome(path: Path) -> Outcome:
    """Import one form as the CLI does: whole, else without the listed items, else refused."""
    if path not in _OUTCOMES:
        data = xlsx(path)
        try:
            _OUTCOMES[path] = Outcome("whole", import_xlsform(data, path.name))
        except XLSFormError:
            try:
                form, skipped = import_skipping(data, path.name)
                _OUTCOMES[path] = Outcome("skipped", form, [s.line for s in skipped])
            except XLSFormError as exc:
                _OUTCOMES[path] = Outcome("refused", None, list(exc.messages))
    return _OUTCOMES[path]


@pytest.mark.parametrize("path", FORMS, ids=IDS)
def test_every_form_of_the_corpus_is_an_xlsform_pyxform_accepts(path):
    assert convert(xlsx(path), validate=False).xform


@pytest.mark.parametrize("path", FORMS, ids=IDS)
def test_each_form_imports_whole_or_with_a_listed_skip_or_is_refused_with_a_list(path):
    found = outcome(path)
    if found.kind == "whole":
        _assert_everything_kept(path, found.form)
        return
    assert found.lines, "a form not imported whole says why"
    for line in found.lines:
        # Each item names its file and its sheet (with the row and column where it has one).
        assert re.match(rf"{re.escape(path.name)}: (survey|choices|settings|[a-z_]+)\b", line)
    if found.kind == "skipped":
        parse_definition(found.form)


@pytest.mark.parametrize("path", FORMS, ids=IDS)
def test_each_form_imported_exports_back_and_pyxform_accepts_the_export(path):
    found = outcome(path)
    if found.form is None:
        pytest.skip("refused: nothing was imported")
    data = export_xlsform(parse_definition(found.form))
    assert convert(data, validate=False).xform
    assert import_xlsform(data, "again.xlsx") == found.form


def test_the_share_imported_whole_is_printed_and_only_goes_up(capsys):
    outcomes = {name: outcome(path) for name, path in zip(IDS, FORMS, strict=True)}
    whole = sorted(name for name, found in outcomes.items() if found.kind == "whole")
    counts = {k: sum(1 for o in outcomes.values() if o.kind == k) for k in _KINDS}
    blockers = _blockers(outcomes)
    with capsys.disabled():
        share = 100 * len(whole) / len(outcomes)
        print(f"\nReal-world XLSForm corpus: {len(outcomes)} forms, {counts}")
        print(f"imported whole: {len(whole)} ({share:.0f} %)")
        print("what blocks the rest (forms held back by each; a form may have several):")
        for name, count in sorted(blockers.items(), key=lambda item: -item[1]):
            print(f"  {count:3d}  {name}")
    assert sum(counts.values()) == len(FORMS)  # 0 crashes: every form has an outcome
    assert set(whole) >= WHOLE, f"no longer whole: {sorted(WHOLE - set(whole))}"
    assert "other" not in blockers, "a blocker not yet named: add it to BLOCKERS"


_KINDS = ("whole", "skipped", "refused")


def _blockers(outcomes: dict[str, Outcome]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for found in outcomes.values():
        names = set()
        for line in found.lines:
            hits = [name for name, pattern in BLOCKERS if re.search(pattern, line)]
            if hits or not re.search(CONSEQUENCES, line):
                names.update(hits[:1] or ["other"])
        for name in names:
            counts[name] = counts.get(name, 0) + 1
    return counts


_NOT_QUESTIONS = {"begin_group", "end_group", "begin_repeat", "end_repeat", "calculate"}


def _assert_everything_kept(path: Path, form: dict) -> None:
    """Assert every question row is a field, with its relevant, required and constraint."""
    fields = {}

    def walk(items):
        for fdef in items:
            fields[fdef["name"]] = fdef
            walk(fdef.get("fields", []))

    for section in form["sections"]:
        walk(section["fields"])
    survey = next(rows for name, rows in sheets(path).items() if name.lower() == "survey")
    header = [str(h or "").lower() for h in survey[0]]
    for row in survey[1:]:
        cells = dict(zip(header, [str(c or "") for c in row], strict=False))
        if loops.is_loop_row(cells["type"]):
            continue  # its questions are checked as their own rows
        kind = types.read_type(cells["type"]).kind
        if kind in _NOT_QUESTIONS or kind in types.IGNORED_METADATA:
            continue
        fdef = fields.get(_name(cells["name"]))
        assert fdef is not None, f"{path.name}: question {cells['name']} not kept"
        if cells.get("relevant"):
            assert fdef.get("visible_if"), f"{path.name}: {cells['name']} lost its relevant"
        if cells.get("constraint"):
            assert fdef.get("constraints"), f"{path.name}: {cells['name']} lost its constraint"
        if cells.get("required", "").lower() in ("yes", "true", "true()"):
            assert fdef.get("required"), f"{path.name}: {cells['name']} is no longer required"
        if cells.get("required_message"):
            assert fdef.get("required_message"), f"{path.name}: {cells['name']} lost its message"
        if cells.get("default"):
            kept = {"default", "default_calculation", "default_username", "default_last_saved"}
            kept &= set(fdef)
            assert kept, f"{path.name}: {cells['name']} lost its default"


def _name(raw: str) -> str:
    try:
        return rifd_name(raw)
    except NameProblem:
        return raw
