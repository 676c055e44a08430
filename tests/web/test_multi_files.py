"""A file field that takes several files, and the camera on a phone.

Posted through the pages as a person sends them: several files stored and listed
everywhere an answer is shown, limits refused in Arabic with nothing stored, drafts and
the session-expiry recovery keeping every file, and answers stored as one file (before
several were allowed) still read.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from accounts.audit import Actor, everything
from association import profile
from cases import operations
from privacy.export import documents
from submissions import drafts, service
from tests.conftest import STAFF_PASSWORD, csrf_token, post_form, sign_in
from tests.web.conftest import PDF, PNG, holdings, t
from tests.web.editor_helpers import created_editor, survey

URL = "/forms/papers/new"
PAPERS = {
    "id": "papers",
    "version": 1,
    "public": True,
    "ref_prefix": "PA",
    "title": t("أوراق الطلب", "Request papers"),
    "sections": [
        {
            "name": "s",
            "title": t("المرفقات", "Attachments"),
            "fields": [
                {"name": "applicant", "type": "text", "label": t("الاسم", "Name")},
                {
                    "name": "papers",
                    "type": "file",
                    "label": t("المستندات", "Documents"),
                    "multiple": True,
                    "max_files": 3,
                    "max_size_mb": 1,
                    "max_total_mb": 1,
                },
                {
                    "name": "photo",
                    "type": "file",
                    "label": t("صورة المنزل", "House photo"),
                    "camera": True,
                    "accept": ["jpg", "png"],
                },
                {
                    "name": "deed",
                    "type": "file",
                    "label": t("الصك", "Deed"),
                    "camera": True,
                },
            ],
        }
    ],
}
TOO_MANY = "عدد الملفات أكثر من المسموح (الحد الأقصى: 3). لم يُحفظ شيء منها، أرفق عددًا أقل."
TOO_BIG = "مجموع أحجام الملفات أكبر من 1 ميجابايت."


@pytest.fixture(autouse=True)
def papers_form(app):
    folder = Path(app.config["DATA_DIR"]) / "forms"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "papers.json").write_text(json.dumps(PAPERS, ensure_ascii=False), "utf-8")


def pdf(n: int, pad: int = 0) -> bytes:
    return PDF + f"% file {n}\n".encode() + b"0" * pad


def picked(*files: tuple[bytes, str]) -> list:
    return [(io.BytesIO(data), name) for data, name in files]


def sent(**extra) -> dict:
    return {"rifd-channel": "interview", "applicant": "نورة", **extra}


def records(store) -> list[dict]:
    return store.find(service.collection("papers"))


def input_tag(html: str, name: str) -> str:
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)


def test_several_files_are_stored_and_shown_wherever_the_answer_is(client, store):
    one, two = pdf(1), PNG
    response = post_form(client, URL, sent(papers=picked((one, "عقد.pdf"), (two, "فاتورة.png"))))
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    (record,) = records(store)
    files = record["answers"]["papers"]
    assert [f["name"] for f in files] == ["عقد.pdf", "فاتورة.png"]
    assert [f["type"] for f in files] == ["pdf", "png"]
    assert [store.read_file(f["sha256"]) for f in files] == [one, two]

    page = client.get(response.headers["Location"]).get_data(as_text=True)
    links = re.findall(r'<a href="([^"]+/files/[0-9a-f]{64})">([^<]+)</a>', page)
    assert [name for _href, name in links] == ["عقد.pdf", "فاتورة.png"]
    assert [client.get(href).data for href, _name in links] == [one, two]

    book = load_workbook(io.BytesIO(client.get("/forms/papers/export.xlsx").data))
    header = [c.value for c in book.worksheets[0][1]]
    row = next(book.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert row[header.index("المستندات")] == "عقد.pdf، فاتورة.png"

    # The person's own data, when she asks for it: every file of the field.
    paths = [path for path, _ref in documents(record)]
    assert paths == [f"{record['ref']}/papers-1", f"{record['ref']}/papers-2"]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([(pdf(n), f"{n}.pdf") for n in range(4)], TOO_MANY),
        ([(pdf(n, 400 * 1024), f"{n}.pdf") for n in range(3)], TOO_BIG),
        ([(pdf(1), "a.pdf"), (b"MZ\x90\x00" + b"\x00" * 300, "b.pdf")], "نوع الملف غير مسموح"),
        ([(pdf(1), "a.pdf"), (pdf(2, 1024 * 1024), "big.pdf")], "حجم الملف أكبر من 1 ميجابايت"),
    ],
)
def test_limits_are_refused_in_arabic_and_nothing_is_stored(app, client, files, message):
    csrf_token(client, URL)
    before = holdings(app)
    response = post_form(client, URL, sent(papers=picked(*files)))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert 'value="نورة"' in html  # what was typed comes back
    assert holdings(app) == before  # no record, no file


def test_another_error_asks_for_all_the_files_again(client, store):
    gif = b"GIF89a" + b"\x00" * 50  # the deed takes pdf, jpg and png only
    data = sent(papers=picked((pdf(1), "a.pdf"), (pdf(2), "b.pdf")), deed=picked((gif, "x.gif")))
    response = post_form(client, URL, data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "أعد إرفاق الملفات بعد تصحيح الأخطاء." in html and "نوع الملف غير مسموح" in html
    assert records(store) == []


def test_the_inputs_offer_several_files_and_the_camera(client, anon):
    for page in (client.get(URL), anon.get("/f/papers")):
        html = page.get_data(as_text=True)
        papers, photo, deed = (input_tag(html, n) for n in ("papers", "photo", "deed"))
        assert " multiple" in papers and "capture" not in papers
        assert 'accept="application/pdf,.pdf,image/jpeg,.jpg,.jpeg,image/png,.png"' in papers
        # Only pictures: the phone opens its camera; a desktop still picks files.
        assert (
            'capture="environment"' in photo
            and 'accept="image/jpeg,.jpg,.jpeg,image/png,.png"' in photo
        )
        # A PDF may be sent: the camera is offered among the files, never forced.
        assert "capture" not in deed and "image/jpeg" in deed and " multiple" not in deed
        assert "عدد الملفات حتى 3 ومجموع أحجامها حتى 1 MB" in html


def test_the_public_page_takes_as_many_files_as_the_field_allows(anon, store):
    token = csrf_token(anon, "/f/papers")
    files = picked(*[(pdf(n, 300 * 1024), f"{n}.pdf") for n in range(3)])
    response = anon.post(
        "/f/papers",
        data={"csrf_token": token, "applicant": "نورة", "papers": files},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.status_code
    assert len(records(store)[0]["answers"]["papers"]) == 3


@pytest.fixture
def sara(app):
    client = app.test_client()
    sign_in(client, app, username="sara", roles=["intake"])
    return client


def test_a_draft_keeps_every_file_and_sends_them(sara, store):
    files = picked((pdf(1), "أ.pdf"), (pdf(2), "ب.pdf"))
    saved = post_form(sara, URL, sent(papers=files, **{"rifd-action": "draft"}))
    assert saved.status_code == 302
    (draft,) = store.iter(drafts.COLLECTION)
    assert [f["name"] for f in draft["files"]["papers"]] == ["أ.pdf", "ب.pdf"]
    page = sara.get(saved.headers["Location"]).get_data(as_text=True)
    assert 'data-kept="papers"' in page and "أ.pdf، ب.pdf" in page

    response = post_form(sara, saved.headers["Location"], sent())
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    (record,) = records(store)
    assert [store.read_file(f["sha256"]) for f in record["answers"]["papers"]] == [pdf(1), pdf(2)]
    assert list(store.iter(drafts.COLLECTION)) == []


def test_a_form_sent_after_the_session_ended_keeps_every_file(sara, store, monkeypatch):
    token = csrf_token(sara, URL)
    import web.auth

    later = web.auth.time.time() + 31 * 60
    monkeypatch.setattr(web.auth.time, "time", lambda: later)
    files = picked((pdf(1), "1.pdf"), (pdf(2), "2.pdf"), (PNG, "3.png"))
    data = {"csrf_token": token, **sent(papers=files)}
    response = sara.post(URL, data=data, content_type="multipart/form-data")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    (held,) = store.iter(drafts.COLLECTION)
    assert [f["name"] for f in held["files"]["papers"]] == ["1.pdf", "2.pdf", "3.png"]
    monkeypatch.undo()

    token = csrf_token(sara, "/login")
    back = sara.post(
        response.headers["Location"],
        data={"csrf_token": token, "username": "sara", "password": STAFF_PASSWORD},
    )
    assert "draft=" in back.headers["Location"]
    assert post_form(sara, back.headers["Location"], sent()).status_code == 302
    assert len(records(store)[0]["answers"]["papers"]) == 3


def test_a_file_stored_alone_before_still_reads_and_corrects(client, store, app):
    """Answers and drafts kept as one reference (before several were allowed) still work."""
    form = app.extensions["rifd_forms"].get("papers")
    digest = store.put_file(pdf(9))
    old = {"sha256": digest, "type": "pdf", "size": len(pdf(9)), "name": "قديم.pdf"}
    record = service.save(store, form, {"papers": old}, channel="interview", entered_by="staff")
    page = client.get(f"/forms/papers/submissions/{record['id']}").get_data(as_text=True)
    assert "قديم.pdf</a>" in page
    book = load_workbook(io.BytesIO(client.get("/forms/papers/export.xlsx").data))
    assert "قديم.pdf" in [c for row in book.worksheets[0].iter_rows(values_only=True) for c in row]

    # Corrected, the kept file goes with the new revision.
    url = f"/forms/papers/submissions/{record['id']}/correct"
    assert "قديم.pdf" in client.get(url).get_data(as_text=True)
    response = post_form(client, url, {"applicant": "نورة", "rifd-why": "إضافة الاسم"})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    (now,) = records(store)
    assert now["answers"]["applicant"] == "نورة"
    assert [f["sha256"] for f in now["answers"]["papers"]] == [digest]

    # A draft kept with one reference resumes with it too.
    uid = next(u for u in store.iter("users") if u["username"] == "staff")["id"]
    draft_id = store.insert(
        drafts.COLLECTION,
        {
            "user_id": uid,
            "form_id": "papers",
            "reason": "draft",
            "fields": [["rifd-channel", "phone"], ["applicant", "سالم"]],
            "files": {"papers": {"sha256": digest, "name": "قديم.pdf", "size": 1}},
            "resume": URL,
            "saved_at": "2026-01-01T00:00:00+00:00",
        },
    )
    assert post_form(client, f"{URL}?draft={draft_id}", sent()).status_code == 302
    newest = max(records(store), key=lambda r: r["id"])
    assert [f["name"] for f in newest["answers"]["papers"]] == ["قديم.pdf"]


def test_the_request_page_lists_every_file(client, store, app):
    form = app.extensions["rifd_forms"].get("papers")
    refs = [
        {"sha256": store.put_file(pdf(n)), "type": "pdf", "size": 1, "name": f"{n}.pdf"}
        for n in (1, 2)
    ]
    answers = {"national_id": "1000000008", "papers": refs}
    record = service.save(store, form, answers, channel="interview", entered_by="staff")
    who = Actor("staff", can=everything)
    case = operations.open_request(store, profile.current(store), form, record, who)
    html = client.get(f"/cases/{case['id']}").get_data(as_text=True)
    links = re.findall(r'<a href="([^"]+/files/[0-9a-f]{64})">([^<]+)</a>', html)
    assert [name for _href, name in links] == ["1.pdf", "2.pdf"]
    assert client.get(links[1][0]).data == pdf(2)


def test_the_editor_keeps_the_new_properties_and_refuses_wrong_limits(client):
    data = survey()
    photos = {
        "name": "photos",
        "type": "file",
        "label": {"ar": "صور المنزل"},
        "accept": ["jpg", "png"],
        "multiple": True,
        "max_files": 4,
        "max_total_mb": 12,
        "camera": True,
    }
    data["sections"][0]["fields"].append(photos)
    editor = created_editor(client, data)
    assert editor.state()["definition"]["sections"][0]["fields"][-1] == photos
    assert editor.publish().status_code == 200
    html = client.get("/forms/family_survey/new").get_data(as_text=True)
    tag = input_tag(html, "photos")
    assert " multiple" in tag and 'capture="environment"' in tag

    for wrong in ({"max_files": 50}, {"max_total_mb": 500}, {"camera": "yes"}):
        bad = survey()
        bad["sections"][0]["fields"].append({**photos, **wrong})
        body = editor.save(bad).get_json()
        assert body["problems"], wrong
        assert body["problems"][0]["item"] == "sections[0].fields[3]"
    on_text = survey()
    on_text["sections"][0]["fields"][1]["multiple"] = True
    assert editor.save(on_text).get_json()["problems"]
