"""Measure time and peak memory of the Excel export, write-only against normal mode.

The submissions are first stored in a data folder (a store indexed as the app indexes
submissions), by one process; each export then runs in a fresh process that opens that
folder and reads the records from the store as the export page and command do
(store.iter(..., stream=True)), so its peak resident size (ru_maxrss) is the export's
own: reading and parsing the store included.

    .venv/bin/python -m bench.bench_export [--rows 100000]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from openpyxl import Workbook

from forms.definition import FormDefinition, parse_definition
from store import Store
from submissions.export import export_xlsx, fill_workbook
from upgrades.indexes import ensure as ensure_indexes

CHOICES = [{"value": f"c{i}", "label": {"ar": f"خيار {i}", "en": f"Choice {i}"}} for i in range(5)]
# 19 answer fields + 6 fixed columns + "other answers" = 26 columns on sheet 1.
FIELD_TYPES = (
    ["text"] * 5
    + ["textarea", "integer", "integer", "decimal", "decimal", "date", "date"]
    + ["select_one", "select_one", "select_multiple", "yes_no", "yes_no", "mobile", "iban"]
)


def definition() -> FormDefinition:
    """Build a ~20-field form with one repeat group (two sub-fields)."""
    fields = []
    for i, kind in enumerate(FIELD_TYPES):
        fdef = {"name": f"f{i}_{kind}", "type": kind, "label": {"ar": f"الحقل {i}"}}
        if kind.startswith("select"):
            fdef["choices"] = CHOICES
        fields.append(fdef)
    members = [
        {"name": "member_name", "type": "text", "label": {"ar": "الاسم"}},
        {"name": "member_age", "type": "integer", "label": {"ar": "العمر"}},
    ]
    fields.append(
        {"name": "members", "type": "repeat", "label": {"ar": "الأفراد"}, "fields": members}
    )
    section = {"name": "main", "title": {"ar": "البيانات"}, "fields": fields}
    return parse_definition(
        {"id": "bench_form", "version": 1, "title": {"ar": "نموذج القياس"}, "sections": [section]}
    )


def _value(kind: str, rng: random.Random, n: int):
    """Return a stored answer of the kind a real submission holds."""
    return {
        "text": lambda: f"نص {rng.randrange(10**6)} للطلب {n}",
        "textarea": lambda: "وصف الحالة الاجتماعية للأسرة " * rng.randrange(1, 4),
        "integer": lambda: rng.randrange(0, 10_000),
        "decimal": lambda: round(rng.uniform(0, 20_000), 2),
        "date": lambda: f"19{rng.randrange(50, 99)}-0{rng.randrange(1, 9)}-1{rng.randrange(9)}",
        "select_one": lambda: rng.choice(CHOICES)["value"],
        "select_multiple": lambda: [c["value"] for c in CHOICES if rng.random() < 0.4],
        "yes_no": lambda: rng.random() < 0.5,
        "mobile": lambda: f"+9665{rng.randrange(10**8):08d}",
        "iban": lambda: "SA0380000000608010167519",
    }[kind]()


def records(form: FormDefinition, count: int) -> Iterator[dict]:
    """Yield `count` generated submissions, one at a time."""
    rng = random.Random(1447)
    fields = [f for f in form.answer_fields() if f["type"] != "repeat"]
    for n in range(1, count + 1):
        answers = {f["name"]: _value(f["type"], rng, n) for f in fields}
        answers["members"] = [
            {"member_name": f"فرد {k}", "member_age": rng.randrange(1, 80)}
            for k in range(rng.randrange(0, 4))
        ]
        yield {
            "id": n,
            "ref": f"BF-1447-{n:06d}",
            "form_version": 1,
            "answers": answers,
            "channel": "interview",
            "entered_by": "staff",
            "created_at": f"2025-{n % 12 + 1:02d}-15T07:30:00+00:00",
        }


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _current_mb() -> float:
    """Return the resident size now (the peak may be a passing one from imports)."""
    with open("/proc/self/status", encoding="ascii") as status:
        kib = next(line.split()[1] for line in status if line.startswith("VmRSS:"))
    return int(kib) / 1024


COLLECTION = "submissions/bench_form"


def prepare(data: Path, rows: int) -> None:
    """Store `rows` generated submissions in the data folder, indexed as in use."""
    store = Store(data)
    ensure_indexes(store, progress=lambda *_args: None)
    batch = []
    for record in records(definition(), rows):
        batch.append(record)
        if len(batch) == 5000:
            store.insert_many(COLLECTION, batch)
            batch.clear()
    store.insert_many(COLLECTION, batch)


def run_child(mode: str, rows: int, data: Path) -> dict:
    """Export the stored submissions in `mode` and return the measurements."""
    form = definition()
    store = Store(data)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "export.xlsx"
        before = _current_mb()
        start = time.perf_counter()
        stored = store.iter(COLLECTION, stream=True)
        if mode == "write-only":
            export_xlsx(form, stored, out)
        else:
            wb = Workbook()
            wb.remove(wb.active)
            fill_workbook(wb, form, stored)
            wb.save(out)
        seconds = time.perf_counter() - start
        size = out.stat().st_size / 1e6
    peak = _peak_mb()
    return {"mode": mode, "rows": rows, "seconds": seconds, "peak_mb": peak,
            "growth_mb": peak - before, "file_mb": size}  # fmt: skip


def measure(mode: str, rows: int, data: Path) -> dict:
    """Run one export in a fresh interpreter so its peak memory is its own."""
    cmd = [sys.executable, "-m", "bench.bench_export", "--child", mode, "--rows", str(rows)]
    done = subprocess.run([*cmd, "--data", str(data)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def _stored(tmp: Path, rows: int) -> Path:
    data = tmp / f"data-{rows}"
    cmd = [sys.executable, "-m", "bench.bench_export", "--prepare", str(data)]
    subprocess.run([*cmd, "--rows", str(rows)], check=True)
    return data


def main(argv: list[str] | None = None) -> None:
    """Print a Markdown table: write-only at 10,000 and --rows, normal mode at 10,000."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--child", choices=["write-only", "normal"], help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.prepare:
        prepare(args.prepare, args.rows)
        return
    if args.child:
        print(json.dumps(run_child(args.child, args.rows, args.data)))
        return
    with tempfile.TemporaryDirectory() as folder:
        small = _stored(Path(folder), 10_000)
        runs = [measure("normal", 10_000, small), measure("write-only", 10_000, small)]
        if args.rows != 10_000:
            runs.append(measure("write-only", args.rows, _stored(Path(folder), args.rows)))
    print("| mode | rows | time (s) | peak RSS (MB) | growth (MB) | file (MB) |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in runs:
        print(
            f"| {r['mode']} | {r['rows']:,} | {r['seconds']:.1f} | {r['peak_mb']:.0f}"
            f" | {r['growth_mb']:.1f} | {r['file_mb']:.1f} |"
        )
    normal, write_only = runs[0], runs[1]
    print(
        f"\nAt 10,000 rows normal mode takes {normal['seconds'] / write_only['seconds']:.1f}x"
        f" the time and {normal['peak_mb'] / write_only['peak_mb']:.1f}x the peak memory"
        f" (+{normal['growth_mb']:.0f} MB against +{write_only['growth_mb']:.1f} MB"
        " over the interpreter before the export)."
    )


if __name__ == "__main__":
    main()
