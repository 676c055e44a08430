"""Benchmark: the cost of storing one submission as the collection grows.

    .venv/bin/python -m bench.bench_store --sizes 1000,10000,100000 --samples 50

For each size: a fresh store prefilled with insert_many, then single inserts timed at
two places in the last shard (just opened, and nearly full: the cheapest and the
dearest insert), then a field search with a cold and a warm cache. Plain TinyDB with
its default JSONStorage is timed the same way as the baseline. Figures go to
docs/performance.md ("Storing a submission").
"""

import argparse
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
            "national_id": "1000000008",
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


def bench_store(size: int, samples: int) -> dict:
    """Time single inserts and a search in a sharded store holding size records."""
    with tempfile.TemporaryDirectory(prefix="rifd-bench-") as tmp:
        root = Path(tmp)
        store = Store(root)
        fill_ms = _time_once(lambda: _fill(store, 0, size))
        start = _time_each(lambda n: store.insert(C, submission(n)), size, samples)
        # Bring the last shard to SHARD_SIZE - samples records: the next inserts are the dearest.
        count = store.count(C)
        _fill(store, count, count + (-(count + 1) % SHARD_SIZE) - samples)
        count = store.count(C)
        full = _time_each(lambda n: store.insert(C, submission(n)), count, samples)
        cold = _time_once(lambda: Store(root).find(C, where={"status": "approved"}))
        store.find(C, where={"status": "approved"})
        warm = _time_once(lambda: store.find(C, where={"status": "approved"}))
        shard_bytes = max(p.stat().st_size for p in (root / C).glob("*.json"))
    return {"size": size, "fill_s": fill_ms / 1000, "start": start, "full": full,
            "find_cold": cold, "find_warm": warm, "shard_kb": shard_bytes / 1024}  # fmt: skip


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
        "| stored | insert, new shard: median / p95 | insert, full shard: median / p95 "
        "| plain TinyDB: median / p95 | find cold / warm | prefill |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        plain = baseline.get(row["size"])
        plain_text = f"{plain[0]:.1f} / {plain[1]:.1f} ms" if plain else "not run"
        lines.append(
            f"| {row['size']:,} | {row['start'][0]:.2f} / {row['start'][1]:.2f} ms "
            f"| {row['full'][0]:.2f} / {row['full'][1]:.2f} ms | {plain_text} "
            f"| {row['find_cold']:.0f} / {row['find_warm']:.0f} ms | {row['fill_s']:.2f} s |"
        )
    return "\n".join(lines)


def _ratios(rows: list[dict], baseline: dict[int, tuple[float, float]]) -> list[str]:
    first, last = rows[0], rows[-1]
    out = []
    for place in ("start", "full"):
        ratio = last[place][0] / first[place][0]
        verdict = "meets" if ratio <= 3 else "MISSES"
        out.append(
            f"- insert ({'new' if place == 'start' else 'full'} shard), median at "
            f"{last['size']:,} / at {first['size']:,}: {ratio:.2f} ({verdict} the goal <= 3)"
        )
    for row in rows:
        if row["size"] in baseline:
            plain = baseline[row["size"]][0]
            out.append(
                f"- plain TinyDB / store at {row['size']:,}: {plain / row['start'][0]:.1f}x "
                f"(new shard), {plain / row['full'][0]:.1f}x (full shard)"
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
    rows = [bench_store(size, args.samples) for size in sizes]
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
