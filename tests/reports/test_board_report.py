"""The reports a board reads: known survey answers sent through the public link and known
requests moved through the pages give exact figures in the Excel summary, in the text of
the Word report and of its PDF; a survey's results print the same way; who may have them."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from docx import Document
from openpyxl import load_workbook

from accounts.audit import Actor, everything
from cases.service import CASES
from deliveries.records import DELIVERIES
from doc_templates import board_report as report_template
from forms.dates import saudi_today
from quality import followups
from reports.documents import LRI, PDI
from reports.period import PeriodError, hijri_period
from tests.cases.conftest import move, submit_request
from tests.cases.test_dashboard_pages import DECISION
from tests.cases.test_moves import to_committee
from tests.conftest import csrf_token, require_tool, sign_in
from tests.letters.test_pdf import assert_arabic, pdf_text
from tests.quality.test_followups import COMPLAINT, answer
from tests.web.survey_answers import ANSWERS, CSAT, NPS, TREND
from tests.web.test_background_exports import _start, _wait

SURVEY = {"from": "2026-03-01", "to": "2026-04-30"}
REFUSAL = {"meeting_number": "7", "reasons": "الدخل يكفي حاجة الأسرة"}
CSAT_TEXT, NPS_TEXT = f"{CSAT:g}٪", f"{NPS['score']:+g}"  # 53.1٪, -16.7


def _get(client, url: str, **args):
    response = client.get(url, query_string=args)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return response.data


def summary_rows(data: bytes) -> dict[str, str]:
    """Return {label: value} of the Excel summary sheet (the section titles map to None)."""
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["الملخص", "الإجابات"]
    sheet = book["الملخص"]
    assert sheet.sheet_view.rightToLeft
    return {r[0]: r[1] for r in sheet.iter_rows(values_only=True) if r and r[0]}


def docx_text(data: bytes) -> str:
    """Return what the Word report says: its paragraphs, then each table row as 'a | b'."""
    doc = Document(io.BytesIO(data))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:  # the figures are isolated left to right inside the cells
        lines += [" | ".join(c.text.strip(LRI + PDI) for c in row.cells) for row in table.rows]
    return "\n".join(lines)


def trend_line(month: dict) -> str:
    return f"{month['label']} | CSAT {month['csat']:g}٪"


def test_the_excel_summary_holds_the_exact_satisfaction_and_the_raw_answers(officer):
    data = _get(officer, "/reports/board", format="xlsx", **SURVEY)
    rows = summary_rows(data)
    assert rows["عدد الإجابات"] == str(len(ANSWERS))
    assert rows["رضا المستفيدين CSAT (نسبة 4-5 من 5)"] == CSAT_TEXT
    assert rows["صافي نقاط الترويج NPS"] == NPS_TEXT
    assert rows["المروّجون (9-10)"].startswith(f"{NPS['promoters']} (")
    assert rows["المنتقدون (0-6)"].startswith(f"{NPS['detractors']} (")
    for month in TREND:  # too few answers a month for an NPS: said, not a number
        assert rows[month["label"]].startswith(f"CSAT {month['csat']:g}٪ — NPS أقل من 5")
    # the lowest items by mean: clarity (19/6), then reception and overall (20/6); not the
    # facilities (3 from two answers: too few to name a weakness)
    lowest = list(rows).index("البنود الأدنى تقييمًا (المتوسط)")
    assert list(rows.values())[lowest + 1 : lowest + 4] == ["3.17 من 5", "3.33 من 5", "3.33 من 5"]
    answers = list(load_workbook(io.BytesIO(data), read_only=True)["الإجابات"].values)
    assert len(answers) == 1 + len(ANSWERS)
    assert sorted(r[1] for r in answers[1:]) == sorted(a[0] for a in ANSWERS)


def test_the_word_report_says_the_same_figures_in_the_letterhead(officer, answered):
    data = _get(officer, "/reports/board", format="docx", **SURVEY)
    text = docx_text(data)
    assert "تقرير الأداء الدوري" in text
    assert f"رضا المستفيدين CSAT (نسبة 4-5 من 5) | {CSAT_TEXT}" in text
    assert f"صافي نقاط الترويج NPS | {NPS_TEXT}" in text
    for month in TREND:
        assert trend_line(month) in text
    doc = Document(io.BytesIO(data))
    header = "\n".join(
        c.text for t in doc.sections[0].header.tables for r in t.rows for c in r.cells
    )
    assert "جمعية" in header  # the association's letterhead, as the letters have it
    assert len(doc.inline_shapes) >= 1  # the trend's chart
    assert b"<w:bidi/>" in _part(data, "word/document.xml")


def _part(data: bytes, name: str) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(name)


def test_a_hijri_year_reads_the_same_answers(officer):
    rows = summary_rows(_get(officer, "/reports/board", format="xlsx", year="1447"))
    assert rows["رضا المستفيدين CSAT (نسبة 4-5 من 5)"] == CSAT_TEXT
    ramadan = summary_rows(_get(officer, "/reports/board", format="xlsx", year="1447", quarter="3"))
    assert ramadan["عدد الإجابات"] == "3"  # Ramadan is the 9th month: the third quarter


def test_hijri_periods():
    quarter = hijri_period(1447, 3)  # Rajab 1 to the last of Ramadan 1447
    assert (quarter.start, quarter.end) == (dt.date(2025, 12, 21), dt.date(2026, 3, 19))
    year = hijri_period(1447)
    assert (year.start, year.end) == (dt.date(2025, 6, 26), dt.date(2026, 6, 15))
    with pytest.raises(PeriodError):
        hijri_period(1447, 5)


def test_requests_and_decisions_of_the_period(app, store, people):
    sara, huda = people["sara"], people["huda"]
    accepted = submit_request(sara, "interview")
    refused = submit_request(sara, "interview")
    submit_request(sara, "phone")  # still open
    for cid in (accepted, refused):
        to_committee(people, cid)
    assert move(huda, accepted, "accept", DECISION).status_code == 302
    assert move(huda, refused, "reject", REFUSAL).status_code == 302
    # Older requests, decided late, outside the period: not counted in it.
    case = store.get(CASES, accepted)
    old = {**case, "opened_on": "2025-01-01", "state": "closed", "ref": "SR-OLD"}
    old["decision"] = {**case["decision"], "date": "2025-01-20", "on_time": False}
    store.insert_many(CASES, [{k: v for k, v in old.items() if k != "id"}] * 4)
    client = app.test_client()
    sign_in(client, app, "boss", ("admin",))
    today = saudi_today().isoformat()
    rows = summary_rows(
        _get(client, "/reports/board", format="xlsx", **{"from": today, "to": today})
    )
    assert rows["الطلبات الواردة"] == "3"
    assert rows["الطلبات التي بُتّ فيها"] == "2"
    assert rows["في المدة المحددة في السياسة"] == "2 (100٪)"
    assert rows["المقبولة"] == "1 (50٪)"
    assert rows["متوسط مدة البت (يوم)"] == "0"
    text = docx_text(_get(client, "/reports/board", format="docx", **{"from": today, "to": today}))
    assert "الطلبات الواردة | 3" in text and "الطلبات التي بُتّ فيها | 2" in text
    old_rows = summary_rows(
        _get(client, "/reports/board", format="xlsx", **{"from": "2025-01-01", "to": "2025-01-31"})
    )
    assert old_rows["الطلبات الواردة"] == "4"
    assert old_rows["في المدة المحددة في السياسة"] == "0 (0٪)"
    assert old_rows["متوسط مدة البت (يوم)"] == "19"


def test_the_report_reads_the_periods_records_only(app, store, people, monkeypatch):
    submit_request(people["sara"], "interview")
    read = []
    for name in ("iter", "find"):  # what reads a collection through, whole or by a filter
        real = getattr(type(store), name)

        def spy(self, collection, *args, _real=real, **kwargs):
            read.append(collection)
            return _real(self, collection, *args, **kwargs)

        monkeypatch.setattr(type(store), name, spy)
    client = app.test_client()
    sign_in(client, app, "qo", ("quality_officer",))
    _get(client, "/reports/board", format="xlsx", year="1447")
    assert CASES not in read and "deliveries" not in read


def test_a_surveys_results_print_from_its_results_page(officer):
    page = officer.get("/results/satisfaction_survey").get_data(as_text=True)
    assert 'href="/reports/results/satisfaction_survey?format=docx"' in page
    text = docx_text(_get(officer, "/reports/results/satisfaction_survey", format="docx"))
    assert f"صافي نقاط الترويج NPS | {NPS_TEXT}" in text
    assert "5 | 2 (33.3٪)" in text  # the overall rating: two fives of six
    rows = summary_rows(_get(officer, "/reports/results/satisfaction_survey", format="xlsx"))
    assert rows["رضا المستفيدين CSAT (نسبة 4-5 من 5)"] == CSAT_TEXT
    phone = _get(officer, "/reports/results/satisfaction_survey", format="xlsx", channel="phone")
    assert summary_rows(phone)["عدد الإجابات"] == "3"


def test_the_pdf_says_the_figures(officer, tmp_path):
    require_tool("soffice")
    text = pdf_text(_get(officer, "/reports/board", format="pdf", **SURVEY), tmp_path)
    assert_arabic(text, "تقرير الأداء الدوري")
    assert "53.1٪" in text and re.search(r"-\s?16\.7", text), text  # the sign before it


def test_the_command_writes_each_format(answered, tmp_path):
    runner = answered.test_cli_runner()
    out = tmp_path / "board.xlsx"
    args = ["reports", "board", "--from", "1447/09/01", "--to", "2026-04-30", "-o", str(out)]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert summary_rows(out.read_bytes())["صافي نقاط الترويج NPS"] == NPS_TEXT
    bad = runner.invoke(args=["reports", "board", "--from", "x", "--to", "y", "-o", str(out)])
    assert bad.exit_code != 0 and "YYYY-MM-DD" in bad.output
    wrong = runner.invoke(
        args=["reports", "board", "--year", "1447", "-o", str(tmp_path / "r.txt")]
    )
    assert wrong.exit_code != 0 and ".docx, .pdf or .xlsx" in wrong.output


def test_who_may_have_the_reports(answered):
    urls = ["/reports/", "/reports/board?format=xlsx&year=1447"]
    urls.append("/reports/results/satisfaction_survey?format=docx")
    for roles, status in [(("intake",), 403), (("committee",), 403), (("viewer",), 403)]:
        client = answered.test_client()
        sign_in(client, answered, roles[0], roles)
        for url in urls:
            assert client.get(url).status_code == status, (roles, url)
    client = answered.test_client()
    sign_in(client, answered, "boss", ("admin",))
    assert 'href="/reports/"' in client.get("/").get_data(as_text=True)
    assert client.get(urls[1]).status_code == 200


def test_a_bad_period_is_named_not_an_error(officer):
    response = officer.get("/reports/board", query_string={"format": "docx", "from": "غدًا"})
    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.get_data(as_text=True)
    assert officer.get("/reports/board", query_string={"format": "exe"}).status_code == 404
    late = officer.get("/reports/board", query_string={"format": "xlsx", "year": "1600"})
    assert late.status_code == 400 and "خارج التقويم" in late.get_data(as_text=True)


def test_the_shipped_template_is_built_from_its_source():
    assert report_template.build() == report_template.PATH.read_bytes()  # else: rebuild it


def test_services_delivered_by_kind_leave_out_a_refused_transfer(app, store):
    day = {"date": "2026-03-05", "case_id": 1, "beneficiary_id": 1}
    store.insert_many(
        DELIVERIES,
        [
            {**day, "kind": "cash", "amount": 500},
            {**day, "kind": "cash", "amount": 250.5},
            {**day, "kind": "cash", "amount": 900, "transfer": {"status": "failed"}},
            {**day, "kind": "in_kind", "quantity": 2},
            {**day, "date": "2026-05-01", "kind": "in_kind", "quantity": 1},  # after the period
        ],
    )
    client = app.test_client()
    sign_in(client, app, "qo", ("quality_officer",))
    rows = summary_rows(_get(client, "/reports/board", format="xlsx", **SURVEY))
    assert rows["دعم نقدي"] == "2 — 750.50 ريال"
    assert rows["دعم عيني"] == "1"
    assert rows["المفتوحة يوم الطباعة"] == "0" and "الشكاوى والمقترحات ومتابعتها" in rows


def test_complaints_are_counted_for_the_reports_period(app, store):
    for _ in range(3):
        answer(app, "/f/complaint", COMPLAINT)
    march, late, fresh = sorted(store.iter(followups.COLLECTION), key=lambda i: i["id"])
    store.update(followups.COLLECTION, march["id"], {"opened_on": "2026-03-05"})
    store.update(followups.COLLECTION, late["id"], {"opened_on": "2026-03-20"})
    who = Actor("nora", "127.0.0.1", everything)
    followups.close(store, march["id"], "اعتذرنا وسلمنا السلة", who)
    closure = {**store.get(followups.COLLECTION, march["id"])["closure"], "on": "2026-03-08"}
    store.update(followups.COLLECTION, march["id"], {"closure": closure, "on_time": True})
    client = app.test_client()
    sign_in(client, app, "qo", ("quality_officer",))
    march_rows = summary_rows(_get(client, "/reports/board", format="xlsx", **SURVEY))
    assert march_rows["الواردة في الفترة"] == "2"  # the third came today
    assert march_rows["المغلقة في الفترة"] == march_rows["منها ما أُغلق في موعد الرد"] == "1"
    # Those still open are counted as of the day the report is printed, whatever its period.
    assert march_rows["المفتوحة يوم الطباعة"] == "2"
    assert march_rows["المتأخرة عن موعد الرد يوم الطباعة"] == "1"
    today = saudi_today().isoformat()
    rows = summary_rows(
        _get(client, "/reports/board", format="xlsx", **{"from": today, "to": today})
    )
    assert (rows["الواردة في الفترة"], rows["المغلقة في الفترة"]) == ("1", "0")
    assert fresh["opened_on"] == today


def test_a_year_with_many_answers_is_prepared_in_the_background(answered, officer):
    answered.config["EXPORT_INLINE_LIMIT"] = 5  # the period holds six answers
    url = "/reports/board?format=xlsx&year=1447"
    started = _start(officer, url)
    assert started.status_code == 302
    jid = int(started.headers["Location"].rsplit("/", 1)[1])
    page = officer.get(f"/exports/{jid}").get_data(as_text=True)
    assert "تقرير الأداء الدوري" in page and '<progress id="job-progress"' in page
    state = _wait(officer, jid)
    assert state["status"] == "done" and state["done"] == state["total"] == len(ANSWERS)
    data = officer.get(state["download"]).data
    assert summary_rows(data)["رضا المستفيدين CSAT (نسبة 4-5 من 5)"] == CSAT_TEXT
    answers = list(load_workbook(io.BytesIO(data), read_only=True)["الإجابات"].values)
    assert len(answers) == 1 + len(ANSWERS)
    # A period the export page cannot read is not found, never an error.
    other = answered.test_client()
    sign_in(other, answered, "qo2", ("quality_officer",))
    assert other.get(f"/exports/{jid}").status_code == 404  # another person's export
    token = csrf_token(officer, "/reports/")
    bad = {"csrf_token": token, "kind": "board", "name": "year=abc"}
    assert officer.post("/exports/start", data=bad).status_code == 404


def test_a_surveys_results_with_many_answers_are_prepared_in_the_background(answered, officer):
    answered.config["EXPORT_INLINE_LIMIT"] = 2  # three answers came by phone
    started = _start(officer, "/reports/results/satisfaction_survey?format=xlsx&channel=phone")
    state = _wait(officer, int(started.headers["Location"].rsplit("/", 1)[1]))
    assert state["status"] == "done" and state["done"] == state["total"] == 3
    data = officer.get(state["download"]).data
    assert summary_rows(data)["عدد الإجابات"] == "3"
    answers = list(load_workbook(io.BytesIO(data), read_only=True)["الإجابات"].values)
    assert [row[2] for row in answers[1:]] == ["phone"] * 3
