"""Each person's home: what waits for her roles, counted, late lines marked, one click away."""

from __future__ import annotations

import re

from cases.service import CASES
from forms import drafts
from tests.cases.conftest import move, submit_request
from tests.cases.test_moves import to_committee


def section(page: str, key: str) -> str:
    found = re.search(
        rf'<section class="card home-section" id="home-{key}">(.*?)</section>', page, re.S
    )
    return found.group(1) if found else ""


def count(part: str) -> int:
    return int(re.search(r'<span class="count[^"]*">(\d+)</span>', part).group(1))


def test_each_role_lands_on_what_waits_for_it(store, people):
    sara = people["sara"]
    fresh = submit_request(sara, "interview")
    referred = submit_request(sara, "interview")
    decided = submit_request(sara, "interview")
    assert move(sara, referred, "refer", {"note": "زيارة"}).status_code == 302
    to_committee(people, decided)
    refs = {cid: store.get(CASES, cid)["ref"] for cid in (fresh, referred, decided)}

    page = sara.get("/").get_data(as_text=True)
    today, received = section(page, "today"), section(page, "received")
    assert count(today) == 3 and all(ref in today for ref in refs.values())
    assert count(received) == 1 and refs[fresh] in received
    assert f'href="/cases/{fresh}"' in received
    assert "home-committee" not in page and "home-research" not in page

    page = people["ali"].get("/").get_data(as_text=True)
    research = section(page, "research")
    assert count(research) == 1 and refs[referred] in research and refs[fresh] not in research
    assert "home-today" not in page

    page = people["huda"].get("/").get_data(as_text=True)
    committee = section(page, "committee")
    assert count(committee) == 1 and refs[decided] in committee


def test_overdue_requests_are_in_colour_and_nearest_deadline_first(store, people):
    sara = people["sara"]
    late, later = submit_request(sara, "interview"), submit_request(sara, "interview")
    store.update(CASES, late, {"opened_on": "2026-01-04"})
    store.update(CASES, later, {"opened_on": "2026-03-01"})
    page = people["boss"].get("/").get_data(as_text=True)
    overdue = section(page, "overdue")
    assert count(overdue) == 2 and 'class="count count-late"' in overdue
    assert overdue.count('class="status-overdue"') == 2
    first, second = (store.get(CASES, c)["ref"] for c in (late, later))
    assert overdue.index(first) < overdue.index(second)


def test_an_admin_follows_the_requests_but_reveals_nothing(store, people):
    cid = submit_request(people["sara"], "interview")
    boss = people["boss"]
    assert boss.get("/cases/").status_code == 200
    page = boss.get(f"/cases/{cid}").get_data(as_text=True)
    assert store.get(CASES, cid)["ref"] in page
    assert store.get(CASES, cid)["national_id"] not in page
    assert move(boss, cid, "verify").status_code == 403


def test_the_quality_officer_sees_forms_left_in_draft(store, people):
    nora = people["nora"]
    page = nora.get("/").get_data(as_text=True)
    assert count(section(page, "drafts")) == 0 and "لا شيء هنا الآن" in section(page, "drafts")
    drafts.replace(
        store, "satisfaction_survey", {"id": "satisfaction_survey"}, by="nora", based_on=None
    )
    page = nora.get("/").get_data(as_text=True)
    drafts_ = section(page, "drafts")
    assert count(drafts_) == 1 and 'href="/editor/satisfaction_survey"' in drafts_


def test_a_viewer_sees_the_late_requests_and_the_search(store, people):
    late = submit_request(people["sara"], "interview")
    store.update(CASES, late, {"opened_on": "2026-01-04"})
    page = people["vera"].get("/").get_data(as_text=True)
    assert count(section(page, "overdue")) == 1 and 'href="/beneficiaries/"' in page
    assert "home-today" not in page and "home-drafts" not in page
