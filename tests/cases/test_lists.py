"""Lists show what people look for, and can be searched and filtered."""

from __future__ import annotations

import re

from cases.service import CASES
from letters.issue import REGISTER
from tests.cases.conftest import move, post, submit_request


def declared(people, cid: int) -> None:
    sara = people["sara"]
    page = sara.get(f"/cases/{cid}").get_data(as_text=True)
    items = re.findall(r'name="checklist" value="([^"]+)"', page)
    assert move(sara, cid, "verify", {"checklist": items}).status_code == 302
    assert post(sara, f"/cases/{cid}", f"/cases/{cid}/letter/declaration").status_code == 302


def test_the_submissions_list_shows_the_applicant_and_the_requests_state(store, people):
    sara = people["sara"]
    first = submit_request(sara, "interview", first_name="أحمد", family_name="الزهراني")
    second = submit_request(sara, "interview", first_name="فاطمة", family_name="الشهري")
    assert move(sara, second, "refer", {"note": "زيارة"}).status_code == 302
    page = people["vera"].get("/forms/support_request/submissions").get_data(as_text=True)
    rows = {
        ref: row
        for row in re.findall(r"<tr>(.*?)</tr>", page, re.S)
        for ref in re.findall(r"[A-Z]+-\d{4}-\d{5}", row)
    }
    one, two = (store.get(CASES, c) for c in (first, second))
    assert "أحمد" in rows[one["ref"]] and "مستلم" in rows[one["ref"]]
    assert "فاطمة" in rows[two["ref"]] and "محال للبحث الاجتماعي" in rows[two["ref"]]
    assert f'href="/cases/{second}"' in rows[two["ref"]]


def test_the_register_is_searched_and_filtered(store, people):
    sara = people["sara"]
    first, second = submit_request(sara, "interview"), submit_request(sara, "interview")
    declared(people, first)
    declared(people, second)
    letters = sorted(store.iter(REGISTER), key=lambda x: x["id"])
    assert len(letters) == 2
    vera = people["vera"]
    ref = store.get(CASES, second)["ref"]
    page = vera.get("/letters/", query_string={"q": ref.lower()}).get_data(as_text=True)
    assert f'href="/letters/{letters[1]["id"]}"' in page
    assert f'href="/letters/{letters[0]["id"]}"' not in page
    page = vera.get("/letters/", query_string={"q": letters[0]["number"]}).get_data(as_text=True)
    assert f'href="/letters/{letters[0]["id"]}"' in page
    page = vera.get("/letters/?type=acceptance").get_data(as_text=True)
    assert "لا توجد خطابات مطابقة" in page
    page = vera.get("/letters/?type=declaration").get_data(as_text=True)
    assert all(f'href="/letters/{x["id"]}"' in page for x in letters)
    short = vera.get("/letters/?q=ab").get_data(as_text=True)
    assert "ثلاثة أحرف" in short
