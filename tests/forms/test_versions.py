"""Frozen form versions: what publishing and the first submission keep, and which form is in use."""

from __future__ import annotations

import copy
import json

import pytest

from forms import versions
from forms.catalog import FormCatalog
from forms.definition import DefinitionError, FormDefinition
from forms.library import FormLibrary
from store import Store
from tests.web.editor_helpers import t

BASE = {
    "id": "visit",
    "version": 1,
    "title": t("زيارة", "Visit"),
    "sections": [
        {
            "name": "main",
            "title": t("البيانات"),
            "fields": [
                {"name": "who", "type": "text", "label": t("الاسم", "Name")},
                {"name": "age", "type": "integer", "label": t("العمر", "Age")},
            ],
        }
    ],
}


def relabel(data: dict, label: str, version: int | None = None) -> dict:
    out = copy.deepcopy(data)
    out["sections"][0]["fields"][0]["label"] = t(label)
    if version is not None:
        out["version"] = version
    return out


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "data")


@pytest.fixture
def folder(tmp_path):
    path = tmp_path / "forms"
    path.mkdir()
    return path


def write(folder, data: dict) -> None:
    (folder / f"{data['id']}.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")


def test_digest_ignores_version_and_key_order():
    other = dict(reversed(list(relabel(BASE, "الاسم", 7).items())))
    other["sections"][0]["fields"][0]["label"] = t("الاسم", "Name")
    assert versions.digest(BASE) == versions.digest(other)
    assert versions.digest(BASE) != versions.digest(relabel(BASE, "اسم آخر"))


def test_freeze_keeps_a_files_number_and_reuses_the_same_content(store):
    frozen = versions.freeze(store, FormDefinition(BASE), "sara")
    assert frozen.version == 1
    assert versions.freeze(store, FormDefinition(copy.deepcopy(BASE))).version == 1
    [record] = versions.listing(store, "visit")
    assert record["source"] == "file" and record["published_by"] == "sara"
    assert record["definition"] == BASE


def test_a_file_edited_without_raising_its_version_becomes_the_next_version(store):
    versions.freeze(store, FormDefinition(BASE))
    edited = versions.freeze(store, FormDefinition(relabel(BASE, "الاسم الكامل")))
    assert edited.version == 2 and edited.data["version"] == 2
    # The old content is still version 1, word for word.
    assert versions.get(store, "visit", 1).field("who")["label"] == t("الاسم", "Name")
    assert versions.get(store, "visit", 2).field("who")["label"] == t("الاسم الكامل")
    # Going back to the first content finds version 1 again rather than adding one.
    assert versions.freeze(store, FormDefinition(BASE)).version == 1
    assert [r["version"] for r in versions.listing(store, "visit")] == [1, 2]


def test_a_file_raised_above_the_frozen_versions_keeps_its_number(store):
    versions.freeze(store, FormDefinition(BASE))
    assert versions.freeze(store, FormDefinition(relabel(BASE, "س", 5))).version == 5
    assert versions.freeze(store, FormDefinition(relabel(BASE, "ص", 3))).version == 6


def test_publish_numbers_after_the_version_it_replaces_and_freezes_that_one(store):
    record = versions.publish(
        store, relabel(BASE, "الاسم الجديد"), by="huda", replaces=FormDefinition(BASE)
    )
    assert record["version"] == 2 and record["source"] == "editor"
    assert record["definition"]["version"] == 2 and record["published_by"] == "huda"
    assert [r["version"] for r in versions.listing(store, "visit")] == [1, 2]
    assert versions.latest(store, "visit")["version"] == 2
    assert versions.latest(store, "visit", versions.FILE)["version"] == 1


def test_publish_refuses_an_invalid_definition_and_stores_nothing(store):
    bad = relabel(BASE, "")
    with pytest.raises(DefinitionError) as caught:
        versions.publish(store, bad, by="huda")
    assert any("label.ar: must not be empty" in line for line in caught.value.messages)
    assert versions.listing(store, "visit") == []


def test_the_catalog_uses_the_higher_of_file_and_editor(store, folder):
    write(folder, BASE)
    catalog = FormCatalog(FormLibrary(folder), store)
    assert catalog.get("visit").version == 1
    versions.publish(store, relabel(BASE, "منشور"), by="huda", replaces=catalog.get("visit"))
    assert catalog.get("visit").field("who")["label"] == t("منشور")
    # A file edited at the same number does not take over from what was published...
    write(folder, relabel(BASE, "ملف", 2))
    assert catalog.get("visit").field("who")["label"] == t("منشور")
    # ...one raised above it does.
    write(folder, relabel(BASE, "ملف أحدث", 3))
    assert catalog.get("visit").field("who")["label"] == t("ملف أحدث")


def test_the_catalog_lists_forms_made_in_the_editor(store, folder):
    write(folder, BASE)
    catalog = FormCatalog(FormLibrary(folder), store)
    versions.publish(store, dict(BASE, id="new_form"), by="huda")
    assert [f.id for f in catalog.all()] == ["new_form", "visit"]
    assert catalog.get("new_form").version == 1


def test_a_record_is_read_with_its_own_version(store, folder):
    write(folder, BASE)
    catalog = FormCatalog(FormLibrary(folder), store)
    versions.freeze(store, catalog.get("visit"))
    write(folder, relabel(BASE, "تغير", 2))
    old = catalog.for_record({"form_id": "visit", "form_version": 1})
    assert old.field("who")["label"] == t("الاسم", "Name")
    # A version never frozen (data from before versions) falls back to the current one.
    assert catalog.for_record({"form_id": "visit", "form_version": 9}).version == 2
    assert set(catalog.history("visit", [1, 2, 9])) == {1, 2}


def test_a_form_whose_file_is_gone_is_gone_but_its_versions_stay(store, folder):
    write(folder, BASE)
    catalog = FormCatalog(FormLibrary(folder), store)
    versions.freeze(store, catalog.get("visit"))
    (folder / "visit.json").unlink()
    assert catalog.get("visit") is None and catalog.all() == []
    # Its submissions are still read with the version they were made with.
    assert catalog.for_record({"form_id": "visit", "form_version": 1}).title() == "زيارة"
