"""Benchmark: a survey's results page and `surveys summary` with 1,000 and 100,000 answers.

    .venv/bin/python -m bench.bench_results --sizes 1000,100000 --rounds 5
    .venv/bin/python -m bench.bench_results --sizes 1000,100000 --backend postgres

For each size, a fresh data folder: the demo association seeded as `make run` does, a
request served through the pages (so some answers come by a personal link), then ten
answers sent through the public survey link, then as many stored answers as the size
asks for, each a copy of one of those with its own reference, day (spread over three
years), ratings, channel, kind of service and staff member, stored with their facts and
their days' and months' tallies as the save step keeps them (added up here and stored in one go: a
first start counting 100,000 older answers took 7 to 28 minutes, docs/performance.md).
Then every page is fetched by a signed-in quality officer through the Flask test client,
and the command run through Click's runner, with nothing switched off; the median of
`rounds` is kept, the sizes timed side
by side. A chart is timed with its drawing cache emptied first (its cost is the drawing,
whatever the size). Figures go to docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import re
import statistics
import time
from pathlib import Path

from app import create_app
from bench import backends
from bench.sizes import print_table, side_by_side
from submissions.service import collection
from surveys import charts, figures, months, tallies
from surveys.tallies import TALLIES
from tests.cases.conftest import move, post, submit_request
from tests.conftest import post_form, sign_in
from tests.web.survey_answers import form_data

FORM = "satisfaction_survey"
CHUNK = 5000
REAL = 10
CHANNELS = ("interview", "phone", "social_media", "letters", "help_request", "website")
SERVICES = ("in_kind", "cash_aid", "program", "event", "consultation", "inquiry")
STAFF = ("sara", "huda", "ali", "omar", "lina")
COMMENTS = ("الانتظار طويل", "خدمة ممتازة وسريعة", "أتمنى تحسين الرد على الهاتف", "")


def _served_request(client) -> str:
    """Take one request to served through its pages; return its personal survey path (the
    public one when the page offers none)."""
    cid = submit_request(client, "interview")
    page = client.get(f"/cases/{cid}").get_data(as_text=True)
    items = sorted(set(re.findall(r'name="checklist" value="([^"]+)"', page)))
    move(client, cid, "verify", {"checklist": items})
    post(client, f"/cases/{cid}", f"/cases/{cid}/letter/declaration")
    for name, data in [
        ("declare", {"signed": "yes"}),
        ("submit", {}),
        ("accept", {"meeting_number": "5"}),
        ("register", {}),
        ("serve", {"proof": "bank_transfer"}),
    ]:
        move(client, cid, name, data)
    page = client.get(f"/cases/{cid}").get_data(as_text=True)
    found = re.search(r'value="[^"]*?(/f/satisfaction_survey\?b=[^"]+)"', page)
    # Since issue 14 serving takes a delivery record first: without it, no personal link
    # (the copies still carry a personal link's facts, 30 % of them).
    return found.group(1) if found else f"/f/{FORM}"


def _answer(rng: random.Random) -> tuple:
    ratings = tuple(rng.choices((1, 2, 3, 4, 5), (1, 1, 2, 4, 5))[0] for _ in range(5))
    facilities = rng.choice((None, 3, 4, 5))
    comment = rng.choice(COMMENTS)
    nps = rng.choices(range(11), (1, 1, 1, 1, 1, 2, 2, 3, 4, 5, 5))[0]
    return ratings, facilities, nps, rng.choice(CHANNELS), rng.choice(SERVICES), comment


def _grow(store, templates: list[dict], size: int, form) -> None:
    """Store copies of the real answers with their facts, and their tallies as the save
    step keeps them (added up here, and stored at the end in one go)."""
    days: dict[tuple[str, str], dict] = {}
    rng, start = random.Random(size), dt.datetime(2024, 1, 1, 8, tzinfo=dt.UTC)
    made = 0
    while made < size:
        batch = []
        for k in range(made, min(made + CHUNK, size)):
            ratings, facilities, nps, channel, kind, comment = _answer(rng)
            answers = form_data(ratings, facilities, nps, channel, kind, comment)
            answers = {key: int(v) if v.isdigit() else v for key, v in answers.items()}
            record = {
                k_: v
                for k_, v in rng.choice(templates).items()
                if k_ not in ("id", "facts", "about")
            }
            record |= {
                "ref": f"SV-B-{k:07d}",
                "answers": answers,
                "created_at": (
                    start + dt.timedelta(minutes=k * 1051 % (3 * 365 * 1440))
                ).isoformat(),
            }
            if rng.random() < 0.3:
                record["about"] = {"beneficiary": 1, "case": 1, "staff": rng.choice(STAFF)}
            record["facts"] = tallies.facts_of(form, record)
            tally = tallies.tally_of(form, record)
            for group in tallies.groups_of(record["facts"]):
                key = (record["facts"]["day"], group)
                figures.merge(days.setdefault(key, figures.empty()), tally)
            batch.append(record)
        store.insert_many(collection(FORM), batch)
        made += len(batch)
    kept = {(t["day"], t["group"]): t for t in store.find(TALLIES, where={"form_id": FORM})}
    for key, tally in days.items():
        if key in kept:  # a day the real answers opened: its record takes the copies too
            store.update(
                TALLIES, kept[key]["id"], {"tally": figures.merge(kept[key]["tally"], tally)}
            )
    new = [
        tallies.day_record(FORM, day, group, t)
        for (day, group), t in days.items()
        if (day, group) not in kept
    ]
    store.insert_many(TALLIES, new)
    months.build(store, FORM, store.find(TALLIES, where={"form_id": FORM}))


def seed(size: int, folder: str, url: str | None) -> dict:
    """Fill a data folder with `size` survey answers; return its config."""
    config = {"DATA_DIR": str(Path(folder) / "data"), "SECRET_KEY": "bench"}
    if url:
        config["DATABASE_URL"] = url
    app = create_app(config)
    assert app.test_cli_runner().invoke(args=["seed"]).exit_code == 0
    staff = app.test_client()
    sign_in(staff, app, "bench", ("intake", "committee"))
    personal = _served_request(staff)
    phone, rng = app.test_client(), random.Random(1)
    for k in range(REAL):
        path = personal if k % 3 == 0 else f"/f/{FORM}"
        assert post_form(phone, path, form_data(*_answer(rng))).status_code == 302
    store = app.extensions["rifd_store"]
    templates = list(store.iter(collection(FORM)))
    begin = time.perf_counter()
    _grow(store, templates, size - REAL, app.extensions["rifd_forms"].get(FORM))
    print(f"  {size:,} answers stored in {time.perf_counter() - begin:.1f} s", flush=True)
    return config


def _site(config: dict):
    app = create_app(config)
    client = app.test_client()
    sign_in(client, app, "quality", ("quality_officer",))
    return app, client


PAGES = {
    "results page": f"/results/{FORM}",
    "results, one Hijri quarter": f"/results/{FORM}?from=1446/01/01&to=1446/03/29",
    "results, one channel": f"/results/{FORM}?channel=phone",
    "results, one staff member": f"/results/{FORM}?staff=huda",
    "two channels side by side": f"/results/{FORM}?a=channel:phone&b=channel:website",
    "comments, first page": f"/results/{FORM}/comments/suggestions",
    "comments, searched": f"/results/{FORM}/comments/suggestions?q=الهاتف",
    "a chart (drawn, cache emptied)": f"/results/{FORM}/chart/rate_overall.svg",
    "board report, a Hijri quarter, Excel": "/reports/board?format=xlsx&year=1446&quarter=1",
    "board report, a Hijri quarter, Word": "/reports/board?format=docx&year=1446&quarter=1",
    "board report, a Hijri year, Excel": "/reports/board?format=xlsx&year=1446",
    "results printed, Word": f"/reports/results/{FORM}?format=docx",
}


def _time(app, client, label: str) -> float:
    gc.collect()
    if label == "surveys summary --json":
        runner = app.test_cli_runner()
        start = time.perf_counter()
        result = runner.invoke(args=["surveys", "summary", FORM, "--json"])
        elapsed = time.perf_counter() - start
        assert result.exit_code == 0, result.output
        return elapsed
    if "chart" in label:
        charts._render.cache_clear()
    start = time.perf_counter()
    response = client.get(PAGES[label])
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, (label, response.status_code)
    return elapsed


def measure(seeded: dict[int, dict], rounds: int) -> dict[int, dict[str, float]]:
    sites = {size: _site(config) for size, config in seeded.items()}
    sizes, labels = list(sites), [*PAGES, "surveys summary --json"]
    times = {size: {label: [] for label in labels} for size in sizes}
    for round_ in range(rounds):
        order = sizes if round_ % 2 == 0 else sizes[::-1]
        for label in labels:
            for size in order:
                times[size][label].append(_time(*sites[size], label))
    return {
        size: {label: statistics.median(v) for label, v in by_label.items()}
        for size, by_label in times.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--rounds", type=int, default=5)
    backends.add_options(parser)
    args = parser.parse_args()
    sizes, results = side_by_side(args, seed, measure)
    print_table(sizes, results, "what")


if __name__ == "__main__":
    main()
