"""A full disk: each write completes with its audit entry or is refused, and the page says which.

The disk is filled by making the store's writes raise OSError(ENOSPC) at a chosen
point: the journal of a transaction (nothing is kept), the record files after the
journal (the whole change is kept and finished by the next write), a plain write
(an audit entry). And the free space the data folder's disk reports, for the
check made before any request that may write.
"""

from __future__ import annotations

import errno
import shutil
from collections import namedtuple

import pytest

from accounts import users
from store import Store, shards, storage, transaction
from submissions import service
from tests.conftest import STAFF_PASSWORD, csrf_token, post_form
from tests.web.conftest import holdings

PUBLIC = "/f/quick_survey"
FULL = "امتلأ قرص الخادم، فلم يكتمل هذا الطلب ولم يُحفظ منه شيء"
KEPT = "لكن الطلب سُجّل كاملًا وسيكتمل حفظه تلقائيًا"
ANSWERS = {"overall": "5", "comment": "شكرًا"}


def _full(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture
def journal_full(monkeypatch):
    """The disk fills as a transaction writes its journal: nothing of it is kept."""
    monkeypatch.setattr(transaction, "atomic_write", _full)


@pytest.fixture
def records_full(monkeypatch):
    """The disk fills as any record file is written (an audit entry, a counter)."""
    monkeypatch.setattr(storage, "atomic_write", _full)
    return monkeypatch


def _full_in(part: str):
    """Return shards.put failing for the collections whose folder holds `part`."""
    put = shards.put

    def failing(folder, records):
        if part in str(folder):
            _full()
        return put(folder, records)

    return failing


@pytest.fixture
def applying_full(monkeypatch):
    """The disk fills after a submission's journal is written, as its records are."""
    monkeypatch.setattr(shards, "put", _full_in(service.collection("quick_survey")))
    return monkeypatch


def submissions(store) -> list[dict]:
    return list(store.iter(service.collection("quick_survey")))


def entries(store, action: str) -> list[dict]:
    return [e for e in store.iter("audit") if e["action"] == action]


def test_a_public_post_refused_by_a_full_journal_says_nothing_was_kept(anon, store, journal_full):
    response = post_form(anon, PUBLIC, ANSWERS)
    assert response.status_code == 507
    assert FULL in response.get_data(as_text=True)
    assert submissions(store) == [] and entries(store, "create") == []


def test_a_post_whose_journal_was_written_is_kept_and_finished_with_its_audit(
    app, anon, store, applying_full
):
    response = post_form(anon, PUBLIC, ANSWERS)
    assert response.status_code == 507
    assert KEPT in response.get_data(as_text=True)
    applying_full.undo()  # room again: the next start (or write) finishes the change
    reopened = Store(app.config["DATA_DIR"])
    [record] = list(reopened.iter(service.collection("quick_survey")))
    assert record["answers"]["comment"] == "شكرًا"
    [created] = [e for e in reopened.iter("audit") if e["action"] == "create"]
    assert created["entity_id"] == str(record["id"])


def test_a_step_before_the_post_kept_in_the_journal_does_not_make_the_post_kept(
    app, anon, store, monkeypatch
):
    # The form's version is frozen (journal written, its records not) before the
    # submission that names it: the person's submission was never reached.
    monkeypatch.setattr(shards, "put", _full_in("form_versions"))
    response = post_form(anon, PUBLIC, ANSWERS)
    assert response.status_code == 507 and FULL in response.get_data(as_text=True)
    monkeypatch.undo()
    assert list(Store(app.config["DATA_DIR"]).iter(service.collection("quick_survey"))) == []


def test_a_sign_in_the_trail_cannot_record_starts_no_session(app, anon, store, monkeypatch):
    users.create(store, "sara", STAFF_PASSWORD, ["intake"])
    monkeypatch.setattr(storage, "atomic_write", _full)  # the audit entry
    token = csrf_token(anon, "/login")
    response = anon.post(
        "/login", data={"csrf_token": token, "username": "sara", "password": STAFF_PASSWORD}
    )
    assert response.status_code == 507
    assert FULL in response.get_data(as_text=True)
    monkeypatch.undo()
    assert anon.get("/forms/").status_code == 302  # to the sign-in page: not signed in
    assert entries(store, "login") == []


def test_signing_out_on_a_full_disk_is_kept_with_its_audit(app, client, store, monkeypatch):
    before = users.find(store, "staff")["session_version"]
    token = csrf_token(client, "/forms/")
    monkeypatch.setattr(shards, "put", _full)
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 507 and KEPT in response.get_data(as_text=True)
    monkeypatch.undo()
    reopened = Store(app.config["DATA_DIR"])
    assert users.find(reopened, "staff")["session_version"] == before + 1
    assert [e["actor"] for e in reopened.iter("audit") if e["action"] == "logout"] == ["staff"]


def test_an_export_on_a_full_disk_is_a_page_not_a_500(client, store, monkeypatch):
    post_form(client, PUBLIC, ANSWERS)
    monkeypatch.setattr("web.staff.export_xlsx", _full)  # openpyxl's temporary files
    response = client.get("/forms/quick_survey/export.xlsx")
    assert response.status_code == 507 and FULL in response.get_data(as_text=True)
    assert entries(store, "export") == []


def test_an_export_whose_audit_entry_cannot_be_written_is_not_sent(client, store, records_full):
    response = client.get("/forms/quick_survey/export.xlsx")
    assert response.status_code == 507 and FULL in response.get_data(as_text=True)
    assert response.mimetype == "text/html"
    records_full.undo()
    assert entries(store, "export") == []


Usage = namedtuple("Usage", "total used free")


def test_nearly_full_refuses_writes_before_they_start_and_pages_still_open(
    app, anon, client, monkeypatch
):
    monkeypatch.setattr(shutil, "disk_usage", lambda _path: Usage(10**9, 10**9 - 10**6, 10**6))
    before = holdings(app)
    response = post_form(anon, PUBLIC, ANSWERS)
    assert response.status_code == 507 and FULL in response.get_data(as_text=True)
    assert holdings(app) == before
    assert anon.get(PUBLIC).status_code == 200
    assert client.get("/forms/").status_code == 200
    anon.get("/lang/en")
    english = post_form(anon, PUBLIC, ANSWERS).get_data(as_text=True)
    assert "The server&#39;s disk is full: this request was not completed" in english
    app.config["MIN_FREE_MB"] = 0.5  # the threshold is the administrator's
    assert post_form(anon, PUBLIC, ANSWERS).status_code == 302


def test_other_errors_of_the_disk_are_still_unexpected(anon, monkeypatch):
    def broken(*_args, **_kwargs):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(transaction, "atomic_write", broken)
    response = post_form(anon, PUBLIC, ANSWERS)
    assert response.status_code == 500
