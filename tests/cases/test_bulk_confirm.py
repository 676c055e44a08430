"""Bulk issuing says how many letters and outgoing numbers it will use, and asks first.

Requests that already have the letter are left out unless the person chooses them.
"""

from __future__ import annotations

import re

from letters import bulk
from letters.issue import REGISTER
from tests.cases.conftest import post, submit_request
from tests.letters.test_bulk import CONFIRMED, wait_for

FORM = "support_request"
PAGE = f"/letters/bulk?form={FORM}"


def choose(client, **choice):
    data = {"form_id": FORM, "template": "declaration", "output": "zip_docx", "scope": "all"}
    return post(client, PAGE, "/letters/bulk", {**data, **choice})


def said(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def declarations(store) -> list[str]:
    return [x["answers"]["ref"] for x in store.iter(REGISTER) if x["letter_type"] == "declaration"]


def test_bulk_asks_before_it_uses_numbers_and_leaves_out_who_has_the_letter(store, people):
    sara = people["sara"]
    cids = [submit_request(sara, "interview") for _ in range(3)]
    first = store.get("cases", cids[0])["ref"]
    post(sara, f"/cases/{cids[0]}", f"/cases/{cids[0]}/letter/declaration")
    assert declarations(store) == [first]

    asked = choose(sara)
    assert asked.status_code == 200
    text = said(asked)
    assert "سيُصدر هذا 2 خطابًا ويستخدم 2 رقمًا صادرًا من سجل الصادر." in text
    assert "صدر هذا الخطاب من قبل لـ 1 طلب، فلن يصدر لها مرة أخرى:" in text and first in text
    assert CONFIRMED.search(asked.get_data(as_text=True))[1] == "2"
    assert store.count(bulk.JOBS) == 0 and len(declarations(store)) == 1  # nothing yet

    # A count that is not the one shown (it changed meanwhile) asks again.
    stale = choose(sara, confirmed="3")
    assert stale.status_code == 200 and "تغيّر عدد الخطابات منذ راجعته" in said(stale)
    assert store.count(bulk.JOBS) == 0
    # "Change the choice" goes back to the form, as it was filled.
    edit = choose(sara, confirmed="2", edit="1", attachments="صورة الهوية")
    assert edit.status_code == 200 and 'id="bulk-page-form"' in edit.get_data(as_text=True)
    assert 'value="صورة الهوية"' in edit.get_data(as_text=True)
    assert store.count(bulk.JOBS) == 0

    started = choose(sara, confirmed="2")
    assert started.status_code == 302
    state = wait_for(sara, started.headers["Location"] + ".json")
    assert (state["status"], state["issued"], state["errors"]) == ("done", 2, [])
    assert sorted(declarations(store)) == sorted(store.get("cases", c)["ref"] for c in cids)

    # Everyone has it now: refused, with how to issue again.
    refused = choose(sara)
    assert refused.status_code == 400
    assert "صدر هذا الخطاب من قبل لكل الطلبات المختارة" in said(refused)
    # Chosen explicitly: all three again, each with a new number.
    again = choose(sara, again="y")
    assert "سيُصدر هذا 3 خطابًا ويستخدم 3 رقمًا صادرًا" in said(again)
    assert choose(sara, again="y", confirmed="3").status_code == 302
    wait_for(sara, f"/letters/jobs/{store.count(bulk.JOBS)}.json")
    assert len(declarations(store)) == 6
    numbers = [x["number"] for x in store.iter(REGISTER)]
    assert len(set(numbers)) == 6


def test_the_confirmation_offers_to_include_those_left_out(store, people):
    sara = people["sara"]
    cids = [submit_request(sara, "interview") for _ in range(2)]
    post(sara, f"/cases/{cids[0]}", f"/cases/{cids[0]}/letter/declaration")
    rid = store.get("cases", cids[1])["submission_id"]
    page = choose(sara, scope="selected", ids=[str(rid), "1"]).get_data(as_text=True)
    include = page.split('id="bulk-include-form"')[1].split("</form>")[0]
    assert 'name="again" value="y"' in include and "(2 خطابًا)" in include
    assert include.count('name="ids"') == 2 and 'name="confirmed"' not in include
