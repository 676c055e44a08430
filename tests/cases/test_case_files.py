"""A proof of delivery opens only through its request, for whoever may see it; audited.

It was served by digest at /files/<digest> to anyone allowed to reveal IDs, with no
trace of the download.
"""

from __future__ import annotations

import io
import re

from accounts.audit import COLLECTION as AUDIT
from tests.cases.conftest import move, post, submit_request

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def served_with_proof(store, people) -> tuple[int, str]:
    sara, huda = people["sara"], people["huda"]
    cid = submit_request(sara, "interview")
    page = sara.get(f"/cases/{cid}").get_data(as_text=True)
    items = re.findall(r'name="checklist" value="([^"]+)"', page)
    assert move(sara, cid, "verify", {"checklist": items}).status_code == 302
    post(sara, f"/cases/{cid}", f"/cases/{cid}/letter/declaration")
    proof = {"proof": "bank_transfer", "kind": "cash", "amount": "1500"}
    proof["file"] = (io.BytesIO(PDF), "حوالة.pdf")
    for who, name, data in [
        (sara, "declare", {"signed": "yes"}),
        (sara, "submit", {}),
        (huda, "accept", {"meeting_number": "5"}),
        (sara, "register", {}),
        (sara, "serve", proof),
    ]:
        assert move(who, cid, name, data).status_code == 302, name
    [service] = store.get("cases", cid)["services"]
    return cid, service["file"]["sha256"]


def downloads(store) -> list[dict]:
    return [e for e in store.iter(AUDIT) if e["action"] == "download"]


def test_a_proof_of_delivery_opens_through_its_request_and_is_audited(store, people):
    cid, digest = served_with_proof(store, people)
    address = f"/cases/{cid}/files/{digest}"
    sara = people["sara"]
    assert f'href="{address}"' in sara.get(f"/cases/{cid}").get_data(as_text=True)
    response = sara.get(address)
    assert response.status_code == 200 and response.data == PDF
    assert people["ali"].get(address).status_code == 200  # the researcher sees requests too
    assert [(e["actor"], e["entity"], e["entity_id"], e["after"]) for e in downloads(store)] == [
        (who, "case", str(cid), {"field": "file", "name": "حوالة.pdf", "type": "pdf"})
        for who in ("sara", "ali")
    ]


def test_others_get_403_and_files_the_request_does_not_hold_404(store, people):
    cid, digest = served_with_proof(store, people)
    vera = people["vera"]  # reads requests, may not reveal identifiers
    assert address_absent(vera, cid, digest)
    assert vera.get(f"/cases/{cid}/files/{digest}").status_code == 403
    assert people["boss"].get(f"/cases/{cid}/files/{digest}").status_code == 403
    sara = people["sara"]
    record = store.get("submissions/support_request", store.get("cases", cid)["submission_id"])
    signature = record["answers"]["applicant_signature"]["sha256"]
    assert sara.get(f"/cases/{cid}/files/{signature}").status_code == 404  # the form's, not this
    assert sara.get(f"/cases/{cid}/files/{'a' * 64}").status_code == 404
    assert sara.get(f"/cases/999/files/{digest}").status_code == 404
    assert downloads(store) == []


def address_absent(client, cid: int, digest: str) -> bool:
    return f"/cases/{cid}/files/{digest}" not in client.get(f"/cases/{cid}").get_data(as_text=True)
