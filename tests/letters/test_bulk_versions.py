"""Bulk letters read each submission with the version of its form it was filled with.

A form at version 1 names the applicant full_name ("الاسم"); version 2, published in
the editor, renames that question applicant_name ("اسم مقدم الطلب"). One letter per
submission, issued together through the page and through the command line, must
print the first one's name and label as version 1 had them, and the second one's as
version 2 has them, as a letter issued on its own does.
"""

from __future__ import annotations

import copy
import io
import json
import zipfile
from pathlib import Path

import pytest
from docx import Document

from letters import templates
from letters.issue import REGISTER
from submissions import service
from tests.conftest import csrf_token
from tests.letters.test_bulk import docx, text_of, wait_for
from tests.web.editor_helpers import Editor

FORM = {
    "id": "grant",
    "version": 1,
    "ref_prefix": "GR",
    "title": {"ar": "طلب منحة"},
    "sections": [
        {
            "name": "applicant",
            "title": {"ar": "مقدم الطلب"},
            "fields": [
                {"name": "full_name", "type": "text", "label": {"ar": "الاسم"}},
                {"name": "city", "type": "text", "label": {"ar": "المدينة"}},
            ],
        }
    ],
}
LETTER = docx(
    "إلى: {{ beneficiary.name }}",
    "{% for row in answer_rows %}{{ row.label }} = {{ row.value }}؛ {% endfor %}",
)


def version_2() -> dict:
    data = copy.deepcopy(FORM)
    data["sections"][0]["fields"][0] = {
        "name": "applicant_name",
        "type": "text",
        "label": {"ar": "اسم مقدم الطلب"},
    }
    return data


def _filled(app, store, answers: dict) -> dict:
    """Save a submission of the version of the form in use now."""
    form = app.extensions["rifd_forms"].get("grant")
    return service.save(store, form, answers, channel="interview", entered_by="staff")


@pytest.fixture
def submissions(app, client, store):
    """One submission under version 1, then version 2 published in the editor, and one under it."""
    folder = Path(app.config["DATA_DIR"]) / "forms"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "grant.json").write_text(json.dumps(FORM, ensure_ascii=False), encoding="utf-8")
    old = _filled(app, store, {"full_name": "سعد العتيبي", "city": "الأحساء"})
    editor = Editor(client, "grant")
    assert editor.save(version_2(), 0).status_code == 200
    assert editor.publish().get_json()["version"] == 2
    new = _filled(app, store, {"applicant_name": "ليان القحطاني", "city": "المدينة المنورة"})
    assert (old["form_version"], new["form_version"]) == (1, 2)
    templates.add_version(store, "acceptance", LETTER, uploaded_by="staff")
    return old, new


def _letters(store) -> dict[str, str]:
    """Return each issued letter's text by the reference of its submission."""
    return {
        letter["answers"]["ref"]: text_of(store.read_file(letter["sha256"]))
        for letter in store.iter(REGISTER)
    }


def _each_with_its_version(texts: dict[str, str], old: dict, new: dict) -> None:
    assert "إلى: سعد العتيبي" in texts[old["ref"]]
    assert "الاسم = سعد العتيبي" in texts[old["ref"]]
    assert "اسم مقدم الطلب" not in texts[old["ref"]]
    assert "اسم مقدم الطلب = ليان القحطاني" in texts[new["ref"]]
    assert "المدينة = المدينة المنورة" in texts[new["ref"]]


def test_the_bulk_page_issues_each_letter_with_its_submission_s_version(client, store, submissions):
    old, new = submissions
    token = csrf_token(client, "/forms/grant/submissions")
    payload = {
        "csrf_token": token,
        "form_id": "grant",
        "template": "acceptance",
        "scope": "all",
        "output": "zip_docx",
        "confirmed": "2",  # as the confirmation page sends it
    }
    response = client.post("/letters/bulk", data=payload)
    assert response.status_code == 302
    state = wait_for(client, response.headers["Location"] + ".json")
    assert (state["status"], state["issued"], state["errors"]) == ("done", 2, [])
    _each_with_its_version(_letters(store), old, new)
    archive = zipfile.ZipFile(io.BytesIO(client.get(state["download"]).data))
    assert len(archive.namelist()) == 2


def test_the_bulk_command_issues_each_letter_with_its_submission_s_version(
    runner, store, submissions, tmp_path
):
    old, new = submissions
    target = tmp_path / "letters.docx"
    args = ["letters", "bulk", "acceptance", "--form", "grant", "--all", "--merge"]
    result = runner.invoke(args=[*args, "-o", str(target), "--base-url", "http://t"])
    assert result.exit_code == 0, result.output
    assert "issued 2, failed 0" in result.output
    _each_with_its_version(_letters(store), old, new)
    printed = "\n".join(p.text for p in Document(target).paragraphs)
    assert "الاسم = سعد العتيبي" in printed and "اسم مقدم الطلب = ليان القحطاني" in printed
