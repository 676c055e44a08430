"""A public form takes no more than a valid answer weighs, and shows back no more than a
field takes.

A 10 MB answer posted to a public form came back as a 10 MB page: a urlencoded body
was held only by the 40 MB limit of the whole site, and the refused page echoed it.
"""

import base64
import io
import json
from pathlib import Path

import pytest

from app import create_app
from tests.conftest import csrf_token, post_form
from tests.web.conftest import PDF, PNG, holdings, t
from tests.web.test_staff_forms import stored

PUBLIC = "/f/quick_survey"
UPLOADS = "/f/public_upload"
URLENCODED = "application/x-www-form-urlencoded"
MB = 1024 * 1024
TOO_LARGE = "حجم ما أرسلته أكبر من المسموح لهذا النموذج"
SIGNATURE = "data:image/png;base64," + base64.b64encode(PNG).decode()

UPLOAD_FORM = {
    "id": "public_upload",
    "version": 1,
    "public": True,
    "ref_prefix": "PU",
    "title": t("طلب عام", "Public request"),
    "sections": [
        {
            "name": "s",
            "title": t("البيانات", "Details"),
            "fields": [
                {
                    "name": "name",
                    "type": "text",
                    "label": t("الاسم", "Name"),
                    "required": True,
                    "constraints": {"max_length": 20},
                },
                {
                    "name": "id_copy",
                    "type": "file",
                    "label": t("صورة الهوية", "ID copy"),
                    "max_size_mb": 2,
                },
                {"name": "sign", "type": "signature", "label": t("التوقيع", "Signature")},
            ],
        }
    ],
}


@pytest.fixture(autouse=True)
def upload_form(app):
    app.config["RATE_LIMIT_PUBLIC"] = ()  # many posts from one address in these tests
    path = Path(app.config["DATA_DIR"]) / "forms" / "public_upload.json"
    path.write_text(json.dumps(UPLOAD_FORM, ensure_ascii=False), encoding="utf-8")


def urlencoded(person, url: str, data: dict):
    """POST `data` as a browser sends a form without files, with the page's token."""
    payload = {"csrf_token": csrf_token(person, url), **data}
    return person.post(url, data=payload, content_type=URLENCODED)


@pytest.mark.parametrize("ctype", [URLENCODED, "multipart/form-data"])
def test_a_ten_megabyte_answer_gets_a_short_413_page_in_arabic(app, anon, ctype):
    before = holdings(app)
    data = {"overall": "4", "comment": "x" * (10 * MB)}
    response = anon.post(PUBLIC, data=data, content_type=ctype)
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert TOO_LARGE in page and 'href="/f/quick_survey"' in page  # back to the form
    assert len(response.data) < 20_000
    assert holdings(app) == before


def test_the_longest_answers_a_field_takes_still_go_through(app, anon, store):
    # 5,000 Arabic letters, the textarea's limit: 30 KB once urlencoded.
    response = urlencoded(anon, PUBLIC, {"overall": "5", "comment": "ع" * 5000})
    assert response.status_code == 302
    assert stored(store, "quick_survey")[0]["answers"]["comment"] == "ع" * 5000


def test_a_form_with_uploads_takes_its_files_and_no_more(app, anon, store):
    # Far beyond the text allowance, within what the form's file and signature allow.
    pdf = PDF + b"0" * (2 * MB - len(PDF))
    data = {"name": "سارة", "id_copy": (io.BytesIO(pdf), "id.pdf"), "sign": SIGNATURE}
    assert post_form(anon, UPLOADS, data).status_code == 302
    assert stored(store, "public_upload")[0]["answers"]["id_copy"]["size"] == 2 * MB
    # A little over the file's limit: the field says so, the page comes back.
    over = {**data, "id_copy": (io.BytesIO(pdf + b"0" * 1024), "id.pdf")}
    response = post_form(anon, UPLOADS, over)
    assert response.status_code == 400
    assert "حجم الملف أكبر من 2 ميجابايت" in response.get_data(as_text=True)
    # Far over everything the form allows: refused before it is read.
    huge = {**data, "id_copy": (io.BytesIO(pdf * 2), "id.pdf")}
    response = post_form(anon, UPLOADS, huge)
    assert response.status_code == 413 and TOO_LARGE in response.get_data(as_text=True)
    assert len(stored(store, "public_upload")) == 1


def test_the_allowance_is_set_in_the_config_or_the_environment(app, anon, monkeypatch, tmp_path):
    app.config["PUBLIC_BODY_LIMIT"] = 2048
    response = urlencoded(anon, PUBLIC, {"overall": "4", "comment": "ع" * 1000})
    assert response.status_code == 413
    assert urlencoded(anon, PUBLIC, {"overall": "4", "comment": "ع" * 100}).status_code == 302
    monkeypatch.setenv("RIFD_PUBLIC_BODY_LIMIT", "65536")
    other = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "d2"), "SECRET_KEY": "x"})
    assert other.config["PUBLIC_BODY_LIMIT"] == 65536


def test_staff_pages_keep_the_sites_limit(client, store, valid_intake):
    # Staff attach many documents at once: the tight limit is for public pages only.
    response = post_form(client, "/forms/intake/new", {**valid_intake, "full_name": "م" * MB})
    assert response.status_code == 400


def shown(response) -> str:
    assert response.status_code == 400
    return response.get_data(as_text=True)


def test_a_refused_answer_comes_back_cut_to_what_its_field_takes(app, anon):
    page = shown(urlencoded(anon, PUBLIC, {"overall": "4", "comment": "ب" * 6000}))
    assert "ب" * 5000 in page and "ب" * 5001 not in page
    page = shown(post_form(anon, UPLOADS, {"name": "ن" * 300, "sign": SIGNATURE}))
    assert "النص أطول من 20 حرفًا" in page
    assert "ن" * 20 in page and "ن" * 21 not in page
    assert SIGNATURE in page  # a valid drawing is kept for the next try


def test_an_oversized_signature_comes_back_empty(app, anon):
    forged = "data:image/png;base64," + "QUFB" * 200_000  # 800 KB, beyond any drawing
    page = shown(post_form(anon, UPLOADS, {"name": "سارة", "sign": forged}))
    assert "التوقيع غير صالح" in page and "QUFBQUFB" not in page


def test_the_staff_page_cuts_what_it_shows_back_too(client, valid_intake):
    page = shown(post_form(client, "/forms/intake/new", {**valid_intake, "full_name": "م" * 900}))
    assert "م" * 500 in page and "م" * 501 not in page


def test_the_413_page_speaks_english_on_the_english_page(app, anon):
    anon.get("/lang/en")
    response = anon.post(PUBLIC, data={"overall": "4", "comment": "x" * MB})
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "larger than this form allows" in page and "Back to the form" in page
