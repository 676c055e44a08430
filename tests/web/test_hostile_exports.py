"""Hostile paths and queries, and exports of hostile values: a 404 or a harmless page, never a
file outside the store, and every typed value written to Excel as text."""

import io
import json
import re
import zipfile

import pytest
from openpyxl import load_workbook

from accounts.audit import COLLECTION as AUDIT
from letters.issue import REGISTER
from tests.conftest import csrf_token, post_form
from tests.web.conftest import PDF
from tests.web.test_staff_forms import stored

STAFF = "/forms/intake/new"

# (id, a URL that tries to leave its folder or name something that is not there)
TRAVERSALS = [
    ("file-dotdot", "/forms/intake/submissions/1/files/../../secret_key"),
    ("file-encoded", "/forms/intake/submissions/1/files/..%2F..%2Fsecret_key"),
    ("file-not-hex", "/forms/intake/submissions/1/files/" + "g" * 64),
    ("file-short", "/forms/intake/submissions/1/files/abc"),
    ("proof-encoded", "/cases/1/files/..%2F..%2Fsecret_key"),
    ("file-by-digest-alone", "/files/" + "a" * 64),
    ("form-dotdot-export", "/forms/..%2F..%2Fsecret_key/export.xlsx"),
    ("form-dotdot-list", "/forms/..%2Fusers/submissions"),
    ("form-absolute", "/forms/%2Fetc%2Fpasswd/new"),
    ("template-dotdot", "/letters/templates/..%2F..%2Fsecret_key/1.docx"),
    ("template-preview-dotdot", "/letters/templates/..%2Fusers/1/preview.docx"),
    ("public-dotdot", "/f/..%2Fintake"),
    ("public-staff-form", "/f/intake"),
    ("verify-dotdot", "/verify/..%2F..%2Fsecret_key"),
    ("job-download-other", "/letters/jobs/999/download"),
    ("letter-missing", "/letters/999.docx"),
]


@pytest.mark.parametrize("url", [c[1] for c in TRAVERSALS], ids=[c[0] for c in TRAVERSALS])
def test_a_path_that_tries_to_leave_its_folder_is_a_404(app, client, url):
    secret = (app.config["SECRET_KEY"] or "").encode()
    response = client.get(url)
    assert response.status_code == 404
    assert "الصفحة المطلوبة غير موجودة" in response.get_data(as_text=True)
    assert secret not in response.data and b"password_hash" not in response.data


# (id, what someone types in a search box)
SEARCHES = [
    ("script", "<script>alert(1)</script>"),
    ("sql-or-true", "' OR '1'='1"),
    ("regex-all", ".*"),
    ("template", "{{ 7*7 }}"),
    ("nosql", '{"$gt": ""}'),
    ("long", "ا" * 10_000),
]


@pytest.mark.parametrize("query", [c[1] for c in SEARCHES], ids=[c[0] for c in SEARCHES])
def test_a_hostile_search_matches_nothing_and_is_shown_escaped(client, store, valid_intake, query):
    assert post_form(client, STAFF, valid_intake).status_code == 302
    response = client.get("/forms/intake/submissions", query_string={"q": query})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert stored(store)[0]["ref"] not in page  # no search matches everything
    assert "<script>alert" not in page and ">49<" not in page


@pytest.mark.parametrize(
    "args",
    [
        {"actor": "<script>alert(1)</script>"},
        {"entity": "' OR 1=1 --"},
        {"date_from": "2024-01-01' OR '1'='1", "date_to": "../../"},
        {"page": "-1"},
        {"page": "99999999999999999999999"},
        {"page": "<b>"},
    ],
    ids=["actor-script", "entity-sql", "dates-sql", "page-negative", "page-huge", "page-tag"],
)
def test_hostile_audit_filters_show_a_page(client, args):
    response = client.get("/audit/", query_string=args)
    assert response.status_code == 200
    assert "<script>alert" not in response.get_data(as_text=True)
    assert client.get("/audit/export.xlsx", query_string=args).status_code == 200


FORMULAS = [
    '=HYPERLINK("http://evil.example","اضغط")',
    "+SUM(1,2)",
    "-2+3",
    "@SUM(A1)",
    "=cmd|' /C calc'!A0",
]


def _issue(client, store, data):
    response = post_form(client, STAFF, data)
    page = response.headers["Location"].split("?")[0]
    rid = int(re.search(r"/submissions/(\d+)", page).group(1))
    token = csrf_token(client, page)
    client.post(f"/letters/from/intake/{rid}", data={"csrf_token": token, "template": "acceptance"})


@pytest.mark.parametrize("name", FORMULAS)
def test_the_outgoing_register_writes_a_formula_name_as_text(client, store, valid_intake, name):
    _issue(client, store, {**valid_intake, "full_name": name})
    [letter] = list(store.iter(REGISTER))
    ws = load_workbook(io.BytesIO(client.get("/letters/register.xlsx").data)).active
    [row] = list(ws.iter_rows(min_row=2))
    cell = next(c for c in row if c.value == name)
    assert cell.data_type == "s" and letter["recipient"] == name


@pytest.mark.parametrize("name", FORMULAS[:2])
def test_the_audit_export_writes_a_formula_user_name_as_text(app, anon, client, name):
    token = csrf_token(anon, "/login")
    anon.post("/login", data={"csrf_token": token, "username": name, "password": "x"})
    ws = load_workbook(io.BytesIO(client.get("/audit/export.xlsx").data)).active
    typed = json.dumps({"username": name.lower()}, ensure_ascii=False, separators=(",", ":"))
    [row] = [r for r in ws.iter_rows(min_row=2) if r[-1].value == typed]
    assert all(cell.data_type == "s" for cell in row if cell.value is not None)


def test_an_old_register_record_with_control_characters_still_exports(client, store):
    # Written straight to the store, as a record from before control characters were dropped.
    store.insert(REGISTER, {"number": "1448/1", "recipient": "محمد\x01\x1b", "letter_type": "x"})
    store.insert(AUDIT, {"actor": "old\x07", "action": "x", "entity": "e\x02", "at": ""})
    register = client.get("/letters/register.xlsx")
    assert register.status_code == 200
    ws = load_workbook(io.BytesIO(register.data)).active
    assert "محمد\ufffd\ufffd" in [c.value for c in next(ws.iter_rows(min_row=2))]
    assert client.get("/audit/export.xlsx").status_code == 200


def test_a_persons_export_names_files_by_reference_not_by_upload(client, store, valid_intake):
    data = {**valid_intake, "id_copy": (io.BytesIO(PDF), "../../../etc/passwd.pdf")}
    _issue(client, store, data)
    token = csrf_token(client, "/privacy/")
    response = client.post(
        "/privacy/", data={"csrf_token": token, "national_id": "1000000008", "action": "export"}
    )
    assert response.status_code == 200 and response.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert any(n.startswith("documents/") and n.endswith("/id_copy.pdf") for n in names)
    for name in names:
        assert ".." not in name and not name.startswith("/") and "passwd" not in name
