"""The engine's side of the editor: drafts, problems placed and said in Arabic, the difference."""

from __future__ import annotations

import copy
import json

import pytest

from forms import drafts
from forms.diff import diff
from forms.editing import check, new_definition, parse_json, split_path
from forms.problem_text import arabic
from store import Store
from tests.web.editor_helpers import survey


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "data")


def test_a_new_definition_is_valid():
    assert check(new_definition("x", "عنوان", "Title")) == []


@pytest.mark.parametrize(
    ("path", "item", "prop"),
    [
        ("sections[0].fields[2].constraints.min", "sections[0].fields[2]", "constraints.min"),
        ("sections[1].fields[0].fields[3].label.ar", "sections[1].fields[0].fields[3]", "label.ar"),
        ("sections[0].fields[2].choices[1].value", "sections[0].fields[2]", "choices[1].value"),
        ("sections[2].title", "sections[2]", "title"),
        ("sections[0].fields", "sections[0]", "fields"),
        ("choice_lists.gender[0].value", "form", "choice_lists.gender[0].value"),
        ("$", "form", ""),
    ],
)
def test_paths_split_into_item_and_property(path, item, prop):
    assert split_path(path) == (item, prop)


def broken_definitions():
    """Definitions with one mistake each, covering the kinds of message the checks give."""
    base = survey()
    field = base["sections"][0]["fields"]
    yield dict(base, titel={"ar": "x"})
    yield dict(base, version="1")
    yield dict(base, ref_prefix="toolong")
    yield {**base, "sections": []}
    for change in (
        {"type": "nationalid"},
        {"name": "1bad"},
        {"appearance": "wide"},
        {"label": {"ar": ""}},
        {"fields": [{"name": "a", "type": "text", "label": {"ar": "a"}}]},
        {"accept": ["exe"]},
        {"max_size_mb": 50},
        {"max_size_mb": 0},
        {"visible_if": "status == 'a' AND b"},
        {"visible_if": "status == "},
        {"visible_if": "(status == 'a'"},
        {"visible_if": "count(status, 1) > 1"},
        {"visible_if": "1 < status < 3"},
        {"visible_if": "status == 'a"},
        {"visible_if": "status == 'a\\q'"},
        {"visible_if": "status || x"},
        {"visible_if": "!status"},
        {"visible_if": "${status} == 1"},
        {"visible_if": "status == 1."},
        {"visible_if": "status # 1"},
        {"visible_if": "nosuch(status)"},
        {"required_if": "unknown == 1"},
        {"constraints": {"min_length": 5}},
        {"default": "nobody"},
    ):
        data = copy.deepcopy(base)
        data["sections"][0]["fields"][0].update(change)
        yield data
    data = copy.deepcopy(base)
    data["sections"][0]["fields"][1].update({"type": "note", "required": True})
    yield data
    data = copy.deepcopy(base)
    data["sections"][0]["fields"][0]["choices"] = "nolist"
    yield data
    data = copy.deepcopy(base)
    data["sections"][0]["fields"][2]["fields"][0]["type"] = "repeat"
    data["sections"][0]["fields"][2]["fields"][0]["fields"] = [field[1]]
    yield data


def test_every_problem_of_a_broken_definition_is_said_in_arabic():
    seen = 0
    for data in broken_definitions():
        found = check(data)
        assert found, json.dumps(data, ensure_ascii=False)[:200]
        for problem in found:
            seen += 1
            assert problem["message_ar"] != problem["message"], problem["message"]
            assert any("\u0621" <= c <= "\u064a" for c in problem["message_ar"])
    assert seen >= 30


def test_an_unknown_sentence_is_kept_as_it_is():
    assert arabic("something new went wrong") == "something new went wrong"
    said = arabic('unknown function "cont" (did you mean "count"?) at 4')
    assert said == "دالة غير معروفة «cont» (هل تقصد «count»؟) (عند الحرف 4)"


@pytest.mark.parametrize(
    "text", ["{", "[" * 3000 + "]" * 3000, b"\xff\xfe", '{"a": ' * 40 + "1" + "}" * 40]
)
def test_parse_json_refuses_what_is_not_a_definition(text):
    with pytest.raises(ValueError):
        parse_json(text)


def test_parse_json_reads_a_real_definition():
    assert parse_json(json.dumps(survey()))["id"] == "family_survey"


def test_a_draft_is_saved_at_its_revision_only(store):
    first = drafts.save(store, "f", {"x": 1}, by="huda", revision=0, based_on=3)
    assert first["revision"] == 1 and first["definition"] == {"x": 1, "id": "f"}
    assert drafts.save(store, "f", {"x": 2}, by="sara", revision=1, based_on=3)["revision"] == 2
    with pytest.raises(drafts.DraftConflict):
        drafts.save(store, "f", {"x": 3}, by="huda", revision=1, based_on=3)
    with pytest.raises(drafts.DraftConflict):
        drafts.save(store, "g", {"x": 3}, by="huda", revision=4, based_on=None)
    replaced = drafts.replace(store, "f", {"x": 9}, by="huda", based_on=1)
    assert replaced["revision"] == 3 and replaced["based_on"] == 1
    assert drafts.discard(store, "f", revision=2) is None
    assert drafts.discard(store, "f", revision=3)["definition"]["x"] == 9
    assert drafts.get(store, "f") is None and drafts.form_ids(store) == []


def test_the_difference_matches_fields_by_name():
    old = survey()
    new = copy.deepcopy(old)
    fields = new["sections"][0]["fields"]
    fields[0]["choices"].append({"value": "divorced", "label": {"ar": "مطلق"}})
    fields[0]["required"] = False
    fields.insert(0, fields.pop(1))  # spouse now comes first
    fields[2]["fields"][1]["constraints"] = {"max": 18}
    new["sections"].append({"name": "more", "title": {"ar": "المزيد"}, "fields": [fields.pop()]})
    found = diff(old, new)
    assert found.fields["added"] == [] and found.fields["removed"] == []
    changed = {
        item.name: {c.property: (c.old, c.new) for c in item.changes}
        for item in found.fields["changed"]
    }
    assert changed["status"]["choices[divorced].label.ar"] == (None, "مطلق")
    assert changed["status"]["required"] == (True, False)
    assert changed["kids"]["parent"] == ("family", "more")
    assert changed["kid_age"]["constraints.max"] == (None, 18)
    assert "position" in changed["spouse"] or "position" in changed["status"]
    assert [s.name for s in found.sections["added"]] == ["more"]
    assert diff(old, copy.deepcopy(old)).empty


def test_the_difference_survives_any_json():
    assert diff([1], "x").empty
    found = diff({"sections": [1, {"fields": "x"}]}, {"sections": None})
    assert len(found.sections["removed"]) == 1 and not found.fields["removed"]
