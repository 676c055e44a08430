"""The editor's versions, difference and preview pages, who may use them, and bad requests."""

from __future__ import annotations

import json
import re

import pytest

from accounts import audit
from accounts.roles import ROLES
from forms import drafts, versions
from tests.conftest import csrf_token, sign_in
from tests.web.editor_helpers import Editor, created_editor, survey


def published_twice(client) -> Editor:
    """The survey published as version 1, then changed and published as version 2."""
    editor = created_editor(client)
    assert editor.publish().status_code == 200
    data = editor.state()["definition"]
    fields = data["sections"][0]["fields"]
    fields[0]["label"] = {"ar": "الحالة الاجتماعية", "en": "Marital status"}
    fields[0]["choices"][2]["label"] = {"ar": "أرملة"}
    del fields[1]  # spouse removed
    fields.append({"name": "city", "type": "text", "label": {"ar": "المدينة"}})
    assert editor.save(data).status_code == 200
    assert editor.publish().get_json()["version"] == 2
    return editor


def test_the_versions_page_lists_each_version(client):
    published_twice(client)
    page = client.get("/editor/family_survey/versions").get_data(as_text=True)
    assert re.findall(r'<tr data-version="(\d+)">', page) == ["1", "2"]
    assert "المستخدم الآن" in page


def test_the_difference_names_added_removed_and_changed_fields(client):
    published_twice(client)
    page = client.get("/editor/family_survey/diff?a=1&b=2").get_data(as_text=True)
    added = page.split('class="diff-added"')[1].split("</ul>")[0]
    removed = page.split('class="diff-removed"')[1].split("</ul>")[0]
    assert 'data-name="city"' in added and 'data-name="spouse"' in removed
    status = page.split('<div class="diff-changed" data-name="status">')[1].split("</table>")[0]
    rows = dict(re.findall(r'<tr data-property="([^"]+)">(.*?)</tr>', status, re.S))
    assert "الحالة" in rows["label.ar"] and "الحالة الاجتماعية" in rows["label.ar"]
    assert rows["label.ar"].index("الحالة<") < rows["label.ar"].index("الحالة الاجتماعية")
    old, new = rows["label.en"].split('class="diff-new"')
    assert ">Status<" in old and ">Marital status<" in new
    assert "أرمل<" in rows["choices[widowed].label.ar"]
    assert "أرملة" in rows["choices[widowed].label.ar"]


def test_the_difference_with_the_draft_and_with_itself(client):
    editor = published_twice(client)
    data = editor.state()["definition"]
    data["public"] = False
    assert editor.save(data).status_code == 200
    page = client.get("/editor/family_survey/diff?a=2&b=draft").get_data(as_text=True)
    assert '<tr data-property="public">' in page
    same = client.get("/editor/family_survey/diff?a=2&b=2").get_data(as_text=True)
    assert "لا فرق بينهما" in same


@pytest.mark.parametrize("query", ["a=1&b=9", "a=x&b=1", "b=1", "a=draft&b=1"])
def test_a_difference_with_a_missing_version_goes_back(client, query):
    published_twice(client)
    response = client.get(f"/editor/family_survey/diff?{query}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/editor/family_survey/versions")


def test_a_new_draft_from_an_old_version(client, store):
    published_twice(client)
    token = csrf_token(client, "/editor/family_survey/versions")
    response = client.post("/editor/family_survey/versions/1/draft", data={"csrf_token": token})
    assert response.status_code == 302
    draft = drafts.get(store, "family_survey")
    assert draft["based_on"] == 1
    assert draft["definition"]["sections"][0]["fields"][1]["name"] == "spouse"
    # A second one replaces that draft only when the person says so.
    refused = client.post("/editor/family_survey/versions/2/draft", data={"csrf_token": token})
    assert refused.status_code == 302 and drafts.get(store, "family_survey")["based_on"] == 1
    data = {"csrf_token": token, "replace": "1"}
    assert client.post("/editor/family_survey/versions/2/draft", data=data).status_code == 302
    assert drafts.get(store, "family_survey")["based_on"] == 2
    assert len([e for e in store.iter(audit.COLLECTION) if e["action"] == "start_draft"]) == 3


def test_discarding_the_draft_leaves_the_version_in_use(client, store):
    editor = published_twice(client)
    assert editor.save(survey()).status_code == 200
    revision = editor.state()["revision"]
    token = csrf_token(client, "/editor/family_survey")
    stale = client.post(
        "/editor/family_survey/discard", data={"csrf_token": token, "revision": revision - 1}
    )
    assert stale.status_code == 302 and drafts.get(store, "family_survey") is not None
    data = {"csrf_token": token, "revision": revision}
    assert client.post("/editor/family_survey/discard", data=data).status_code == 302
    assert drafts.get(store, "family_survey") is None
    assert [r["version"] for r in versions.listing(store, "family_survey")] == [1, 2]


def test_the_preview_is_the_fill_page_and_may_be_framed_by_rifd_only(client):
    editor = created_editor(client)
    data = {"csrf_token": editor.token, "definition": json.dumps(survey(), ensure_ascii=False)}
    response = client.post("/editor/family_survey/preview", data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'class="rifd-form"' in page and "rifd-forms.js" in page
    assert 'data-visible-if="status == &#39;married&#39;"' in page
    assert '<button type="submit" class="button primary" disabled>' in page
    assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    # Every other page stays out of frames.
    other = client.get("/editor/family_survey")
    assert "frame-ancestors 'none'" in other.headers["Content-Security-Policy"]
    assert other.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("definition", ["not json", "[1, 2]", "[" * 5000 + "]" * 5000, "{}"])
def test_a_preview_of_something_that_is_no_definition_says_so(client, definition):
    editor = created_editor(client)
    data = {"csrf_token": editor.token, "definition": definition}
    response = client.post("/editor/family_survey/preview", data=data)
    assert response.status_code == 200
    assert "تتوقف المعاينة حتى تُصحَّح الأخطاء" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[1]", b'{"definition": 5, "revision": 1}', b"{" * 3000 + b"}" * 3000],
)
def test_bad_json_gets_a_message_and_stores_nothing(client, store, body):
    editor = created_editor(client)
    before = drafts.get(store, "family_survey")
    for tail in ("draft", "check", "condition"):
        response = client.post(
            editor.url(tail),
            data=body,
            content_type="application/json",
            headers={"X-CSRFToken": editor.token},
        )
        assert response.status_code == 400, tail
        assert "حدّث الصفحة" in response.get_json()["error"]
    assert drafts.get(store, "family_survey") == before


def test_a_post_without_the_csrf_token_is_refused(client, store):
    editor = created_editor(client)
    response = client.post(editor.url("draft"), json={"definition": survey(), "revision": 2})
    assert response.status_code == 400
    assert drafts.get(store, "family_survey")["revision"] == 2


EDITOR_POSTS = ["/editor/new", "/editor/complaint/draft", "/editor/complaint/publish"]


@pytest.mark.parametrize("role", sorted(r for r in ROLES if "forms.manage" not in ROLES[r]))
def test_roles_without_forms_manage_get_403(app, store, role):
    client = app.test_client()
    sign_in(client, app, username=f"u_{role}", roles=[role])
    for path in ("/editor/", "/editor/complaint", "/editor/complaint/draft.json"):
        assert client.get(path).status_code == 403, path
    for path in EDITOR_POSTS:
        assert client.post(path, json={}).status_code == 403, path
    assert drafts.form_ids(store) == [] and versions.listing(store, "complaint") == []


def test_the_quality_officer_may_edit_and_the_public_may_not(app, anon):
    officer = app.test_client()
    sign_in(officer, app, username="huda", roles=["quality_officer"])
    assert officer.get("/editor/complaint").status_code == 200
    assert "محرر النماذج" in officer.get("/forms/").get_data(as_text=True)
    response = anon.get("/editor/complaint")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
