"""The request's operations are the only road: every road checks the same rules and audits.

Found in use: `flask letters bulk` issued numbered letters with no audit record; a letter
issued with a forged Host header printed that host in its QR code.
"""

from __future__ import annotations

import io
import re
import zipfile

from accounts.audit import COLLECTION as AUDIT
from letters.issue import REGISTER
from tests.cases.conftest import move, post, submit_request
from tests.cases.test_moves import to_committee

FORM = "support_request"


def audit_of(store, entity: str, entity_id) -> list[dict]:
    return [
        e for e in store.iter(AUDIT) if e["entity"] == entity and e["entity_id"] == str(entity_id)
    ]


def test_every_letter_the_command_line_issues_has_its_audit_entry(app, store, people, tmp_path):
    sara, huda = people["sara"], people["huda"]
    cids = [submit_request(sara, "interview") for _ in range(2)]
    for cid in cids:
        to_committee(people, cid)
        assert move(huda, cid, "accept", {"meeting_number": "3"}).status_code == 302
    out = tmp_path / "letters.zip"
    args = ["letters", "bulk", "acceptance", "--form", FORM, "--all", "-o", str(out)]
    result = app.test_cli_runner().invoke(
        args=[*args, "--base-url", "https://rifd.example.org.sa", "--by", "huda"]
    )
    assert result.exit_code == 0, result.output
    letters = [x for x in store.iter(REGISTER) if x["letter_type"] == "acceptance"]
    assert len(letters) == 2
    for letter in letters:
        [entry] = audit_of(store, "letter", letter["id"])
        assert entry["action"] == "issue" and entry["actor"] == "huda"
        assert entry["after"]["number"] == letter["number"] and entry["after"]["case"] in cids
    with zipfile.ZipFile(out) as archive:
        assert len(archive.namelist()) == 2
    # Again: refused, since each already has its acceptance, unless --again.
    again = app.test_cli_runner().invoke(args=[*args, "--base-url", "https://r.example"])
    assert again.exit_code == 1 and "--again" in again.output
    assert store.count(REGISTER) == 4  # two declarations, two acceptances


def test_every_stored_request_record_has_its_audit_entry(store, people):
    sara, huda = people["sara"], people["huda"]
    cid = submit_request(sara, "interview")
    to_committee(people, cid)
    assert move(huda, cid, "accept", {"meeting_number": "3"}).status_code == 302
    case = store.get("cases", cid)
    actions = [e["action"] for e in audit_of(store, "case", cid)]
    assert actions == ["open", "case.verify", "case.declare", "case.submit", "case.accept"]
    [created] = audit_of(store, f"submission:{FORM}", case["submission_id"])
    assert created["action"] == "create" and created["actor"] == "sara"
    for letter in store.iter(REGISTER):
        assert audit_of(store, "letter", letter["id"])


def test_a_letter_points_at_the_public_address_never_at_the_host_header(store, people):
    sara, boss = people["sara"], people["boss"]
    cid = submit_request(sara, "interview")
    case_page = sara.get(f"/cases/{cid}").get_data(as_text=True)
    assert 'id="address-warning"' in case_page  # said before the first letter is issued
    admin_page = boss.get("/settings/address").get_data(as_text=True)
    assert 'id="address-missing"' in admin_page
    saved = post(
        boss, "/settings/address", "/settings/address", {"public_url": "https://rifd.sanad.org.sa/"}
    )
    assert saved.status_code == 302
    [entry] = [e for e in store.iter(AUDIT) if e["entity"] == "public_address"]
    assert entry["after"] == {"public_url": "https://rifd.sanad.org.sa"}
    assert 'id="address-warning"' not in sara.get(f"/cases/{cid}").get_data(as_text=True)

    page = sara.get(f"/cases/{cid}").get_data(as_text=True)
    items = re.findall(r'name="checklist" value="([^"]+)"', page)
    assert move(sara, cid, "verify", {"checklist": items}).status_code == 302
    # A signed-in person sends his own cookies with a forged Host header.
    for (_domain, path, name), cookie in list(sara._cookies.items()):
        sara.set_cookie(name, cookie.value, domain="evil.example", path=path)
    forged = post(
        sara,
        f"/cases/{cid}",
        f"/cases/{cid}/letter/declaration",
        base_url="http://evil.example",
    )
    assert forged.status_code == 302, forged.get_data(as_text=True)[:500]
    [letter] = list(store.iter(REGISTER))
    body = sara.get(f"/letters/{letter['id']}.docx").data
    with zipfile.ZipFile(io.BytesIO(body)) as package:
        xml = b"".join(package.read(n) for n in package.namelist() if n.endswith(".xml"))
    assert f"https://rifd.sanad.org.sa/verify/{letter['code']}".encode() in xml
    assert b"evil.example" not in xml


def test_the_public_address_page_refuses_what_is_not_an_address(store, people):
    boss, sara = people["boss"], people["sara"]
    for bad in ("rifd.example", "javascript:alert(1)", "https://a b", "https://x?y=1", "x" * 300):
        response = post(boss, "/settings/address", "/settings/address", {"public_url": bad})
        assert response.status_code == 400
        assert "اكتب عنوانًا كاملًا يبدأ بـ https://" in response.get_data(as_text=True)
    assert store.get("site", 1) is None
    assert sara.get("/settings/address").status_code == 403


def test_the_environment_sets_the_public_address(store, people, monkeypatch):
    monkeypatch.setenv("RIFD_PUBLIC_URL", "https://from-env.example.org")
    sara = people["sara"]
    cid = submit_request(sara, "interview")
    page = sara.get(f"/cases/{cid}").get_data(as_text=True)
    assert 'id="address-warning"' not in page
    items = re.findall(r'name="checklist" value="([^"]+)"', page)
    assert move(sara, cid, "verify", {"checklist": items}).status_code == 302
    assert post(sara, f"/cases/{cid}", f"/cases/{cid}/letter/declaration").status_code == 302
    [letter] = list(store.iter(REGISTER))
    assert letter["code"]
    body = sara.get(f"/letters/{letter['id']}.docx").data
    with zipfile.ZipFile(io.BytesIO(body)) as package:
        xml = b"".join(package.read(n) for n in package.namelist() if n.endswith(".xml"))
    assert b"https://from-env.example.org/verify/" in xml


def test_archiving_a_pdf_is_audited_once(store, people, monkeypatch):
    import web.letters

    class Converter:
        def convert(self, docx: bytes) -> bytes:
            return b"%PDF-1.4 fake"

    monkeypatch.setattr(web.letters, "pdf_converter", lambda: Converter())
    sara = people["sara"]
    cid = submit_request(sara, "interview")
    page = sara.get(f"/cases/{cid}").get_data(as_text=True)
    items = re.findall(r'name="checklist" value="([^"]+)"', page)
    assert move(sara, cid, "verify", {"checklist": items}).status_code == 302
    assert post(sara, f"/cases/{cid}", f"/cases/{cid}/letter/declaration").status_code == 302
    [letter] = list(store.iter(REGISTER))
    for _ in range(2):
        response = sara.get(f"/letters/{letter['id']}.pdf")
        assert response.status_code == 200 and response.data == b"%PDF-1.4 fake"
    archived = [e for e in audit_of(store, "letter", letter["id"]) if e["action"] == "archive"]
    assert len(archived) == 1 and archived[0]["actor"] == "sara"
    assert store.get(REGISTER, letter["id"])["pdf_sha256"] == archived[0]["after"]["pdf"]
