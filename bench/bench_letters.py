"""Measure issuing the acceptance letter: Rifd's issue path, plain docxtpl, and the floor.

Per letter, interleaved in one run: `letters.issue.issue` (QR, lock, number, render,
archive, register) into a fresh store; docxtpl's plain render and save of the same
template and context; the floor (docxtpl's clean-up, a Jinja compile and the unchanged
parts' compression done once, then render and append the letter's parts; no QR picture,
no archive). Then bulk: N letters issued by several processes into one store against
one process issuing them all.

    .venv/bin/python -m bench.bench_letters [--letters 200] [--warmup 10] [--bulk 1000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import multiprocessing
import statistics
import tempfile
import time
import zipfile
from collections import defaultdict
from contextlib import contextmanager

from docx import Document
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import Environment
from jinja2.sandbox import SandboxedEnvironment

from association import shipped_profile
from letters.context import LETTER_TYPES, dates
from letters.filters import FILTERS
from letters.issue import REGISTER, TemplateVersion, issue, qr_png
from letters.render import prepare
from letters.samples import sample_context
from letters.templates import SHIPPED
from store import Store

TEMPLATE = "acceptance"
PROFILE = "sanad_alahsa"
BASE_URL = "https://rifd.example.org"
PARTS = ("word/document.xml", "word/header1.xml", "word/footer1.xml")  # the parts with tags


def load() -> tuple[bytes, dict]:
    """Return the template's bytes and its sample context with the shipped letterhead."""
    data = (SHIPPED / f"{TEMPLATE}.docx").read_bytes()
    return data, sample_context(TEMPLATE, shipped_profile(PROFILE))


def letter_fields(today: dt.date, number: str, code: str) -> dict:
    """Return the `letter` placeholders as issue() fills them."""
    return {
        "number": number,
        "type_name": LETTER_TYPES[TEMPLATE]["ar"],
        "attachments": "",
        "verify_code": code,
        "verify_url": f"{BASE_URL}/verify/{code}",
        **dates(today),
    }


def issue_one(store, template: TemplateVersion, context: dict, today: dt.date) -> dict:
    return issue(
        store,
        template,
        context,
        letter_type=TEMPLATE,
        recipient=context["beneficiary"]["name"],
        issued_by="bench",
        base_url=BASE_URL,
        today=today,
    )


def plain_docxtpl(data: bytes, context: dict, png: bytes) -> bytes:
    """Render and save with docxtpl as its docs show: a fresh DocxTemplate per letter."""
    tpl = DocxTemplate(io.BytesIO(data))
    context = {**context, "qr": InlineImage(tpl, io.BytesIO(png), width=Mm(22))}
    env = SandboxedEnvironment(autoescape=True)
    env.filters.update(FILTERS)  # the template uses the letters' own filters
    tpl.render(context, jinja_env=env, autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


class Floor:
    """docxtpl's clean-up and a plain Jinja compile done once, and the parts no letter
    changes (styles, fonts, theme) compressed once into a base zip; a letter is the
    render of its parts appended to that base. Nothing a renderer must do is left out,
    and nothing is done twice: the least any letter can cost."""

    def __init__(self, data: bytes):
        self.data = data
        docx = DocxTemplate(io.BytesIO(data))
        env = Environment(autoescape=True)
        env.filters.update(FILTERS)  # the letters' own filters (code, digits, amount...)
        base = io.BytesIO()
        with (
            zipfile.ZipFile(io.BytesIO(data)) as src,
            zipfile.ZipFile(base, "w", zipfile.ZIP_DEFLATED) as dst,
        ):
            self.compiled = {
                name: env.from_string(docx.patch_xml(src.read(name).decode("utf-8")))
                for name in PARTS
            }
            for item in src.infolist():
                if item.filename not in self.compiled:
                    dst.writestr(item, src.read(item.filename))
        self.base = base.getvalue()

    def render(self, context: dict) -> bytes:
        # Rifd's Image prints as nothing outside a Rifd render: the floor has no QR.
        out = io.BytesIO(self.base)
        with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as dst:
            for name, tpl in self.compiled.items():
                dst.writestr(name, tpl.render(context).encode("utf-8"))
        return out.getvalue()


def all_text(docx: bytes) -> list[str]:
    """Return the text of every paragraph: body, tables, headers and footers."""
    doc = Document(io.BytesIO(docx))
    paragraphs = list(doc.paragraphs)
    paragraphs += [p for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    for section in doc.sections:
        paragraphs += section.header.paragraphs + section.footer.paragraphs
    return [p.text for p in paragraphs]


def pictures(docx: bytes) -> list[bytes]:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return [z.read(n) for n in z.namelist() if n.startswith("word/media/")]


def check(store, data: bytes, context: dict, today: dt.date) -> None:
    """Check once that the three paths give the same letter (the floor without its QR)."""
    record = issue_one(store, TemplateVersion(TEMPLATE, 1, data), context, today)
    rifd = store.read_file(record["sha256"])
    same = {**context, "letter": letter_fields(today, record["number"], record["code"])}
    png = qr_png(same["letter"]["verify_url"])
    plain = plain_docxtpl(data, same, png)
    floor = Floor(data).render(same)
    name = context["beneficiary"]["name"]
    assert any(name in text for text in all_text(rifd)), "the name is not in Rifd's letter"
    assert all_text(rifd) == all_text(plain), "Rifd and plain docxtpl print different text"
    assert pictures(rifd) == pictures(plain) == [png], "the QR pictures differ"
    assert any(name in text for text in all_text(floor)), "the name is not in the floor's letter"
    assert not record["missing"], f"missing placeholders: {record['missing']}"
    print(f"check: Rifd's letter {record['number']} opens with python-docx and holds {name!r};")
    print("  same text and QR picture as plain docxtpl's letter;", end=" ")
    print(f"sizes: Rifd {len(rifd):,} B, plain {len(plain):,} B, floor {len(floor):,} B")


def bench_one(args, data: bytes, context: dict, today: dt.date) -> dict[str, list[float]]:
    """Time the three paths on each letter, interleaved, the first one rotating."""
    template = TemplateVersion(TEMPLATE, 1, data)
    plain_context = {**context, "letter": letter_fields(today, "1448/000001", "SAMPLE")}
    png = qr_png(plain_context["letter"]["verify_url"])
    floor = Floor(data)
    with tempfile.TemporaryDirectory(prefix="rifd-bench-") as root:
        store = Store(root)
        check(store, data, context, today)
        paths = {
            "rifd": lambda: issue_one(store, template, context, today),
            "plain": lambda: plain_docxtpl(data, plain_context, png),
            "floor": lambda: floor.render(plain_context),
        }
        times = defaultdict(list)
        for i in range(args.warmup + args.letters):
            names = list(paths)[i % 3 :] + list(paths)[: i % 3]
            for name in names:
                started = time.perf_counter()
                paths[name]()
                if i >= args.warmup:
                    times[name].append(time.perf_counter() - started)
    return times


def _ms(times: list[float]) -> str:
    p95 = statistics.quantiles(times, n=20)[-1]
    return f"{statistics.median(times) * 1000:.2f} / {p95 * 1000:.2f} ms"


def report_one(times: dict[str, list[float]]) -> None:
    median = {name: statistics.median(t) for name, t in times.items()}
    labels = {
        "rifd": "Rifd issue (QR, lock, number, render, archive, register)",
        "plain": "plain docxtpl render + save",
        "floor": "floor (compiled once, render + zip; no QR, no archive)",
    }
    print("\n| path | median / p95 | vs plain docxtpl (median) |")
    print("|---|---:|---:|")
    for name, label in labels.items():
        print(f"| {label} | {_ms(times[name])} | {median[name] / median['plain']:.2f} |")
    verdict = "met" if median["rifd"] <= median["plain"] else "NOT met"
    print(f"\ngoal (Rifd's issue path no slower than plain docxtpl, median): {verdict}")


class TimedStore(Store):
    """A Store that adds up the time spent waiting for locks, holding them, and in some calls."""

    def __init__(self, root):
        super().__init__(root)
        self.spent = defaultdict(float)

    @contextmanager
    def lock(self, name: str):
        asked = time.perf_counter()
        with super().lock(name):
            got = time.perf_counter()
            self.spent["wait"] += got - asked
            try:
                yield
            finally:
                self.spent["held"] += time.perf_counter() - got

    def _timed(self, what: str, call, *args, **kwargs):
        started = time.perf_counter()
        try:
            return call(*args, **kwargs)
        finally:
            self.spent[what] += time.perf_counter() - started

    def page(self, *args, **kwargs):
        return self._timed("next number", super().page, *args, **kwargs)

    def put_file(self, data: bytes) -> str:
        return self._timed("archive", super().put_file, data)

    def insert(self, collection: str, record: dict) -> int:
        return self._timed("register", super().insert, collection, record)


def bulk_worker(root: str, count: int, today: dt.date, barrier, results) -> None:
    """Issue `count` letters into the store at `root`, starting with the other workers."""
    data, context = load()
    store = TimedStore(root)
    template = TemplateVersion(TEMPLATE, 1, data)
    prepare(data).render(context)  # a running app has prepared its templates already
    barrier.wait()
    started = time.perf_counter()  # CLOCK_MONOTONIC on Linux: comparable across processes
    for _ in range(count):
        issue_one(store, template, context, today)
    results.put({"start": started, "end": time.perf_counter(), **store.spent})


def bulk(total: int, processes: int, today: dt.date) -> dict:
    """Issue `total` letters with `processes` processes into one fresh store; check numbers."""
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(processes), ctx.Queue()
    with tempfile.TemporaryDirectory(prefix="rifd-bulk-") as root:
        shares = [total // processes + (i < total % processes) for i in range(processes)]
        workers = [
            ctx.Process(target=bulk_worker, args=(root, n, today, barrier, results)) for n in shares
        ]
        for worker in workers:
            worker.start()
        got = [results.get(timeout=600) for _ in workers]  # a dead worker must not hang us
        for worker in workers:
            worker.join()
        records = list(Store(root).iter(REGISTER))
    seqs = sorted(r["seq"] for r in records)
    assert seqs == list(range(1, total + 1)), "numbers are not 1..N without gap or duplicate"
    assert len({r["number"] for r in records}) == total
    wall = max(g["end"] for g in got) - min(g["start"] for g in got)
    kinds = ("wait", "held", "next number", "archive", "register")
    spent = {k: sum(g.get(k, 0.0) for g in got) for k in kinds}
    return {"processes": processes, "wall": wall, **spent}


def report_bulk(runs: list[dict], total: int) -> None:
    steps = "in the lock, ms a letter: all = number + render etc. + archive + register"
    print(f"\n| bulk: {total:,} letters | wall | letters/s | lock held | lock wait | {steps} |")
    print("|---|---:|---:|---:|---:|---:|")
    for run in runs:
        n, wall, held = run["processes"], run["wall"], run["held"]
        parts = [run["next number"], run["archive"], run["register"]]
        per = [v / total * 1000 for v in (held, parts[0], held - sum(parts), *parts[1:])]
        label = f"{n} processes" if n > 1 else "1 process"
        print(
            f"| {label} | {wall:.2f} s | {total / wall:.0f} | {held / wall:.0%} of wall "
            f"| {run['wait'] / (wall * n):.0%} of process time "
            f"| {per[0]:.2f} = {' + '.join(f'{v:.2f}' for v in per[1:])} |"
        )
    print(f"numbers: 1..{total:,} with no gap or duplicate in both runs")
    speedup = runs[1]["wall"] / runs[0]["wall"]
    print(f"speed-up of {runs[0]['processes']} processes over 1: {speedup:.2f}x")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=200, help="letters timed per path")
    parser.add_argument("--warmup", type=int, default=10, help="untimed letters per path first")
    parser.add_argument("--bulk", type=int, default=1000, help="letters in the bulk runs (0: skip)")
    parser.add_argument("--processes", type=int, default=2, help="processes in the bulk run")
    args = parser.parse_args(argv)
    today = dt.date.today()  # fixed for the run: the numbering restarts each Hijri year
    data, context = load()
    print(f"{TEMPLATE}.docx: {len(data):,} B; {args.letters} letters per path", end=" ")
    print(f"timed after {args.warmup} warm-up, interleaved")
    report_one(bench_one(args, data, context, today))
    if args.bulk:
        runs = [bulk(args.bulk, args.processes, today), bulk(args.bulk, 1, today)]
        report_bulk(runs, args.bulk)


if __name__ == "__main__":
    main()
