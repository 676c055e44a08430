"""The backend a benchmark stores its records in: TinyDB (the default) or PostgreSQL.

    --backend postgres                    a throwaway cluster, as the tests start one
    --database-url postgresql://...       a server of your own (a fresh schema per run)

The throwaway cluster is tests/pg_cluster.py's, with durability on (fsync, synchronous
commits) as a real server keeps it: the tests switch it off, a benchmark must not.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Callable, Iterator

from tests.pg_cluster import throwaway


def add_options(parser: argparse.ArgumentParser) -> None:
    """Add --backend and --database-url to a benchmark's options."""
    parser.add_argument("--backend", choices=("tinydb", "postgres"), default="tinydb")
    parser.add_argument(
        "--database-url", help="a PostgreSQL server of your own (implies --backend postgres)"
    )


@contextlib.contextmanager
def urls(args: argparse.Namespace) -> Iterator[Callable[[], str | None]]:
    """Yield a function giving each run a fresh database URL (None: TinyDB)."""
    if args.backend == "tinydb" and not args.database_url:
        yield lambda: None
        return
    with throwaway(args.database_url) as cluster:
        yield cluster.new_url


def name(args: argparse.Namespace) -> str:
    return "PostgreSQL" if args.backend == "postgres" or args.database_url else "TinyDB"
