"""A transaction of the PostgreSQL backend: the methods of store/transaction.py's, on one
database transaction.

Each call writes at once inside the transaction, so its reads see its own writes and
nobody else sees any of them before the block ends. Transactions take the store's write
lock first, as the TinyDB backend's do: two of them can then never wait for each
other's rows (a deadlock), and a plain write, which holds at most one row, never
waits for a lock while holding another.
"""

from __future__ import annotations

import psycopg

from store.api import _jsonable
from store.layout import check_id, check_name
from store.postgres import rows, texts


class PgTransaction:
    """Inserts, updates and deletions in several collections, committed as one."""

    def __init__(self, conn: psycopg.Connection, schema: str):
        self._conn = conn
        self._schema = schema
        self._texts: dict[str, list[str]] = {}

    def _text_fields(self, collection: str) -> list[str]:
        # Its text lock first, before any of its rows, and once per transaction.
        if collection not in self._texts:
            self._texts[collection] = texts.begin(self._conn, self._schema, collection)
        return self._texts[collection]

    def insert(self, collection: str, record: dict) -> int:
        """Insert record under the collection's next id and return that id."""
        check_name(collection)
        body = _jsonable(record, "record")
        fields = self._text_fields(collection)
        [rid] = rows.allocate(self._conn, collection, 1)
        body = {"id": rid} | {k: v for k, v in body.items() if k != "id"}
        rows.insert(self._conn, collection, [(rid, body)])
        texts.follow(self._conn, collection, fields, [(rid, body)])
        return rid

    def get(self, collection: str, rid: int) -> dict | None:
        """Return record rid as this transaction leaves it."""
        return rows.read(self._conn, check_name(collection), check_id(rid))

    def update(self, collection: str, rid: int, changes: dict) -> dict:
        """Merge changes into the top level of record rid; return the new record."""
        check_name(collection)
        check_id(rid)
        fields = self._text_fields(collection)
        current = rows.read(self._conn, collection, rid, lock=True)
        if current is None:
            raise LookupError(f"no record {rid} in {collection}")
        changes = _jsonable(changes, "changes")
        record = current | {k: v for k, v in changes.items() if k != "id"}
        rows.write(self._conn, collection, rid, record)
        texts.follow(self._conn, collection, fields, [(rid, record)])
        return record

    def delete(self, collection: str, rid: int) -> bool:
        """Delete record rid; return whether there was one."""
        check_name(collection)
        check_id(rid)
        fields = self._text_fields(collection)
        if not rows.delete(self._conn, collection, rid):
            return False
        texts.follow(self._conn, collection, fields, [(rid, None)])
        return True
