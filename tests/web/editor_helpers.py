"""What the editor's tests share: a signed-in editor session speaking the editor's JSON."""

from __future__ import annotations

import copy

from tests.conftest import csrf_token


def t(ar: str, en: str = "") -> dict:
    return {"ar": ar, "en": en} if en else {"ar": ar}


SURVEY = {
    "id": "family_survey",
    "version": 1,
    "title": t("استبيان الأسرة", "Family survey"),
    "public": True,
    "sections": [
        {
            "name": "family",
            "title": t("الأسرة"),
            "fields": [
                {
                    "name": "status",
                    "type": "select_one",
                    "label": t("الحالة", "Status"),
                    "required": True,
                    "choices": [
                        {"value": "single", "label": t("أعزب")},
                        {"value": "married", "label": t("متزوج")},
                        {"value": "widowed", "label": t("أرمل")},
                    ],
                },
                {
                    "name": "spouse",
                    "type": "text",
                    "label": t("اسم الزوج"),
                    "visible_if": "status == 'married'",
                },
                {
                    "name": "kids",
                    "type": "repeat",
                    "label": t("الأبناء"),
                    "fields": [
                        {"name": "kid_name", "type": "text", "label": t("الاسم")},
                        {"name": "kid_age", "type": "integer", "label": t("العمر")},
                    ],
                },
            ],
        }
    ],
}


def survey() -> dict:
    return copy.deepcopy(SURVEY)


def nested_survey() -> dict:
    """The survey with repeats inside its repeat: each child's visits, each visit's notes."""
    data = survey()
    kids = data["sections"][0]["fields"][2]
    notes = {
        "name": "visit_notes",
        "type": "repeat",
        "label": t("ملاحظات الزيارة", "Visit notes"),
        "max": 3,
        "fields": [
            # Its own row, the visit's row around it, the child's row, the form.
            {
                "name": "note_text",
                "type": "textarea",
                "label": t("الملاحظة"),
                "visible_if": "visit_kind == 'home' and kid_age < 18 and status != 'single'",
            },
        ],
    }
    visits = {
        "name": "visits",
        "type": "repeat",
        "label": t("الزيارات", "Visits"),
        "count": "kid_age",
        "fields": [
            {"name": "visit_date", "type": "date", "label": t("تاريخ الزيارة"), "required": True},
            {
                "name": "visit_kind",
                "type": "select_one",
                "label": t("نوع الزيارة"),
                "choices": [
                    {"value": "home", "label": t("منزلية")},
                    {"value": "school", "label": t("مدرسية")},
                ],
                "visible_if": "kid_age >= 6",
            },
            notes,
        ],
    }
    kids["fields"].append(visits)
    return data


class Editor:
    """A client with the CSRF token of the editor page, as the editor's script holds it."""

    def __init__(self, client, form_id: str):
        self.client = client
        self.form_id = form_id
        self.token = csrf_token(client, f"/editor/{form_id}")

    def url(self, tail: str) -> str:
        return f"/editor/{self.form_id}/{tail}"

    def post(self, tail: str, body: dict):
        return self.client.post(self.url(tail), json=body, headers={"X-CSRFToken": self.token})

    def state(self) -> dict:
        response = self.client.get(self.url("draft.json"))
        assert response.status_code == 200
        return response.get_json()

    def save(self, definition: dict, revision: int | None = None):
        if revision is None:
            revision = self.state()["revision"]
        return self.post("draft", {"definition": definition, "revision": revision})

    def publish(self):
        return self.post("publish", {"revision": self.state()["revision"]})


def create(client, form_id: str = "family_survey", title: str = "استبيان الأسرة"):
    """Make a new form through the editor's page, as a quality officer does."""
    token = csrf_token(client, "/editor/")
    return client.post(
        "/editor/new", data={"csrf_token": token, "form_id": form_id, "title_ar": title}
    )


def created_editor(client, definition: dict | None = None) -> Editor:
    """Create the survey, save `definition` (the survey by default) as its draft."""
    assert create(client).status_code == 302
    editor = Editor(client, "family_survey")
    response = editor.save(definition or survey())
    assert response.status_code == 200, response.get_data(as_text=True)
    return editor
