"""The editor's XLSForm upload, through the pages: a draft, a confirmation, clear refusals.

A quality officer uploads on /editor/; a good spreadsheet becomes the draft of its
form and he lands in the editor on it. A form id that already has a draft or a
form in use asks first, and a published form is never touched. Junk of every kind
is refused with every problem named (row and column), in the page's language, and
nothing is stored.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest

from forms import drafts, versions
from forms.xlsform import export_xlsform
from tests.conftest import csrf_token, sign_in
from tests.forms.test_xlsform_arabic import (
    LAUGHS,
    OUTSIDE,
    SURVEY,
    damaged,
    docx,
    reencoded,
    rezip,
    with_doctype,
    zip_of,
)
from tests.forms.xlsforms.build import workbook
from tests.web.conftest import holdings

FOLDER = Path(__file__).resolve().parents[1] / "forms" / "xlsforms"
SHEET = "xl/worksheets/sheet1.xml"
INDEX = "/editor/"
MB = 1024 * 1024


def fixture(name: str) -> bytes:
    return (FOLDER / f"{name}.xlsx").read_bytes()


def upload(client, data: bytes, name: str = "household_needs.xlsx", token: str | None = None):
    token = csrf_token(client, INDEX) if token is None else token
    payload = {"csrf_token": token, "file": (io.BytesIO(data), name)}
    return client.post("/editor/import", data=payload, content_type="multipart/form-data")


HIDDEN = re.compile(r'<input id="(\w+)" name="\1" type="hidden" value="([^"]*)"')


def confirm(client, page: str, replace: bool = True, **override):
    """Answer the confirmation page with its token and pending import, as the browser does."""
    fields = dict(HIDDEN.findall(page)) | override
    assert set(fields) == {"csrf_token", "pending"}
    if replace:
        fields["replace"] = "y"
    return client.post("/editor/import/confirm", data=fields)


def audits(store, action: str) -> list[dict]:
    return [e for e in store.iter("audit") if e["action"] == action]


def test_a_spreadsheet_becomes_a_draft_and_opens_the_editor(client, store):
    response = upload(client, fixture("household_needs"))
    assert response.status_code == 302
    assert response.headers["Location"] == "/editor/household_needs"
    expected = json.loads((FOLDER / "household_needs.json").read_text(encoding="utf-8"))
    draft = drafts.get(store, "household_needs")
    assert draft["definition"] == expected
    state = client.get("/editor/household_needs/draft.json").get_json()
    assert state["definition"]["sections"] == expected["sections"] and state["problems"] == []
    # Never published by an upload: no version, nothing new submissions could use.
    assert versions.listing(store, "household_needs") == []
    assert client.get("/forms/household_needs/new").status_code == 404
    (entry,) = audits(store, "import")
    assert (entry["entity"], entry["entity_id"], entry["actor"]) == (
        "form_draft",
        "household_needs",
        "staff",
    )
    fields = sum(len(s["fields"]) for s in expected["sections"])
    assert entry["after"] == {"source": "household_needs.xlsx", "revision": 1, "fields": fields}


def test_an_existing_draft_is_replaced_only_once_confirmed(client, store):
    assert upload(client, fixture("household_needs")).status_code == 302
    before = drafts.get(store, "household_needs")
    again = upload(client, fixture("household_needs"))
    assert again.status_code == 200
    page = again.get_data(as_text=True)
    assert "لهذا النموذج مسودة لم تُنشر" in page and 'name="replace"' in page
    assert drafts.get(store, "household_needs") == before

    unticked = confirm(client, page, replace=False)
    assert unticked.status_code == 400
    assert "ضع علامة في المربع" in unticked.get_data(as_text=True)
    assert drafts.get(store, "household_needs") == before

    done = confirm(client, page)
    assert done.status_code == 302 and done.headers["Location"] == "/editor/household_needs"
    assert drafts.get(store, "household_needs")["revision"] == before["revision"] + 1
    assert audits(store, "import")[-1]["before"] == {"revision": before["revision"]}


def test_a_draft_saved_meanwhile_is_not_replaced_without_asking_again(client, store):
    upload(client, fixture("household_needs"))
    page = upload(client, fixture("household_needs")).get_data(as_text=True)
    draft = drafts.get(store, "household_needs")
    drafts.save(
        store,
        "household_needs",
        draft["definition"],
        by="sara",
        revision=draft["revision"],
        based_on=None,
    )
    saved = drafts.get(store, "household_needs")
    response = confirm(client, page)
    assert response.status_code == 409
    assert "تغيّرت مسودة هذا النموذج" in response.get_data(as_text=True)
    assert drafts.get(store, "household_needs") == saved


def test_a_published_form_is_never_touched_only_a_draft_is_started(app, client, store):
    catalog = app.extensions["rifd_forms"]
    in_use = catalog.get("support_request")
    sheet = export_xlsform(in_use)
    page = upload(client, sheet, "support_request.xlsx").get_data(as_text=True)
    assert f"لهذا المعرّف نموذج منشور (الإصدار {in_use.version})" in page
    assert drafts.get(store, "support_request") is None
    assert confirm(client, page).status_code == 302
    assert catalog.get("support_request").data == in_use.data
    assert drafts.get(store, "support_request")["definition"]["id"] == "support_request"
    assert [r["source"] for r in versions.listing(store, "support_request")] in ([], ["file"])


def test_a_tampered_or_foreign_confirmation_is_refused(app, client, store):
    upload(client, fixture("household_needs"))
    page = upload(client, fixture("household_needs")).get_data(as_text=True)
    pending = dict(HIDDEN.findall(page))["pending"]
    before = drafts.get(store, "household_needs")
    tampered = confirm(client, page, pending=pending[:-3] + "abc")
    assert tampered.status_code == 400
    assert "انتهت صلاحية صفحة التأكيد" in tampered.get_data(as_text=True)
    # Another quality officer cannot confirm what this one uploaded.
    other = app.test_client()
    sign_in(other, app, "huda", ["quality_officer"])
    foreign = confirm(other, page, csrf_token=csrf_token(other, INDEX))
    assert foreign.status_code == 400
    assert drafts.get(store, "household_needs") == before
    assert len(audits(store, "import")) == 1


def _bomb_like() -> bytes:
    """A real XLSForm whose survey sheet is padded with megabytes of nothing."""

    def pad(name: str, body: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return body
        return body.replace(b"</sheetData>", b"</sheetData>" + b" " * (30 * MB))

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(fixture("household_needs"))) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            dst.writestr(info.filename, pad(info.filename, src.read(info.filename)))
    return out.getvalue()


JUNK = [
    ("not-a-zip", b"type,name,label\ntext,a,b\n", "ليس مصنف Excel بصيغة", 400),
    # Built when the test runs, not when every worker collects.
    ("zip-bomb-like", _bomb_like, "ينفك إلى أكبر بكثير من أي XLSForm", 400),
    ("old-xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "مصنف Excel قديم", 400),
    ("empty", b"", "الملف فارغ", 400),
    ("huge", lambda: b"PK\x03\x04" + bytes(5 * MB + 10), "حجم الملف أكبر من ٥ ميغابايت", 413),
    ("docx-renamed", docx(), "مستند Word", 400),
    ("damaged-zip", damaged(), "الملف المضغوط تالف", 400),
    ("zip-of-text", zip_of({"a.txt": b"x"}), "لا يحوي مصنفًا", 400),
    ("no-survey", workbook({"Sheet1": [["a"]]}), "ليس فيه ورقة «survey»", 400),
    # A sheet declaring entities gave a 500 (openpyxl's defusedxml raised inside it).
    (
        "billion-laughs",
        with_doctype(workbook(SURVEY), SHEET),
        f"يعرّف كيانات XML في {SHEET}",
        400,
    ),
    (
        "external-entity",
        with_doctype(workbook(SURVEY), SHEET, OUTSIDE, b"&secret;"),
        f"يعرّف كيانات XML في {SHEET}",
        400,
    ),
    (
        "entity-in-workbook",
        with_doctype(workbook(SURVEY), "xl/workbook.xml", use=b""),
        "يعرّف كيانات XML في xl/workbook.xml",
        400,
    ),
    (
        "utf16-laughs",
        reencoded(workbook(SURVEY), SHEET, "utf-16", LAUGHS),
        f"يعرّف كيانات XML في {SHEET}",
        400,
    ),
    (
        "damaged-sheet",
        rezip(workbook(SURVEY), lambda name, body: body[:300] if name == SHEET else body),
        "مصنف \u200e.xlsx لا يمكن قراءته (ParseError)",
        400,
    ),
    ("utf7-sheet", reencoded(workbook(SURVEY), SHEET, "utf-7"), "بترميز لا يقرؤه رِفد", 400),
]


@pytest.mark.parametrize(
    ("content", "message", "status"), [j[1:] for j in JUNK], ids=[j[0] for j in JUNK]
)
def test_junk_is_refused_clearly_and_stores_nothing(app, client, content, message, status):
    before = holdings(app)
    response = upload(client, content() if callable(content) else content, "form.xlsx")
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert message in page and "Traceback" not in page
    assert holdings(app) == before


def test_a_huge_body_is_refused_from_its_length_before_it_is_read(app, client):
    class Unread(io.BytesIO):
        """A body (said to be 20 MB long) that fails the test if anything reads it."""

        def read(self, *_args):
            raise AssertionError("the body was read")

        readline = readinto = read

    token = csrf_token(client, INDEX)
    response = client.post(
        "/editor/import",
        input_stream=Unread(),
        environ_overrides={"CONTENT_LENGTH": str(20 * MB)},
        content_type="multipart/form-data; boundary=x",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 413
    assert "حجم الملف أكبر من ٥ ميغابايت" in response.get_data(as_text=True)


def test_no_file_or_no_token_is_refused(app, client):
    before = holdings(app)
    token = csrf_token(client, INDEX)
    none = client.post(
        "/editor/import", data={"csrf_token": token}, content_type="multipart/form-data"
    )
    assert none.status_code == 400 and "اختر ملف XLSForm" in none.get_data(as_text=True)
    forged = upload(client, fixture("household_needs"), token="not-a-token")
    assert forged.status_code == 400
    assert "انتهت صلاحية الصفحة" in forged.get_data(as_text=True)
    assert holdings(app) == before


def test_every_problem_in_arabic_then_in_english_with_its_row_and_column(app, client):
    before = holdings(app)
    arabic = upload(client, fixture("follow_up_unsupported"), "follow_up.xlsx")
    # Nothing can be represented in part silently: the officer is asked, with the list.
    assert arabic.status_code == 200
    page = arabic.get_data(as_text=True)
    assert page.count('<li dir="auto">follow_up.xlsx: ') == 12
    assert (
        "follow_up.xlsx: الورقة survey، الصف 8، العمود relevant: رِفد لا يدعم الدالة coalesce()"
        " (تُرك: الخلية (cell))" in page
    )
    assert "الصف 11، العمود relevant: لا يوجد حقل «${nmae}» (هل تقصد «${name}»؟)" in page
    assert "الصف 7، العمود label::Arabic (ar)" in page and "(تُرك: الصف (row))" in page
    assert "is not supported" not in page
    assert "رفض الملف" in page

    client.get("/lang/en")
    english = upload(client, fixture("follow_up_unsupported"), "follow_up.xlsx")
    page = english.get_data(as_text=True)
    assert page.count('<li dir="auto">follow_up.xlsx: ') == 12
    assert (
        "follow_up.xlsx: survey row 8, column relevant: the function coalesce() is not"
        " supported by Rifd (skipped: the cell)" in page
    )
    assert holdings(app) == before  # asked, not stored


def test_import_without_the_listed_items_writes_them_on_the_draft(app, client, store):
    asked = upload(client, fixture("field_visit_unsupported"), "visit.xlsx")
    page = asked.get_data(as_text=True)
    assert "الورقة survey، الصف 3، العمود type" in page
    form_id = re.search(r'<code dir="ltr">(\w+)</code>', page)[1]
    # Without the tick, nothing is imported.
    unticked = confirm(client, page, replace=False)
    assert unticked.status_code == 400
    assert drafts.get(store, form_id) is None
    done = confirm(client, page)
    assert done.headers["Location"] == f"/editor/{form_id}"
    draft = drafts.get(store, form_id)
    names = [f["name"] for s in draft["definition"]["sections"] for f in s["fields"]]
    assert names == ["visitor", "visit_video", "voice_note", "id_number", "rooms"]
    notes = draft["import_notes"]
    assert len(notes) == 7
    assert notes[0]["en"].startswith("visit.xlsx: survey row 3, column type:")
    assert notes[0]["ar"].startswith("visit.xlsx: الورقة survey، الصف 3، العمود type:")
    (entry,) = audits(store, "import")
    assert entry["after"]["skipped"] == 7
    editor = client.get(f"/editor/{form_id}").get_data(as_text=True)
    assert 'id="import-notes"' in editor
    assert notes[0]["ar"].replace('"', "&#34;") in editor


def test_a_clean_import_clears_the_notes_of_the_draft_it_replaces(client, store):
    data = workbook(
        {
            "survey": [
                ["type", "name", "label::Arabic (ar)", "appearance"],
                ["text", "a", "أ", "url"],
                ["text", "b", "ب"],
            ],
            "settings": [["form_id", "form_title"], ["notes_form", "نموذج"]],
        }
    )
    confirm(client, upload(client, data, "n.xlsx").get_data(as_text=True))
    assert len(drafts.get(store, "notes_form")["import_notes"]) == 1
    clean = workbook(
        {
            "survey": [["type", "name", "label::Arabic (ar)"], ["text", "a", "أ"]],
            "settings": [["form_id", "form_title"], ["notes_form", "نموذج"]],
        }
    )
    confirm(client, upload(client, clean, "n.xlsx").get_data(as_text=True))
    assert drafts.get(store, "notes_form")["import_notes"] == []
    editor = client.get("/editor/notes_form").get_data(as_text=True)
    assert 'id="import-notes"' not in editor


@pytest.mark.parametrize("roles", [["intake"], ["viewer"], ["admin"]])
def test_only_quality_officers_upload_confirm_and_download(app, roles):
    other = app.test_client()
    sign_in(other, app, "someone", roles)
    for method, path in [
        ("POST", "/editor/import"),
        ("POST", "/editor/import/confirm"),
        ("GET", "/editor/support_request/xlsform.xlsx"),
    ]:
        assert other.open(path, method=method).status_code == 403, (roles, path)
    assert app.test_client().post("/editor/import").status_code in (302, 401)
