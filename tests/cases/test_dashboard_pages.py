"""The requests dashboard shows one page of requests with counts for all, from the indexes."""

from __future__ import annotations

import re

import pytest

from cases.service import CASES
from tests.cases.conftest import move, submit_request
from tests.cases.test_moves import to_committee

DECISION = {"meeting_number": "3", "reasons": "مستوفية للشروط", "support_types": ["rent"]}


def ids_on(page: str) -> list[int]:
    return [int(x) for x in re.findall(r'href="/cases/(\d+)"', page.split('id="requests"')[1])]


def count_in(page: str, table: str, label: str) -> int:
    part = page.split(f'id="{table}"')[1].split("</table>")[0]
    return int(re.search(rf"{label}(?:</a>)?</td><td>(\d+)<", part).group(1))


@pytest.fixture
def many(store, people):
    """Two open requests and one decided, made through the pages, then 60 closed ones
    stored as copies of the decided one (as years of requests would be)."""
    sara = people["sara"]
    open_ids = [submit_request(sara, "interview"), submit_request(sara, "phone")]
    decided = submit_request(sara, "interview")
    to_committee(people, decided)
    assert move(people["huda"], decided, "accept", DECISION).status_code == 302
    case = store.get(CASES, decided)
    copies = [{**case, "state": "closed", "ref": f"SR-OLD-{n}"} for n in range(60)]
    old = store.insert_many(CASES, [{k: v for k, v in c.items() if k != "id"} for c in copies])
    return {"open": open_ids, "decided": decided, "old": old}


def test_the_decision_keeps_whether_it_came_in_time(store, many):
    assert store.get(CASES, many["decided"])["decision"]["on_time"] is True


def test_one_page_of_requests_open_first_then_newest_with_counts_for_all(store, people, many):
    vera = people["vera"]
    first = vera.get("/cases/").get_data(as_text=True)
    shown = ids_on(first)
    assert len(shown) == 50
    assert shown[:2] == many["open"]  # open first (same deadline: the older first)
    assert shown[2:5] == sorted(many["old"], reverse=True)[:3]  # then the newest
    assert "صفحة 1 من 2" in first and "63 طلبًا" in first
    assert count_in(first, "by-state", "مغلق") == 60
    assert count_in(first, "by-state", "مستلم") == 2
    assert count_in(first, "by-status", "قُرر في الموعد") == 61  # the copies too
    assert count_in(first, "by-status", "في الموعد") == 2
    second = vera.get("/cases/?page=2").get_data(as_text=True)
    rest = ids_on(second)
    assert len(rest) == 13 and not set(rest) & set(shown)
    assert set(shown) | set(rest) == {*many["open"], many["decided"], *many["old"]}
    closed = vera.get("/cases/?state=closed&page=2").get_data(as_text=True)
    assert len(ids_on(closed)) == 10 and "state=closed" in closed.split('class="pager"')[1]


def test_the_dashboard_reads_no_more_than_its_page(store, people, many, monkeypatch):
    calls = []
    real_find = type(store).find

    def find(self, collection, predicate=None, *, where=None):
        calls.append((collection, predicate, where))
        return real_find(self, collection, predicate, where=where)

    monkeypatch.setattr(type(store), "find", find)
    assert people["vera"].get("/cases/?page=2").status_code == 200
    # Every lookup of requests goes through an index (a where, no predicate).
    assert all(w and p is None for c, p, w in calls if c == CASES), calls


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999999999", "1e3"])
def test_any_page_number_gives_a_page(people, many, page):
    vera = people["vera"]
    for url in ("/cases/", "/letters/", "/audit/"):
        assert vera.get(f"{url}?page={page}").status_code in (200, 403), url
