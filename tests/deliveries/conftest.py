"""Requests accepted by the committee, ready for their deliveries, and the people who act."""

from __future__ import annotations

import re

import pytest

from tests.cases.conftest import STAFF_ROLES, People, move, post, submit_request
from tests.conftest import sign_in
from tests.test_library import _pdf

IBAN = "SA0380000000608010167519"
ROLES = {**STAFF_ROLES, "omar": ["accountant"]}


class Staff(People):
    """The people of tests/cases, and Omar the accountant."""

    def __missing__(self, name: str):
        client = self.app.test_client()
        sign_in(client, self.app, username=name, roles=ROLES[name])
        self[name] = client
        return client


@pytest.fixture
def people(app):
    return Staff(app)


def accepted(people, *, amount: str = "1500") -> int:
    """Take a request for cash aid, with an IBAN, to the committee's acceptance."""
    sara, huda = people["sara"], people["huda"]
    cid = submit_request(
        sara,
        "interview",
        support_types=["cash_aid"],
        bank_name="alrajhi",
        iban=IBAN,
        iban_certificate=_pdf("iban.pdf"),
    )
    page = sara.get(f"/cases/{cid}").get_data(as_text=True)
    items = re.findall(r'name="checklist" value="([^"]+)"', page)
    assert move(sara, cid, "verify", {"checklist": items}).status_code == 302
    post(sara, f"/cases/{cid}", f"/cases/{cid}/letter/declaration")
    for who, name, data in [
        (sara, "declare", {"signed": "yes"}),
        (sara, "submit", {}),
        (huda, "accept", {"meeting_number": "7", "amount": amount}),
    ]:
        assert move(who, cid, name, data).status_code == 302, name
    return cid
