"""Security headers, no caching of personal data, inline-free templates, rate limits."""

import re
from pathlib import Path

import pytest

from app import create_app
from tests.conftest import ROOT, csrf_token, post_form
from tests.web.test_staff_forms import stored
from web import public

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
TOO_MANY = "طلبات كثيرة في وقت قصير"
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))


def assert_hardened(response, cached_ok=False):
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, name
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    # The camera and the location for this site only (barcode, image and geopoint
    # fields); nothing else a page has no use for.
    policy = response.headers["Permissions-Policy"]
    assert "camera=(self)" in policy and "geolocation=(self)" in policy
    assert "microphone=()" in policy and "payment=()" in policy
    if not cached_ok:
        assert response.headers["Cache-Control"] == "no-store"


def csp_directives(response) -> dict[str, list[str]]:
    parts = (p.split() for p in response.headers["Content-Security-Policy"].split(";"))
    return {p[0]: p[1:] for p in parts if p}


def public_client(app, address="203.0.113.7"):
    """The public on a phone at `address`, signed in as nobody."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def survey(client, comment="شكرًا"):
    return post_form(client, "/f/quick_survey", {"overall": "4", "comment": comment})


# --- headers ------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/f/quick_survey", "/forms/", "/forms/intake/new"])
def test_headers_on_pages(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert_hardened(response)


def test_headers_on_error_pages(client, monkeypatch):
    for url, code in (("/no/such/page", 404), ("/f/intake", 404)):
        response = client.get(url)
        assert response.status_code == code
        assert_hardened(response)

    def broken(*_args, **_kwargs):
        raise RuntimeError("the store went away")

    monkeypatch.setattr(public, "fill", broken)
    response = client.get("/f/quick_survey")
    assert response.status_code == 500
    assert_hardened(response)


def test_headers_on_downloads(client, store, valid_intake):
    assert post_form(client, "/forms/intake/new", valid_intake).status_code == 302
    export = client.get("/forms/intake/export.xlsx")
    assert export.status_code == 200
    assert export.headers["Content-Disposition"].startswith("attachment")
    assert_hardened(export)
    [record] = stored(store)
    digest = record["answers"]["sign"]["sha256"]
    image = client.get(f"/forms/intake/submissions/{record['id']}/files/{digest}")
    assert image.status_code == 200 and image.mimetype == "image/png"
    assert_hardened(image)


def test_static_files_may_be_cached_but_are_still_hardened(client):
    response = client.get("/static/css/rifd.css")
    assert response.status_code == 200
    assert_hardened(response, cached_ok=True)
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_csp_allows_no_inline_code(client):
    directives = csp_directives(client.get("/f/quick_survey"))
    for values in directives.values():
        assert "'unsafe-inline'" not in values and "'unsafe-eval'" not in values
        assert "*" not in values
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    # The signature pad draws a saved signature (a data: URL) back onto its canvas.
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["form-action"] == ["'self'"]
    assert directives["base-uri"] == ["'none'"]


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/f/quick_survey").headers
    secure = client.get("/f/quick_survey", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


# --- templates carry no inline code -------------------------------------------------

TAG = re.compile(r"<[a-zA-Z][^<>]*>")
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.I | re.S)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE_ATTR = re.compile(r"\sstyle\s*=", re.I)


def test_templates_were_found():
    assert len(TEMPLATES) >= 10


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_template_has_no_inline_script_or_style(path: Path):
    text = path.read_text(encoding="utf-8")
    for attrs, body in SCRIPT.findall(text):
        assert "src=" in attrs, "a <script> without src"
        assert not body.strip(), "an inline <script> body"
    assert not re.search(r"<style\b", text, re.I), "a <style> element"
    assert "javascript:" not in text.lower()
    for tag in TAG.findall(text):
        assert not HANDLER.search(tag), f"an on*= handler in {tag}"
        assert not STYLE_ATTR.search(tag), f"a style= attribute in {tag}"


# --- rate limit on public submissions -----------------------------------------------


def test_public_posts_over_the_limit_get_429_and_store_nothing(app, store):
    app.config["RATE_LIMIT_PUBLIC"] = ((10, 60), (100, 3600))
    phone = public_client(app)
    for n in range(10):
        assert survey(phone, f"رأي {n}").status_code == 302, n
    response = survey(phone, "واحد زيادة")
    assert response.status_code == 429
    assert TOO_MANY in response.get_data(as_text=True)
    assert response.headers["Retry-After"] == "60"
    assert_hardened(response)
    comments = [r["answers"].get("comment") for r in stored(store, "quick_survey")]
    assert len(comments) == 10 and "واحد زيادة" not in comments
    # Reading the form is never limited, and another address is counted on its own.
    assert phone.get("/f/quick_survey").status_code == 200
    assert survey(public_client(app, "198.51.100.4")).status_code == 302


def test_invalid_posts_count_too(app, store):
    app.config["RATE_LIMIT_PUBLIC"] = ((10, 60),)
    phone = public_client(app)
    for _ in range(10):
        assert post_form(phone, "/f/quick_survey", {"overall": "9"}).status_code == 400
    assert survey(phone).status_code == 429
    assert stored(store, "quick_survey") == []


def test_a_room_on_one_address_is_not_refused_by_default(app, store):
    room = public_client(app)  # everyone behind the hall's Wi-Fi: one address
    assert all(survey(room, f"رأي {n}").status_code == 302 for n in range(60))
    assert len(stored(store, "quick_survey")) == 60


def test_the_limit_counts_each_form_on_its_own(app, store, client):
    app.config["RATE_LIMIT_PUBLIC"] = ((2, 60),)
    phone = public_client(app)
    assert [survey(phone).status_code for _ in range(3)] == [302, 302, 429]
    other = phone.get("/f/satisfaction_survey")
    assert other.status_code == 200
    refused = phone.post("/f/satisfaction_survey", data={"csrf_token": "x"})
    assert refused.status_code != 429  # a bad token is a 400 of its own, not the limit


def test_the_limits_come_from_the_config(app, store):
    app.config["RATE_LIMIT_PUBLIC"] = ((50, 60), (2, 3600))
    phone = public_client(app)
    assert [survey(phone).status_code for _ in range(3)] == [302, 302, 429]
    assert len(stored(store, "quick_survey")) == 2
    app.config["RATE_LIMIT_PUBLIC"] = ()  # no limits at all
    assert survey(phone).status_code == 302


def test_the_429_page_follows_the_language(app):
    app.config["RATE_LIMIT_PUBLIC"] = ((1, 60),)
    phone = public_client(app)
    phone.get("/lang/en")
    assert survey(phone).status_code == 302
    response = survey(phone)
    assert response.status_code == 429
    assert "Too many requests" in response.get_data(as_text=True)


def test_staff_forms_are_not_limited_by_the_public_limit(app, client, valid_intake):
    app.config["RATE_LIMIT_PUBLIC"] = ((1, 60),)
    for _ in range(2):
        assert post_form(client, "/forms/intake/new", valid_intake).status_code == 302


def test_rendered_pages_carry_no_inline_code(app, client, store, valid_intake):
    """Every page as served (not only its template) obeys the CSP: widgets add no handlers."""
    response = post_form(
        client, "/forms/intake/new", {**valid_intake, "full_name": "<b onclick=x>"}
    )
    page = response.headers["Location"].split("?")[0]
    rid = page.rsplit("/", 1)[1]
    urls = [
        "/login",
        "/forms/",
        "/forms/intake/new",
        "/forms/support_request/new",
        "/forms/intake/submissions",
        page,
        "/f/quick_survey",
        "/letters/",
        "/letters/templates/",
        f"/letters/bulk?form=intake&ids={rid}",
        "/audit/",
        "/privacy/",
        "/users/",
        "/users/new",
        "/users/1",
        "/account/password",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.get_data(as_text=True)
        for attrs, body in SCRIPT.findall(text):
            assert "src=" in attrs and not body.strip(), url
        for tag in TAG.findall(text):
            assert not HANDLER.search(tag), (url, tag)
            assert not STYLE_ATTR.search(tag), (url, tag)
        assert "javascript:" not in text.lower(), url


def test_behind_a_trusted_proxy_the_client_address_and_https_are_believed(tmp_path):
    proxied = create_app(
        {"TESTING": True, "DATA_DIR": str(tmp_path / "p"), "SECRET_KEY": "t", "TRUSTED_PROXIES": 1}
    )
    headers = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    client = proxied.test_client()
    # The proxy speaks plain HTTP to Rifd; the browser saw https.
    response = client.get("/login", headers=headers)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    response = client.get("/login", headers=headers, base_url="https://localhost")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', response.text).group(1)
    data = {"csrf_token": token, "username": "nobody", "password": "x"}
    headers["Referer"] = "https://localhost/login"
    client.post("/login", data=data, headers=headers, base_url="https://localhost")
    [entry] = proxied.extensions["rifd_store"].iter("audit")
    assert entry["ip"] == "203.0.113.9"


def test_without_trusted_proxies_a_forged_forwarded_for_is_ignored(app, store):
    client = app.test_client()
    token = csrf_token(client, "/login")
    data = {"csrf_token": token, "username": "nobody", "password": "x"}
    client.post("/login", data=data, headers={"X-Forwarded-For": "203.0.113.9"})
    [entry] = store.iter("audit")
    assert entry["ip"] == "127.0.0.1"
