"""A public form shared from a staff page: link to copy, QR code (PNG, SVG), A4 poster, WhatsApp.

Links are built on the association's public address, never on the Host header; a
personal survey link says its answers join the beneficiary's file.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote
from xml.etree import ElementTree

import pytest

from association.profile import current
from letters.address import fallback
from tests.conftest import csrf_token, post_form, sign_in
from tests.web.png_reader import is_qr_of
from tests.web.test_public_branding import _set_logo

FORM = "complaint"
ADDRESS = "https://rifd.sanad.org.sa"


def set_address(client, url: str = ADDRESS) -> None:
    assert post_form(client, "/settings/address", {"public_url": url}).status_code == 302


def from_evil_host(client):
    """Send the signed-in person's cookies to a forged Host as well (they are per domain)."""
    for (_domain, path, name), cookie in list(client._cookies.items()):
        client.set_cookie(name, cookie.value, domain="evil.example", path=path)
    return client


def link_on(page: str) -> str:
    return html.unescape(re.search(r'id="public-link" readonly dir="ltr" value="([^"]+)"', page)[1])


def test_the_forms_list_offers_sharing_for_public_forms_only(client):
    page = client.get("/forms/").get_data(as_text=True)
    assert f'href="/forms/{FORM}/share/"' in page
    assert 'href="/forms/satisfaction_survey/share/"' in page
    assert 'href="/forms/support_request/share/"' not in page  # staff only
    for url in ("/forms/support_request/share/", "/forms/nope/share/"):
        assert client.get(url).status_code == 404
    for suffix in ("qr.png", "qr.svg", "poster"):
        assert client.get(f"/forms/support_request/share/{suffix}").status_code == 404
    assert client.get(f"/forms/{FORM}/share/qr.gif").status_code == 404


def test_the_share_page_uses_the_public_address_never_the_host_header(client):
    page = client.get(f"/forms/{FORM}/share/").get_data(as_text=True)
    assert link_on(page) == f"{fallback()}/f/{FORM}"
    assert 'id="share-address-warning"' in page  # the link would open only here
    set_address(client)
    forged = from_evil_host(client).get(f"/forms/{FORM}/share/", base_url="http://evil.example")
    page = forged.get_data(as_text=True)
    link = link_on(page)
    assert link == f"{ADDRESS}/f/{FORM}" and "evil.example" not in page
    assert 'id="share-address-warning"' not in page
    assert 'data-copy="public-link"' in page  # the copy button (shown by page.js)
    title = re.search(r"<h1>[^:]+: ([^<]+)</h1>", page)[1]
    whatsapp = html.unescape(re.search(r'id="share-whatsapp" href="([^"]+)"', page)[1])
    assert whatsapp == "https://wa.me/?text=" + quote(f"{title}\n{link}", safe="")
    for kind in ("png", "svg"):
        assert f'href="/forms/{FORM}/share/qr.{kind}" download' in page
    assert f'href="/forms/{FORM}/share/poster"' in page


def test_the_qr_code_downloads_as_png_and_svg_and_encodes_the_link(client):
    set_address(client)
    png = from_evil_host(client).get(f"/forms/{FORM}/share/qr.png", base_url="http://evil.example")
    assert png.status_code == 200 and png.mimetype == "image/png"
    assert f"filename={FORM}-qr.png" in png.headers["Content-Disposition"]
    assert "attachment" in png.headers["Content-Disposition"]
    assert is_qr_of(png.data, f"{ADDRESS}/f/{FORM}")  # decoded, module for module
    svg = client.get(f"/forms/{FORM}/share/qr.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert f"filename={FORM}-qr.svg" in svg.headers["Content-Disposition"]
    root = ElementTree.fromstring(svg.data)  # noqa: S314  (our own server's file)
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and int(root.get("width")) > 100


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_poster_has_the_association_the_title_and_the_qr_code(
    app, client, store, tmp_path, lang
):
    _set_logo(app, tmp_path)
    set_address(client)
    client.get(f"/lang/{lang}")
    poster = client.get(f"/forms/{FORM}/share/poster")
    page = poster.get_data(as_text=True)
    assert poster.status_code == 200 and f'<html lang="{lang}"' in page
    title = app.extensions["rifd_forms"].get(FORM).title(lang)
    assert current(store)["name"][lang] in page
    assert f'<h1 class="poster-title">{html.escape(title)}</h1>' in page
    assert '<img class="poster-logo" src="/association/logo.png"' in page
    assert f'<img class="poster-qr" src="/forms/{FORM}/share/qr.svg"' in page
    assert f'<p class="poster-link" dir="ltr">{ADDRESS}/f/{FORM}</p>' in page
    css = client.get("/static/css/poster.css").get_data(as_text=True)
    assert "@page { size: A4 portrait" in css and "@media print" in css


def test_who_may_share(app, anon):
    assert anon.get(f"/forms/{FORM}/share/").status_code == 302  # to the sign-in page
    viewer = app.test_client()
    sign_in(viewer, app, "vera", ["viewer"])
    assert viewer.get(f"/forms/{FORM}/share/qr.png").status_code == 200
    admin = app.test_client()
    sign_in(admin, app, "boss", ["admin"])  # reads no forms
    assert admin.get(f"/forms/{FORM}/share/").status_code == 403


def test_a_personal_survey_link_says_the_answers_join_his_file(app, anon, client):
    from web import survey_links

    with app.test_request_context():
        token = survey_links.make(1, 1)
    personal = anon.get(f"/f/satisfaction_survey?b={token}").get_data(as_text=True)
    notice = personal.split('id="personal-link"')[1].split("</aside>")[0]
    assert "فإجاباتك ليست مجهولة" in notice and "تُحفظ في ملفك لدى الجمعية" in notice
    assert 'href="/f/satisfaction_survey" id="anonymous-link"' in notice
    anonymous = anon.get("/f/satisfaction_survey").get_data(as_text=True)
    assert 'id="personal-link"' not in anonymous
    forged = anon.get("/f/satisfaction_survey?b=not-a-token").get_data(as_text=True)
    assert 'id="personal-link"' not in forged  # answered anonymously: nothing joins a file
    assert csrf_token(anon, "/f/satisfaction_survey")
