"""Benchmark: the cost of storing one submission as the collection grows.

    .venv/bin/python -m bench.bench_store --sizes 1000,10000,100000 --samples 50

A store per size, prefilled with insert_many and indexed as the app indexes submissions
(so every insert keeps its index rows, through the journal, as in use). Then, in one
run, rounds that each insert one record into every store and read from every store (a
record by id, the newest page of 20, a look-up by ID number through the index), the
order of the stores rotating: the ratio between sizes compares times taken at the same
moments. Plain TinyDB with its default JSONStorage is timed as the baseline for inserts.
Figures go to docs/performance.md.
"""

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tinydb import TinyDB

from store import Store
from store.cache import CACHE_BUDGET
from store.layout import SHARD_SIZE

C = "submissions/support_request"
INDEXED = ("answers.national_id", "people[]", "form_version")  # as upgrades/indexes.py
CITIES = ["الرياض", "جدة", "مكة المكرمة", "المدينة المنورة", "الدمام", "أبها", "تبوك"]
NEEDS = ["سلة غذائية", "إيجار سكن", "فواتير كهرباء", "رسوم دراسية", "علاج"]
FILL_CHUNK = 10_000


def submission(n: int) -> dict:
    """Return a support request of about 1 KB, mostly Arabic, varied by n."""
    return {
        "form": "support_request",
        "form_version": 3,
        "reference": f"REQ-1446-{n:06d}",
        "status": ["new", "review", "approved", "rejected"][n % 4],
        "created_at": f"2024-{n % 12 + 1:02d}-{n % 28 + 1:02d}T09:{n % 60:02d}:00+03:00",
        "answers": {
            "full_name": f"عبدالله بن محمد بن سعد القحطاني {n}",
            "national_id": f"1{n:09d}",
            "mobile": f"+9665{n % 100_000_000:08d}",
            "city": CITIES[n % len(CITIES)],
            "district": "حي النسيم الشرقي",
            "family_size": n % 9 + 1,
            "monthly_income": 1500 + n % 5000,
            "need": NEEDS[n % len(NEEDS)],
            "details": (
                "أسرة مكونة من عدة أفراد تحتاج إلى مساعدة عاجلة بسبب انقطاع دخل رب الأسرة "
                "وتراكم الإيجار والفواتير، وقد أرفقنا صورة الهوية وعقد الإيجار للمراجعة. "
            )
            * 2,
        },
        "attachments": [f"{n:064x}"[-64:]],
        "submitted_by": None,
    }


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def _time_each(action: Callable[[int], object], first: int, count: int) -> tuple[float, float]:
    samples = []
    for n in range(first, first + count):
        started = time.perf_counter()
        action(n)
        samples.append(time.perf_counter() - started)
    return _percentiles(samples)


def _time_once(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def _fill(store: Store, first: int, last: int) -> None:
    for start in range(first, last, FILL_CHUNK):
        store.insert_many(C, (submission(n) for n in range(start, min(start + FILL_CHUNK, last))))


def _prepare(root: Path, size: int) -> tuple[Store, dict]:
    """A store holding size records, indexed as the app indexes submissions."""
    store = Store(root)
    for field in INDEXED:
        store.ensure_index("submissions/*", field)
    fill_ms = _time_once(lambda: _fill(store, 0, size))
    return store, {"size": size, "fill_s": fill_ms / 1000}


def bench_stores(sizes: list[int], samples: int) -> list[dict]:
    """Time inserts and reads in stores of every size, interleaved in one run.

    Each round inserts one record into each store and reads from each (a record by id,
    a page of the newest, a look-up by ID number through the index), in a rotating
    order, so that every size shares the machine's moments alike.
    """
    with tempfile.TemporaryDirectory(prefix="rifd-bench-") as tmp:
        prepared = [_prepare(Path(tmp) / str(size), size) for size in sizes]
        times = {size: {"insert": [], "get": [], "page": [], "lookup": []} for size in sizes}
        rng = random.Random(7)
        for n in range(samples):
            order = prepared[n % len(prepared) :] + prepared[: n % len(prepared)]
            for store, row in order:
                size, took = row["size"], times[row["size"]]
                took["insert"].append(_timed(store.insert, C, submission(size + n)))
                took["get"].append(_timed(store.get, C, rng.randint(1, size)))
                took["page"].append(_timed(store.page, C, limit=20, newest_first=True))
                nid = f"1{rng.randint(0, size):09d}"
                took["lookup"].append(_timed(store.find, C, where={"answers.national_id": nid}))
        rows = []
        for store, row in prepared:
            shard_bytes = max(p.stat().st_size for p in (store.root / C).glob("*.json"))
            row |= {k: _percentiles(v) for k, v in times[row["size"]].items()}
            rows.append(row | {"shard_kb": shard_bytes / 1024})
    return rows


def _timed(action: Callable[..., object], *args, **kwargs) -> float:
    started = time.perf_counter()
    action(*args, **kwargs)
    return time.perf_counter() - started


def bench_tinydb(size: int, samples: int) -> tuple[float, float]:
    """Time single inserts into one plain TinyDB file (default JSONStorage) of size docs."""
    with tempfile.TemporaryDirectory(prefix="rifd-bench-tinydb-") as tmp:
        db = TinyDB(Path(tmp) / "db.json")  # the default: JSONStorage, rewritten in place
        db.insert_multiple(submission(n) for n in range(size))
        timing = _time_each(lambda n: db.insert(submission(n)), size, samples)
        db.close()
    return timing


def _report(rows: list[dict], baseline: dict[int, tuple[float, float]]) -> str:
    lines = [
        "| stored | insert | get by id | newest page of 20 | look-up by ID (index) "
        "| plain TinyDB insert | prefill |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        plain = baseline.get(row["size"])
        plain_text = f"{plain[0]:.1f} / {plain[1]:.1f} ms" if plain else "not run"
        cells = " | ".join(
            f"{row[k][0]:.2f} / {row[k][1]:.2f} ms" for k in ("insert", "get", "page", "lookup")
        )
        lines.append(f"| {row['size']:,} | {cells} | {plain_text} | {row['fill_s']:.1f} s |")
    return "\n".join(lines)


def _ratios(rows: list[dict], baseline: dict[int, tuple[float, float]]) -> list[str]:
    first, last = rows[0], rows[-1]
    out = []
    for place in ("insert", "get", "page", "lookup"):
        ratio = last[place][0] / first[place][0]
        verdict = "meets" if ratio <= 3 else "MISSES"
        out.append(
            f"- {place}, median at {last['size']:,} / at {first['size']:,}, same run: "
            f"{ratio:.2f} ({verdict} the goal <= 3)"
        )
    for row in rows:
        if row["size"] in baseline:
            plain = baseline[row["size"]][0]
            out.append(
                f"- plain TinyDB / store insert at {row['size']:,}: {plain / row['insert'][0]:.1f}x"
            )
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="records prefilled")
    parser.add_argument("--samples", type=int, default=50, help="inserts timed per case")
    parser.add_argument("--baseline-sizes", default="1000,10000", help="plain TinyDB sizes")
    args = parser.parse_args(argv)
    if not 0 < args.samples < SHARD_SIZE // 2:
        parser.error(f"--samples must be between 1 and {SHARD_SIZE // 2 - 1}")
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = bench_stores(sizes, args.samples)
    base_sizes = [int(s) for s in args.baseline_sizes.split(",") if s]
    baseline = {size: bench_tinydb(size, args.samples) for size in base_sizes}
    shard_kb = max(row["shard_kb"] for row in rows)
    print(f"samples: {args.samples} per case; SHARD_SIZE {SHARD_SIZE}; record ~1 KB of JSON;")
    print(f"full shard file {shard_kb:,.0f} KB; parse cache {CACHE_BUDGET // 2**20} MiB\n")
    print(_report(rows, baseline))
    print()
    print("\n".join(_ratios(rows, baseline)))


if __name__ == "__main__":
    main()
