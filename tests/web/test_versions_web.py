"""Submissions keep the version they were filled with, through the pages and the export."""

import copy
import io
import json
from pathlib import Path

from openpyxl import load_workbook

from forms import versions
from privacy.export import workbook
from privacy.person import find_person
from submissions import service
from tests.conftest import post_form
from tests.web.conftest import INTAKE

URL = "/forms/intake/new"


def rewrite(app, definition: dict) -> None:
    path = Path(app.config["DATA_DIR"]) / "forms" / "intake.json"
    path.write_text(json.dumps(definition, ensure_ascii=False), encoding="utf-8")


def edited_intake() -> dict:
    """The intake form with its name relabelled and its income question removed."""
    data = copy.deepcopy(INTAKE)
    fields = data["sections"][0]["fields"]
    fields[0]["label"] = {"ar": "الاسم الرباعي", "en": "Full name"}
    data["sections"][0]["fields"] = [f for f in fields if f["name"] != "income"]
    return data


def test_a_file_edited_later_relabels_no_old_submission(app, client, store, valid_intake):
    assert post_form(client, URL, valid_intake).status_code == 302
    rewrite(app, edited_intake())  # same version number, other content
    second = dict(valid_intake, full_name="سالم", income="")
    assert post_form(client, URL, second).status_code == 302

    first, latest = store.iter(service.collection("intake"))
    assert first["form_version"] == 3 and latest["form_version"] == 4
    assert [r["version"] for r in versions.listing(store, "intake")] == [3, 4]

    old_page = client.get(f"/forms/intake/submissions/{first['id']}").get_data(as_text=True)
    new_page = client.get(f"/forms/intake/submissions/{latest['id']}").get_data(as_text=True)
    assert "الاسم الرباعي" not in old_page and "الدخل" in old_page
    assert "الاسم الرباعي" in new_page


def test_the_export_keeps_a_removed_field_with_its_old_label(app, client, store, valid_intake):
    assert post_form(client, URL, valid_intake).status_code == 302
    rewrite(app, edited_intake())
    assert post_form(client, URL, dict(valid_intake, full_name="سالم")).status_code == 302

    response = client.get("/forms/intake/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    # The current label heads the column; the removed field follows the current ones.
    assert "الاسم الرباعي" in header and "الاسم" not in header
    assert header.index("الدخل") > header.index("التوقيع")
    by_ref = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    old, new = (by_ref[r["ref"]] for r in store.iter(service.collection("intake")))
    assert old["الدخل"] == 3500.5 and old["إصدار النموذج"] == 3
    assert new["الدخل"] is None and new["إصدار النموذج"] == 4
    assert old["إجابات خارج النموذج"] is None  # nothing of the old answers fell out


def test_old_choice_labels_stay_in_the_export(app, client, store, valid_intake):
    data = copy.deepcopy(INTAKE)
    data["sections"][0]["fields"].append(
        {
            "name": "housing",
            "type": "select_one",
            "label": {"ar": "السكن"},
            "choices": [{"value": "rent", "label": {"ar": "إيجار"}}],
        }
    )
    rewrite(app, data)
    assert post_form(client, URL, dict(valid_intake, housing="rent")).status_code == 302
    data["sections"][0]["fields"][-1]["choices"][0]["label"] = {"ar": "مستأجر"}
    rewrite(app, data)
    assert post_form(client, URL, dict(valid_intake, housing="rent")).status_code == 302

    sheet = load_workbook(io.BytesIO(client.get("/forms/intake/export.xlsx").data)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("السكن")
    assert [row[column] for row in rows[1:]] == ["إيجار", "مستأجر"]


def test_the_command_line_export_reads_each_version(app, client, runner, valid_intake, tmp_path):
    assert post_form(client, URL, valid_intake).status_code == 302
    rewrite(app, edited_intake())
    out = tmp_path / "out.xlsx"
    result = runner.invoke(args=["submissions", "export", "intake", "-o", str(out)])
    assert result.exit_code == 0, result.output
    header = [c.value for c in load_workbook(out).worksheets[0][1]]
    assert "الدخل" in header and "الاسم الرباعي" in header


def test_a_person_is_found_by_an_id_field_a_later_version_renamed(app, client, store, valid_intake):
    assert post_form(client, URL, valid_intake).status_code == 302
    data = copy.deepcopy(INTAKE)
    data["sections"][0]["fields"][1]["name"] = "id_number"
    rewrite(app, data)
    again = dict(valid_intake, id_number=valid_intake["national_id"])
    del again["national_id"]
    assert post_form(client, URL, again).status_code == 302
    person = find_person(store, app.extensions["rifd_forms"], "1000000008")
    found = {record["form_version"]: form for form, record in person.submissions}
    assert set(found) == {3, 4}
    assert found[3].field("national_id") and found[4].field("id_number")
    book = load_workbook(io.BytesIO(workbook(person)))
    header = [c.value for c in book.worksheets[0][1]]
    assert "إجابات خارج النموذج" in header
    rows = list(book.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert all(row[header.index("إجابات خارج النموذج")] is None for row in rows)
