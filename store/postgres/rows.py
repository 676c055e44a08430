"""Rows of rifd_records: the writes a store and a transaction share, and the WHERE of a lookup.

Every write keeps `body` (the record's JSON text, key order kept) and `data` (the same
as jsonb, for lookups) in step. Ids come from rifd_collections.last_id, raised in the
writer's transaction: its row lock orders concurrent inserters, a rolled-back insert
gives its ids back, and a deleted record's id is never given again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import orjson
import psycopg
from psycopg import sql

from store.errors import StoreError
from store.indexes import AnyOf
from store.postgres.schema import path_sql

_NUL = b"\\u0000"


def _without_nul(value: object) -> object:
    if isinstance(value, str):
        return value.replace("\0", "")
    if isinstance(value, dict):
        return {_without_nul(k): _without_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_nul(v) for v in value]
    return value


def texts(record: object) -> tuple[str, str]:
    """Return the body and the data text of a (JSON-able) record."""
    body = orjson.dumps(record)
    # jsonb refuses U+0000; only the copy that lookups read leaves it out.
    data = orjson.dumps(_without_nul(record)) if _NUL in body else body
    return body.decode(), data.decode()


def value_text(value: object) -> str:
    """Return a where value as the jsonb text `data` would hold for it."""
    try:
        return texts(value)[1]
    except TypeError as exc:  # orjson.JSONEncodeError
        raise StoreError(f"a lookup value is not JSON-able: {exc}") from exc


def allocate(conn: psycopg.Connection, collection: str, n: int) -> list[int]:
    """Reserve n new ids of a collection (in the caller's transaction)."""
    last = conn.execute(
        """INSERT INTO rifd_collections AS c VALUES (%s, %s)
           ON CONFLICT (name) DO UPDATE SET last_id = c.last_id + EXCLUDED.last_id
           RETURNING last_id""",
        [collection, n],
    ).fetchone()[0]
    return list(range(last - n + 1, last + 1))


def insert(conn: psycopg.Connection, collection: str, records: Iterable[tuple[int, dict]]) -> None:
    """Insert records under ids already allocated."""
    rows = [(collection, rid, *texts(record)) for rid, record in records]
    if len(rows) == 1:
        conn.execute("INSERT INTO rifd_records VALUES (%s, %s, %s::json, %s::jsonb)", rows[0])
        return
    with conn.cursor().copy("COPY rifd_records (collection, id, body, data) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def read(conn: psycopg.Connection, collection: str, rid: int, *, lock: bool = False):
    """Return record rid (locked for update if asked), or None."""
    query = "SELECT body FROM rifd_records WHERE collection = %s AND id = %s"
    row = conn.execute(query + (" FOR UPDATE" if lock else ""), [collection, rid]).fetchone()
    return None if row is None else row[0]


def write(conn: psycopg.Connection, collection: str, rid: int, record: dict) -> bool:
    """Replace the stored record rid; return False if there is none."""
    body, data = texts(record)
    done = conn.execute(
        """UPDATE rifd_records SET body = %s::json, data = %s::jsonb
           WHERE collection = %s AND id = %s""",
        [body, data, collection, rid],
    )
    return done.rowcount == 1


def delete(conn: psycopg.Connection, collection: str, rid: int) -> bool:
    done = conn.execute(
        "DELETE FROM rifd_records WHERE collection = %s AND id = %s", [collection, rid]
    )
    return done.rowcount == 1


def condition(key: str, value: object) -> tuple[sql.Composable, list]:
    """Return the SQL and parameters of one key of where, as the TinyDB backend reads it.

    Values compare as JSON: "1" is not 1 and True is not 1 (as in an index of the TinyDB
    backend), 1 is 1.0, objects compare whole whatever their key order.
    """
    if isinstance(value, AnyOf):
        parts = [condition(key, one) for one in value]
        if not parts:
            return sql.SQL("false"), []
        joined = sql.SQL(" OR ").join(part for part, _params in parts)
        return sql.SQL("({})").format(joined), [p for _part, params in parts for p in params]
    if key.endswith("[]"):  # the list at key holds value
        items = path_sql(key[:-2])
        text = value_text(value)
        holds = sql.SQL("{} @> %s::jsonb").format(items)
        if not isinstance(value, Mapping | list):
            return holds, [f"[{text}]"]
        # @> also finds an object or a list inside an item: check an item is equal.
        exact = sql.SQL(
            "CASE WHEN jsonb_typeof({0}) = 'array' THEN EXISTS ("
            "SELECT 1 FROM jsonb_array_elements({0}) AS item WHERE item = %s::jsonb) END"
        ).format(items)
        return sql.SQL("({} AND {})").format(holds, exact), [f"[{text}]", text]
    return sql.SQL("{} = %s::jsonb").format(path_sql(key)), [value_text(value)]


def matching(collection: str, where: Mapping | None) -> tuple[sql.Composable, list]:
    """Return the WHERE clause (no keyword) selecting a collection's records that equal where."""
    parts, params = [sql.SQL("collection = %s")], [collection]
    for key, value in (where or {}).items():
        part, more = condition(key, value)
        parts.append(part)
        params += more
    return sql.SQL(" AND ").join(parts), params
