"""A request as staff enter it on the page, and the people who move it through the policy."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest
from werkzeug.datastructures import FileStorage

from association import shipped_profiles
from tests.conftest import csrf_token, sign_in
from tests.test_library import SIGNATURE, _support_request

STAFF_ROLES = {
    "sara": ["intake"],
    "ali": ["researcher"],
    "huda": ["committee"],
    "nora": ["quality_officer"],
    "boss": ["admin"],
    "vera": ["viewer"],
}


def as_post(raw: dict) -> dict:
    """Flatten answers into the names the page posts (repeat rows as group-0-field)."""
    out: dict = {}
    for name, value in raw.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for i, row in enumerate(value):
                out.update({f"{name}-{i}-{key}": val for key, val in row.items()})
        elif isinstance(value, FileStorage):
            out[name] = (io.BytesIO(value.stream.read()), value.filename)
        else:
            out[name] = value
    return out


def request_payload(channel: str, **changes) -> dict:
    return {"rifd-channel": channel, **as_post(_support_request(**changes))}


def research_payload() -> dict:
    return {
        "visit_date": "2026-11-20",
        "visit_type": "phone",
        "observed_housing_type": "rented",
        "housing_state": "acceptable",
        "furniture_state": "poor",
        "verified_family_count": "3",
        "breadwinner": "mother",
        "family_notes": "أرملة تعول ابنتين في سكن مستأجر منذ سنوات.",
        "has_chronic_illness": "no",
        "has_disability": "no",
        "verified_income": "٢٣٠٠",
        "verified_expenses": "2500",
        "need_level": "moderate",
        "check_identity": "yes",
        "check_id_valid": "yes",
        "check_family": "yes",
        "check_address": "yes",
        "check_income": "yes",
        "check_no_duplicate": "yes",
        "recommendation": "accept",
        "recommended_support": ["food_basket", "rent"],
        "recommended_amount": "1500",
        "support_frequency": "once",
        "researcher_name": "علي الباحث",
        "researcher_signature": SIGNATURE,
    }


@pytest.fixture(params=shipped_profiles())
def profile_name(request):
    return request.param


class People(dict):
    """Signed-in clients by name, each with only his own role, made when first asked for."""

    def __init__(self, app):
        super().__init__()
        self.app = app

    def __missing__(self, name: str):
        client = self.app.test_client()
        sign_in(client, self.app, username=name, roles=STAFF_ROLES[name])
        self[name] = client
        return client


@pytest.fixture
def people(app):
    return People(app)


def post(client, page: str, url: str, data: dict | None = None, **kwargs):
    """POST to `url` with the CSRF token of `page`, as the browser would send it."""
    payload = {"csrf_token": csrf_token(client, page), **(data or {})}
    return client.post(url, data=payload, content_type="multipart/form-data", **kwargs)


def submit_request(client, channel: str, **changes) -> int:
    """Fill the support request as intake staff and return the id of the case it opens."""
    url = "/forms/support_request/new"
    response = post(client, url, url, request_payload(channel, **changes))
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    found = re.search(r"/cases/(\d+)", response.headers["Location"])
    assert found, response.headers["Location"]
    return int(found.group(1))


def move(client, cid: int, name: str, data: dict | None = None):
    return post(client, f"/cases/{cid}", f"/cases/{cid}/move/{name}", data)


class _Fields(HTMLParser):
    """Collect what a browser would send for the form posting to `action`, as it stands."""

    def __init__(self, action: str):
        super().__init__()
        self.action = action
        self.values: dict = {}
        self._textarea = self._select = None
        self._inside = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._inside = a.get("action") == self.action
        if not self._inside or not a.get("name") and tag != "option":
            return
        if tag == "input" and a.get("type") not in ("file", "submit"):
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.values.setdefault(a["name"], []).append(a.get("value", "on"))
            elif a.get("type") == "radio":
                if "checked" in a:
                    self.values[a["name"]] = a.get("value", "on")
            else:
                self.values[a["name"]] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self.values[a["name"]] = ""
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._inside = False

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def page_fields(html: str, action: str) -> dict:
    parser = _Fields(action)
    parser.feed(html)
    parser.values.pop("csrf_token", None)
    return parser.values


def edit_policy(client, **changes):
    """Open the policy page, change some inputs as a person would, and save it."""
    fields = page_fields(client.get("/policy/edit").get_data(as_text=True), "/policy/edit")
    fields.update(changes)
    return post(client, "/policy/edit", "/policy/edit", fields)
