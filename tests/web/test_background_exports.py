"""A large export runs in the background: started with a button, followed, downloaded once ready."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import time

from openpyxl import load_workbook

from accounts.audit import COLLECTION as AUDIT
from sheets import jobs
from store.backup import create_backup
from tests.conftest import csrf_token, post_form, sign_in


def _submit(client, valid_intake, n: int) -> None:
    for i in range(n):
        row = dict(valid_intake, full_name=f"مستفيد رقم {i}")
        assert post_form(client, "/forms/intake/new", row).status_code == 302


def _start(client, url: str):
    page = client.get(url)
    assert page.status_code == 200 and "ابدأ التصدير" in page.get_data(as_text=True)
    token = csrf_token(client, url)
    kind, name = re.search(
        r'name="kind" value="([^"]*)".*?name="name" value="([^"]*)"',
        page.get_data(as_text=True),
        re.S,
    ).groups()
    # As a browser sends them: the attribute's entities (&amp;) read back.
    kind, name = html.unescape(kind), html.unescape(name)
    return client.post("/exports/start", data={"csrf_token": token, "kind": kind, "name": name})


def _wait(client, jid: int) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        state = client.get(f"/exports/{jid}.json").get_json()
        if state["status"] in ("done", "failed"):
            return state
        time.sleep(0.1)
    raise AssertionError("the export did not finish in 60 s")


def test_a_large_export_is_prepared_in_the_background(app, client, store, valid_intake):
    app.config["EXPORT_INLINE_LIMIT"] = 2
    _submit(client, valid_intake, 3)
    started = _start(client, "/forms/intake/export.xlsx")
    assert started.status_code == 302
    jid = int(started.headers["Location"].rsplit("/", 1)[1])
    page = client.get(f"/exports/{jid}").get_data(as_text=True)
    assert '<progress id="job-progress"' in page and "js/progress.js" in page
    state = _wait(client, jid)
    assert state["status"] == "done" and state["done"] == state["total"] == 3
    response = client.get(state["download"])
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    cells = [str(c) for row in sheet.iter_rows(min_row=2, values_only=True) for c in row]
    assert sheet.max_row == 4 and sheet.sheet_view.rightToLeft
    assert {"مستفيد رقم 0", "مستفيد رقم 1", "مستفيد رقم 2"} <= set(cells)
    actions = [(e["action"], e["entity"]) for e in store.iter(AUDIT)]
    assert ("start_export", "submissions:intake") in actions
    assert ("export", "submissions:intake") in actions


def test_the_requests_export_too(app, client, store, valid_intake):
    from tests.cases.conftest import submit_request

    app.config["EXPORT_INLINE_LIMIT"] = 1
    cids = [submit_request(client, "interview") for _ in range(2)]
    started = _start(client, "/cases/export.xlsx")
    jid = int(started.headers["Location"].rsplit("/", 1)[1])
    state = _wait(client, jid)
    sheet = load_workbook(io.BytesIO(client.get(state["download"]).data)).worksheets[0]
    refs = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(refs) == len(cids) == 2


def test_only_the_one_who_started_it_follows_or_downloads_it(app, client, valid_intake):
    app.config["EXPORT_INLINE_LIMIT"] = 1
    _submit(client, valid_intake, 2)
    jid = int(_start(client, "/forms/intake/export.xlsx").headers["Location"].rsplit("/", 1)[1])
    _wait(client, jid)
    other = app.test_client()
    sign_in(other, app, username="other")  # every role, but not his export
    for url in (f"/exports/{jid}", f"/exports/{jid}.json", f"/exports/{jid}/download"):
        assert other.get(url).status_code == 404, url
    viewer = app.test_client()
    sign_in(viewer, app, username="vera", roles=["viewer"])
    token = csrf_token(viewer, "/cases/")
    refused = viewer.post(
        "/exports/start", data={"csrf_token": token, "kind": "submissions", "name": "intake"}
    )
    assert refused.status_code == 403
    unknown = client.post(
        "/exports/start",
        data={"csrf_token": csrf_token(client, "/cases/"), "kind": "nothing", "name": ""},
    )
    assert unknown.status_code == 404


def test_a_failed_export_says_so(app, client, valid_intake, monkeypatch):
    app.config["EXPORT_INLINE_LIMIT"] = 1
    _submit(client, valid_intake, 2)

    def broken(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("web.staff.export_xlsx", broken)
    jid = int(_start(client, "/forms/intake/export.xlsx").headers["Location"].rsplit("/", 1)[1])
    state = _wait(client, jid)
    assert state["status"] == "failed" and state["download"] is None
    assert "تعذّر إكمال التصدير" in client.get(f"/exports/{jid}").get_data(as_text=True)


def test_export_files_stay_out_of_backups_and_go_after_a_day(
    app, client, store, valid_intake, tmp_path
):
    app.config["EXPORT_INLINE_LIMIT"] = 1
    _submit(client, valid_intake, 2)
    jid = int(_start(client, "/forms/intake/export.xlsx").headers["Location"].rsplit("/", 1)[1])
    _wait(client, jid)
    path = jobs.path_of(store, store.get(jobs.JOBS, jid))
    assert path.exists()
    manifest = create_backup(store.root, tmp_path / "b.tar.gz")
    assert not [f for f in manifest["files"] if "_exports" in f["path"]]
    assert jobs.sweep(store, dt.datetime.now(dt.UTC) + dt.timedelta(days=2)) == 1
    assert not path.exists()
    assert client.get(f"/exports/{jid}/download").status_code == 404
