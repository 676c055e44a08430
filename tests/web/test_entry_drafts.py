"""Nothing typed is lost: drafts of a long form, and a form sent after the session ended."""

from __future__ import annotations

import io
import re

import pytest

from accounts.audit import COLLECTION as AUDIT
from submissions import drafts, service
from tests.conftest import STAFF_PASSWORD, csrf_token, post_form, sign_in
from tests.web.conftest import PDF

URL = "/forms/intake/new"


def value_of(html: str, name: str) -> str:
    found = re.search(rf'name="{re.escape(name)}"[^>]*value="([^"]*)"', html)
    if not found:
        found = re.search(rf'value="([^"]*)"[^>]*name="{re.escape(name)}"', html)
    return found.group(1) if found else ""


def submissions(store):
    return store.find(service.collection("intake"))


def save_draft(client, data: dict, url: str = URL):
    return post_form(client, url, {**data, "rifd-action": "draft"})


@pytest.fixture
def sara(app):
    client = app.test_client()
    sign_in(client, app, username="sara", roles=["intake"])
    return client


def test_a_draft_keeps_the_page_as_it_was_and_is_sent_later(app, store, sara, valid_intake):
    half = {k: v for k, v in valid_intake.items() if k != "mobile"} | {"national_id": "123"}
    half["id_copy"] = (io.BytesIO(PDF), "هوية.pdf")
    saved = save_draft(sara, half)
    assert saved.status_code == 302 and "?draft=" in saved.headers["Location"]
    assert submissions(store) == []  # a draft is no submission, however incomplete
    page = sara.get(saved.headers["Location"]).get_data(as_text=True)
    assert value_of(page, "full_name") == valid_intake["full_name"]
    assert value_of(page, "national_id") == "123"
    assert value_of(page, "sign").startswith("data:image/png;base64,")  # the signature too
    assert "هوية.pdf" in page and 'data-kept="id_copy"' in page

    mine = sara.get("/drafts/").get_data(as_text=True)
    assert saved.headers["Location"] in mine.replace("&amp;", "&")
    # Sent from the draft: the kept file goes with it, and the draft is gone.
    finished = dict(valid_intake)
    response = post_form(sara, saved.headers["Location"], finished)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    (record,) = submissions(store)
    assert record["answers"]["id_copy"]["name"] == "هوية.pdf"
    assert store.read_file(record["answers"]["id_copy"]["sha256"]) == PDF
    assert store.count(drafts.COLLECTION) == 0
    assert "لا توجد مسودات" in sara.get("/drafts/").get_data(as_text=True)


def test_a_draft_is_hers_alone(app, store, sara, valid_intake):
    location = save_draft(sara, valid_intake).headers["Location"]
    other = app.test_client()
    sign_in(other, app, username="huda", roles=["intake"])
    page = other.get(location).get_data(as_text=True)
    assert valid_intake["full_name"] not in page  # a blank form: not her draft
    assert "لا توجد مسودات" in other.get("/drafts/").get_data(as_text=True)
    (draft,) = store.iter(drafts.COLLECTION)
    token = csrf_token(other, "/drafts/")
    refused = other.post(f"/drafts/{draft['id']}/delete", data={"csrf_token": token})
    assert refused.status_code == 404 and store.count(drafts.COLLECTION) == 1
    token = csrf_token(sara, "/drafts/")
    assert sara.post(f"/drafts/{draft['id']}/delete", data={"csrf_token": token}).status_code == 302
    assert store.count(drafts.COLLECTION) == 0
    actions = [e["action"] for e in store.iter(AUDIT)]
    assert "keep_draft" in actions and "discard_draft" in actions
    kept = next(e for e in store.iter(AUDIT) if e["action"] == "keep_draft")
    assert valid_intake["full_name"] not in str(kept)  # the trail says which form, not what


def test_a_form_sent_after_the_session_ended_comes_back_filled(
    app, store, sara, valid_intake, monkeypatch
):
    sara.get(URL)
    token = csrf_token(sara, URL)
    import web.auth

    later = web.auth.time.time() + 31 * 60
    monkeypatch.setattr(web.auth.time, "time", lambda: later)
    data = {"csrf_token": token, **valid_intake, "id_copy": (io.BytesIO(PDF), "id.pdf")}
    response = sara.post(URL, data=data, content_type="multipart/form-data")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert submissions(store) == []
    assert sara.get("/drafts/").status_code == 302  # signed out: nothing shows before sign-in
    (held,) = store.iter(drafts.COLLECTION)
    assert held["reason"] == "expired" and held["files"]["id_copy"][0]["name"] == "id.pdf"

    token = csrf_token(sara, "/login")
    back = sara.post(
        response.headers["Location"],
        data={"csrf_token": token, "username": "sara", "password": STAFF_PASSWORD},
    )
    assert back.status_code == 302 and "draft=" in back.headers["Location"]
    page = sara.get(back.headers["Location"]).get_data(as_text=True)
    assert value_of(page, "full_name") == valid_intake["full_name"]
    assert "id.pdf" in page
    assert post_form(sara, back.headers["Location"], valid_intake).status_code == 302
    assert len(submissions(store)) == 1 and store.count(drafts.COLLECTION) == 0


def test_a_session_used_within_its_limit_stays_and_an_idle_one_ends(app, sara, monkeypatch):
    import web.auth

    start = web.auth.time.time()
    monkeypatch.setattr(web.auth.time, "time", lambda: start + 25 * 60)
    assert sara.get("/session/alive").status_code == 204
    monkeypatch.setattr(web.auth.time, "time", lambda: start + 50 * 60)  # 25 min after
    assert sara.get(URL).status_code == 200
    monkeypatch.setattr(web.auth.time, "time", lambda: start + 81 * 60)  # 31 min after
    response = sara.get(URL)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_every_staff_page_warns_before_the_session_ends(sara):
    page = sara.get("/").get_data(as_text=True)
    assert 'data-idle-seconds="1800"' in page and 'data-alive-url="/session/alive"' in page
    assert 'id="session-warning"' in page and "ابقَ متصلًا" in page
