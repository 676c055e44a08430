"""Files in S3-compatible object storage (RIFD_FILES_URL), through the pages people use.

moto's S3 server answers over real HTTP on a loopback port (tests/s3_server.py): a
public submission's attachment goes to the bucket, not the data folder, and staff open
it from there; when the storage cannot be reached the page says so in Arabic and
nothing of the submission is stored.
"""

from __future__ import annotations

import io
import time

import pytest

from submissions import service
from tests.conftest import post_form
from tests.web.conftest import PDF

# moto (requirements-dev.txt); the fixture s3 fails instead of skipping under CI.
KillableS3Server = pytest.importorskip("tests.s3_server").KillableS3Server

PUBLIC = "/f/complaint"
UNREACHABLE = "تعذّر الوصول إلى مخزن الملفات، فلم يكتمل هذا الطلب ولم يُحفظ منه شيء"


def complaint(content: bytes = PDF) -> dict:
    return {
        "kind": "complaint",
        "category": "delay",
        "description": "تأخر الرد على طلبي أكثر من شهر",
        "attachment": (io.BytesIO(content), "proof.pdf"),
        "wants_reply": "no",
    }


def stored(store) -> list[dict]:
    return list(store.iter(service.collection("complaint")))


@pytest.fixture
def files_url(request, s3, monkeypatch):
    """A new bucket in RIFD_FILES_URL: on the test's `outage` server if it has one."""
    server = request.getfixturevalue("outage") if "outage" in request.fixturenames else s3
    monkeypatch.setenv("RIFD_S3_ENDPOINT_URL", server.endpoint)
    url = server.new_url()
    monkeypatch.setenv("RIFD_FILES_URL", url)
    return url


@pytest.fixture
def app(files_url, app):
    """The app of the tests (tests/conftest.py), made with its files in the bucket."""
    return app


def test_a_public_attachment_goes_to_the_bucket_and_staff_open_it(
    app, anon, client, store, s3, files_url
):
    response = post_form(anon, PUBLIC, complaint())
    assert response.status_code == 302, response.get_data(as_text=True)
    [record] = stored(store)
    digest = record["answers"]["attachment"]["sha256"]
    assert s3.keys(files_url) == [f"rifd/files/{digest[:2]}/{digest[2:]}"]
    assert not (store.root / "_files").exists()  # one home for a file: the bucket
    served = client.get(f"/forms/complaint/submissions/{record['id']}/files/{digest}")
    assert served.status_code == 200
    assert served.data == PDF and served.mimetype == "application/pdf"


@pytest.fixture
def outage():
    """A storage of its own that a test can make unreachable: stop() kills it."""
    server = KillableS3Server()
    yield server
    server.stop()


def test_unreachable_storage_gives_the_arabic_page_and_stores_nothing(
    outage, app, anon, client, caplog
):
    store = app.extensions["rifd_store"]
    assert post_form(anon, PUBLIC, complaint()).status_code == 302
    [kept] = stored(store)
    digest = kept["answers"]["attachment"]["sha256"]
    audit_before = store.count("audit")
    outage.stop()

    started = time.monotonic()
    response = post_form(anon, PUBLIC, complaint(PDF + b"% another one"))
    assert time.monotonic() - started < 15  # the retries give up: no endless wait
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert UNREACHABLE in page and 'dir="rtl"' in page
    assert "rifd-test-secret-never-shown" not in page and "rifd-test-key" not in page
    # Refused before its record: nothing half-stored, nothing of what was there lost.
    assert stored(store) == [kept] and store.count("audit") == audit_before
    # The log says why, naming the bucket, never a credential.
    [logged] = [r.getMessage() for r in caplog.records if "files' storage" in r.getMessage()]
    assert outage.endpoint.removeprefix("http://") in logged
    assert "rifd-test-secret" not in caplog.text and "rifd-test-key" not in caplog.text

    # Staff opening the earlier attachment are told the same, not "no such file".
    opened = client.get(f"/forms/complaint/submissions/{kept['id']}/files/{digest}")
    assert opened.status_code == 503 and UNREACHABLE in opened.get_data(as_text=True)
