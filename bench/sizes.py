"""What the benchmarks timed through the pages share: every size seeded in its own data
folder first, then all timed side by side, and the table of medians with the ratio."""

from __future__ import annotations

import argparse
import contextlib
import tempfile
from collections.abc import Callable

from bench import backends


def side_by_side(args: argparse.Namespace, seed: Callable, measure: Callable) -> tuple[list, dict]:
    """Seed each of args.sizes (seed(size, folder, url)), then measure them all (measure(
    {size: seeded}, rounds)) while their folders exist; return the sizes and the medians."""
    sizes = [int(s) for s in args.sizes.split(",")]
    with backends.urls(args) as new_url, contextlib.ExitStack() as folders:
        seeded = {}
        for size in sizes:
            print(f"size {size:,} ({backends.name(args)})", flush=True)
            folder = folders.enter_context(tempfile.TemporaryDirectory())
            seeded[size] = seed(size, folder, new_url())
        return sizes, measure(seeded, args.rounds)


def print_table(sizes: list[int], results: dict, what: str = "page") -> None:
    """Print the medians of every size in milliseconds, with the largest ÷ the smallest."""
    base = sizes[0]
    head = " | ".join(f"{s:,}" for s in sizes)
    print(f"\n| {what} | {head} | {sizes[-1]:,} ÷ {base:,} |")
    print("|---|" + "---|" * (len(sizes) + 1))
    for label in results[base]:
        cells = " | ".join(f"{results[s][label] * 1000:,.0f} ms" for s in sizes)
        ratio = results[sizes[-1]][label] / results[base][label]
        print(f"| {label} | {cells} | {ratio:.1f} |")
