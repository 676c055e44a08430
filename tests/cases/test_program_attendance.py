"""A program's link opening and closing, bad input, who may do what, and the sheet's CLI."""

from __future__ import annotations

import base64
import datetime as dt
import io
import subprocess
import zipfile

import pytest

from cases.attendance import ATTENDANCE
from cases.outbox import OUTBOX
from cases.programs import PROGRAMS
from cases.registrations import REGISTRATIONS
from doc_templates import attendance as sheet_template
from forms.dates import saudi_today
from letters.address import fallback
from letters.issue import REGISTER
from tests.cases.conftest import edit_policy, post
from tests.cases.test_letters_say_the_decision import docx_text
from tests.cases.test_program_registration import (
    announce,
    program_fields,
    register,
    registration_of,
    review,
    valid_id,
)
from tests.cases.test_programs_and_people import CATEGORIES
from tests.conftest import require_tool
from tests.test_library import SIGNATURE
from tests.web.png_reader import is_qr_of

HIND = "هند سعد العتيبي"


def test_the_link_opens_on_announcement_and_closes_after_its_date(app, store, people):
    today = saudi_today()
    later = announce(people, announced_on=(today + dt.timedelta(days=2)).isoformat())
    page = app.test_client().get(f"/f/programs/{later}").get_data(as_text=True)
    assert "لم يُفتح التسجيل في هذا البرنامج بعد" in page and 'name="full_name"' not in page
    # A registration posted to a closed link is not kept.
    sent = {"full_name": HIND, "national_id": valid_id(1), "mobile": "0551234500"}
    refused = app.test_client().post(f"/f/programs/{later}", data=sent)
    assert refused.status_code == 200 and "لم يُفتح التسجيل" in refused.get_data(as_text=True)
    assert store.count(REGISTRATIONS) == 0
    past = (today - dt.timedelta(days=30)).isoformat()
    gone = announce(
        people,
        announced_on=past,
        starts_on=(today + dt.timedelta(days=5)).isoformat(),
        closes_on=(today - dt.timedelta(days=1)).isoformat(),
    )
    page = app.test_client().get(f"/f/programs/{gone}").get_data(as_text=True)
    assert "انتهت مدة التسجيل في هذا البرنامج" in page
    open_one = announce(people, category="open")
    page = app.test_client().get(f"/f/programs/{open_one}").get_data(as_text=True)
    assert "لا يتطلب هذا البرنامج تسجيلًا مسبقًا" in page
    assert app.test_client().get("/f/programs/999").status_code == 404


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"capacity": "-3"}, "اكتب عدد المقاعد رقمًا صحيحًا"),
        ({"condition_rule": ["age >", ""]}, "القاعدة «age &gt;» غير صحيحة"),
        ({"condition_text": ["", ""]}, "اكتب نص كل شرط"),
        ({"session_day": ["بعد غد", ""]}, "اكتب يوم كل جلسة"),
        ({"form_id": "no_such_form"}, "اختر نموذج التسجيل"),
        ({"closes_on": "2001-01-01"}, "يُغلق التسجيل بين الإعلان ونهاية البرنامج"),
    ],
)
def test_bad_programs_are_refused_with_what_to_fix(store, people, changes, words):
    assert edit_policy(people["nora"], **CATEGORIES).status_code == 302
    fields = program_fields(**changes)
    response = post(people["sara"], "/programs/new", "/programs/new", fields)
    assert response.status_code == 400 and words in response.get_data(as_text=True)
    assert store.count(PROGRAMS) == 0
    # What was typed comes back on the page: nothing is lost.
    assert "دورة الإسعافات الأولية" in response.get_data(as_text=True)


def accepted_program(app, store, people) -> tuple[int, dict]:
    """A program with Hind registered and accepted; return its id and her registration."""
    pid = announce(people)
    assert register(app, pid, HIND, valid_id(1), "0551234500").status_code == 302
    review(people["sara"], pid, [HIND], "accept", store)
    return pid, registration_of(store, HIND)


def test_who_may_review_and_take_attendance(app, store, people):
    pid, hind = accepted_program(app, store, people)
    url = f"/programs/{pid}/sessions/1/attendance"
    # The viewer sees the program, reviews nothing and takes no attendance.
    vera = people["vera"]
    assert vera.get(f"/programs/{pid}").status_code == 200
    assert vera.get(url).status_code == 403
    assert (
        post(
            vera,
            f"/programs/{pid}",
            f"/programs/{pid}/review",
            {"rid": [str(hind["id"])], "action": "decline", "confirmed": "yes"},
        ).status_code
        == 403
    )
    # The quality officer announces programs but issues no letters: she cannot review.
    nora = people["nora"]
    refused = post(
        nora,
        f"/programs/{pid}",
        f"/programs/{pid}/review",
        {"rid": [str(hind["id"])], "action": "decline", "confirmed": "yes"},
        follow_redirects=True,
    )
    assert "تحتاج صلاحية إصدار الخطابات" in refused.get_data(as_text=True)
    assert registration_of(store, HIND)["status"] == "accepted"
    # The public sees neither the page nor the outbox.
    public = app.test_client()
    assert public.get(f"/programs/{pid}").status_code == 302
    assert public.get("/outbox/").status_code == 302


def test_attendance_refuses_what_is_not_so_and_keeps_the_signed_sheet(app, store, people):
    pid, hind = accepted_program(app, store, people)
    sara = people["sara"]
    url = f"/programs/{pid}/sessions/1/attendance"
    # A pending registration cannot be marked present; an unknown session is a 404.
    other = register(app, pid, "سلمى خالد الحربي", valid_id(2), "0551234501")
    assert other.status_code == 302
    pending = registration_of(store, "سلمى خالد الحربي")
    refused = post(sara, url, url, {"present": [str(pending["id"])]})
    assert refused.status_code == 400 and "لا يُسجَّل حضور إلا للمقبولين" in refused.get_data(
        as_text=True
    )
    assert store.count(ATTENDANCE) == 0
    assert sara.get(f"/programs/{pid}/sessions/9/attendance").status_code == 404
    # A walk-in with an ID that is not valid: refused, what he typed kept.
    walk = {"name": "خالد عبدالله الحاضر", "national_id": "1000000000", "mobile": "0559999999"}
    bad = post(sara, url, f"/programs/{pid}/sessions/1/walk-in", walk)
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "رقم الهوية أو الإقامة غير صحيح" in text
    assert "خالد عبدالله الحاضر" in text
    # The signed paper sheet, scanned, is attached to the session and downloaded again.
    page = f"/programs/{pid}"
    png = base64.b64decode(SIGNATURE.split(",", 1)[1])
    attached = post(
        sara, page, f"/programs/{pid}/sessions/1/scan", {"scan": (io.BytesIO(png), "sheet.png")}
    )
    assert attached.status_code == 302
    scans = next(iter(store.iter(ATTENDANCE)))["scans"]
    assert [s["name"] for s in scans] == ["sheet.png"]
    assert sara.get(f"/programs/{pid}/sessions/1/scan/0").data == png
    # A photo of the event (the digital documentation the policies ask for) is kept beside
    # the sheet, named for what it is on the program's page.
    photo = post(
        sara,
        page,
        f"/programs/{pid}/sessions/1/scan",
        {"scan": (io.BytesIO(png), "event.png"), "purpose": "event"},
        follow_redirects=True,
    )
    assert "أُرفق توثيق الفعالية" in photo.get_data(as_text=True)
    scans = next(iter(store.iter(ATTENDANCE)))["scans"]
    assert [(s["name"], s["purpose"]) for s in scans] == [
        ("sheet.png", "sheet"),
        ("event.png", "event"),
    ]
    shown = sara.get(page).get_data(as_text=True)
    assert "توثيق الفعالية:</span>" in shown and "الكشف الموقّع:</span>" in shown
    assert sara.get(f"/programs/{pid}/sessions/1/scan/1").data == png
    unknown = post(
        sara,
        page,
        f"/programs/{pid}/sessions/1/scan",
        {"scan": (io.BytesIO(png), "x.png"), "purpose": "other"},
        follow_redirects=True,
    )
    assert "اختر نوع الملف" in unknown.get_data(as_text=True)
    assert len(next(iter(store.iter(ATTENDANCE)))["scans"]) == 2
    not_a_scan = post(
        sara,
        page,
        f"/programs/{pid}/sessions/1/scan",
        {"scan": (io.BytesIO(b"MZ..."), "x.exe")},
        follow_redirects=True,
    )
    assert "الملف يجب أن يكون PDF أو صورة" in not_a_scan.get_data(as_text=True)


def test_the_attendance_sheet_from_the_command_line(app, store, people, tmp_path):
    pid, _hind = accepted_program(app, store, people)
    runner = app.test_cli_runner()
    out = tmp_path / "sheet.docx"
    result = runner.invoke(args=["programs", "attendance-sheet", str(pid), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert HIND in docx_text(out.read_bytes())
    wrong = runner.invoke(
        args=["programs", "attendance-sheet", str(pid), "--session", "4", "-o", str(out)]
    )
    assert wrong.exit_code != 0 and "1 session(s), not 4" in wrong.output
    bad = runner.invoke(
        args=["programs", "attendance-sheet", str(pid), "-o", str(tmp_path / "x.txt")]
    )
    assert bad.exit_code != 0 and ".docx, .pdf or .xlsx" in bad.output
    require_tool("soffice")
    pdftotext = require_tool("pdftotext")
    pdf = tmp_path / "sheet.pdf"
    result = runner.invoke(
        args=["programs", "attendance-sheet", str(pid), "--session", "1", "-o", str(pdf)]
    )
    assert result.exit_code == 0, result.output
    text = subprocess.run(
        [pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "كشف" in text and "العتيبي" in text


def test_erasing_a_person_drops_him_from_registrations_and_the_outbox(app, store, people):
    pid, hind = accepted_program(app, store, people)
    result = app.test_cli_runner().invoke(args=["privacy", "erase", valid_id(1), "--yes"])
    assert result.exit_code == 0, result.output
    assert '"program_registrations": 1' in result.output
    kept = store.get(REGISTRATIONS, hind["id"])
    assert (kept["name"], kept["national_id"], kept["mobile"]) == ("—", "", "")
    assert kept["status"] == "accepted" and kept["program_id"] == pid
    message = next(iter(store.iter(OUTBOX)))
    assert (message["mobile"], message["text"], message["status"]) == ("", "", "erased")
    assert "0551234500" not in people["sara"].get("/outbox/").get_data(as_text=True)


def test_the_program_is_edited_shared_and_read_in_english(app, store, people):
    pid = announce(people)
    sara = people["sara"]
    page = sara.get(f"/programs/{pid}/edit").get_data(as_text=True)
    assert 'value="قاعة التدريب بالدور الأول"' in page and 'value="age &gt;= 18"' in page
    # Saved again with a second session, earlier: listed by day, each keeps its number
    # (attendance is kept by it).
    fields = program_fields(
        session_id=["1", "", ""],
        session_day=["2030-01-02", "2030-01-01", ""],
        session_time=["مساءً", "صباحًا", ""],
        session_place=["ب", "أ", ""],
        session_mode=["in_person", "remote", "in_person"],
        starts_on="2030-01-01",
    )
    assert post(sara, f"/programs/{pid}/edit", f"/programs/{pid}/edit", fields).status_code == 302
    sessions = store.get(PROGRAMS, pid)["sessions"]
    assert [(s["id"], s["place"], s["mode"]) for s in sessions] == [
        (2, "أ", "remote"),
        (1, "ب", "in_person"),
    ]
    # The share page gives the program's own link, its QR code and poster.
    share = sara.get(f"/programs/{pid}/share/").get_data(as_text=True)
    link = f"{fallback()}/f/programs/{pid}"
    assert f'value="{link}"' in share
    assert is_qr_of(sara.get(f"/programs/{pid}/share/qr.png").data, link)
    poster = sara.get(f"/programs/{pid}/share/poster").get_data(as_text=True)
    assert "دورة الإسعافات الأولية" in poster and link in poster
    # In English, the program's page and its registration link read in English.
    sara.get("/lang/en")
    page = sara.get(f"/programs/{pid}").get_data(as_text=True)
    assert "Registration link" in page and "Attendance" in page and "Awaiting review" in page


def test_seats_added_go_to_the_first_waiting(app, store, people):
    pid = announce(people, capacity="1")
    names = ["هند سعد العتيبي", "سلمى خالد الحربي", "ريم علي الزهراني"]
    for i, name in enumerate(names, start=1):
        assert register(app, pid, name, valid_id(i), f"055123450{i}").status_code == 302
    sara = people["sara"]
    review(sara, pid, names[:1], "accept", store)
    review(sara, pid, names[2:], "waitlist", store)
    review(sara, pid, names[1:2], "waitlist", store)
    fields = program_fields(capacity="2", session_id=["1", ""])
    saved = post(sara, f"/programs/{pid}/edit", f"/programs/{pid}/edit", fields)
    assert saved.status_code == 302
    statuses = [registration_of(store, n)["status"] for n in names]
    assert statuses == ["accepted", "waitlisted", "accepted"]  # Reem waited first
    assert registration_of(store, names[2])["notice"]["number"]


def test_attendance_by_the_code_on_the_acceptance_notice(app, store, people):
    pid, hind = accepted_program(app, store, people)
    sara = people["sara"]
    url = f"/programs/{pid}/sessions/1/attendance"
    wrong = post(sara, url, f"/programs/{pid}/sessions/1/code", {"code": "ABCDEFGHJK"})
    assert wrong.status_code == 400 and "لا يطابق هذا الرمز" in wrong.get_data(as_text=True)
    code = store.get(REGISTER, hind["notice"]["letter_id"])["code"]
    # What a phone's QR reader gives: the notice's verification link.
    scanned = {"code": f"{fallback()}/verify/{code.lower()}"}
    assert post(sara, url, f"/programs/{pid}/sessions/1/code", scanned).status_code == 302
    assert next(iter(store.iter(ATTENDANCE)))["present"] == [hind["id"]]


def test_the_shipped_attendance_sheet_is_what_its_script_builds():
    """A hand-edited or stale sheet fails: run `python -m doc_templates.attendance`."""
    with (
        zipfile.ZipFile(sheet_template.PATH) as shipped,
        zipfile.ZipFile(io.BytesIO(sheet_template.build())) as new,
    ):
        assert shipped.namelist() == new.namelist()
        for member in shipped.namelist():
            assert shipped.read(member) == new.read(member), member
