"""Each request shows its decision date; the dashboard orders them by it, counts, exports."""

from __future__ import annotations

import datetime as dt
import io
import re

from openpyxl import load_workbook

from accounts.audit import COLLECTION as AUDIT
from cases.service import CASES
from forms.dates import saudi_today
from tests.cases.conftest import edit_policy, post, submit_request


def backdate(store, cid: int, days: int) -> None:
    opened = saudi_today() - dt.timedelta(days=days)
    store.update(CASES, cid, {"opened_on": opened.isoformat()})


def test_the_dashboard_lists_the_nearest_deadline_first_and_flags_overdue(store, people):
    sara = people["sara"]
    fresh = submit_request(sara, "interview")
    late = submit_request(
        sara,
        "phone",
        national_id="2172323137",
        id_type="resident",
        iqama_expiry="2030-01-01",
        nationality="egyptian",
    )
    soon = submit_request(sara, "phone")
    backdate(store, late, 20)  # 14 days: 6 days overdue
    backdate(store, soon, 12)  # 2 days left
    page = people["vera"].get("/cases/").get_data(as_text=True)
    order = re.findall(r'href="/cases/(\d+)"', page)
    assert order == [str(late), str(soon), str(fresh)]
    rows = page.split('id="requests"')[1]
    assert "status-overdue" in rows and "status-due_soon" in rows and "status-on_track" in rows
    assert ">-6<" in rows
    by_channel = page.split('id="by-channel"')[1].split("</table>")[0]
    assert re.search(r"الاتصالات الهاتفية</a></td><td>2<", by_channel)
    by_state = page.split('id="by-state"')[1].split("</table>")[0]
    assert re.search(r"مستلم</a></td><td>3<", by_state)
    filtered = people["vera"].get("/cases/?channel=phone").get_data(as_text=True)
    assert re.findall(r'href="/cases/(\d+)"', filtered.split('id="requests"')[1]) == [
        str(late),
        str(soon),
    ]


def test_the_case_page_says_how_late_it_is(store, people):
    cid = submit_request(people["sara"], "interview")
    backdate(store, cid, 16)
    page = people["sara"].get(f"/cases/{cid}").get_data(as_text=True)
    assert "متأخر 2 يومًا" in page


def test_work_day_deadlines_skip_the_admins_holidays(store, people):
    edit_policy(people["boss"], **{"decision_deadline.count": "work_days"})
    cid = submit_request(people["sara"], "interview")
    opened = dt.date.fromisoformat(store.get(CASES, cid)["opened_on"])
    due = lambda: re.search(  # noqa: E731
        r'data-due="([\d-]+)"', people["sara"].get(f"/cases/{cid}").get_data(as_text=True)
    ).group(1)
    before = dt.date.fromisoformat(due())
    assert before.weekday() not in (4, 5) and (before - opened).days >= 18  # 14 work days
    first = (opened + dt.timedelta(days=1)).isoformat()
    last = (opened + dt.timedelta(days=7)).isoformat()
    holiday = {"name": "إجازة عيد الفطر", "start": first, "end": last}
    boss = people["boss"]
    assert post(boss, "/settings/holidays", "/settings/holidays", holiday).status_code == 302
    after = dt.date.fromisoformat(due())
    assert (after - before).days >= 7  # the five work days of that week moved it on
    # Bad holidays are refused with a message, and deleting one needs a confirmation.
    bad = post(boss, "/settings/holidays", "/settings/holidays", {"name": "x", "start": "1447"})
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.get_data(as_text=True)
    hid = store.iter("holidays").__next__()["id"]
    url = f"/settings/holidays/{hid}/delete"
    post(boss, "/settings/holidays", url)
    assert store.count("holidays") == 1
    post(boss, "/settings/holidays", url, {"confirm": "yes"})
    assert store.count("holidays") == 0 and due() == before.isoformat()
    assert people["sara"].get("/settings/holidays").status_code == 403


def test_the_dashboard_exports_to_excel(store, people):
    submit_request(people["sara"], "interview", first_name='=HYPERLINK("x")')
    response = people["nora"].get("/cases/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet.sheet_view.rightToLeft
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("الرقم المرجعي", "المستفيد", "قناة الاستقبال", "الحالة")
    assert rows[1][1].startswith("=HYPERLINK") and sheet["B2"].data_type == "s"
    assert rows[1][3] == "مستلم" and rows[1][6] == "14"
    assert any(e["entity"] == "cases" and e["action"] == "export" for e in store.iter(AUDIT))
