"""Hostile uploads: attachments judged by content, never by name; names never reach the
file system; letter templates that try to escape the sandbox or exhaust the server."""

import io
import re
import time
import zipfile
from pathlib import Path

import pytest

from letters.issue import REGISTER
from tests.conftest import csrf_token, post_form
from tests.forms.test_xlsform_arabic import LAUGHS, OUTSIDE, reencoded, with_doctype
from tests.letters.test_lint import docx_bytes, repack
from tests.web.conftest import PDF, PNG, holdings
from tests.web.test_staff_forms import stored

STAFF = "/forms/intake/new"
TEMPLATES = "/letters/templates/"
FILE_TYPE = "نوع الملف غير مسموح"
MB = 1024 * 1024
DOCUMENT, CORE = "word/document.xml", "docProps/core.xml"
ENTITIES = "الجزء word/document.xml يعرّف كيانات XML"


def _zip(members: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, body in members.items():
            zf.writestr(name, body)
    return out.getvalue()


# (id, file content, name the browser sends, message on the page)
REFUSED_ATTACHMENTS = [
    ("exe-named-pdf", b"MZ\x90\x00\x03" + bytes(200), "id.pdf", FILE_TYPE),
    ("html-named-png", b"<html><script>alert(1)</script></html>", "id.png", FILE_TYPE),
    (
        "svg-named-png",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "x.png",
        FILE_TYPE,
    ),
    ("php-double-extension", b"<?php system($_GET['c']); ?>", "shell.php.png", FILE_TYPE),
    ("zip-named-pdf", _zip({"a.txt": b"x"}), "id.pdf", FILE_TYPE),
    ("gif-not-allowed", b"GIF89a\x01\x00\x01\x00\x80\x00\x00" + bytes(40), "id.gif", FILE_TYPE),
    ("text-named-jpg", b"just some text", "id.jpg", FILE_TYPE),
    ("empty-file", b"", "id.pdf", FILE_TYPE),
    ("oversized-pdf", PDF + bytes(5 * MB), "id.pdf", "حجم الملف أكبر من 5"),
]


@pytest.mark.parametrize(
    "content, name, shown",
    [c[1:] for c in REFUSED_ATTACHMENTS],
    ids=[c[0] for c in REFUSED_ATTACHMENTS],
)
def test_an_attachment_is_judged_by_its_content(app, client, valid_intake, content, name, shown):
    before = holdings(app)
    response = post_form(client, STAFF, {**valid_intake, "id_copy": (io.BytesIO(content), name)})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and shown in page
    assert holdings(app) == before  # neither the record nor the file


# (id, name the browser sends with a real PDF)
HOSTILE_NAMES = [
    ("traversal", "../../../../etc/passwd.pdf"),
    ("absolute", "/etc/cron.d/rifd.pdf"),
    ("windows-traversal", "..\\..\\windows\\win.ini.pdf"),
    ("null-byte", "id.pdf\x00.exe"),
    ("script", "<script>alert(1)</script>.pdf"),
    ("very-long", "ا" * 3000 + ".pdf"),
    ("dot-files", "..pdf"),
]


@pytest.mark.parametrize("name", [c[1] for c in HOSTILE_NAMES], ids=[c[0] for c in HOSTILE_NAMES])
def test_a_file_name_never_reaches_the_file_system(app, client, store, valid_intake, name):
    response = post_form(client, STAFF, {**valid_intake, "id_copy": (io.BytesIO(PDF), name)})
    assert response.status_code == 302
    [record] = stored(store)
    ref = record["answers"]["id_copy"]
    assert ref["type"] == "pdf" and len(ref["name"]) <= 120
    assert not re.search(r"[/\\\x00<>]", ref["name"]) and ".." not in ref["name"].strip(".")
    root = Path(app.config["DATA_DIR"])
    blob = store.file_path(ref["sha256"])
    assert blob.read_bytes() == PDF
    for path in root.parent.rglob("*"):  # nothing named after the upload, anywhere
        assert not re.search(r"passwd|cron|win\.ini|script|\.exe", path.name), path
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<script>alert" not in page


def test_a_png_named_exe_is_stored_as_png_and_served_as_one(client, store, valid_intake):
    data = {**valid_intake, "id_copy": (io.BytesIO(PNG + bytes(60)), "photo.exe")}
    assert post_form(client, STAFF, data).status_code == 302
    [record] = stored(store)
    ref = record["answers"]["id_copy"]
    assert ref["type"] == "png"
    served = client.get(f"/forms/intake/submissions/{record['id']}/files/{ref['sha256']}")
    assert served.mimetype == "image/png" and served.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("kind", ["html", "svg", "js", "../../x"])
def test_a_stored_file_is_never_served_as_a_page(client, store, valid_intake, kind):
    assert post_form(client, STAFF, {**valid_intake, "id_copy": (io.BytesIO(PDF), "a.pdf")})
    [record] = stored(store)
    digest = record["answers"]["id_copy"]["sha256"]
    address = f"/forms/intake/submissions/{record['id']}/files/{digest}"
    # The type comes from what the upload was found to be, not from the address.
    served = client.get(address, query_string={"type": kind})
    assert served.status_code == 200 and served.mimetype == "application/pdf"
    # A reference naming any other type (an older record, a hand-edited one): bytes to save.
    answers = {**record["answers"], "id_copy": {**record["answers"]["id_copy"], "type": kind}}
    store.update("submissions/intake", record["id"], {"answers": answers})
    served = client.get(address)
    assert served.status_code == 200
    assert served.mimetype == "application/octet-stream"
    assert served.headers["Content-Disposition"].startswith("attachment")


# --- letter templates -----------------------------------------------------------------

# (id, template name, file bytes, message on the page)
REFUSED_TEMPLATES = [
    ("not-a-zip", "letter", b"just text", "ليس مستند Word"),
    ("pdf-named-docx", "letter", PDF, "ليس مستند Word"),
    ("python-internals", "letter", docx_bytes("{{ ''.__class__.__mro__ }}"), "ممنوع"),
    ("globals", "letter", docx_bytes("{{ letter.__init__.__globals__ }}"), "ممنوع"),
    ("include-file", "letter", docx_bytes("{% include '/etc/passwd' %}"), "لا يجوز"),
    ("import", "letter", docx_bytes("{% import 'os' as os %}"), "لا يجوز"),
    ("extends", "letter", docx_bytes("{% extends '../../app.py' %}"), "لا يجوز"),
    ("syntax-error", "letter", docx_bytes("{{ beneficiary.name "), "خطأ في صياغة القالب"),
    ("unknown-name", "letter", docx_bytes("{{ config.SECRET_KEY }}"), "عنصر غير معروف"),
    (
        "macros",
        "letter",
        lambda: repack(docx_bytes("x"), extra={"word/vbaProject.bin": b"\x00" * 64}),
        "وحدات ماكرو",
    ),
    (
        "zip-bomb",
        "letter",
        # Built when the test runs, not when every worker collects (60 MB to compress).
        lambda: repack(docx_bytes("x"), extra={"word/media/big.bin": bytes(60 * MB)}),
        "ينفك إلى حجم",
    ),
    ("too-large", "letter", lambda: bytes(6 * MB), "أكبر من 5"),
    # Accepted at upload before, to fail at preview: refused before any parser reads them.
    ("billion-laughs", "letter", with_doctype(docx_bytes("x"), DOCUMENT, text=b"<w:t>"), ENTITIES),
    (
        "external-entity",
        "letter",
        with_doctype(docx_bytes("x"), DOCUMENT, OUTSIDE, b"&secret;", text=b"<w:t>"),
        ENTITIES,
    ),
    ("entity-in-properties", "letter", with_doctype(docx_bytes("x"), CORE, use=b""), CORE),
    ("utf16-laughs", "letter", reencoded(docx_bytes("x"), DOCUMENT, "utf-16", LAUGHS), ENTITIES),
    ("utf7-document", "letter", reencoded(docx_bytes("x"), DOCUMENT, "utf-7"), "بترميز لا يقرؤه"),
    ("name-traversal", "../../etc/x", docx_bytes("x"), "اسم النموذج"),
    ("name-script", "<script>alert(1)</script>", docx_bytes("x"), "اسم النموذج"),
    ("name-sql", "x'; DROP TABLE letter_templates;--", docx_bytes("x"), "اسم النموذج"),
    ("name-template", "{{7*7}}", docx_bytes("x"), "اسم النموذج"),
]


@pytest.mark.parametrize(
    "name, content, shown",
    [c[1:] for c in REFUSED_TEMPLATES],
    ids=[c[0] for c in REFUSED_TEMPLATES],
)
def test_a_hostile_template_is_refused_before_it_is_stored(app, client, name, content, shown):
    before = holdings(app)
    content = content() if callable(content) else content
    upload = {"name": name, "form_id": "", "file": (io.BytesIO(content), "t.docx")}
    response = post_form(client, TEMPLATES, upload)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and shown in page
    assert "<script>alert" not in page
    assert holdings(app) == before


def test_a_template_upload_without_a_token_stores_nothing(app, client):
    before = holdings(app)
    upload = {"name": "letter", "file": (io.BytesIO(docx_bytes("x")), "t.docx")}
    response = client.post(TEMPLATES, data=upload, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "انتهت صلاحية الصفحة" in response.get_data(as_text=True)
    assert holdings(app) == before


# (id, a placeholder that passes the checks but must not run away when filled)
RUNAWAY = [
    ("repeat-text", "{{ letter.number * 1000000000 }}"),
    ("repeat-list", "{{ (letter.number|list) * 100000000 }}"),
    ("power", "{{ letter.attachments|length ** 999999 }}"),
    ("attr-filter", "{{ beneficiary.name|attr('__class__') }}"),
    ("huge-range", "{% for i in range(999999999) %}x{% endfor %}"),
]


@pytest.mark.parametrize("text", [c[1] for c in RUNAWAY], ids=[c[0] for c in RUNAWAY])
def test_a_runaway_template_issues_nothing_and_says_why(client, store, valid_intake, text):
    upload = {"name": "runaway", "form_id": "", "file": (io.BytesIO(docx_bytes(text)), "t.docx")}
    assert post_form(client, TEMPLATES, upload).status_code == 302
    response = post_form(client, STAFF, valid_intake)
    page = response.headers["Location"].split("?")[0]
    rid = stored(store)[0]["id"]
    started = time.monotonic()
    issued = client.post(
        f"/letters/from/intake/{rid}",
        data={"csrf_token": csrf_token(client, page), "template": "runaway"},
    )
    assert time.monotonic() - started < 10  # refused, not computed (a generous bound)
    assert issued.status_code == 302 and issued.headers["Location"] == page
    assert "لم يصدر الخطاب ولم يُستخدم رقم" in client.get(page).get_data(as_text=True)
    assert list(store.iter(REGISTER)) == []
    preview = client.get("/letters/templates/runaway/1/preview.docx")
    assert preview.status_code == 302


# --- the public check of a letter -----------------------------------------------------


@pytest.fixture
def issued_code(client, store, valid_intake):
    response = post_form(client, STAFF, valid_intake)
    page = response.headers["Location"].split("?")[0]
    rid = stored(store)[0]["id"]
    token = csrf_token(client, page)
    client.post(f"/letters/from/intake/{rid}", data={"csrf_token": token, "template": "acceptance"})
    [letter] = list(store.iter(REGISTER))
    return letter["code"]


@pytest.mark.parametrize(
    "content",
    [bytes(10 * MB + 1), b"<script>alert(1)</script>", _zip({"../../x": b"x"})],
    ids=["oversized", "script", "traversal-zip"],
)
def test_checking_a_letter_with_a_hostile_file_says_not_genuine(app, anon, issued_code, content):
    url = f"/verify/{issued_code}"
    before = holdings(app)
    response = post_form(anon, url, {"file": (io.BytesIO(content), "../../letter.docx")})
    assert response.status_code == 200
    assert "<script>alert" not in response.get_data(as_text=True)
    assert holdings(app) == before
