"""Measure PDF time per letter: a cold soffice call against the warm unoserver converter.

Every letter is the shipped acceptance letter rendered as one is issued (letterhead,
QR code, the decision's table), each with its own name and number.
The cold converter keeps its profile folder between calls, as in the app; its very first
call (which creates the profile) is reported apart.

    .venv/bin/python -m bench.bench_pdf [--cold 10] [--warm 50] [--batch 20] [--memory 300]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from association import shipped_profile
from letters import pdf
from letters.render import render_letter
from letters.samples import sample_context

TEMPLATE = "acceptance"
SHIPPED_TEMPLATE = Path(__file__).resolve().parent.parent / "doc_templates" / f"{TEMPLATE}.docx"


def letter(n: int) -> bytes:
    """Render the n-th letter from the shipped acceptance template, as a letter is issued:
    the association's letterhead (demo profile), its QR code, a decision and its table;
    a distinct name and number each time."""
    context = sample_context(TEMPLATE, shipped_profile("sanad_alahsa"))
    context["beneficiary"] = {**context.get("beneficiary", {}), "name": f"محمد بن عبدالله {n}"}
    context["letter"] = {**context["letter"], "number": f"1448/{n:06d}"}
    return render_letter(SHIPPED_TEMPLATE.read_bytes(), context).data


def _timed(convert, docs: list[bytes]) -> list[float]:
    """Convert each document alone; return the seconds each took."""
    times = []
    for docx in docs:
        started = time.perf_counter()
        assert convert(docx).startswith(b"%PDF-")
        times.append(time.perf_counter() - started)
    return times


def _group_rss_mb(leader: int) -> float:
    """Return the resident memory of every process in the group led by `leader`, in MB."""
    total = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            stat = (status.parent / "stat").read_text().rsplit(")", 1)[1].split()
            if int(stat[2]) == leader:
                rss = [ln for ln in status.read_text().splitlines() if ln.startswith("VmRSS")]
                total += int(rss[0].split()[1]) if rss else 0
        except (OSError, IndexError, ValueError):
            continue
    return total / 1024


def _row(label: str, times: list[float]) -> str:
    """Format median and p95 of `times` as a table row, in ms."""
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
    return (
        f"| {label} | {len(times)} | {statistics.median(times) * 1000:,.0f} | {p95 * 1000:,.0f} |"
    )


def bench_cold(args, docs: list[bytes]) -> tuple[list[str], float]:
    """Time cold calls, one per letter, then one call for the whole batch."""
    with pdf.PdfConverter() as cold:
        first = _timed(cold.convert, docs[:1])[0]
        times = _timed(cold.convert, docs[1 : args.cold + 1])
        started = time.perf_counter()
        assert len(cold.convert_many(docs[: args.batch])) == args.batch
        batch = time.perf_counter() - started
    rows = [
        f"| cold: first call (creates the profile) | 1 | {first * 1000:,.0f} | |",
        _row("cold: one soffice call per letter", times),
        f"| cold: convert_many, {args.batch} letters in one call | 1 | {batch * 1000:,.0f} "
        f"({batch / args.batch * 1000:,.0f} a letter) | |",
    ]
    return rows, statistics.median(times)


def bench_warm(args, docs: list[bytes]) -> tuple[list[str], float]:
    """Time the warm converter: start, letters one by one, a batch, memory over a long run."""
    with pdf.WarmConverter() as warm:
        started = time.perf_counter()
        warm.start()
        start = time.perf_counter() - started
        leader = warm._server.pid
        rss_start = _group_rss_mb(leader)
        times = _timed(warm.convert, docs[: args.warm])
        started = time.perf_counter()
        warm.convert_many(docs[: args.batch])
        batch = time.perf_counter() - started
        _timed(warm.convert, [docs[i % len(docs)] for i in range(args.memory)])
        rss_end = _group_rss_mb(leader)
    done = args.warm + args.batch + args.memory
    rows = [
        f"| warm: start (unoserver + LibreOffice) | 1 | {start * 1000:,.0f} | |",
        _row("warm: one letter", times),
        f"| warm: convert_many, {args.batch} letters | 1 | {batch * 1000:,.0f} "
        f"({batch / args.batch * 1000:,.0f} a letter) | |",
        f"| warm: memory of the server group | | {rss_start:,.0f} MB after start, "
        f"{rss_end:,.0f} MB after {done} letters | |",
    ]
    return rows, statistics.median(times)


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold", type=int, default=10, help="cold calls timed one by one")
    parser.add_argument("--warm", type=int, default=50, help="warm letters timed one by one")
    parser.add_argument("--batch", type=int, default=20, help="letters in one convert_many")
    parser.add_argument("--memory", type=int, default=300, help="extra warm letters, for RSS")
    args = parser.parse_args(argv)
    if not pdf.available():
        raise SystemExit(pdf.NEEDS_LIBREOFFICE)
    docs = [letter(n) for n in range(max(args.cold + 1, args.warm, args.batch))]
    print(f"letter: {len(docs[0]):,} B .docx, 1 page; LibreOffice {pdf.soffice_path()}")
    print("| path | letters | median ms | p95 ms |")
    print("|---|---:|---:|---:|")
    rows, cold = bench_cold(args, docs)
    print("\n".join(rows))
    if pdf.uno_python() is None:
        print("warm: not run (no Python with uno: Debian python3-uno; or no unoserver)")
        return
    rows, warm = bench_warm(args, docs)
    print("\n".join(rows))
    print(f"\ncold / warm, median per letter: {cold / warm:.1f}x")


if __name__ == "__main__":
    main()
