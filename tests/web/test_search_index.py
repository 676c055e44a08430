"""The submissions' search box answers from the text index, not by reading every answer."""

from __future__ import annotations

import re

from store import Store
from submissions import service
from tests.conftest import post_form, sign_in


def _submit(client, valid_intake, names):
    for name in names:
        assert (
            post_form(client, "/forms/intake/new", dict(valid_intake, full_name=name)).status_code
            == 302
        )


def _refs(page: str) -> list[str]:
    # Each row names its reference twice (its link and the bulk tick box's label).
    return list(
        dict.fromkeys(re.findall(r"\b(IN-\d+-\d+)\b", page.split('<table class="table">')[-1]))
    )


def _ref_of(store, name: str) -> str:
    found = store.find("submissions/intake", where={"answers.full_name": name})
    return found[0]["ref"]


def test_a_search_reads_only_what_it_finds(app, client, store, valid_intake, monkeypatch):
    _submit(client, valid_intake, ["عبدالله الأحمد", "خالد السالم", "نورة العبدالله", "سارة"])
    scans = []
    original = Store.page

    def page(self, collection, **kwargs):
        if collection.startswith("submissions/"):
            scans.append(kwargs.get("predicate"))
        return original(self, collection, **kwargs)

    monkeypatch.setattr(Store, "page", page)
    found = set(_refs(client.get("/forms/intake/submissions?q=عبدالله").get_data(as_text=True)))
    assert found == {_ref_of(store, "عبدالله الأحمد"), _ref_of(store, "نورة العبدالله")}
    assert not [p for p in scans if p is not None], "the search read every submission"
    # Two letters are under the index's three: the page still answers, by reading.
    short = set(_refs(client.get("/forms/intake/submissions?q=خا").get_data(as_text=True)))
    assert short == {_ref_of(store, "خالد السالم")}


def test_paging_through_a_search(app, client, store, valid_intake):
    _submit(client, valid_intake, [f"محمد رقم {n}" for n in range(25)])
    first = client.get("/forms/intake/submissions?q=محمد").get_data(as_text=True)
    second = client.get("/forms/intake/submissions?q=محمد&page=2").get_data(as_text=True)
    assert len(_refs(first)) == 20 and len(_refs(second)) == 5
    assert not set(_refs(first)) & set(_refs(second))


def test_a_search_finding_many_counts_no_further_than_it_must(
    app, client, store, valid_intake, monkeypatch
):
    monkeypatch.setattr(service, "COUNTED", 3)
    _submit(client, valid_intake, [f"محمد رقم {n}" for n in range(5)])
    many = client.get("/forms/intake/submissions?q=محمد").get_data(as_text=True)
    assert "أكثر من 3" in many and len(_refs(many)) == 5
    few = client.get("/forms/intake/submissions?q=رقم 4").get_data(as_text=True)
    assert "أكثر من" not in few and len(_refs(few)) == 1


def test_a_viewer_still_finds_an_id_only_whole(app, client, store, valid_intake):
    _submit(client, valid_intake, ["عبدالله الأحمد"])
    viewer = app.test_client()
    sign_in(viewer, app, username="vera", roles=["viewer"])
    nid = valid_intake["national_id"]
    ref = _ref_of(store, "عبدالله الأحمد")
    part = viewer.get(f"/forms/intake/submissions?q={nid[:6]}").get_data(as_text=True)
    whole = viewer.get(f"/forms/intake/submissions?q={nid}").get_data(as_text=True)
    assert ref not in _refs(part) and ref in _refs(whole)
