"""Hostile sign-ins, forged tokens and replayed sessions: a message or a redirect, never a 500,
never a session for someone who should not have one."""

import pytest

from accounts import users
from app import create_app
from tests.conftest import STAFF_PASSWORD, csrf_token, sign_in
from tests.web.conftest import holdings

WRONG = "اسم المستخدم أو كلمة المرور غير صحيحة"
STALE = "انتهت صلاحية الصفحة"


@pytest.fixture
def sara(store):
    return users.create(store, "sara", STAFF_PASSWORD, ["intake"])


def attempt(client, username, password, **extra):
    data = {"csrf_token": csrf_token(client, "/login"), "username": username}
    return client.post("/login", data={**data, "password": password, **extra})


# (id, user name typed, password typed)
HOSTILE_SIGN_INS = [
    ("sql-or-true", "' OR '1'='1", "' OR '1'='1"),
    ("sql-comment", "sara'--", "anything"),
    ("sql-union", "x' UNION SELECT password_hash FROM users--", "x"),
    ("nosql-operator", '{"$ne": null}', '{"$ne": null}'),
    ("template", "{{ config.SECRET_KEY }}", "{{ 7*7 }}"),
    ("script", "<script>alert(1)</script>", "<script>"),
    ("traversal", "../../users/000000.json", "x"),
    ("null-byte", "sara\x00admin", STAFF_PASSWORD),
    ("right-name-empty-password", "sara", ""),
    ("right-password-padded", "sara", STAFF_PASSWORD + " "),
    ("long-name", "s" * 100_000, "x"),
    ("long-password", "sara", "p" * 1_000_000),
    ("arabic-digits-name", "سارة", STAFF_PASSWORD),
]


@pytest.mark.parametrize(
    "username, password", [c[1:] for c in HOSTILE_SIGN_INS], ids=[c[0] for c in HOSTILE_SIGN_INS]
)
def test_a_hostile_sign_in_is_refused_with_the_form(app, anon, sara, username, password):
    before = holdings(app)
    response = attempt(anon, username, password)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and WRONG in page
    assert "<script>alert" not in page and "Traceback" not in page
    assert anon.get("/forms/").status_code == 302  # still nobody
    assert holdings(app) == before


# (id, how the CSRF token is forged)
FORGED = [
    ("missing", None),
    ("garbage", "forged"),
    ("other-session", "other"),
]


@pytest.mark.parametrize("kind", [c[1] for c in FORGED], ids=[c[0] for c in FORGED])
def test_a_forged_token_does_not_sign_in_even_with_the_right_password(app, anon, sara, kind):
    data = {"username": "sara", "password": STAFF_PASSWORD}
    if kind == "other":
        data["csrf_token"] = csrf_token(app.test_client(), "/login")
    elif kind:
        data["csrf_token"] = kind
    response = anon.post("/login", data=data)
    assert response.status_code == 400 and STALE in response.get_data(as_text=True)
    assert anon.get("/forms/").status_code == 302


@pytest.mark.parametrize(
    "body, ctype",
    [
        (b'{"username": "sara", "password": "a long test password"}', "application/json"),
        (b"username=sara&password=a long test password", "text/plain"),
    ],
    ids=["json", "text-plain"],
)
def test_sign_in_with_the_wrong_content_type(anon, sara, body, ctype):
    response = anon.post("/login", data=body, content_type=ctype)
    assert response.status_code == 400
    assert anon.get("/forms/").status_code == 302


# (id, next): every way a browser (or a proxy decoding once) could read as another site.
OFF_SITE = [
    ("scheme-relative", "//evil.example/"),
    ("backslash", "/\\evil.example"),
    ("two-backslashes", "\\\\evil.example"),
    ("absolute", "https://evil.example/"),
    ("scheme-no-slashes", "https:evil.example"),
    ("javascript", "javascript:alert(1)"),
    ("encoded-slashes", "/%2F%2Fevil.example"),
    ("double-encoded", "/%252F%252Fevil.example"),
    ("encoded-backslash", "/%5Cevil.example"),
    ("tab", "/\t/evil.example"),
    ("encoded-tab", "/%09/evil.example"),
    ("cr-lf", "/\r\n/evil.example"),
    ("header-injection", "/\r\nSet-Cookie: a=b"),
    ("leading-space", " //evil.example"),
    ("nul", "/\x00/evil.example"),
    ("huge", "/" + "a" * 10_000),
]
# (next, where the person lands): paths on this site are kept, query and all.
ON_SITE = [
    ("/forms/intake/new", "/forms/intake/new"),
    ("/forms/intake/submissions?q=%D9%85%D8%AD%D9%85%D8%AF", "/forms/intake/submissions?q="),
    ("/letters/?page=2", "/letters/?page=2"),
]


def _sign_in_with_next(client, target):
    data = {"csrf_token": csrf_token(client, "/login"), "username": "sara"}
    return client.post(
        "/login", query_string={"next": target}, data={**data, "password": STAFF_PASSWORD}
    )


@pytest.mark.parametrize("target", [c[1] for c in OFF_SITE], ids=[c[0] for c in OFF_SITE])
def test_next_never_leaves_the_site(anon, sara, target):
    response = _sign_in_with_next(anon, target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert anon.get("/forms/").status_code == 200  # signed in all the same


@pytest.mark.parametrize("target", [c[1] for c in OFF_SITE], ids=[c[0] for c in OFF_SITE])
def test_the_language_switch_never_leaves_the_site(anon, target):
    response = anon.get("/lang/en", query_string={"next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/"


@pytest.mark.parametrize("target, lands", ON_SITE)
def test_next_on_the_site_is_kept(anon, sara, target, lands):
    assert _sign_in_with_next(anon, target).headers["Location"].startswith(lands)
    assert anon.get("/lang/en", query_string={"next": target}).headers["Location"].startswith(lands)


def test_the_language_switch_goes_back_to_this_site_only(anon):
    here = anon.get("/lang/en", headers={"Referer": "http://localhost/f/quick_survey?b=x"})
    assert here.headers["Location"] == "/f/quick_survey?b=x"
    away = anon.get("/lang/en", headers={"Referer": "http://localhost.evil.example/x"})
    assert away.headers["Location"] == "/"


def test_lock_out_is_a_clear_message_for_the_name_and_the_address(app, anon, sara):
    for _ in range(5):
        assert WRONG in attempt(anon, "sara", "wrong").get_data(as_text=True)
    locked = attempt(anon, "sara", STAFF_PASSWORD)
    assert locked.status_code == 400
    assert "محاولات دخول فاشلة كثيرة. انتظر ربع ساعة" in locked.get_data(as_text=True)
    other_name = attempt(anon, "omar", "wrong")  # the same address is paused as well
    assert "محاولات دخول فاشلة كثيرة" in other_name.get_data(as_text=True)
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "198.51.100.9"
    assert "محاولات دخول فاشلة كثيرة" in attempt(elsewhere, "sara", STAFF_PASSWORD).get_data(
        as_text=True
    )


def test_the_lock_out_is_shared_by_every_worker(app, sara):
    # Two apps on one data folder stand for two gunicorn workers: five wrong
    # passwords spread over both lock the name on both (not five on each).
    other = create_app({"TESTING": True, "DATA_DIR": app.config["DATA_DIR"], "SECRET_KEY": "test"})
    workers = [app.test_client(), other.test_client()]
    for n in range(5):
        assert WRONG in attempt(workers[n % 2], "sara", "wrong").get_data(as_text=True)
    for worker in workers:
        locked = attempt(worker, "sara", STAFF_PASSWORD)
        assert locked.status_code == 400
        assert "محاولات دخول فاشلة كثيرة" in locked.get_data(as_text=True)
        assert worker.get("/forms/").status_code == 302


def test_the_public_rate_limit_is_shared_by_every_worker(app):
    other = create_app({"TESTING": True, "DATA_DIR": app.config["DATA_DIR"], "SECRET_KEY": "test"})
    for each in (app, other):
        each.config["RATE_LIMIT_PUBLIC"] = ((3, 60),)
    workers = [app.test_client(), other.test_client()]
    codes = [workers[n % 2].post("/f/quick_survey", data={}).status_code for n in range(4)]
    assert codes[:3] == [400, 400, 400] and codes[3] == 429


def _cookie(client):
    return client.get_cookie("session").value


def _replay(app, value):
    thief = app.test_client()
    thief.set_cookie("session", value)
    return thief


# (id, what ends the session before the stolen cookie is replayed)
ENDINGS = ["sign-out", "disabled", "password-reset", "roles-kept-but-sessions-ended"]


@pytest.mark.parametrize("ending", ENDINGS)
def test_a_replayed_session_cookie_is_dead_after_the_session_ends(app, store, ending):
    person = app.test_client()
    sign_in(person, app, username="sara", roles=["intake"])
    stolen = _cookie(person)
    assert _replay(app, stolen).get("/forms/").status_code == 200  # the cookie did work
    if ending == "sign-out":
        token = csrf_token(person, "/forms/support_request/new")
        assert person.post("/logout", data={"csrf_token": token}).status_code == 302
    elif ending == "disabled":
        users.create(store, "boss", STAFF_PASSWORD, ["admin"])
        users.disable(store, "sara")
    elif ending == "password-reset":
        users.set_password(store, "sara", "a brand new password", must_change=True)
    else:
        users.end_sessions(store, users.find(store, "sara")["id"])
    thief = _replay(app, stolen)
    for url in ("/forms/", "/letters/", "/forms/support_request/new"):
        response = thief.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    response = thief.post("/forms/support_request/new", data={"full_name": "x"})
    assert response.status_code in (302, 400)
    assert store.count("submissions/support_request") == 0


@pytest.mark.parametrize(
    "value",
    [
        "",
        "garbage",
        "eyJfdXNlcl9pZCI6IjE6MSJ9.forged.signature",
        "a" * 4000,
    ],
    ids=["empty", "garbage", "forged-signature", "huge"],
)
def test_a_forged_session_cookie_signs_nobody_in(app, sara, value):
    forger = _replay(app, value)
    response = forger.get("/forms/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_cookie_signed_with_another_key_is_refused(app, sara):
    # The same data, the same user, another secret key: as if a key had leaked elsewhere.
    other = create_app(
        {"TESTING": True, "DATA_DIR": str(app.config["DATA_DIR"]), "SECRET_KEY": "x"}
    )
    person = other.test_client()
    sign_in(person, other, username="sara")
    response = _replay(app, _cookie(person)).get("/forms/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_sign_out_needs_a_post_with_a_token(app):
    person = app.test_client()
    sign_in(person, app, username="sara", roles=["intake"])
    assert person.get("/logout").status_code == 405
    assert person.post("/logout").status_code == 400  # no token: a forged cross-site sign-out
    assert person.get("/forms/").status_code == 200  # still signed in
