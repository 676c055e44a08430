"""Who may open what: every route public or protected, each role refused where it should be."""

import pytest

from accounts.roles import ROLES
from tests.conftest import sign_in
from web import auth

ARGS = {
    "form_id": "intake",
    "rid": 1,
    "lid": 1,
    "jid": 1,
    "name": "acceptance",
    "version": 1,
    "digest": "a" * 64,
    "code": "ABCDEFGHJK",
    "filename": "css/rifd.css",
    "cid": 1,
    "bid": 1,
    "pid": 1,
    "hid": 1,
    "kind": "acceptance",
    "doc_id": "bylaw",
    "uid": 1,
    "draft_id": 1,
    "did": 1,
    "fid": 1,
    "number": 1,
    "index": 0,
    "action": "close",
}


def url_for_rule(rule) -> str:
    path = rule.rule
    for arg in rule.arguments:
        path = path.replace(f"<int:{arg}>", str(ARGS[arg])).replace(f"<{arg}>", str(ARGS[arg]))
        path = path.replace(f"<path:{arg}>", str(ARGS[arg]))
    return path


def test_every_route_is_public_or_needs_a_permission(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    unmapped = endpoints - auth.PUBLIC - set(auth.REQUIRED)
    assert unmapped == set(), f"routes neither public nor protected: {sorted(unmapped)}"
    assert set(auth.REQUIRED) <= endpoints, "the permission map names routes that do not exist"


def test_the_public_can_open_only_public_pages(app, anon):
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        response = anon.get(url_for_rule(rule))
        if rule.endpoint in auth.PUBLIC:
            assert response.status_code != 302 or "/login" not in response.headers["Location"]
        else:
            assert response.status_code == 302, rule.endpoint
            assert "/login" in response.headers["Location"], rule.endpoint


@pytest.mark.parametrize("role", sorted(ROLES))
def test_each_role_gets_403_without_the_permission(app, role):
    client = app.test_client()
    sign_in(client, app, username=f"u_{role}", roles=[role])
    for rule in app.url_map.iter_rules():
        permission = auth.REQUIRED.get(rule.endpoint)
        if rule.endpoint in auth.PUBLIC or permission is None:
            continue
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(url_for_rule(rule), method=method)
        if permission in ROLES[role]:
            assert response.status_code != 403, (role, rule.endpoint)
        else:
            assert response.status_code == 403, (role, rule.endpoint, response.status_code)


def test_the_admin_follows_requests_but_does_not_read_answers_or_letters(app):
    client = app.test_client()
    sign_in(client, app, username="boss", roles=["admin"])
    home = client.get("/").get_data(as_text=True)
    assert 'href="/users/"' in home and 'id="home-overdue"' in home
    assert client.get("/cases/").status_code == 200
    assert client.get("/forms/support_request/submissions").status_code == 403
    assert client.get("/letters/").status_code == 403
