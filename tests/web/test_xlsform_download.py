"""A form in use downloaded as XLSForm from the editor, and from the command line.

Both give the version new submissions use now: after the editor publishes version
2, the download and `flask forms export-xlsform` hold version 2, and the file
imports back to that very definition.
"""

from __future__ import annotations

import copy
import io

from openpyxl import load_workbook

from forms.xlsform import import_xlsform
from tests.conftest import sign_in
from tests.web.conftest import INTAKE
from tests.web.editor_helpers import Editor, create


def version_2() -> dict:
    data = copy.deepcopy(INTAKE)
    data["sections"][0]["fields"][0]["label"] = {"ar": "الاسم الرباعي", "en": "Full name"}
    data["sections"][0]["fields"].insert(
        1, {"name": "district", "type": "text", "label": {"ar": "الحي", "en": "District"}}
    )
    return data


def questions(definition: dict) -> list[tuple]:
    """Return each question's name and label, section by section: what a round trip keeps."""
    return [(f["name"], f["label"]) for s in definition["sections"] for f in s["fields"]]


def publish_version_2(client) -> None:
    editor = Editor(client, "intake")
    assert editor.save(version_2(), 0).status_code == 200
    assert editor.publish().get_json()["version"] == 4  # the file is version 3


def test_the_editor_lists_a_download_for_each_form_in_use_only(client):
    create(client, "draft_only", "مسودة فقط")
    page = client.get("/editor/").get_data(as_text=True)
    assert 'href="/editor/intake/xlsform.xlsx"' in page
    assert 'href="/editor/support_request/xlsform.xlsx"' in page
    assert "/editor/draft_only/xlsform.xlsx" not in page
    assert client.get("/editor/draft_only/xlsform.xlsx").status_code == 404
    assert client.get("/editor/nothing_here/xlsform.xlsx").status_code == 404


def test_the_download_is_the_published_version_and_imports_back(app, client, store):
    publish_version_2(client)
    response = client.get("/editor/intake/xlsform.xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "intake-v4.xlsx" in response.headers["Content-Disposition"]
    in_use = app.extensions["rifd_forms"].get("intake")
    back = import_xlsform(response.data, "intake.xlsx")
    assert back["version"] == in_use.version == 4
    assert questions(back) == questions(in_use.data) == questions(dict(version_2()))
    (entry,) = [e for e in store.iter("audit") if e["action"] == "export"]
    assert (entry["entity"], entry["entity_id"]) == ("form", "intake")
    assert entry["after"] == {"version": 4, "format": "xlsform"}


def test_a_quality_officer_downloads_with_his_own_role(app):
    officer = app.test_client()
    sign_in(officer, app, "huda", ["quality_officer"])
    response = officer.get("/editor/support_request/xlsform.xlsx")
    assert response.status_code == 200
    sheets = load_workbook(io.BytesIO(response.data)).sheetnames
    assert sheets == ["survey", "choices", "settings"]


def test_the_command_exports_the_version_published_in_the_editor(app, client, runner, tmp_path):
    out = tmp_path / "intake.xlsx"
    before = runner.invoke(args=["forms", "export-xlsform", "intake", "-o", str(out)])
    assert before.exit_code == 0 and "version 3" in before.output
    publish_version_2(client)
    result = runner.invoke(args=["forms", "export-xlsform", "intake", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "(intake, version 4)" in result.output
    back = import_xlsform(out.read_bytes(), "intake.xlsx")
    assert back["version"] == 4
    assert questions(back) == questions(app.extensions["rifd_forms"].get("intake").data)
    assert back["sections"][0]["fields"][1]["name"] == "district"


def test_the_command_says_so_when_the_file_cannot_be_written(runner, tmp_path):
    target = tmp_path / "missing-folder" / "intake.xlsx"
    result = runner.invoke(args=["forms", "export-xlsform", "intake", "-o", str(target)])
    assert result.exit_code == 1
    assert "intake.xlsx: cannot be written" in result.output
    assert "Traceback" not in result.output
