"""The text index of the PostgreSQL backend: any part of a record's answers, found fast.

The same text as the TinyDB backend's (store/indexes.py: text_of, one line per value,
digits in ASCII, Arabic spellings folded, case folded), computed here in Python and kept
in rifd_texts, one row per record, in the transaction that writes the record. With the
pg_trgm extension a GIN trigram index answers `LIKE '%part%'` without reading every
row; without it (the extension cannot be created) the search reads rifd_texts, still
never the records.

A collection's text rows, and the counts of its indexed values (rifd_counts, kept by a
trigger: store/postgres/schema.py), are written under an advisory lock of the
collection, taken before any row of the collection is touched, so that two writers
never wait for each other (a record's row, then its text or a count) in opposite orders.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable

import psycopg

from store.indexes import text_of, text_signature
from store.postgres.schema import lock_key

TEXT_LOCK = "_text/"


def fields_of(conn: psycopg.Connection, collection: str) -> list[str]:
    """Return the text fields declared for a collection (the first pattern that matches)."""
    found = conn.execute("SELECT pattern, fields FROM rifd_text_fields ORDER BY pattern")
    for pattern, fields in found:
        if fnmatch.fnmatchcase(collection, pattern):
            return fields.split(",")
    return []


def begin(conn: psycopg.Connection, schema: str, collection: str) -> list[str]:
    """Before writing records of a collection: return its text fields, locking its text
    rows and counts for the transaction when it has some."""
    fields = fields_of(conn, collection)
    counted = conn.execute(
        "SELECT 1 FROM rifd_indexes WHERE %s LIKE rifd_like(pattern) LIMIT 1", [collection]
    ).fetchone()
    if fields or counted:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [lock_key(schema, TEXT_LOCK + collection)])
    return fields


def follow(
    conn: psycopg.Connection,
    collection: str,
    fields: list[str],
    changes: Iterable[tuple[int, dict | None]],
) -> None:
    """After writing records (None: deleted): change their text rows, or build them all
    if the collection's text was never built for these fields."""
    if not fields:
        return
    built = conn.execute(
        "SELECT fields FROM rifd_text_built WHERE collection = %s", [collection]
    ).fetchone()
    if built is None or built[0] != text_signature(fields):
        build(conn, collection, fields)
        return
    changes = list(changes)
    conn.execute(
        "DELETE FROM rifd_texts WHERE collection = %s AND id = ANY(%s)",
        [collection, [rid for rid, _record in changes]],
    )
    _insert(conn, collection, ((rid, r) for rid, r in changes if r is not None), fields)


def _insert(conn: psycopg.Connection, collection: str, records, fields: list[str]) -> None:
    with conn.cursor().copy("COPY rifd_texts (collection, id, body) FROM STDIN") as copy:
        for rid, record in records:
            copy.write_row((collection, rid, text_of(record, fields).replace("\0", "")))


def build(conn: psycopg.Connection, collection: str, fields: list[str]) -> None:
    """Index the text of every record of a collection (the caller holds its text lock)."""
    conn.execute("DELETE FROM rifd_texts WHERE collection = %s", [collection])
    last = 0
    while True:  # batches by id: a COPY cannot run while a cursor on it is being read
        batch = conn.execute(
            "SELECT id, body FROM rifd_records WHERE collection = %s AND id > %s "
            "ORDER BY id LIMIT 2000",
            [collection, last],
        ).fetchall()
        if not batch:
            break
        _insert(conn, collection, batch, fields)
        last = batch[-1][0]
    conn.execute(
        """INSERT INTO rifd_text_built VALUES (%s, %s)
           ON CONFLICT (collection) DO UPDATE SET fields = EXCLUDED.fields""",
        [collection, text_signature(fields)],
    )


def declare(conn: psycopg.Connection, schema: str, pattern: str, fields: list[str]) -> None:
    """Declare fields for pattern; build the text of the collections that lack it."""
    with conn.transaction():
        conn.execute(
            """INSERT INTO rifd_text_fields VALUES (%s, %s)
               ON CONFLICT (pattern) DO UPDATE SET fields = EXCLUDED.fields""",
            [pattern, ",".join(fields)],
        )
    names = [name for (name,) in conn.execute("SELECT name FROM rifd_collections")]
    for collection in sorted(names):
        with conn.transaction():
            wanted = begin(conn, schema, collection)
            built = conn.execute(
                "SELECT fields FROM rifd_text_built WHERE collection = %s", [collection]
            ).fetchone()
            if wanted and (built is None or built[0] != text_signature(wanted)):
                build(conn, collection, wanted)


def search(
    conn: psycopg.Connection,
    collection: str,
    needles: list[str],
    *,
    offset: int = 0,
    limit: int | None = None,
    most: int | None = None,
) -> tuple[list[int], int] | None:
    """Return (ids newest first, how many, counted up to most) whose text holds any needle;
    None if unbuilt."""
    if (
        conn.execute("SELECT FROM rifd_text_built WHERE collection = %s", [collection]).fetchone()
        is None
    ):
        return None
    # The text is stored case folded (text_of): a needle folded too needs LIKE, not ILIKE,
    # which folds every row again (a name in all 100,000 rows: 790 ms, LIKE 100 ms).
    likes = [
        "%" + n.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        for n in needles
    ]
    # One LIKE each, ORed: each is planned on the trigram index (ANY(...) was not).
    where = "collection = %s AND (" + " OR ".join(["body LIKE %s"] * len(likes)) + ")"
    hits = f"SELECT 1 FROM rifd_texts WHERE {where}"  # noqa: S608
    if most is not None:
        hits += f" LIMIT {int(most)}"
    total = conn.execute(f"SELECT count(*) FROM ({hits}) AS hits", [collection, *likes])  # noqa: S608
    query = f"SELECT id FROM rifd_texts WHERE {where} ORDER BY id DESC"  # noqa: S608
    params: list = [collection, *likes]
    if limit is not None:
        query += " LIMIT %s OFFSET %s"
        params += [limit, offset]
    ids = [rid for (rid,) in conn.execute(query, params)]
    return ids, total.fetchone()[0]
