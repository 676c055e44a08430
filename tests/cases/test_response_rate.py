"""The survey's response rate divides its answers by the services delivered and the
survey links offered in the period: counted from the serve moves as they are made, and
once, on the first start, for requests served before those counts were kept."""

from __future__ import annotations

import datetime as dt
import json

from app import create_app
from cases.served import SERVED
from tests.cases.conftest import submit_request
from tests.cases.test_programs_and_people import serve
from tests.web.survey_answers import send_all
from upgrades.people import UPGRADES


def _rate(app, *args) -> dict:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["surveys", "summary", "satisfaction_survey", "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["response_rate"]


def test_services_and_links_of_the_period_are_counted_from_the_serve_moves(
    app, store, people, monkeypatch
):
    send_all(app, monkeypatch)  # six answers, none of them from a personal link
    assert _rate(app)["services"] == 0 and _rate(app)["per_service"] is None
    for channel in ("interview", "interview", "interview", "phone", "phone"):
        serve(store, people, submit_request(people["sara"], channel))
    today = dt.datetime.now(dt.UTC).date()
    found = _rate(app)
    assert (found["services"], found["links"]) == (5, 5)
    assert found["per_service"] == 120.0  # six answers for five services
    assert found["per_link"] == 0.0  # none came through a personal link
    later = (today + dt.timedelta(days=2)).isoformat()
    assert _rate(app, "--from", later)["services"] == 0
    earlier = (today - dt.timedelta(days=2)).isoformat()
    assert _rate(app, "--from", earlier, "--to", later)["links"] == 5
    assert _rate(app, "--to", earlier)["links"] == 0
    # The answers were given months ago: none in a period of today alone.
    assert _rate(app, "--from", today.isoformat())["per_service"] == 0.0
    # Counted without reading a request: one small record per service.
    assert store.count(SERVED) == 5
    assert {r["channel"] for r in store.find(SERVED)} == {"interview", "phone"}
    assert {r["staff"] for r in store.find(SERVED)} == {"sara"}


def test_requests_served_before_the_counts_were_kept_are_counted_once_on_start(
    app, store, people, monkeypatch
):
    send_all(app, monkeypatch)
    for channel in ("interview", "phone"):
        serve(store, people, submit_request(people["sara"], channel))
    before = _rate(app)
    # As an older Rifd left the folder: no records of the services, no note of the step.
    for record in store.find(SERVED):
        store.delete(SERVED, record["id"])
    for step in store.find(UPGRADES, where={"step": "services_given"}):
        store.delete(UPGRADES, step["id"])
    assert _rate(app)["services"] == 0
    config = {"TESTING": True, "DATA_DIR": app.config["DATA_DIR"], "SECRET_KEY": "test"}
    again = create_app(config)
    create_app(config)  # a second start counts nothing twice
    assert _rate(again) == before and before["services"] == before["links"] == 2
