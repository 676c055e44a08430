"""A survey's results: known answers sent through the public link give exact figures on
the results page and in `surveys summary --json`; filters, groups, comments, charts and
who may see them."""

from __future__ import annotations

import json
import os
import re

import pytest

from app import create_app
from cases.programs import PROGRAMS
from store import AnyOf
from surveys import charts
from surveys.months import MONTHS
from surveys.tallies import TALLIES
from tests.cases.conftest import page_fields, post
from tests.conftest import post_form, sign_in
from tests.web.survey_answers import ANSWERS, CSAT, NPS, OVERALL, TREND, form_data, send_all
from upgrades.people import UPGRADES

PAGE = "/results/satisfaction_survey"


@pytest.fixture
def answered(app, monkeypatch):
    send_all(app, monkeypatch)
    return app


@pytest.fixture
def officer(answered):
    client = answered.test_client()
    sign_in(client, answered, "qo", ("quality_officer",))
    return client


def _table(page: str, table_id: str) -> list[list[str]]:
    body = page.split(f'id="{table_id}"')[1].split("</table>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>")[1], re.S)
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh]>(.*?)</t[dh]>", r, re.S)]
        for r in rows
    ]


def _summary(runner, *args) -> dict:
    result = runner.invoke(args=["surveys", "summary", "satisfaction_survey", "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_the_summary_command_prints_the_exact_figures(answered):
    found = _summary(answered.test_cli_runner())
    assert found["responses"] == len(ANSWERS) == 6
    assert found["csat"] == {"n": 32, "satisfied": 17, "percent": CSAT}
    assert {k: found["nps"][k] for k in NPS} == NPS
    overall = next(q for q in found["questions"] if q["name"] == "rate_overall")
    assert {r["value"]: r["count"] for r in overall["rows"]} == OVERALL
    assert overall["spread"] == {"n": 6, "mean": 3.33, "sd": 1.49, "min": 1, "max": 5}
    assert [{k: m[k] for k in TREND[0]} for m in found["trend"]] == TREND
    # A period by its Hijri days: Shawwal 1447 alone.
    shawwal = _summary(answered.test_cli_runner(), "--from", "1447/10/01", "--to", "1447/10/29")
    assert shawwal["responses"] == 3 and shawwal["csat"]["percent"] == 46.7
    assert shawwal["nps"]["score"] is None  # 3 answers: too few for a percentage
    # A period that cuts both months (read from their days): answers 3, 4 and 5.
    cut = _summary(answered.test_cli_runner(), "--from", "2026-03-02", "--to", "2026-04-10")
    assert cut["responses"] == 3 and cut["csat"] == {"n": 16, "satisfied": 7, "percent": 43.8}
    assert [(m["from"], m["to"], m["responses"]) for m in cut["trend"]] == [
        ("2026-03-02", "2026-03-02", 1),
        ("2026-04-10", "2026-04-10", 2),
    ]


def test_the_summary_command_refuses_a_bad_date_and_an_unknown_form(runner):
    bad = runner.invoke(args=["surveys", "summary", "satisfaction_survey", "--from", "soon"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output
    unknown = runner.invoke(args=["surveys", "summary", "no_such_form"])
    assert unknown.exit_code == 1 and "no_such_form" in unknown.output


def test_the_results_page_shows_the_same_figures(officer):
    response = officer.get(PAGE)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    csat = page.split('id="fig-csat"')[1].split("</div>")[0]
    assert f"<bdi>{CSAT}%</bdi>" in csat
    nps = page.split('id="fig-nps"')[1].split("</div>")[0]
    assert "<bdi>-16.7</bdi>" in nps
    split = re.findall(r"<td>(\d+)</td>", nps)
    assert split == ["2", "1", "3"]  # promoters, passives, detractors: never an average
    rows = _table(page, "table-rate_overall")
    assert [(r[0], r[1]) for r in rows] == [(k, str(v)) for k, v in OVERALL.items()]
    assert rows[4][2] == "33.3%"
    trend = _table(page, "table-trend")
    assert [r[0] for r in trend] == ["رمضان 1447 هـ", "شوال 1447 هـ"]
    assert trend[0][1] == "2026/03/01 – 2026/03/02" and trend[0][3] == "58.8%"
    assert "أقل من 5 إجابات" in trend[0][4]  # NPS of 3 answers: a warning, not a number
    services = _table(page, "table-service_received")
    assert services[0][:3] == ["مساعدة عينية (سلة غذائية، أثاث، أجهزة)", "4", "66.7%"]
    assert 'src="/results/satisfaction_survey/chart/rate_overall.svg"' in page
    assert "الانتظار طويل جدا" in page.split('id="q-low_rating_reason"')[1]


def test_a_filter_by_channel_and_two_groups_side_by_side(officer):
    page = officer.get(f"{PAGE}?channel=interview").get_data(as_text=True)
    assert re.search(r'id="fig-responses"><h2>[^<]+</h2><p class="big">3</p>', page)
    nps = page.split('id="fig-nps"')[1].split("</div>")[0]
    assert "أقل من 5 إجابات" in nps  # 3 answers: a warning instead of a percentage
    # Two facts at once (read from the answers, not the kept tallies): answers 1 and 4.
    both = officer.get(f"{PAGE}?channel=phone&service=in_kind").get_data(as_text=True)
    assert re.search(r'id="fig-responses"><h2>[^<]+</h2><p class="big">2</p>', both)
    compared = officer.get(f"{PAGE}?a=channel:phone&b=channel:interview").get_data(as_text=True)
    table = compared.split('id="compare"')[1].split("</table>")[0]
    heads = re.findall(r"<th>([^<]*)</th>", table.split("</thead>")[0])
    assert heads[1:] == ["الاتصالات الهاتفية", "المقابلة الشخصية"]
    responses = re.search(r"<th>عدد الإجابات</th><td>(\d+)</td><td>(\d+)</td>", table)
    assert responses.groups() == ("3", "3")
    # phone: 16 ratings (one of facilities), 15 of them 4-5; interview: 16, 2 of them
    assert "<td><bdi>93.8%</bdi></td><td><bdi>12.5%</bdi></td>" in table
    # Within a period cutting both months: phone answer 4, interview answers 3 and 5.
    args = "from=2026-03-02&to=2026-04-10&a=channel:phone&b=channel:interview"
    table = officer.get(f"{PAGE}?{args}").get_data(as_text=True).split('id="compare"')[1]
    responses = re.search(r"<th>عدد الإجابات</th><td>(\d+)</td><td>(\d+)</td>", table)
    assert responses.groups() == ("1", "2")


def test_a_bad_period_is_named_and_nothing_else_is_lost(officer):
    response = officer.get(f"{PAGE}?from=yesterday&channel=phone")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "تاريخ غير صحيح: yesterday" in page
    assert re.search(r'id="fig-responses"><h2>[^<]+</h2><p class="big">3</p>', page)


def test_comments_are_searched_and_paged(officer):
    url = "/results/satisfaction_survey/comments/low_rating_reason"
    page = officer.get(url).get_data(as_text=True)
    assert "الانتظار طويل جدا" in page and "لم يرد أحد على الهاتف" in page
    found = officer.get(url + "?q=الانتظار").get_data(as_text=True)
    assert "الانتظار طويل جدا" in found and "لم يرد أحد" not in found
    april = officer.get(url + "?from=2026-04-01").get_data(as_text=True)
    assert "لم يرد أحد على الهاتف" in april and "الانتظار طويل" not in april
    assert officer.get("/results/satisfaction_survey/comments/nps").status_code == 404


def test_charts_are_svg_without_markup_and_png(officer):
    svg = officer.get(f"{PAGE}/chart/rate_overall.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    text = svg.get_data(as_text=True)
    assert text.startswith("<svg") and "<!--" not in text and "<style" not in text
    assert "script" not in text.lower() and "<text" not in text  # the labels are paths
    png = officer.get(f"{PAGE}/chart/service_received.png?channel=phone")
    assert png.status_code == 200 and png.data.startswith(b"\x89PNG")
    assert officer.get(f"{PAGE}/chart/trend.svg").status_code == 200
    assert officer.get(f"{PAGE}/chart/suggestions.svg").status_code == 404
    assert officer.get(f"{PAGE}/chart/rate_overall.gif").status_code == 404


def test_charts_have_an_arabic_font():
    if charts.arabic_font() is None:
        if os.environ.get("CI"):
            pytest.fail("no Arabic font for the charts (fonts-noto-core)")
        pytest.skip("no Arabic font installed (fonts-noto-core): the charts would show boxes")
    assert charts.fonts()[-1] == "DejaVu Sans"


def test_who_may_see_the_results(answered):
    for roles, status in [(("intake",), 403), (("viewer",), 403), (("admin",), 200)]:
        client = answered.test_client()
        sign_in(client, answered, roles[0], roles)
        assert client.get(PAGE).status_code == status, roles
    # The admin sees the figures, not the comments: they are answers in a person's words.
    page = client.get(PAGE).get_data(as_text=True)
    assert "الانتظار طويل" not in page
    comments = client.get("/results/satisfaction_survey/comments/low_rating_reason")
    assert comments.status_code == 403


def test_linked_from_the_forms_list_and_the_home_page(officer):
    assert f'href="{PAGE}"' in officer.get("/forms/").get_data(as_text=True)
    assert 'href="/results/"' in officer.get("/").get_data(as_text=True)
    index = officer.get("/results/").get_data(as_text=True)
    assert f'href="{PAGE}"' in index


def test_answers_stored_before_the_tallies_are_counted_once_on_start(answered):
    data = answered.extensions["rifd_store"]
    # As an older Rifd left them: no facts, no tallies, no note of counting them.
    for name in (TALLIES, MONTHS):
        for record in data.iter(name):
            data.delete(name, record["id"])
    for step in data.find(UPGRADES, where={"step": AnyOf(["survey_tallies", "survey_months"])}):
        data.delete(UPGRADES, step["id"])
    for record in data.iter("submissions/satisfaction_survey"):
        data.replace(
            "submissions/satisfaction_survey",
            record["id"],
            {k: v for k, v in record.items() if k != "facts"},
        )
    config = {"TESTING": True, "DATA_DIR": answered.config["DATA_DIR"], "SECRET_KEY": "test"}
    again = create_app(config)
    create_app(config)  # a second start counts nothing twice
    found = _summary(again.test_cli_runner())
    assert found["responses"] == 6 and found["csat"]["percent"] == CSAT
    assert [m["csat"] for m in found["trend"]] == [58.8, 46.7]


def test_day_tallies_kept_before_the_months_are_added_up_once_on_start(answered):
    data = answered.extensions["rifd_store"]
    before = _summary(answered.test_cli_runner())
    for record in data.iter(MONTHS):  # as the Rifd before the months left them
        data.delete(MONTHS, record["id"])
    for step in data.find(UPGRADES, where={"step": "survey_months"}):
        data.delete(UPGRADES, step["id"])
    config = {"TESTING": True, "DATA_DIR": answered.config["DATA_DIR"], "SECRET_KEY": "test"}
    again = create_app(config)
    create_app(config)  # a second start adds nothing twice
    assert _summary(again.test_cli_runner()) == before
    assert before["responses"] == 6 and [m["csat"] for m in before["trend"]] == [58.8, 46.7]


def test_a_programs_survey_link_counts_its_answers_for_the_program(officer, store):
    pid = store.insert(
        PROGRAMS,
        {
            "name": "دورة الحاسب",
            "category": "open",
            "starts_on": "2026-05-01",
            "announced_on": "2026-04-01",
            "lead_given": 5,
            "lead_required": 5,
        },
    )
    programs = officer.get("/programs/").get_data(as_text=True)
    field = re.search(rf'<input[^>]*id="program-survey-{pid}"[^>]*>', programs).group(0)
    path = re.search(r'value="[^"]*?(/f/satisfaction_survey\?b=[^"]+)"', field).group(1)
    phone = officer.application.test_client()
    answer = form_data((5, 5, 5, 5, 5), None, 10, "phone", "program", "")
    assert post_form(phone, path, answer).status_code == 302
    page = officer.get(f"{PAGE}?program={pid}").get_data(as_text=True)
    assert re.search(r'id="fig-responses"><h2>[^<]+</h2><p class="big">1</p>', page)
    assert "دورة الحاسب</option>" in page
    [found] = [r for r in store.iter("submissions/satisfaction_survey") if r.get("about")]
    assert found["about"] == {"program": pid} and found["facts"]["program"] == pid
    assert "منها" not in page.split('id="fig-responses"')[1].split("</div>")[0]  # not personal


def test_a_corrected_answer_is_counted_as_corrected(answered, store):
    intake = answered.test_client()
    sign_in(intake, answered, "sara", ("intake",))
    # The sixth answer: overall 1 and NPS 0. Corrected to 5 and 10.
    [sixth] = [r for r in store.iter("submissions/satisfaction_survey") if r["ref"].endswith("06")]
    url = f"/forms/satisfaction_survey/submissions/{sixth['id']}/correct"
    fields = page_fields(intake.get(url).get_data(as_text=True), url)
    fields |= {"rate_overall": "5", "nps": "10", "rifd-why": "أدخلها الموظف خطأً عبر الهاتف"}
    fields.pop("low_rating_reason", None)
    assert post(intake, url, url, fields).status_code == 302
    found = _summary(answered.test_cli_runner())
    assert found["csat"] == {"n": 32, "satisfied": 18, "percent": 56.2}
    assert {k: found["nps"][k] for k in ("promoters", "passives", "detractors")} == {
        "promoters": 3,
        "passives": 1,
        "detractors": 2,
    }
    overall = next(q for q in found["questions"] if q["name"] == "rate_overall")
    assert {r["value"]: r["count"] for r in overall["rows"]} == {**OVERALL, "1": 0, "5": 3}
    low = next(q for q in found["questions"] if q["name"] == "low_rating_reason")
    assert low["answered"] == 1
