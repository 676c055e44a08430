"""Benchmark: the support_request page and its full POST, dynamic form against a static one.

    .venv/bin/python -m bench.bench_forms --iterations 200

One app (fresh data folder, seeded association) serves both paths:
- dynamic: /forms/support_request/new, the engine (a WTForms class built per request from
  the definition, forms.validation, templates/forms/fill.html);
- static: /bench/static, the hand-written FlaskForm of bench/static_support_request.py
  (see its header for what is and is not equivalent).

Each iteration times, through the Flask test client, a GET of the empty page and a POST of
a full valid submission (every field its answers make visible, 3 family members, 8 files,
a signature) on both paths, interleaved and alternating which path goes first, so that
both share the machine's noise. Every POST must answer 302: each stores a submission, so
the collection grows by 2 records per iteration, alike for both. Before timing, the
stored answers of the two paths are compared and must be equal. The goal (issue): the
dynamic form costs at most 1.3 times the static one. Figures go to docs/performance.md
("Form page and validation").
"""

from __future__ import annotations

import argparse
import base64
import io
import statistics
import struct
import sys
import tempfile
import time
import zlib

from flask import request
from flask_wtf import FlaskForm

from accounts import users
from app import create_app
from bench import static_support_request
from forms.builder import build_form_class, raw_values
from forms.validation import validate_answers
from submissions import service

DYNAMIC = "/forms/support_request/new"
STATIC = static_support_request.URL
GOAL = 1.3

PDF = (
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


def _png(width: int = 40, height: int = 12) -> bytes:
    """Return a small valid grey PNG, as a signature pad would send."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + bytes([200]) * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


SIGNATURE = "data:image/png;base64," + base64.b64encode(_png()).decode()

# Chosen so that as many conditional fields as possible are shown (a citizen: the iqama
# fields stay hidden), and every optional field is filled.
ANSWERS: dict[str, str | list[str]] = {
    "rifd-channel": "interview",
    "first_name": "محمد",
    "father_name": "عبدالله",
    "grandfather_name": "سعد",
    "family_name": "القحطاني",
    "id_type": "citizen",
    "national_id": "1000000008",
    "nationality": "saudi",
    "birth_date": "1984-03-14",
    "gender": "male",
    "marital_status": "married",
    "health_status": "chronic_illness",
    "health_details": "سكري من النوع الثاني وارتفاع ضغط الدم",
    "mobile": "0501234567",
    "alt_mobile": "0551234567",
    "email": "applicant@example.com",
    "city": "other",
    "city_other": "العيون",
    "district": "حي النسيم",
    "street": "شارع الملك فهد",
    "building_number": "1234",
    "additional_number": "5678",
    "postal_code": "31982",
    "short_address": "ABCD1234",
    "employment_status": "private_employee",
    "employer": "مؤسسة الأحساء للتجارة",
    "job_title": "حارس أمن",
    "has_income": "yes",
    "income_sources": [
        "salary",
        "social_security",
        "citizen_account",
        "pension",
        "rehabilitation",
        "charity",
        "alimony",
        "other",
    ],
    "income_other_source": "إيجار محل صغير",
    "income_salary": "3500",
    "income_social_security": "1200.5",
    "income_citizen_account": "600",
    "income_pension": "900",
    "income_rehabilitation": "800",
    "income_charity": "250",
    "income_alimony": "500",
    "income_other": "300",
    "expense_utilities": "450",
    "expense_other": "320.75",
    "has_debts": "yes",
    "debt_amount": "25000",
    "debt_creditor": "شركة تمويل",
    "debt_enforcement": "no",
    "housing_type": "rented",
    "housing_unit": "apartment",
    "rooms": "3",
    "housing_condition": "acceptable",
    "annual_rent": "18000",
    "ejar_contract": "yes",
    "family_count": "4",
    "bank_name": "alrajhi",
    "iban": "SA0380000000608010167519",
    "support_types": [
        "food_basket",
        "cash_aid",
        "rent",
        "bills",
        "furniture",
        "appliances",
        "medical",
        "education",
        "clothing",
        "home_repair",
        "other",
    ],
    "support_other": "نظارة طبية للابن",
    "description": (
        "توقف صرف جزء من راتب رب الأسرة بعد مرضه، وتراكم الإيجار وفواتير الكهرباء، "
        "وتحتاج الأسرة إلى مساعدة عاجلة حتى يعود إلى عمله."
    ),
    "applicant_signature": SIGNATURE,
    "data_verified": "yes",
    "staff_notes": "طابقت الهوية وسجل الأسرة وعقد الإيجار مع الأصول.",
}
MEMBERS = [
    {
        "member_name": "نورة علي",
        "member_relation": "spouse",
        "member_gender": "female",
        "member_birth_date": "1988-07-02",
        "member_nationality": "saudi",
        "member_national_id": "1000000016",
        "member_status": "homemaker",
        "member_health": "healthy",
    },
    {
        "member_name": "سعد محمد",
        "member_relation": "son",
        "member_gender": "male",
        "member_birth_date": "2010-01-20",
        "member_nationality": "saudi",
        "member_national_id": "1000000024",
        "member_status": "school",
        "member_health": "chronic_illness",
        "member_health_details": "ربو",
    },
    {
        "member_name": "سارة محمد",
        "member_relation": "daughter",
        "member_gender": "female",
        "member_birth_date": "2020-11-05",
        "member_status": "below_school_age",
        "member_health": "healthy",
    },
]
FILES = [
    "id_copy",
    "family_card_copy",
    "income_proof",
    "lease_contract",
    "iban_certificate",
    "medical_report",
    "debt_documents",
    "other_attachment",
]


def payload() -> dict:
    """Return a fresh POST body (uploads are streams: a new one per request)."""
    data: dict = dict(ANSWERS)
    for index, member in enumerate(MEMBERS):
        for name, value in member.items():
            data[f"family_members-{index}-{name}"] = value
    for name in FILES:
        data[name] = (io.BytesIO(PDF), f"{name}.pdf")
    return data


BENCH_USER, BENCH_PASSWORD = "bench", "a long bench password"


def make_app(data_dir: str):
    app = create_app(
        {"TESTING": True, "DATA_DIR": data_dir, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False}
    )
    result = app.test_cli_runner().invoke(args=["seed"])
    if result.exit_code != 0:
        raise SystemExit(f"seed failed: {result.output}")
    static_support_request.register(app)
    data = app.extensions["rifd_store"]
    # Both paths do what the intake page does: validate, store with the audit entry, and
    # open the request the policy follows (the registry looked up, the case made).
    users.create(data, BENCH_USER, BENCH_PASSWORD, ["intake"])
    return app


def signed_in(app):
    """Return a client signed in as an intake employee, as staff fill the form."""
    client = app.test_client()
    response = client.post("/login", data={"username": BENCH_USER, "password": BENCH_PASSWORD})
    if response.status_code != 302:
        raise SystemExit(f"sign-in failed: HTTP {response.status_code}")
    return client


def _post(client, url: str):
    return client.post(url, data=payload(), content_type="multipart/form-data")


def _fail(what: str, response) -> None:
    body = response.get_data(as_text=True)
    errors = [line.strip() for line in body.splitlines() if 'class="error"' in line]
    raise SystemExit(f"{what}: HTTP {response.status_code}\n" + "\n".join(errors[:20]))


def check_paths(app, client) -> dict:
    """Check both paths once: pages render, POSTs store, the stored answers are equal."""
    sizes = {}
    for label, url in (("dynamic", DYNAMIC), ("static", STATIC)):
        page = client.get(url)
        if page.status_code != 200:
            _fail(f"GET {url}", page)
        sizes[label] = len(page.get_data())
        response = _post(client, url)
        if response.status_code != 302:
            _fail(f"POST {url}", response)
    store = app.extensions["rifd_store"]
    newest, _total = store.page(
        service.collection("support_request"), offset=0, limit=2, newest_first=True
    )
    static_answers, dynamic_answers = newest[0]["answers"], newest[1]["answers"]
    if static_answers != dynamic_answers:
        only = sorted(set(dynamic_answers) ^ set(static_answers))
        differ = sorted(
            k
            for k in set(dynamic_answers) & set(static_answers)
            if dynamic_answers[k] != static_answers[k]
        )
        raise SystemExit(
            f"the two paths store different answers: only in one {only}, differ {differ}"
        )
    sizes["answers"] = len(dynamic_answers)
    return sizes


def run(client, iterations: int, warmup: int) -> dict[tuple[str, str], list[float]]:
    """Return the wall times in seconds of every timed request, by (path, method)."""
    times: dict[tuple[str, str], list[float]] = {
        (path, method): [] for path in ("dynamic", "static") for method in ("GET", "POST")
    }
    paths = [("dynamic", DYNAMIC), ("static", STATIC)]
    for n in range(warmup + iterations):
        for label, url in paths if n % 2 == 0 else paths[::-1]:
            started = time.perf_counter()
            page = client.get(url)
            got = time.perf_counter() - started
            if page.status_code != 200:
                _fail(f"GET {url}", page)
            body = payload()
            started = time.perf_counter()
            response = client.post(url, data=body, content_type="multipart/form-data")
            posted = time.perf_counter() - started
            if response.status_code != 302:
                _fail(f"POST {url}", response)
            if n >= warmup:
                times[(label, "GET")].append(got)
                times[(label, "POST")].append(posted)
    return times


def _dynamic_work(form) -> bool:
    cls = build_form_class(form, "ar", "staff", base=FlaskForm, with_defaults=False)
    wtform = cls()
    wtform.validate()
    return validate_answers(form, raw_values(wtform), "ar", "staff").ok


def _static_work(form) -> bool:
    wtform = static_support_request.SupportRequestForm()
    return wtform.validate() and bool(static_support_request.answers(wtform))


def run_form_work(app, iterations: int, warmup: int) -> dict[str, list[float]]:
    """Time the form's own POST work alone: build, bind, validate, shape the answers.

    In a request context whose body is parsed before timing; nothing is rendered or
    stored. This leaves out what both paths share (multipart parsing, the store, the
    test client), which dilutes the ratio of whole requests.
    """
    form = app.extensions["rifd_forms"].get("support_request")
    times: dict[str, list[float]] = {"dynamic": [], "static": []}
    work = [("dynamic", DYNAMIC, _dynamic_work), ("static", STATIC, _static_work)]
    for n in range(warmup + iterations):
        for label, url, action in work if n % 2 == 0 else work[::-1]:
            body = payload()
            with app.test_request_context(
                url, method="POST", data=body, content_type="multipart/form-data"
            ):
                _parsed = request.form, request.files
                started = time.perf_counter()
                ok = action(form)
                took = time.perf_counter() - started
            if not ok:
                raise SystemExit(f"{label}: the form work did not validate the submission")
            if n >= warmup:
                times[label].append(took)
    return times


def _stats(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def report(times, work, sizes, iterations: int, warmup: int, stored: int) -> bool:
    print(f"support_request: {iterations} timed iterations after {warmup} warm-up, interleaved")
    print(
        f"page size: dynamic {sizes['dynamic']:,} B, static {sizes['static']:,} B; "
        f"{sizes['answers']} answers stored per POST, equal on both paths; "
        f"{stored:,} submissions stored at the end"
    )
    print()
    print("| request | dynamic: median / p95 | static: median / p95 | dynamic/static (median) |")
    print("|---|---:|---:|---:|")
    met = True
    for method in ("GET", "POST"):
        dyn, sta = _stats(times[("dynamic", method)]), _stats(times[("static", method)])
        ratio = dyn[0] / sta[0]
        met = met and ratio <= GOAL
        print(
            f"| {method} | {dyn[0]:.2f} / {dyn[1]:.2f} ms | {sta[0]:.2f} / {sta[1]:.2f} ms "
            f"| {ratio:.2f} |"
        )
    dyn, sta = _stats(work["dynamic"]), _stats(work["static"])
    print(
        f"| POST, form work only | {dyn[0]:.2f} / {dyn[1]:.2f} ms "
        f"| {sta[0]:.2f} / {sta[1]:.2f} ms | {dyn[0] / sta[0]:.2f} |"
    )
    print()
    print(f"goal: dynamic/static <= {GOAL} for GET and POST: {'met' if met else 'NOT met'}")
    print(
        "(form work only: build, bind, validate and shape the answers in a request context,"
        " body parsed beforehand, nothing rendered or stored; informative, not the goal)"
    )
    return met


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=200, help="timed iterations")
    parser.add_argument("--warmup", type=int, default=20, help="untimed iterations first")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="rifd-bench-forms-") as tmp:
        app = make_app(tmp)
        client = signed_in(app)
        sizes = check_paths(app, client)
        times = run(client, args.iterations, args.warmup)
        stored = app.extensions["rifd_store"].count(service.collection("support_request"))
        work = run_form_work(app, args.iterations, args.warmup)
        report(times, work, sizes, args.iterations, args.warmup, stored)
    return 0


if __name__ == "__main__":
    sys.exit(main())
