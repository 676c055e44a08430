"""Stored documents open only through the record that holds them, for whoever may see it,
and each download is in the audit trail.

`/files/<digest>` served any stored file, archived letters included, to any role
allowed to reveal IDs, and an ID copy or bank statement left no trace when it was
downloaded, while revealing the same ID number did.
"""

import io
import re

import pytest

from accounts.audit import COLLECTION as AUDIT
from accounts.audit import Actor, everything
from cases import operations
from letters.issue import REGISTER
from tests.conftest import csrf_token, post_form, sign_in
from tests.web.conftest import PDF, PNG

STAFF = "/forms/intake/new"


def submit(client, valid_intake, **changes) -> int:
    data = {**valid_intake, "id_copy": (io.BytesIO(PDF), "هوية.pdf"), **changes}
    response = post_form(client, STAFF, data)
    assert response.status_code == 302
    return int(re.search(r"/submissions/(\d+)", response.headers["Location"]).group(1))


@pytest.fixture
def rid(client, valid_intake):
    return submit(client, valid_intake)


@pytest.fixture
def person(app):
    """A client signed in with only the roles asked for."""

    def make(name: str, *roles: str):
        client = app.test_client()
        sign_in(client, app, username=name, roles=list(roles))
        return client

    return make


def answers(store, rid: int) -> dict:
    return store.get("submissions/intake", rid)["answers"]


def url(rid: int, digest: str) -> str:
    return f"/forms/intake/submissions/{rid}/files/{digest}"


def downloads(store) -> list[dict]:
    return [e for e in store.iter(AUDIT) if e["action"] == "download"]


def test_a_role_that_sees_the_submission_downloads_and_is_audited(store, rid, person):
    ines = person("ines", "intake")
    page = ines.get(f"/forms/intake/submissions/{rid}").get_data(as_text=True)
    digest = answers(store, rid)["id_copy"]["sha256"]
    assert f'href="{url(rid, digest)}"' in page
    response = ines.get(url(rid, digest))
    assert response.status_code == 200 and response.data == PDF
    assert response.mimetype == "application/pdf"
    [entry] = downloads(store)
    assert (entry["actor"], entry["entity"], entry["entity_id"]) == (
        "ines",
        "submission:intake",
        str(rid),
    )
    assert entry["after"] == {"field": "id_copy", "name": "هوية.pdf", "type": "pdf"}
    signature = answers(store, rid)["sign"]["sha256"]
    shown = ines.get(url(rid, signature))
    assert shown.status_code == 200 and shown.mimetype == "image/png" and shown.data == PNG
    assert [e["after"]["field"] for e in downloads(store)] == ["id_copy", "sign"]


@pytest.mark.parametrize("roles", [("viewer",), ("quality_officer",), ("admin",)])
def test_a_role_that_may_not_see_it_gets_403_and_nothing_is_audited(store, rid, person, roles):
    other = person("omar", *roles)
    digest = answers(store, rid)["id_copy"]["sha256"]
    assert other.get(url(rid, digest)).status_code == 403
    assert downloads(store) == []


def test_a_file_the_record_does_not_hold_is_404(client, store, rid, valid_intake):
    other = submit(client, valid_intake, id_copy=(io.BytesIO(PDF + b"%other"), "b.pdf"))
    theirs = answers(store, other)["id_copy"]["sha256"]
    assert client.get(url(other, theirs)).status_code == 200
    assert client.get(url(rid, theirs)).status_code == 404  # another submission's file
    for digest in ("a" * 64, "../../secret_key", "..%2F..%2Fsecret_key", "A" * 64):
        assert client.get(url(rid, digest)).status_code == 404, digest
    mine = answers(store, rid)["id_copy"]["sha256"]
    assert client.get(url(999, mine)).status_code == 404
    assert client.get(f"/forms/nope/submissions/{rid}/files/{mine}").status_code == 404
    assert client.get(f"/files/{mine}").status_code == 404  # no door by digest alone
    assert len(downloads(store)) == 1


def test_an_archived_letter_is_served_only_as_a_letter_to_roles_that_see_letters(
    client, store, rid, person
):
    page = f"/forms/intake/submissions/{rid}"
    issued = client.post(
        f"/letters/from/intake/{rid}",
        data={"csrf_token": csrf_token(client, page), "template": "declaration"},
    )
    assert issued.status_code == 302
    [letter] = store.iter(REGISTER)
    pdf = b"%PDF-1.4 archived letter\n%%EOF\n"
    letter = operations.archive_pdf(store, letter["id"], pdf, Actor("cli", "", everything))
    for digest in (letter["pdf_sha256"], letter["sha256"]):
        assert client.get(url(rid, digest)).status_code == 404
        assert client.get(f"/files/{digest}").status_code == 404
    vera = person("vera", "viewer")  # letters.read
    response = vera.get(f"/letters/{letter['id']}.pdf")
    assert response.status_code == 200 and response.data == pdf
    assert person("boss2", "admin").get(f"/letters/{letter['id']}.pdf").status_code == 403
    assert vera.get(f"/letters/{letter['id']}.docx").status_code == 200
    assert [(e["actor"], e["entity"], e["after"]) for e in downloads(store)] == [
        ("vera", "letter", {"number": letter["number"], "format": "pdf"}),
        ("vera", "letter", {"number": letter["number"], "format": "docx"}),
    ]
