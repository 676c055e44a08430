"""The audit trail: what leaves an entry, the admin's page and export, and that nothing edits it."""

import io
import re

import pytest
from docx import Document
from openpyxl import load_workbook

from accounts import audit as trail
from accounts.audit import COLLECTION as AUDIT
from letters.issue import REGISTER
from tests.conftest import STAFF_PASSWORD, csrf_token, post_form, sign_in
from tests.letters.test_bulk import start, wait_for


def entries(store, action=None):
    return [e for e in store.iter(AUDIT) if action is None or e["action"] == action]


def letter_docx() -> bytes:
    doc = Document()
    doc.add_paragraph("{{ beneficiary.name }} {{ letter.number }}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def add(store, at: str, actor: str = "sara", entity: str = "user", **extra) -> None:
    """Put an entry with a chosen time straight into the store (the tests' own data)."""
    entry = {"actor": actor, "ip": "10.0.0.1", "action": "x", "entity": entity, "entity_id": ""}
    store.insert(AUDIT, {**entry, "before": None, "after": None, "at": at, **extra})


def test_a_submission_is_audited_with_who_and_where(client, store, valid_intake):
    response = post_form(client, "/forms/intake/new", valid_intake)
    rid = int(re.search(r"/submissions/(\d+)", response.headers["Location"]).group(1))
    [entry] = entries(store, "create")
    assert entry["actor"] == "staff" and entry["ip"] == "127.0.0.1"
    assert (entry["entity"], entry["entity_id"]) == ("submission:intake", str(rid))
    assert entry["after"]["national_id"] == "1000000008"  # as stored: the trail is for admins
    assert "\\x89PNG" not in str(entry["after"])  # uploads appear as references, not bytes


def test_a_template_and_a_letter_are_audited(client, store, valid_intake):
    upload = {"name": "simple", "form_id": "intake", "file": (io.BytesIO(letter_docx()), "t.docx")}
    assert post_form(client, "/letters/templates/", upload).status_code == 302
    [published] = entries(store, "publish")
    assert (published["entity"], published["entity_id"]) == ("letter_template", "simple")
    assert published["after"]["version"] == 1 and len(published["after"]["sha256"]) == 64
    response = post_form(client, "/forms/intake/new", valid_intake)
    page = response.headers["Location"].split("?")[0]
    rid = int(re.search(r"/submissions/(\d+)", page).group(1))
    token = csrf_token(client, page)
    client.post(f"/letters/from/intake/{rid}", data={"csrf_token": token, "template": "simple"})
    [letter] = list(store.iter(REGISTER))
    [issued] = entries(store, "issue")
    assert (issued["actor"], issued["entity"]) == ("staff", "letter")
    assert issued["entity_id"] == str(letter["id"])
    assert issued["after"]["number"] == letter["number"]
    assert issued["after"]["recipient"] == letter["recipient"]
    client.get("/letters/register.xlsx")
    assert entries(store, "export")[-1]["entity"] == "letters_register"


def test_sign_in_failure_and_sign_out_are_audited(app, store):
    person = app.test_client()
    sign_in(person, app, username="sara", roles=["intake"])
    [login] = [e for e in entries(store, "login") if e["actor"] == "sara"]
    assert login["entity"] == "user" and login["ip"] == "127.0.0.1"
    token = csrf_token(person, "/forms/support_request/new")
    person.post("/logout", data={"csrf_token": token})
    [logout] = entries(store, "logout")
    assert logout["actor"] == "sara" and logout["entity_id"] == login["entity_id"]
    token = csrf_token(person, "/login")
    wrong = {"csrf_token": token, "username": "Sara", "password": STAFF_PASSWORD + "x"}
    assert person.post("/login", data=wrong).status_code == 400
    [failed] = entries(store, "login_failed")
    assert failed["actor"] == "public" and failed["after"]["username"] == "sara"


def test_the_users_command_leaves_entries_by_the_cli(runner, store):
    args = ["users", "create", "amal", "--role", "intake", "--password-stdin"]
    assert runner.invoke(args=args, input=STAFF_PASSWORD + "\n").exit_code == 0
    assert runner.invoke(args=["users", "set-role", "amal", "--role", "viewer"]).exit_code == 0
    assert runner.invoke(args=["users", "disable", "amal"]).exit_code == 0
    made, changed, disabled = [e for e in entries(store) if e["entity"] == "user"]
    assert made["actor"].startswith("cli:") and made["ip"] == ""
    assert made["action"] == "create" and made["after"]["roles"] == ["intake"]
    assert changed["before"] == {"roles": ["intake"]} and changed["after"] == {"roles": ["viewer"]}
    assert disabled["action"] == "disable" and disabled["after"] == {"active": False}


def test_the_page_lists_newest_first_and_pages_by_twenty(client, store):
    for n in range(25):
        add(store, f"2024-03-{n + 1:02d}T08:00:00+00:00", actor="pager", entity=f"e{n:02d}")
    first = client.get("/audit/?actor=pager").get_data(as_text=True)
    assert first.index("e24") < first.index("e23") and "e04" not in first
    second = client.get("/audit/?actor=pager&page=2").get_data(as_text=True)
    assert "e04" in second and "e05" not in second and "e24" not in second


def test_the_page_filters_by_person_entity_and_dates(client, store):
    add(store, "2024-03-01T09:00:00+00:00", actor="sara", entity="submission:intake")
    add(store, "2024-03-10T09:00:00+00:00", actor="omar", entity="submission:survey")
    add(store, "2024-03-20T09:00:00+00:00", actor="sara", entity="letter")
    by_person = client.get("/audit/?actor=Omar").get_data(as_text=True)
    assert "submission:survey" in by_person and "submission:intake" not in by_person
    by_entity = client.get("/audit/?entity=submission:").get_data(as_text=True)
    assert "submission:intake" in by_entity and "submission:survey" in by_entity
    assert 'title="letter">خطاب<' not in by_entity
    dated = client.get("/audit/?date_from=2024-03-05&date_to=2024-03-10").get_data(as_text=True)
    assert "submission:survey" in dated and "submission:intake" not in dated
    assert 'title="letter">خطاب<' not in dated
    assert "1445" in dated  # the times read as Hijri
    ignored = client.get("/audit/?actor=sara&date_from=yesterday").get_data(as_text=True)
    assert "submission:intake" in ignored and 'title="letter">خطاب<' in ignored


def test_before_and_after_are_escaped(client, store):
    add(store, "2024-03-01T09:00:00+00:00", after={"name": "<script>x</script>"})
    page = client.get("/audit/?actor=sara").get_data(as_text=True)
    assert "<script>x" not in page and "&lt;script&gt;x" in page and "<details>" in page


def test_the_export_is_rtl_text_and_matches_the_filter(client, store):
    add(store, "2024-03-01T09:00:00+00:00", actor="sara", entity="=HYPERLINK(1)", entity_id="7")
    add(store, "2024-03-02T09:00:00+00:00", actor="omar")
    response = client.get("/audit/export.xlsx?actor=sara")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.data)).active
    assert ws.sheet_view.rightToLeft
    rows = list(ws.iter_rows(min_row=2))
    assert len(rows) == 1 and rows[0][2].value == "sara" and rows[0][5].value == "=HYPERLINK(1)"
    assert all(cell.data_type in ("s", "inlineStr") for cell in rows[0])  # no formula
    [export] = entries(store, "export")
    assert export["entity"] == "audit" and export["after"] == {
        "filters": {"actor": "sara"},
        "count": 1,
    }


@pytest.mark.parametrize("role", ["viewer", "intake"])
def test_only_the_admin_reads_the_trail(app, role):
    person = app.test_client()
    sign_in(person, app, username=f"u_{role}", roles=[role])
    assert person.get("/audit/").status_code == 403
    assert person.get("/audit/export.xlsx").status_code == 403
    admin = app.test_client()
    sign_in(admin, app, username="boss", roles=["admin"])
    assert admin.get("/audit/").status_code == 200


def test_nothing_edits_or_deletes_the_trail(app):
    rules = [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/audit")]
    assert rules
    for rule in rules:
        assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule
    assert not any(hasattr(trail, name) for name in ("delete", "update", "edit", "remove"))


def test_a_decision_is_audited_with_the_letter_that_carries_it(client, store, valid_intake):
    response = post_form(client, "/forms/intake/new", valid_intake)
    page = response.headers["Location"].split("?")[0]
    rid = int(re.search(r"/submissions/(\d+)", page).group(1))
    decision = {"reasons": "الدخل يغطي الاحتياج", "meeting_number": "٧", "reapply_after": ""}
    token = csrf_token(client, page)
    client.post(
        f"/letters/from/intake/{rid}",
        data={"csrf_token": token, "template": "rejection", **decision},
    )
    [letter] = list(store.iter(REGISTER))
    [issued] = entries(store, "issue")
    assert issued["after"]["submission"] == letter["answers"]["ref"]
    assert issued["after"]["template"]["name"] == "rejection"
    assert issued["after"]["decision"] == {
        "reasons": "الدخل يغطي الاحتياج",
        "meeting_number": "٧",
    }
    assert issued["before"] is None  # a new letter: nothing before it


def test_every_export_is_audited_with_what_it_held(client, store, valid_intake):
    post_form(client, "/forms/intake/new", valid_intake)
    post_form(client, "/forms/intake/new", valid_intake)
    assert client.get("/forms/intake/export.xlsx").status_code == 200
    client.get("/lang/en")
    assert client.get("/letters/register.xlsx").status_code == 200
    submissions, register = entries(store, "export")
    assert submissions["entity"] == "submissions:intake"
    assert submissions["after"] == {"count": 2, "lang": "ar"}
    assert register["entity"] == "letters_register"
    assert register["after"] == {"count": 0, "lang": "en"}


def test_a_bulk_download_is_audited_as_an_export(client, store, valid_intake):
    for _ in range(2):
        post_form(client, "/forms/intake/new", valid_intake)
    token = csrf_token(client, "/forms/intake/submissions")
    job = start(client, token, scope="all", output="zip_docx").headers["Location"]
    state = wait_for(client, job + ".json")
    assert client.get(state["download"]).status_code == 200
    [started] = entries(store, "issue_bulk")
    [download] = entries(store, "export")
    assert (download["entity"], download["entity_id"]) == ("job", started["entity_id"])
    assert download["after"] == {"letters": 2, "output": "zip"}
