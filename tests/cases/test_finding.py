"""One search box finds anyone: by name (Arabic spellings folded), mobile, ID, reference."""

from __future__ import annotations

import re

from accounts.audit import COLLECTION as AUDIT
from cases.beneficiaries import BENEFICIARIES
from cases.service import CASES
from tests.cases.conftest import submit_request

HIS_ID, HER_ID = "1000000008", "2172323137"


def found_people(response) -> list[str]:
    page = response.get_data(as_text=True)
    return re.findall(r'<a href="/beneficiaries/(\d+)">', page)


def two_people(store, people):
    sara = people["sara"]
    first = submit_request(
        sara, "interview", first_name="أحمد", family_name="الزهراني", mobile="0551234567"
    )
    second = submit_request(
        sara,
        "interview",
        first_name="فاطمة",
        family_name="الشهري",
        national_id=HER_ID,
        mobile="0559876543",
    )
    return store.get(CASES, first), store.get(CASES, second)


def test_a_name_is_found_whatever_its_spelling(store, people):
    his, hers = two_people(store, people)
    for who in ("sara", "vera"):
        client = people[who]
        for query in ("احمد", "إحمد", "أحْمَد", "زهراني"):
            response = client.get("/beneficiaries/", query_string={"q": query})
            assert found_people(response) == [str(his["beneficiary_id"])], (who, query)
        response = client.get("/beneficiaries/", query_string={"q": "فاطمه"})
        assert found_people(response) == [str(hers["beneficiary_id"])]
        page = response.get_data(as_text=True)
        assert hers["ref"] in page and f'href="/cases/{hers["id"]}"' in page  # her requests
        assert HER_ID not in page and "2•••••••37" in page  # masked even for who may reveal


def test_a_reference_or_a_whole_mobile_finds_the_person(store, people):
    his, hers = two_people(store, people)
    vera = people["vera"]
    response = vera.get("/beneficiaries/", query_string={"q": hers["ref"].lower()})
    assert found_people(response) == [str(hers["beneficiary_id"])]
    response = vera.get("/beneficiaries/", query_string={"q": "٠٥٥١٢٣٤٥٦٧"})
    assert found_people(response) == [str(his["beneficiary_id"])]
    searches = [e for e in store.iter(AUDIT) if e["action"] == "search"]
    assert searches[-1]["after"] == {"field": "mobile", "value": "05••••••67", "found": True}
    found = vera.get("/beneficiaries/", query_string={"q": HIS_ID})  # a whole ID opens his file
    assert found.status_code == 302 and found.headers["Location"].endswith(
        f"/beneficiaries/{his['beneficiary_id']}"
    )


def test_part_of_an_identifier_is_found_only_by_who_may_reveal_it(store, people):
    his, _hers = two_people(store, people)
    sara, vera = people["sara"], people["vera"]
    assert found_people(sara.get("/beneficiaries/?q=0551234")) == [str(his["beneficiary_id"])]
    assert found_people(sara.get("/beneficiaries/?q=100000")) == [str(his["beneficiary_id"])]
    for query in ("0551234", "100000", "+9665512"):
        response = vera.get("/beneficiaries/", query_string={"q": query})
        assert response.status_code == 400 and "كاملًا" in response.get_data(as_text=True)
        assert found_people(response) == []


def test_bad_queries_say_what_to_type(store, people):
    two_people(store, people)
    sara = people["sara"]
    response = sara.get("/beneficiaries/?q=اح")
    assert response.status_code == 400 and "ثلاثة أحرف" in response.get_data(as_text=True)
    assert sara.get("/beneficiaries/?q=1000000000").status_code == 400  # fails the check
    response = sara.get("/beneficiaries/?q=خالد")
    assert response.status_code == 200 and "لا يوجد مستفيد" in response.get_data(as_text=True)
    assert sara.get("/beneficiaries/?q=" + "س" * 500).status_code in (200, 400)


def test_many_people_are_paged(store, people):
    rows = [{"national_id": f"x{i}", "name": f"محمد رقم {i}", "mobile": ""} for i in range(45)]
    store.insert_many(BENEFICIARIES, rows)
    sara = people["sara"]
    first = found_people(sara.get("/beneficiaries/?q=محمد"))
    third = found_people(sara.get("/beneficiaries/?q=محمد&page=3"))
    assert len(first) == 20 and len(third) == 5 and not set(first) & set(third)


def test_the_search_box_is_on_every_page_for_who_reads_requests(people):
    page = people["vera"].get("/").get_data(as_text=True)
    assert 'class="topbar-search"' in page and 'name="q"' in page
