"""Benchmark: do the staff pages grow with the data? Timed through the routes.

    .venv/bin/python -m bench.bench_pages --sizes 1000,10000,100000 --rounds 5
    .venv/bin/python -m bench.bench_pages --sizes 1000,10000,100000 --rounds 5 --backend postgres

For each size, a fresh data folder: the demo association seeded as `make run` does, three
requests entered through the intake page and taken to a decision and a declaration
letter through the request's page, then as many stored requests as the size asks for,
each a copy of those real records (a submission, its request, its beneficiary and its
letter) under its own ID number and reference. Every page is then fetched by a signed-in
member of staff through the Flask test client with nothing switched off, and the median
of `rounds` kept. Every size is seeded first; then each round fetches each page from
every size in turn (the order reversed every other round), so a machine whose load
changes during the run weighs on all sizes alike: the figure that matters is the ratio
to the smallest size, and the sizes are timed side by side for it. Figures go to
docs/performance.md.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from pathlib import Path

from accounts.roles import ROLES
from app import create_app
from bench import backends
from bench.sizes import print_table, side_by_side
from cases.beneficiaries import BENEFICIARIES
from cases.service import CASES
from letters.issue import REGISTER
from submissions.service import collection
from tests.cases.conftest import move, post, submit_request
from tests.conftest import sign_in

FORM = "support_request"
CHUNK = 5000
OPEN_REQUESTS = 300  # about two weeks of intake at 20 a day, whatever the size
DECISION = {"meeting_number": "3", "reasons": "مستوفية للشروط", "support_types": ["rent"]}


def _real_requests(client, store) -> list[int]:
    """Three requests through the pages: open, at the committee, decided with a letter."""
    ids = [submit_request(client, "interview") for _ in range(3)]
    for cid in ids[1:]:
        page = client.get(f"/cases/{cid}").get_data(as_text=True)
        items = sorted(set(_checklist(page)))
        move(client, cid, "verify", {"checklist": items})
        post(client, f"/cases/{cid}", f"/cases/{cid}/letter/declaration")
        move(client, cid, "declare", {"signed": "yes"})
        move(client, cid, "submit")
    move(client, ids[2], "accept", DECISION | {"amount": "1500"})
    return ids


def _checklist(page: str) -> list[str]:
    import re

    return re.findall(r'name="checklist" value="([^"]+)"', page)


def _grow(store, template_case: dict, size: int) -> None:
    """Store copies of one real request (submission, case, beneficiary, letter)."""
    sub = store.get(collection(FORM), template_case["submission_id"])
    person = store.get(BENEFICIARIES, template_case["beneficiary_id"])
    letters = store.find(REGISTER, where={"answers": _link(template_case)})
    letter = letters[0] if letters else None
    strip = lambda record: {k: v for k, v in record.items() if k != "id"}  # noqa: E731
    made = 0
    while made < size:
        n = min(CHUNK, size - made)
        numbers = range(made + 10, made + 10 + n)
        nids = [f"1{k:09d}" for k in numbers]
        subs = [
            strip(sub)
            | {"answers": sub["answers"] | {"national_id": nid}, "people": [nid], "ref": f"B-{k}"}
            for k, nid in zip(numbers, nids, strict=True)
        ]
        sub_ids = store.insert_many(collection(FORM), subs)
        people = [strip(person) | {"national_id": nid} for nid in nids]
        person_ids = store.insert_many(BENEFICIARIES, people)
        cases = [
            strip(template_case)
            | {
                "submission_id": sid,
                "beneficiary_id": bid,
                "national_id": nid,
                "ref": f"B-{k}",
                # Open requests are the last weeks' intake, not a share of all of them.
                "state": "committee" if k >= size - OPEN_REQUESTS else "closed",
            }
            for k, sid, bid, nid in zip(numbers, sub_ids, person_ids, nids, strict=True)
        ]
        case_ids = store.insert_many(CASES, cases)
        if letter:
            issued = [
                strip(letter)
                | {
                    "answers": {"form_id": FORM, "submission_id": sid, "ref": f"B-{k}"},
                    "code": f"{k:012d}",
                }
                for k, sid in zip(numbers, sub_ids, strict=True)
            ]
            store.insert_many(REGISTER, issued)
        made += n
        del case_ids


def _link(case: dict) -> dict:
    return {"form_id": case["form_id"], "submission_id": case["submission_id"], "ref": case["ref"]}


def _pages(store, real: list[int]) -> dict[str, str]:
    case = store.get(CASES, real[2])
    name = case.get("name", "")
    return {
        "request page /cases/<id>": f"/cases/{case['id']}",
        "beneficiary's file": f"/beneficiaries/{case['beneficiary_id']}",
        "submission page": f"/forms/{FORM}/submissions/{case['submission_id']}",
        "cases dashboard /cases/": "/cases/",
        "letters register": "/letters/",
        "search in submissions": f"/forms/{FORM}/submissions?q={name.split()[0]}",
    }


def _time(client, url: str) -> float:
    gc.collect()
    start = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def seed(size: int, folder: str, url: str | None) -> tuple[dict, list[int]]:
    """Fill a data folder (or schema) with `size` requests; return its config and the
    ids of the three real requests."""
    config = {"DATA_DIR": str(Path(folder) / "data"), "SECRET_KEY": "bench"}
    if url:
        config["DATABASE_URL"] = url
    app = create_app(config)
    assert app.test_cli_runner().invoke(args=["seed"]).exit_code == 0
    client = app.test_client()
    sign_in(client, app, "bench", tuple(ROLES))
    store = app.extensions["rifd_store"]
    real = _real_requests(client, store)
    start = time.perf_counter()
    _grow(store, store.get(CASES, real[2]), size - len(real))
    print(f"  {size:,} requests stored in {time.perf_counter() - start:.1f} s", flush=True)
    return config, real


def _site(config: dict, real: list[int]):
    """A new app on a seeded folder, as after a restart (no cache), with a signed-in client."""
    app = create_app(config)
    client = app.test_client()
    sign_in(client, app, "bench", tuple(ROLES))
    return client, _pages(app.extensions["rifd_store"], real)


def measure(seeded: dict[int, tuple[dict, list[int]]], rounds: int) -> dict[int, dict[str, float]]:
    """Time every page of every size, the sizes side by side; return the medians."""
    sites = {size: _site(*found) for size, found in seeded.items()}
    sizes = list(sites)
    labels = list(sites[sizes[0]][1])
    times = {size: {label: [] for label in labels} for size in sizes}
    for round_ in range(rounds):
        order = sizes if round_ % 2 == 0 else sizes[::-1]
        for label in labels:
            for size in order:
                client, pages = sites[size]
                times[size][label].append(_time(client, pages[label]))
    return {
        size: {label: statistics.median(values) for label, values in by_label.items()}
        for size, by_label in times.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--rounds", type=int, default=5)
    backends.add_options(parser)
    args = parser.parse_args()
    sizes, results = side_by_side(args, seed, measure)
    print_table(sizes, results, "page")


if __name__ == "__main__":
    main()
