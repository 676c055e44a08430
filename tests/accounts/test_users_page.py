"""The admin's users page and a person's own password, used as people would use them."""

import re

import pytest

from accounts import users
from accounts.audit import COLLECTION as AUDIT
from tests.conftest import STAFF_PASSWORD, csrf_token, sign_in

NEW_PASSWORD = "another long password"
ONE_TIME = re.compile(r'<code class="ref">([a-z0-9]{14})</code>')


@pytest.fixture
def admin(app):
    client = app.test_client()
    sign_in(client, app, username="boss", roles=["admin"])
    return client


def login(client, username, password):
    token = csrf_token(client, "/login")
    data = {"csrf_token": token, "username": username, "password": password}
    return client.post("/login", data=data)


def new_user(admin, **data):
    token = csrf_token(admin, "/users/new")
    return admin.post("/users/new", data={"csrf_token": token, **data})


def press(admin, url, page, **data):
    """Press a button on `page`: a POST carrying that page's token."""
    return admin.post(url, data={"csrf_token": csrf_token(admin, page), **data})


def entries(store, action):
    return [e for e in store.iter(AUDIT) if e["action"] == action]


def test_the_list_shows_each_user_with_roles_and_state(admin, store):
    users.create(store, "sara", STAFF_PASSWORD, ["intake", "researcher"])
    users.create(store, "omar", STAFF_PASSWORD, ["viewer"])
    users.disable(store, "omar")
    page = admin.get("/users/").get_data(as_text=True)
    assert "sara" in page and "موظف الاستقبال، الباحث الاجتماعي" in page
    assert re.search(r"omar</a></td>\s*<td>اطلاع فقط</td>\s*<td>موقوف", page)


def test_create_with_a_password_typed_twice(admin, app, store):
    data = {"username": "Sara", "roles": ["intake"], "mode": "password"}
    mismatch = new_user(admin, **data, password=STAFF_PASSWORD, confirm=STAFF_PASSWORD + "x")
    assert mismatch.status_code == 400
    assert "كلمتا المرور غير متطابقتين" in mismatch.get_data(as_text=True)
    short = new_user(admin, **data, password="short", confirm="short")
    assert "10 أحرف على الأقل" in short.get_data(as_text=True)
    assert users.find(store, "sara") is None
    made = new_user(admin, **data, password=STAFF_PASSWORD, confirm=STAFF_PASSWORD)
    assert made.status_code == 302
    assert users.find(store, "sara")["roles"] == ["intake"]
    [entry] = entries(store, "create")
    assert entry["actor"] == "boss" and entry["entity"] == "user"
    assert entry["after"] == {
        "username": "sara",
        "full_name": "",
        "roles": ["intake"],
        "active": True,
        "must_change_password": False,
    }
    person = app.test_client()
    assert login(person, "sara", STAFF_PASSWORD).status_code == 302
    assert person.get("/forms/").status_code == 200


def test_a_one_time_password_must_be_changed_before_anything_else(admin, app, store):
    made = new_user(admin, username="amal", roles=["intake"], mode="one_time")
    assert made.status_code == 200
    password = ONE_TIME.search(made.get_data(as_text=True)).group(1)
    assert users.find(store, "amal")["must_change_password"] is True
    assert password not in str(list(store.iter(AUDIT)))
    person = app.test_client()
    assert login(person, "amal", password).status_code == 302
    for url in ("/forms/", "/letters/", "/forms/support_request/new"):
        response = person.get(url)
        assert response.status_code == 302 and response.headers["Location"] == "/account/password"
    page = person.get("/account/password").get_data(as_text=True)
    assert "كلمة مرورك الحالية مؤقتة" in page
    token = csrf_token(person, "/account/password")
    same = {"csrf_token": token, "current": password, "password": password, "confirm": password}
    assert person.post("/account/password", data=same).status_code == 400
    change = {**same, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert person.post("/account/password", data=change).status_code == 302
    assert person.get("/forms/").status_code == 200  # still signed in, free to work
    assert users.find(store, "amal")["must_change_password"] is False
    [changed] = entries(store, "change_password")
    assert changed["before"] == {"must_change_password": True}
    assert changed["after"] == {"must_change_password": False}
    assert login(app.test_client(), "amal", password).status_code == 400
    assert login(app.test_client(), "amal", NEW_PASSWORD).status_code == 302


def test_changing_roles_takes_effect_at_once_and_is_audited(admin, app, store):
    user = users.create(store, "sara", STAFF_PASSWORD, ["viewer"])
    person = app.test_client()
    sign_in(person, app, username="sara")
    assert person.get("/forms/support_request/new").status_code == 403
    page = f"/users/{user['id']}"
    saved = press(admin, page, page, roles=["intake", "viewer"])
    assert saved.status_code == 302
    assert person.get("/forms/support_request/new").status_code == 200
    [entry] = entries(store, "set_roles")
    assert entry["before"] == {"roles": ["viewer"]}
    assert entry["after"] == {"roles": ["intake", "viewer"]}
    none = press(admin, page, page)
    assert none.status_code == 400 and "اختر دورًا واحدًا على الأقل" in none.get_data(as_text=True)
    forged = press(admin, page, page, roles=["king"])
    assert forged.status_code == 400 and "دور غير معروف" in forged.get_data(as_text=True)
    assert users.find(store, "sara")["roles"] == ["intake", "viewer"]
    assert len(entries(store, "set_roles")) == 1


def test_disable_and_enable(admin, app, store):
    user = users.create(store, "sara", STAFF_PASSWORD, ["intake"])
    person = app.test_client()
    sign_in(person, app, username="sara")
    page = f"/users/{user['id']}"
    assert press(admin, f"{page}/active", page, active="0", confirm="yes").status_code == 302
    assert person.get("/forms/").status_code == 302  # signed out at once
    assert login(app.test_client(), "sara", STAFF_PASSWORD).status_code == 400
    assert "موقوف" in admin.get(page).get_data(as_text=True)
    assert press(admin, f"{page}/active", page, active="1").status_code == 302
    assert login(app.test_client(), "sara", STAFF_PASSWORD).status_code == 302
    disabled, enabled = entries(store, "disable"), entries(store, "enable")
    assert disabled[0]["before"] == {"active": True} and disabled[0]["after"] == {"active": False}
    assert enabled[0]["before"] == {"active": False} and enabled[0]["after"] == {"active": True}


def test_sign_a_user_out_everywhere(admin, app, store):
    user = users.create(store, "sara", STAFF_PASSWORD, ["intake"])
    here, there = app.test_client(), app.test_client()
    sign_in(here, app, username="sara")
    sign_in(there, app, username="sara")
    page = f"/users/{user['id']}"
    assert press(admin, f"{page}/sessions", page).status_code == 302
    assert here.get("/forms/").status_code == 302 and there.get("/forms/").status_code == 302
    [entry] = entries(store, "end_sessions")
    assert entry["after"]["session_version"] == entry["before"]["session_version"] + 1
    assert login(here, "sara", STAFF_PASSWORD).status_code == 302  # may sign in again


def test_reset_gives_a_new_one_time_password(admin, app, store):
    user = users.create(store, "sara", STAFF_PASSWORD, ["intake"])
    person = app.test_client()
    sign_in(person, app, username="sara")
    page = f"/users/{user['id']}"
    shown = press(admin, f"{page}/password", page, confirm="yes")
    password = ONE_TIME.search(shown.get_data(as_text=True)).group(1)
    assert person.get("/forms/").status_code == 302
    assert login(app.test_client(), "sara", STAFF_PASSWORD).status_code == 400
    fresh = app.test_client()
    assert login(fresh, "sara", password).status_code == 302
    assert fresh.get("/forms/").headers["Location"] == "/account/password"
    [entry] = entries(store, "reset_password")
    assert entry["after"] == {"must_change_password": True}


def test_the_last_admin_cannot_remove_his_own_admin_role(admin, store):
    me = users.find(store, "boss")
    page = f"/users/{me['id']}"
    demote = press(admin, page, page, roles=["viewer"])
    assert demote.status_code == 400
    assert "هذا آخر مدير نظام نشط" in demote.get_data(as_text=True)
    leave = press(admin, f"{page}/active", page, active="0", confirm="yes")
    assert leave.status_code == 400 and "هذا آخر مدير نظام نشط" in leave.get_data(as_text=True)
    assert users.find(store, "boss")["roles"] == ["admin"] and users.find(store, "boss")["active"]
    assert admin.get("/users/").status_code == 200
    assert entries(store, "set_roles") == [] and entries(store, "disable") == []
    # With a second active admin he may step down.
    users.create(store, "deputy", STAFF_PASSWORD, ["admin"])
    assert press(admin, page, page, roles=["admin", "viewer"]).status_code == 302
    assert press(admin, page, page, roles=["viewer"]).status_code == 302
    assert admin.get("/users/").status_code == 403


def test_own_password_change_refuses_wrong_current_and_ends_other_sessions(app, store):
    here, there = app.test_client(), app.test_client()
    sign_in(here, app, username="sara", roles=["intake"])
    sign_in(there, app, username="sara")
    token = csrf_token(here, "/account/password")
    wrong = {"csrf_token": token, "current": "nope", "password": NEW_PASSWORD}
    response = here.post("/account/password", data={**wrong, "confirm": NEW_PASSWORD})
    assert response.status_code == 400
    assert "كلمة المرور الحالية غير صحيحة" in response.get_data(as_text=True)
    right = {**wrong, "current": STAFF_PASSWORD, "confirm": NEW_PASSWORD + "!"}
    assert "غير متطابقتين" in here.post("/account/password", data=right).get_data(as_text=True)
    right["confirm"] = NEW_PASSWORD
    assert here.post("/account/password", data=right).status_code == 302
    assert here.get("/forms/").status_code == 200
    assert there.get("/forms/").status_code == 302


def test_only_users_manage_opens_the_page(app):
    person = app.test_client()
    sign_in(person, app, username="qo", roles=["quality_officer", "intake", "committee"])
    assert person.get("/users/").status_code == 403
    assert person.get("/users/new").status_code == 403


def test_disabling_and_resetting_need_a_confirmation(admin, app, store):
    user = users.create(store, "sara", STAFF_PASSWORD, ["intake"])
    page = f"/users/{user['id']}"
    for url, data in ((f"{page}/active", {"active": "0"}), (f"{page}/password", {})):
        response = press(admin, url, page, **data)
        assert response.status_code == 302 and response.headers["Location"] == page
        assert "أكّد الإجراء أولًا" in admin.get(page).get_data(as_text=True)
    assert users.find(store, "sara")["active"]
    assert login(app.test_client(), "sara", STAFF_PASSWORD).status_code == 302
    assert entries(store, "disable") == [] and entries(store, "reset_password") == []
