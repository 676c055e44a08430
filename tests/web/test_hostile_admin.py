"""Hostile input to the admin's pages (users, a person's data): the page again with a message,
nothing created, changed or erased that should not be."""

import pytest

from accounts import users
from tests.conftest import STAFF_PASSWORD, csrf_token, post_form, sign_in
from tests.web.conftest import holdings
from tests.web.test_staff_forms import stored

NAME_RULE = "اسم المستخدم من 2 إلى 32 حرفًا"


@pytest.fixture
def admin(app):
    client = app.test_client()
    sign_in(client, app, username="boss", roles=["admin"])
    return client


def create(admin, **data):
    token = csrf_token(admin, "/users/new")
    return admin.post("/users/new", data={"csrf_token": token, "mode": "password", **data})


# (id, changes to a valid new user, message on the page)
REFUSED_USERS = [
    ("name-script", {"username": "<script>alert(1)</script>"}, NAME_RULE),
    ("name-sql", {"username": "x' OR '1'='1"}, NAME_RULE),
    ("name-traversal", {"username": "../../users"}, NAME_RULE),
    ("name-template", {"username": "{{7*7}}"}, NAME_RULE),
    ("name-arabic", {"username": "سارة"}, NAME_RULE),
    ("name-too-long", {"username": "a" * 33}, NAME_RULE),
    ("name-taken", {"username": "boss"}, "اسم المستخدم هذا موجود من قبل"),
    ("role-forged", {"roles": ["superuser"]}, "دور غير معروف"),
    ("no-role", {"roles": []}, "اختر دورًا واحدًا على الأقل"),
    ("password-mismatch", {"confirm": "something else entirely"}, "غير متطابقتين"),
    ("password-short", {"password": "short", "confirm": "short"}, "10 أحرف على الأقل"),
    ("password-huge", {"password": "p" * 300, "confirm": "p" * 300}, "200 حرف على الأكثر"),
]


@pytest.mark.parametrize(
    "changes, shown", [c[1:] for c in REFUSED_USERS], ids=[c[0] for c in REFUSED_USERS]
)
def test_a_hostile_new_user_is_refused(app, admin, changes, shown):
    valid = {"username": "sara", "roles": ["intake"]}
    valid |= {"password": STAFF_PASSWORD, "confirm": STAFF_PASSWORD}
    before = holdings(app)
    response = create(admin, **{**valid, **changes})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and shown in page
    assert "<script>alert" not in page
    assert holdings(app) == before


@pytest.mark.parametrize(
    "url", ["/users/new", "/users/1", "/users/1/active", "/users/1/sessions", "/users/1/password"]
)
def test_a_forged_token_changes_no_user(app, admin, store, url):
    before = holdings(app)
    data = {"username": "evil", "roles": ["admin"], "mode": "one_time", "active": "0"}
    response = admin.post(url, data={**data, "csrf_token": "forged"})
    assert response.status_code == 400
    assert "انتهت صلاحية الصفحة" in response.get_data(as_text=True)
    assert holdings(app) == before
    assert users.find(store, "boss")["active"] and users.find(store, "evil") is None


def test_a_user_id_that_is_not_there_is_a_404(admin):
    token = csrf_token(admin, "/users/new")
    assert admin.get("/users/999").status_code == 404
    assert admin.post("/users/999/active", data={"csrf_token": token}).status_code == 404


# (id, what is typed as the person's ID on the privacy page, message on the page)
HOSTILE_IDS = [
    ("sql", "1' OR '1'='1", "رقم الهوية أو الإقامة يتكون من ١٠ أرقام"),
    ("script", "<script>alert(1)</script>", "يتكون من ١٠ أرقام"),
    ("traversal", "../../../etc/passwd", "يتكون من ١٠ أرقام"),
    ("bad-check-digit", "1000000000", "غير صحيح"),
    ("unknown-person", "2172323137", "لا توجد بيانات لصاحب هذا الرقم"),
]


@pytest.mark.parametrize(
    "typed, shown", [c[1:] for c in HOSTILE_IDS], ids=[c[0] for c in HOSTILE_IDS]
)
def test_the_privacy_page_refuses_hostile_ids(app, client, valid_intake, typed, shown):
    assert post_form(client, "/forms/intake/new", valid_intake).status_code == 302
    before = holdings(app)
    token = csrf_token(client, "/privacy/")
    for action in ("find", "export", "erase"):
        data = {"csrf_token": token, "national_id": typed, "action": action, "confirm": typed}
        response = client.post("/privacy/", data=data)
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and shown in page and "<script>alert" not in page
        assert response.mimetype == "text/html"
    assert holdings(app) == before


def test_erasing_needs_the_id_typed_again(app, client, store, valid_intake):
    assert post_form(client, "/forms/intake/new", valid_intake).status_code == 302
    before = holdings(app)
    token = csrf_token(client, "/privacy/")
    for confirm in ("", "1000000000", "<script>", "1000000008' OR '1'='1"):
        data = {"csrf_token": token, "national_id": "1000000008", "action": "erase"}
        page = client.post("/privacy/", data={**data, "confirm": confirm}).get_data(as_text=True)
        assert "اكتب رقم الهوية مرة أخرى لتأكيد المسح" in page
    assert holdings(app) == before and len(stored(store)) == 1


def test_erasing_with_a_forged_token_erases_nothing(app, client, store, valid_intake):
    assert post_form(client, "/forms/intake/new", valid_intake).status_code == 302
    data = {"national_id": "1000000008", "confirm": "1000000008", "action": "erase"}
    response = client.post("/privacy/", data={**data, "csrf_token": "forged"})
    assert response.status_code == 400
    assert stored(store)[0]["answers"]["national_id"] == "1000000008"
