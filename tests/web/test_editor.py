"""The form editor's server side: new forms, drafts, checks placed on fields, publishing."""

from __future__ import annotations

import pytest

from accounts import audit
from forms import drafts, versions
from tests.web.editor_helpers import Editor, create, created_editor, survey


def audited(store, action: str) -> list[dict]:
    return [e for e in store.iter(audit.COLLECTION) if e["action"] == action]


def test_a_new_form_starts_as_a_draft_and_is_audited(client, store):
    response = create(client)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/editor/family_survey")
    draft = drafts.get(store, "family_survey")
    assert draft["revision"] == 1 and draft["updated_by"] == "staff"
    assert draft["definition"]["title"] == {"ar": "استبيان الأسرة"}
    [entry] = audited(store, "start_draft")
    assert entry["entity"] == "form:family_survey" and entry["actor"] == "staff"
    page = client.get("/editor/family_survey").get_data(as_text=True)
    assert 'id="form-editor"' in page and "editor.js" in page
    # Not published yet: no one can fill it.
    assert client.get("/forms/family_survey/new").status_code == 404


@pytest.mark.parametrize(
    ("form_id", "title", "message"),
    [
        ("Family Survey", "استبيان", "المعرّف: أحرف إنجليزية صغيرة"),
        ("complaint", "شكوى", "يوجد نموذج بهذا المعرّف"),
        ("new_one", "", "اكتب عنوان النموذج بالعربية"),
    ],
)
def test_a_new_form_is_refused_with_a_reason(client, store, form_id, title, message):
    response = create(client, form_id, title)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert drafts.form_ids(store) == []


def test_a_shipped_form_opens_as_its_version_in_use(client):
    state = Editor(client, "complaint").state()
    assert state["revision"] == 0 and state["current_version"] == 1
    assert state["definition"]["id"] == "complaint" and state["problems"] == []
    assert state["public_url"] == "/f/complaint"


def test_saving_keeps_an_invalid_draft_and_names_its_problems(client, store):
    editor = created_editor(client)
    data = survey()
    data["sections"][0]["fields"][1]["label"] = {"ar": ""}
    response = editor.save(data)
    assert response.status_code == 200
    body = response.get_json()
    assert body["revision"] == 3
    [problem] = body["problems"]
    assert problem["item"] == "sections[0].fields[1]" and problem["name"] == "spouse"
    assert problem["property"] == "label.ar"
    assert problem["message_ar"] == "لا يجوز أن يكون فارغًا"
    # Nothing typed is lost: the draft holds it as sent.
    assert drafts.get(store, "family_survey")["definition"]["sections"] == data["sections"]
    entry = audited(store, "save_draft")[-1]
    assert entry["before"] == {"revision": 2} and entry["after"]["revision"] == 3


def test_a_save_from_an_old_revision_is_refused(client, store):
    editor = created_editor(client)
    stale = editor.save(survey(), revision=1)
    assert stale.status_code == 409
    assert "حفظ شخص آخر" in stale.get_json()["error"]
    assert drafts.get(store, "family_survey")["revision"] == 2


def test_the_id_and_version_are_not_the_editors_to_change(client, store):
    editor = created_editor(client)
    assert editor.save(dict(survey(), id="other", version=99)).status_code == 200
    saved = drafts.get(store, "family_survey")["definition"]
    assert saved["id"] == "family_survey" and saved["version"] == 1
    assert drafts.get(store, "other") is None


def mutate(path: str, value):
    data = survey()
    node = data
    keys = path.split("/")
    for key in keys[:-1]:
        node = node[int(key)] if key.isdigit() else node[key]
    last = keys[-1]
    if value is None:
        del node[int(last) if last.isdigit() else last]
    else:
        node[int(last) if last.isdigit() else last] = value
    return data


F = "sections/0/fields"
CASES = [
    # (change, item, property, Arabic message)
    (f"{F}/1/name", "Spouse Name", "sections[0].fields[1]", "name", "غير صالح"),
    (f"{F}/1/name", "status", "sections[0].fields[1]", "name", "مستخدم في حقل آخر"),
    (f"{F}/0/choices", None, "sections[0].fields[0]", "choices", "«الخيارات» مطلوب"),
    (f"{F}/0/choices/1/value", "single", "sections[0].fields[0]", "choices[1].value", "مكررة"),
    (f"{F}/1/visible_if", "statsu == 'married'", "sections[0].fields[1]", "visible_if", "«status»"),
    (f"{F}/1/visible_if", "status = 'a' && x", "sections[0].fields[1]", "visible_if", "and بدل"),
    (
        f"{F}/2/fields/1/constraints",
        {"min": 5, "max": 1},
        "sections[0].fields[2].fields[1]",
        "constraints.min",
        "الحد الأدنى أكبر من الحد الأعلى",
    ),
    (
        f"{F}/1/constraints",
        {"pattern": "(("},
        "sections[0].fields[1]",
        "constraints.pattern",
        "ليست صيغة صحيحة",
    ),
    ("title/ar", "", "form", "title.ar", "لا يجوز أن يكون فارغًا"),
    ("ref_prefix", "sr1", "form", "ref_prefix", "حرف إلى أربعة أحرف"),
    (f"{F}/0/default", "divorced", "sections[0].fields[0]", "default", "ليست قيمة صالحة"),
]


@pytest.mark.parametrize(("change", "value", "item", "prop", "message"), CASES)
def test_each_problem_is_placed_on_its_field_and_property(
    client, change, value, item, prop, message
):
    editor = created_editor(client)
    response = editor.post("check", {"definition": mutate(change, value)})
    assert response.status_code == 200
    found = [p for p in response.get_json()["problems"] if p["item"] == item]
    assert found, response.get_json()
    assert found[0]["property"] == prop
    assert message in found[0]["message_ar"]


CONDITIONS = [
    ("sections[0].fields[1]", "status == 'married'", []),
    ("sections[0].fields[1]", "selected(status, 'married') or filled(kids)", []),
    ("sections[0].fields[1]", "status == 'married' AND x", ["يُكتب بأحرف صغيرة"]),
    ("sections[0].fields[1]", "spouse == 'x'", ["لا يجوز أن يعتمد الحقل على نفسه"]),
    ("sections[0].fields[1]", "kid_age > 3", ["لا يوجد حقل باسم «kid_age»"]),
    ("sections[0].fields[2].fields[0]", "kid_age > 3 and status == 'married'", []),
    ("sections[0]", "cont(kids) > 1", ["دالة غير معروفة «cont» (هل تقصد «count»؟)"]),
    ("sections[0].fields[1]", "", ["الشرط فارغ"]),
]


@pytest.mark.parametrize(("where", "expression", "messages"), CONDITIONS)
def test_a_condition_is_checked_where_it_is_written(client, where, expression, messages):
    editor = created_editor(client)
    body = {"definition": survey(), "where": where, "key": "visible_if", "expression": expression}
    response = editor.post("condition", body)
    assert response.status_code == 200
    found = response.get_json()["problems"]
    assert len(found) == len(messages)
    for problem, message in zip(found, messages, strict=True):
        assert message in problem["message_ar"] and problem["property"] == "visible_if"


@pytest.mark.parametrize(
    ("expression", "lang", "words"),
    [
        ("status == 'married'", "ar", "يظهر إذا كان «الحالة» = «متزوج»"),
        ("status == 'married'", "en", "Shown when «Status» = «متزوج»"),
        (
            "status != 'single' and count(kids) >= 2",
            "ar",
            "يظهر إذا كان «الحالة» ≠ «أعزب» و عدد «الأبناء» أكبر من أو يساوي 2",
        ),
        (
            "filled(status) or not(empty(kids))",
            "ar",
            "يظهر إذا كان «الحالة» معبأً أو ليس («الأبناء» فارغًا)",
        ),
        ("selected(status, 'widowed')", "ar", "يظهر إذا كان «الحالة» يشمل «أرمل»"),
    ],
)
def test_a_condition_is_read_back_in_words(client, expression, lang, words):
    editor = created_editor(client)
    client.get(f"/lang/{lang}")
    body = {"definition": survey(), "where": "sections[0].fields[1]", "key": "visible_if"}
    answer = editor.post("condition", {**body, "expression": expression}).get_json()
    assert answer["problems"] == [] and answer["words"] == words
    broken = editor.post("condition", {**body, "expression": "status =="}).get_json()
    assert broken["problems"] and broken["words"] == ""


def test_a_section_has_no_required_if(client):
    editor = created_editor(client)
    body = {"definition": survey(), "where": "sections[0]", "key": "required_if", "expression": "x"}
    [problem] = editor.post("condition", body).get_json()["problems"]
    assert problem["message_ar"] == "غير مسموح هنا"


def test_nothing_invalid_is_ever_published(client, store):
    data = survey()
    data["sections"][0]["fields"][1]["visible_if"] = "status == 'married' &&"
    editor = created_editor(client, data)
    response = editor.publish()
    assert response.status_code == 400
    body = response.get_json()
    assert "لم يُنشر النموذج" in body["error"]
    assert body["problems"][0]["item"] == "sections[0].fields[1]"
    assert versions.listing(store, "family_survey") == []
    assert drafts.get(store, "family_survey") is not None
    assert client.get("/f/family_survey").status_code == 404


def test_publishing_puts_the_form_in_use_and_is_audited(client, anon, store):
    editor = created_editor(client)
    response = editor.publish()
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"version": 1, "public_url": "/f/family_survey"}
    [record] = versions.listing(store, "family_survey")
    assert record["source"] == "editor" and record["published_by"] == "staff"
    assert drafts.get(store, "family_survey") is None
    [entry] = audited(store, "publish")
    assert entry["entity"] == "form:family_survey" and entry["entity_id"] == "1"
    assert entry["before"] is None and entry["after"]["version"] == 1
    page = anon.get("/f/family_survey").get_data(as_text=True)
    assert "استبيان الأسرة" in page and 'data-visible-if="status == &#39;married&#39;"' in page
    assert "استبيان الأسرة" in client.get("/forms/").get_data(as_text=True)


def test_publishing_a_shipped_form_keeps_its_file_version(client, store):
    editor = Editor(client, "complaint")
    data = editor.state()["definition"]
    data["title"]["ar"] = "شكوى أو اقتراح أو شكر"
    assert editor.save(data).status_code == 200
    assert editor.publish().get_json()["version"] == 2
    assert [(r["version"], r["source"]) for r in versions.listing(store, "complaint")] == [
        (1, "file"),
        (2, "editor"),
    ]
    assert "شكوى أو اقتراح أو شكر" in client.get("/f/complaint").get_data(as_text=True)
    # Publishing the same content again is refused: nothing changed.
    assert editor.save(data).status_code == 200
    again = editor.publish()
    assert again.status_code == 400 and "لا تغيير" in again.get_json()["error"]


def test_publish_needs_the_saved_revision(client, store):
    editor = created_editor(client)
    response = editor.post("publish", {"revision": 1})
    assert response.status_code == 409
    assert versions.listing(store, "family_survey") == []
