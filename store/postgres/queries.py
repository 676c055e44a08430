"""The summary reads of the PostgreSQL backend: distinct values, tallies, ranges.

Each gives what the TinyDB backend gives for the same records (store/api.py): the same
values, grouped and ordered the same way.
"""

from __future__ import annotations

from collections.abc import Mapping

import orjson
import psycopg
from psycopg import sql

from store.api import _hashable
from store.postgres import rows
from store.postgres.schema import path_sql


def _skip_scan(key: str) -> sql.Composable:
    """Return a WITH clause naming found(v): the different values at an indexed key.

    Read from the key's index one value at a time (a loose index scan): DISTINCT or GROUP
    BY computes the key of every record, which reads and decompresses each body (1.4 to
    2 s over 100,000 requests); this reads one index entry per different value.
    """
    value = path_sql(key)
    return sql.SQL(
        "WITH RECURSIVE found(v) AS ("
        "(SELECT {0} FROM rifd_records WHERE collection = %(c)s AND {0} IS NOT NULL"
        " ORDER BY {0} LIMIT 1)"
        " UNION ALL SELECT (SELECT {0} FROM rifd_records WHERE collection = %(c)s"
        " AND {0} > found.v ORDER BY {0} LIMIT 1) FROM found WHERE found.v IS NOT NULL) "
    ).format(value)


def sorted_values(conn: psycopg.Connection, collection: str, key: str) -> list:
    """Return the different values at an indexed key, sorted as an index gives them."""
    if key.endswith("[]"):
        source = sql.SQL(
            "SELECT DISTINCT item FROM rifd_records, jsonb_array_elements("
            "CASE WHEN jsonb_typeof({0}) = 'array' THEN {0} END) AS item WHERE collection = %(c)s"
        ).format(path_sql(key[:-2]))
    else:
        source = _skip_scan(key) + sql.SQL("SELECT v FROM found WHERE v IS NOT NULL")
    values = [value for (value,) in conn.execute(source, {"c": collection})]
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return sorted(values)
    return sorted(values, key=orjson.dumps)


def first_values(conn: psycopg.Connection, collection: str, key: str) -> list:
    """Return the different values of a top-level key, in the order first seen."""
    found = conn.execute(
        """SELECT first_id, body_value FROM (
               SELECT DISTINCT ON (data -> %(key)s) id AS first_id, body -> %(key)s AS body_value
               FROM rifd_records WHERE collection = %(c)s AND data ? %(key)s
               ORDER BY data -> %(key)s, id) AS firsts
           ORDER BY first_id""",
        {"key": key, "c": collection},
    )
    return [value for _rid, value in found]


def tally(conn: psycopg.Connection, collection: str, key: str, where: Mapping | None) -> dict:
    """Return {value: how many records hold it} at a top-level or dotted key (an indexed
    key without where is answered by the kept counts: PgStore.tally)."""
    condition, params = rows.matching(collection, where)
    value = path_sql(key)
    query = sql.SQL(
        "SELECT {0}, count(*) FROM rifd_records WHERE {1} AND {0} IS NOT NULL "
        "GROUP BY {0} ORDER BY min(id)"
    ).format(value, condition)
    return {_hashable(found): n for found, n in conn.execute(query, params)}


def between(
    conn: psycopg.Connection, collection: str, key: str, low: object, high: object
) -> list[tuple[object, int]]:
    """Return (value, id) with low <= value < high (either end open), by value then id."""
    if key.endswith("[]"):
        items = path_sql(key[:-2])
        source = sql.SQL(
            "SELECT DISTINCT item AS value, id FROM rifd_records, jsonb_array_elements("
            "CASE WHEN jsonb_typeof({0}) = 'array' THEN {0} END) AS item WHERE collection = %s"
        ).format(items)
    else:
        source = sql.SQL(
            "SELECT {0} AS value, id FROM rifd_records WHERE collection = %s AND {0} IS NOT NULL"
        ).format(path_sql(key))
    query = sql.SQL("SELECT value, id FROM ({}) AS found WHERE true").format(source)
    params: list = [collection]
    if low is not None:
        query += sql.SQL(" AND value >= %s::jsonb")
        params.append(rows.value_text(low))
    if high is not None:
        query += sql.SQL(" AND value < %s::jsonb")
        params.append(rows.value_text(high))
    query += sql.SQL(" ORDER BY value, id")
    return [(value, rid) for value, rid in conn.execute(query, params)]


def counted(conn: psycopg.Connection, collection: str, key: str, values: list | None = None):
    """Return [(value, how many records hold it)] of a declared key from the kept counts
    (store/postgres/schema.py: rifd_counts), of values or of every value."""
    query = "SELECT value, n FROM rifd_counts WHERE collection = %s AND field = %s AND n > 0"
    params: list = [collection, key]
    if values is not None:
        query += " AND value IN (SELECT unnest(%s::text[])::jsonb)"
        params.append([rows.value_text(value) for value in values])
    return conn.execute(query, params).fetchall()
