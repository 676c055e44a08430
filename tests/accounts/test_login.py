"""Signing in and out, lock-out, session cookies, and the users command."""

import time

from itsdangerous import timed

from accounts import users
from tests.conftest import STAFF_PASSWORD, csrf_token, sign_in


def login(client, username, password):
    token = csrf_token(client, "/login")
    return client.post(
        "/login", data={"csrf_token": token, "username": username, "password": password}
    )


def test_sign_in_with_the_right_password_only(app, anon, store):
    users.create(store, "sara", STAFF_PASSWORD, ["intake"])
    wrong = login(anon, "sara", "not the password")
    assert wrong.status_code == 400
    assert "اسم المستخدم أو كلمة المرور غير صحيحة" in wrong.get_data(as_text=True)
    assert anon.get("/forms/").status_code == 302
    assert login(anon, "nobody", STAFF_PASSWORD).status_code == 400
    right = login(anon, "sara", STAFF_PASSWORD)
    assert right.status_code == 302
    assert anon.get("/forms/").status_code == 200
    assert "argon2id" in users.find(store, "sara")["password_hash"]


def test_lock_out_after_repeated_failures(app, anon, store):
    users.create(store, "sara", STAFF_PASSWORD, ["intake"])
    for _ in range(5):
        assert "غير صحيحة" in login(anon, "sara", "wrong").get_data(as_text=True)
    locked = login(anon, "sara", STAFF_PASSWORD)  # even the right password waits now
    assert locked.status_code == 400
    assert "محاولات دخول فاشلة كثيرة" in locked.get_data(as_text=True)


def test_next_is_kept_but_never_leaves_the_site(app, anon, store):
    users.create(store, "sara", STAFF_PASSWORD, ["intake"])
    response = anon.get("/forms/support_request/submissions")
    assert response.headers["Location"].startswith("/login?next=")
    token = csrf_token(anon, "/login")
    response = anon.post(
        "/login?next=//evil.example/x",
        data={"csrf_token": token, "username": "sara", "password": STAFF_PASSWORD},
    )
    assert response.headers["Location"] == "/"


def test_session_cookie_flags(app, anon, store):
    users.create(store, "sara", STAFF_PASSWORD, ["intake"])
    cookie = login(anon, "sara", STAFF_PASSWORD).headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Expires=" in cookie
    # The session ends after 30 minutes without a request (tests/web/test_entry_drafts.py).
    assert app.config["SESSION_IDLE_LIMIT"].total_seconds() == 30 * 60


def test_a_session_unused_for_30_minutes_is_refused_by_the_server(app, store, monkeypatch):
    person = app.test_client()
    sign_in(person, app, username="sara", roles=["intake"])
    assert person.get("/forms/").status_code == 200
    # The cookie's signed timestamp is checked against the lifetime on every request,
    # so even a browser that ignores Expires (or a copied cookie) is refused.
    later = time.time() + 31 * 60
    monkeypatch.setattr(timed.time, "time", lambda: later)
    response = person.get("/forms/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_signing_out_ends_every_session(app, store):
    here, there = app.test_client(), app.test_client()
    sign_in(here, app, username="sara", roles=["intake"])
    sign_in(there, app, username="sara", roles=["intake"])
    assert there.get("/forms/").status_code == 200
    token = csrf_token(here, "/forms/support_request/new")
    assert here.post("/logout", data={"csrf_token": token}).status_code == 302
    assert here.get("/forms/").status_code == 302
    assert there.get("/forms/").status_code == 302  # the other machine is signed out too


def test_users_command(app, runner, store, anon):
    result = runner.invoke(
        args=["users", "create", "admin", "--role", "admin", "--password-stdin"],
        input=STAFF_PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    short = runner.invoke(
        args=["users", "create", "sami", "--role", "intake", "--password-stdin"], input="short\n"
    )
    assert short.exit_code == 1 and "at least 10" in short.output
    again = runner.invoke(
        args=["users", "create", "admin", "--role", "admin", "--password-stdin"],
        input=STAFF_PASSWORD + "\n",
    )
    assert again.exit_code == 1 and "already exists" in again.output
    assert (
        runner.invoke(args=["users", "create", "x", "--role", "king", "--password-stdin"]).exit_code
        == 2
    )
    assert (
        runner.invoke(
            args=["users", "set-role", "admin", "--role", "admin", "--role", "viewer"]
        ).exit_code
        == 0
    )
    listed = runner.invoke(args=["users", "list"]).output
    assert "admin\tadmin,viewer\tactive" in listed
    assert login(anon, "admin", STAFF_PASSWORD).status_code == 302
    assert anon.get("/letters/").status_code == 200  # viewer may read letters now
    last = runner.invoke(args=["users", "disable", "admin"])
    assert last.exit_code == 1 and "last active admin" in last.output
    assert runner.invoke(args=["users", "set-role", "admin", "--role", "viewer"]).exit_code == 1
    second = ["users", "create", "deputy", "--role", "admin", "--password-stdin"]
    assert runner.invoke(args=second, input=STAFF_PASSWORD + "\n").exit_code == 0
    assert runner.invoke(args=["users", "disable", "admin"]).exit_code == 0
    assert anon.get("/letters/").status_code == 302  # disabled: the session ends at once
    assert login(anon, "admin", STAFF_PASSWORD).status_code == 400
    assert runner.invoke(args=["users", "enable", "admin"]).exit_code == 0
    assert "admin\tadmin,viewer\tactive" in runner.invoke(args=["users", "list"]).output
    assert login(anon, "admin", STAFF_PASSWORD).status_code == 302


def test_seed_says_how_to_create_the_first_admin(runner):
    output = runner.invoke(args=["seed"]).output
    assert "flask --app app users create admin --role admin" in output
