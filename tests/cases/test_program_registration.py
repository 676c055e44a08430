"""A registration program from its announcement to attendance, through the routes people use."""

from __future__ import annotations

import datetime as dt
import io
import re

from openpyxl import load_workbook

from accounts.audit import COLLECTION as AUDIT
from cases.attendance import ATTENDANCE
from cases.outbox import OUTBOX
from cases.programs import PROGRAMS
from cases.registrations import REGISTRATIONS
from forms.dates import saudi_today
from forms.saudi import luhn_ok
from letters.issue import REGISTER
from tests.cases.conftest import edit_policy, post
from tests.cases.test_letters_say_the_decision import docx_text
from tests.cases.test_programs_and_people import CATEGORIES
from tests.test_library import SIGNATURE


def valid_id(seed: int) -> str:
    """Return a valid national ID (Luhn over all ten digits) made from `seed`."""
    body = f"1{seed:08d}"
    return next(body + str(d) for d in range(10) if luhn_ok(body + str(d)))


def program_fields(**changes) -> dict:
    today = saudi_today()
    fields = {
        "name": "دورة الإسعافات الأولية",
        "category": "registration",
        "announced_on": today.isoformat(),
        "starts_on": (today + dt.timedelta(days=20)).isoformat(),
        "capacity": "٢",
        "place": "مقر الجمعية",
        "arrangements": "الحضور قبل الموعد بربع ساعة",
        "what_to_bring": "الهوية الوطنية ودفتر",
        "session_day": [(today + dt.timedelta(days=20)).isoformat(), ""],
        "session_time": ["من 4 إلى 7 مساءً", ""],
        "session_place": ["قاعة التدريب بالدور الأول", ""],
        "session_mode": ["in_person", "in_person"],
        "condition_text": ["العمر 18 سنة فأكثر", ""],
        "condition_rule": ["age >= 18", ""],
    }
    return {**fields, **changes}


def announce(people, **changes) -> int:
    assert edit_policy(people["nora"], **CATEGORIES).status_code == 302
    response = post(people["sara"], "/programs/new", "/programs/new", program_fields(**changes))
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    return int(re.search(r"/programs/(\d+)$", response.headers["Location"]).group(1))


def register(app, pid: int, name: str, nid: str, mobile: str, born: str = "1990-01-01"):
    url = f"/f/programs/{pid}"
    fields = {
        "program_name": "دورة الإسعافات الأولية",
        "how_heard": "whatsapp",
        "full_name": name,
        "national_id": nid,
        "nationality": "saudi",
        "mobile": mobile,
        "gender": "female",
        "birth_date": born,
        "city": "hofuf",
        "accept_commitments": "yes",
        "signature": SIGNATURE,
    }
    return post(app.test_client(), url, url, fields)


def registration_of(store, name: str) -> dict:
    return next(r for r in store.iter(REGISTRATIONS) if r["name"] == name)


def review(client, pid: int, names: list[str], action: str, store, confirm: bool = True):
    ids = [str(registration_of(store, n)["id"]) for n in names]
    page = f"/programs/{pid}"
    asked = post(client, page, f"/programs/{pid}/review", {"rid": ids, "action": action})
    assert asked.status_code == 200, asked.status_code
    if not confirm:
        return asked
    done = post(
        client, page, f"/programs/{pid}/review", {"rid": ids, "action": action, "confirmed": "yes"}
    )
    assert done.status_code == 302
    return asked


def test_a_registration_program_from_announcement_to_attendance(app, store, people):
    pid = announce(people)
    program = store.get(PROGRAMS, pid)
    assert (
        program["capacity"] == 2 and program["sessions"][0]["place"] == "قاعة التدريب بالدور الأول"
    )
    assert program["conditions"] == [
        {"id": "c1", "text": {"ar": "العمر 18 سنة فأكثر"}, "rule": "age >= 18"}
    ]
    sara = people["sara"]

    # The public link: the program's form, its facts on top, the name given.
    page = app.test_client().get(f"/f/programs/{pid}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "قاعة التدريب بالدور الأول" in text and "العمر 18 سنة فأكثر" in text
    people_ids = {
        n: valid_id(i)
        for i, n in enumerate(
            ["هند سعد العتيبي", "سلمى خالد الحربي", "ريم علي الزهراني", "نورة فهد الدوسري"], start=3
        )
    }
    for i, (name, nid) in enumerate(people_ids.items()):
        born = "2015-05-05" if name == "نورة فهد الدوسري" else "1990-01-01"
        response = register(app, pid, name, nid, f"05512345{i:02d}", born)
        found = re.findall(
            r'<div class="error-summary.*?</ul>', response.get_data(as_text=True), re.S
        )
        assert response.status_code == 302, found
        assert response.headers["Location"].endswith(f"/f/programs/{pid}/thanks")
    # The same ID again: still one registration, one beneficiary record.
    register(app, pid, "هند سعد العتيبي", people_ids["هند سعد العتيبي"], "0551234500")
    assert store.count(REGISTRATIONS) == 4
    hind = registration_of(store, "هند سعد العتيبي")
    assert hind["beneficiary_id"] and hind["status"] == "pending"
    assert [c["status"] for c in hind["conditions"]] == ["passed"]
    assert [c["status"] for c in registration_of(store, "نورة فهد الدوسري")["conditions"]] == [
        "failed"
    ]

    # Hind asked for her messages in English (on her file).
    page = f"/beneficiaries/{hind['beneficiary_id']}"
    assert post(sara, page, f"{page}/messages/language", {"language": "en"}).status_code == 302

    # Acceptance within capacity: three asked, two seats.
    asked = review(
        sara, pid, ["هند سعد العتيبي", "سلمى خالد الحربي", "ريم علي الزهراني"], "accept", store
    ).get_data(as_text=True)
    assert "اكتملت المقاعد" in asked and "سيُطبَّق الإجراء على 2" in asked
    statuses = {n: registration_of(store, n)["status"] for n in people_ids}
    assert statuses == {
        "هند سعد العتيبي": "accepted",
        "سلمى خالد الحربي": "accepted",
        "ريم علي الزهراني": "pending",
        "نورة فهد الدوسري": "pending",
    }
    # The link closes once the seats are taken.
    closed = app.test_client().get(f"/f/programs/{pid}").get_data(as_text=True)
    assert "اكتملت مقاعد هذا البرنامج" in closed and "full_name" not in closed

    # The waiting list, in order; a seat freed moves its first up.
    review(sara, pid, ["ريم علي الزهراني"], "waitlist", store)
    review(sara, pid, ["نورة فهد الدوسري"], "waitlist", store)
    assert (
        registration_of(store, "ريم علي الزهراني")["position"]
        < registration_of(store, "نورة فهد الدوسري")["position"]
    )
    review(sara, pid, ["سلمى خالد الحربي"], "decline", store)
    statuses = {n: registration_of(store, n)["status"] for n in people_ids}
    assert statuses == {
        "هند سعد العتيبي": "accepted",
        "سلمى خالد الحربي": "declined",
        "ريم علي الزهراني": "accepted",
        "نورة فهد الدوسري": "waitlisted",
    }
    assert registration_of(store, "ريم علي الزهراني")["moved_up"] is True

    # Each acceptance issued the program acceptance notice, with the session's place.
    reem = registration_of(store, "ريم علي الزهراني")
    letter = store.get(REGISTER, reem["notice"]["letter_id"])
    assert (
        letter["letter_type"] == "program_acceptance" and letter["recipient"] == "ريم علي الزهراني"
    )
    notice = docx_text(store.read_file(letter["sha256"]))
    for words in ("دورة الإسعافات الأولية", "قاعة التدريب بالدور الأول", "من 4 إلى 7 مساءً"):
        assert words in notice
    assert "الحضور قبل الموعد بربع ساعة" in notice and "الهوية الوطنية ودفتر" in notice
    # ... and queued a message for the outbox, where staff copy it.
    queued = sorted(store.iter(OUTBOX), key=lambda m: m["id"])
    assert [m["registration_id"] for m in queued] == [
        registration_of(store, n)["id"]
        for n in ("هند سعد العتيبي", "سلمى خالد الحربي", "ريم علي الزهراني")
    ]
    assert queued[-1]["mobile"] == "+966551234502" and queued[-1]["status"] == "queued"
    assert "قاعة التدريب بالدور الأول" in queued[-1]["text"]
    assert "you are accepted in the program" in queued[0]["text"]  # Hind, in English
    assert "AH" in queued[0]["text"] and "نسعد بقبولكم" in queued[-1]["text"]
    outbox = sara.get("/outbox/").get_data(as_text=True)
    assert "+966551234502" in outbox and "دورة الإسعافات الأولية" in outbox
    assert any(e["action"] == "review" for e in store.iter(AUDIT))

    # The attendance sheet lists the accepted, masked; Word and Excel.
    sheet = sara.get(f"/programs/{pid}/sessions/1/sheet.docx")
    assert sheet.status_code == 200
    words = docx_text(sheet.data)
    assert (
        "كشف حضور" in words
        and "هند سعد العتيبي" in words
        and "ريم علي الزهراني" in words
        and "سلمى خالد الحربي" not in words
    )
    assert (
        people_ids["هند سعد العتيبي"] not in words and people_ids["هند سعد العتيبي"][-2:] in words
    )
    assert "0551234500" in words and "عدد المسجلين: 2" in words
    book = load_workbook(io.BytesIO(sara.get(f"/programs/{pid}/sessions/1/sheet.xlsx").data))
    ws = book.active
    assert ws.sheet_view.rightToLeft
    names = [row[1] for row in ws.iter_rows(min_row=5, values_only=True) if row[0]]
    assert "هند سعد العتيبي" in names and "ريم علي الزهراني" in names

    # Attendance taken: one of the two, and a walk-in registered on the spot.
    url = f"/programs/{pid}/sessions/1/attendance"
    assert post(sara, url, url, {"present": [str(hind["id"])]}).status_code == 302
    walk = {"name": "خالد عبدالله الحاضر", "national_id": valid_id(77), "mobile": "0559999999"}
    assert post(sara, url, f"/programs/{pid}/sessions/1/walk-in", walk).status_code == 302
    record = next(iter(store.iter(ATTENDANCE)))
    walker = registration_of(store, "خالد عبدالله الحاضر")
    assert walker["walk_in"] and walker["status"] == "accepted" and walker["beneficiary_id"]
    assert sorted(record["present"]) == sorted([hind["id"], walker["id"]])

    # The rates: on the program's page and on the beneficiary's file.
    page = sara.get(f"/programs/{pid}").get_data(as_text=True)
    assert "نسبة الحضور في البرنامج: 67%" in page
    file = sara.get(f"/beneficiaries/{hind['beneficiary_id']}").get_data(as_text=True)
    assert "دورة الإسعافات الأولية" in file and "100%" in file
    file = sara.get(f"/beneficiaries/{reem['beneficiary_id']}").get_data(as_text=True)
    assert re.search(r"<td>0 / 1</td>\s*<td>1</td>\s*<td>0%</td>", file)
