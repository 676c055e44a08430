"""A new form page is rendered once per form version and language, and never goes stale.

web/filling.py keeps a new page's fields (and the form's WTForms class) with the form's
definition; each test changes what the page shows through the routes a person uses and
checks that the next page shows it. (Each language its own page: test_public_and_export's
test_the_allowed_file_types_are_listed_in_the_page_language.)
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.cases.conftest import edit_policy, page_fields
from tests.conftest import csrf_token, post_form
from tests.web.conftest import SURVEY
from tests.web.editor_helpers import created_editor


def _fields(html: str) -> str:
    """The page's fields, without the CSRF token (one per session)."""
    return html.split('name="csrf_token"')[1].split("</form>")[0].split(">", 1)[1]


def test_everyone_gets_the_same_new_page_with_a_token_of_his_own(app):
    first, second = app.test_client(), app.test_client()
    pages = [c.get("/f/quick_survey").get_data(as_text=True) for c in (first, second, first)]
    assert _fields(pages[0]) == _fields(pages[1]) == _fields(pages[2])
    assert csrf_token(first, "/f/quick_survey") != csrf_token(second, "/f/quick_survey")
    assert post_form(second, "/f/quick_survey", {"overall": "5"}).status_code == 302


def test_a_published_version_is_the_next_page(client, anon):
    editor = created_editor(client)
    assert editor.publish().status_code == 200
    assert "الحالة" in anon.get("/f/family_survey").get_data(as_text=True)
    assert "الحالة" in client.get("/forms/family_survey/new").get_data(as_text=True)
    data = editor.state()["definition"]
    data["sections"][0]["fields"][0]["label"] = {"ar": "الحالة الاجتماعية"}
    data["sections"][0]["fields"].append(
        {"name": "city", "type": "text", "label": {"ar": "المدينة"}}
    )
    assert editor.save(data).status_code == 200
    assert editor.publish().get_json()["version"] == 2
    for page in (anon.get("/f/family_survey"), client.get("/forms/family_survey/new")):
        html = page.get_data(as_text=True)
        assert "الحالة الاجتماعية" in html and 'name="city"' in html


def test_a_definition_file_changed_in_place_is_the_next_page(app, anon):
    assert 'name="comment"' in anon.get("/f/quick_survey").get_data(as_text=True)
    changed = json.loads(json.dumps(SURVEY))
    changed["sections"][0]["fields"][1]["label"] = {"ar": "ملاحظات أخرى", "en": "More"}
    path = Path(app.config["DATA_DIR"]) / "forms" / "quick_survey.json"
    path.write_text(json.dumps(changed, ensure_ascii=False) + "\n", encoding="utf-8")
    assert "ملاحظات أخرى" in anon.get("/f/quick_survey").get_data(as_text=True)


def test_the_associations_new_name_is_on_the_next_public_page(client, anon):
    assert "جمعية الاختبار" not in anon.get("/f/quick_survey").get_data(as_text=True)
    fields = page_fields(client.get("/policy/edit").get_data(as_text=True), "/policy/edit")
    assert "name.ar" in fields
    assert edit_policy(client, **{"name.ar": "جمعية الاختبار"}).status_code == 302
    assert "جمعية الاختبار" in anon.get("/f/quick_survey").get_data(as_text=True)


def test_a_refused_answer_comes_back_as_typed_and_the_new_page_stays_empty(anon):
    anon.get("/f/quick_survey")  # the new page is kept
    refused = post_form(anon, "/f/quick_survey", {"overall": "9", "comment": "نص كتبته"})
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert "نص كتبته" in html and 'aria-invalid="true"' in html
    fresh = anon.get("/f/quick_survey").get_data(as_text=True)
    assert "نص كتبته" not in fresh and 'aria-invalid="true"' not in fresh
