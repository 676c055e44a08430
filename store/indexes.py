"""Secondary indexes: which records of a collection hold a value at a field, without reading them.

    <root>/_index/index.sqlite3     declared fields, their (collection, field, value, id) rows,
                                    and how many rows hold each value (store/indexfile.py)

A field is declared for a pattern of collections ("cases", "submissions/*") and a path
into the record ("state", "answers.national_id"; "people[]" for each item of a list).
The rows live in SQLite (Python's own module): a B-tree that answers an equality, a
range, a count or a page in a few milliseconds at any size, and commits atomically.

Only the store writes the rows, under its write lock, in the same step as the shards:
store/transaction.py writes a journal first, then removes the rows of what changes, then
the shards, then the new rows, then deletes the journal. A writer killed in between
leaves the journal, which the next writer (or the next open) applies again, rows
included, so after any crash an index neither points to a missing record nor misses a
stored one. Between the crash and that next write a reader may miss a record, never see
a wrong one.

The counts of each value are kept by SQLite triggers in the transaction that changes the
rows, so a tally or a count of one field reads one row per value, never the rows.

An index is used only once it is complete ("built"). The rows are derived data: a backup
leaves them out, and a folder without them has them built again when the app declares
its fields on start (with a progress line).
"""

from __future__ import annotations

import fnmatch
import hashlib
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping

import orjson

from store.indexfile import IndexFile

# Arabic-Indic and Persian digits as ASCII, as the search box reads them (forms/saudi.py);
# the spellings of one Arabic name folded together (أحمد, احمد, إحمد; فاطمة, فاطمه;
# مصطفى, مصطفي), and what changes no letter removed: diacritics, tatweel, direction
# and zero-width marks.
_FOLD = str.maketrans(
    "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹أإآٱةى",
    "01234567890123456789ااااهي",
    "".join(map(chr, [*range(0x064B, 0x0660), 0x0670, 0x0640, 0x061C, *range(0x200B, 0x2010)]))
    + "".join(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFEFF])),
)
# Raised when normalize_text changes: text tables made by an older one are built again.
TEXT_FORM = 2
TRIGRAM = 3  # the shortest text the trigram index can find
MISSING = object()  # no value at a path of a record
Progress = Callable[[str, int, int], None]


def path_of(record: Mapping, field: str) -> object:
    """Return the value at field, a dotted path into nested objects ("answers.national_id"),
    or MISSING. The one reading of a path: what an index row holds and what a lookup
    checks must agree."""
    if field in record:
        return record[field]
    value: object = record
    for part in field.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return MISSING
        value = value[part]
    return value


def keys_of(record: dict, field: str) -> list:
    """Return the row values of record at field: its value, or with "[]" ("people[]") one
    per different item of the list there, so that a lookup finds every record whose list
    holds the value."""
    if field.endswith("[]"):
        items = path_of(record, field[:-2])
        if not isinstance(items, list):
            return []
        return list(dict.fromkeys(key_of(item) for item in items))
    value = path_of(record, field)
    return [] if value is MISSING else [key_of(value)]


def key_of(value: object) -> object:
    """Return how a value is kept in a row: text and integers as themselves, so that they
    sort and compare as they are (ISO dates as text sort by date), anything else as its
    JSON text behind a NUL, which no typed text starts with. True is never 1."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return "\0" + orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


def normalize_text(text: str) -> str:
    """Text as the text index keeps it and as a search must be given: digits in ASCII,
    Arabic spelling variants folded, case folded."""
    return text.translate(_FOLD).casefold()


def text_signature(fields: list[str]) -> str:
    """What a built text index records: its fields and the normalize_text it was made by."""
    return f"{TEXT_FORM}:" + ",".join(fields)


def text_of(record: dict, fields: list[str]) -> str:
    """Return the searchable text of record: every answer under fields, one per line."""
    lines: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for sub in value.values():
                walk(sub)
        elif isinstance(value, list):
            for sub in value:
                walk(sub)
        elif value is not None and not isinstance(value, bool):
            lines.append(normalize_text(str(value)))

    for field in fields:
        value = path_of(record, field)
        if value is not MISSING:
            walk(value)
    return "\n".join(lines)


def _text_prefix() -> str:
    return "text_" if TEXT_FORM == 1 else f"text{TEXT_FORM}_"


class AnyOf(tuple):
    """A where value that matches any of these values: where={"state": AnyOf(["a", "b"])}."""


def counted_by(where: Mapping) -> tuple[str, list] | None:
    """Return (field, values) when the number of records equal to where is the sum of the
    kept counts of those values (else None): one field, and not several values of a list
    (a record holding two of them would be counted twice)."""
    if len(where) != 1:
        return None
    ((field, value),) = where.items()
    if not isinstance(value, AnyOf):
        return field, [value]
    return None if field.endswith("[]") else (field, list(value))


class Indexes:
    """The index rows of one data folder, in its index file."""

    def __init__(self, file: IndexFile):
        self._file = file

    def _db(self, create: bool = True) -> sqlite3.Connection | None:
        return self._file.db(create)

    # --- what is indexed -------------------------------------------------------------

    def declare_many(self, pairs: list[tuple[str, str]]) -> None:
        """Declare each (pattern, field) not declared yet, in one write (every process start
        declares all of Rifd's indexes: one write each was one fsync each)."""
        db = self._db()
        known = set(db.execute("SELECT pattern, field FROM declared").fetchall())
        new = [pair for pair in dict.fromkeys(pairs) if pair not in known]
        if new:
            with self._file.step() as db:
                db.executemany("INSERT OR IGNORE INTO declared VALUES (?, ?)", new)

    def patterns_of(self, field: str) -> list[str]:
        """Return the collection patterns a field is declared for."""
        db = self._db(create=False)
        if db is None:
            return []
        found = db.execute("SELECT pattern FROM declared WHERE field = ?", (field,))
        return [pattern for (pattern,) in found]

    def built_for(self, field: str) -> set[str]:
        """Return the collections whose index of field is complete."""
        db = self._db(create=False)
        if db is None:
            return set()
        found = db.execute("SELECT collection FROM built WHERE field = ?", (field,))
        return {collection for (collection,) in found}

    def fields_of(self, collection: str) -> list[str]:
        """Return the fields declared for a collection (built or not)."""
        db = self._db(create=False)
        if db is None:
            return []
        found = db.execute("SELECT pattern, field FROM declared").fetchall()
        return sorted({f for p, f in found if fnmatch.fnmatchcase(collection, p)})

    def built(self, collection: str) -> set[str]:
        """Return the fields of a collection whose index is complete and may be used."""
        db = self._db(create=False)
        if db is None:
            return set()
        found = db.execute("SELECT field FROM built WHERE collection = ?", (collection,))
        return {field for (field,) in found}

    # --- writing (the caller holds the store's write lock) ---------------------------

    def build(
        self,
        collection: str,
        field: str,
        records: Iterable[dict],
        total: int,
        progress: Progress | None = None,
    ) -> None:
        """Index every record of a collection at field, then mark the index usable."""
        with self._file.step() as db:
            db.execute("DELETE FROM rows WHERE collection = ? AND field = ?", (collection, field))
            batch = []
            for done, record in enumerate(records, start=1):
                batch.extend(
                    (collection, field, key, record["id"]) for key in keys_of(record, field)
                )
                if len(batch) >= 5000:
                    db.executemany("INSERT OR IGNORE INTO rows VALUES (?, ?, ?, ?)", batch)
                    batch.clear()
                if progress and (done % 5000 == 0 or done == total):
                    progress(f"{collection}.{field}", done, total)
            db.executemany("INSERT OR IGNORE INTO rows VALUES (?, ?, ?, ?)", batch)
            db.execute("INSERT OR IGNORE INTO built VALUES (?, ?)", (collection, field))
        db.execute("PRAGMA optimize")  # statistics for the planner, now that it holds rows

    @staticmethod
    def forget(db: sqlite3.Connection, changes: Iterable[tuple[str, int]]) -> None:
        """Remove the rows of records about to change or go (before the shards are
        written), in the caller's step."""
        db.executemany("DELETE FROM rows WHERE collection = ? AND id = ?", list(changes))

    @staticmethod
    def add(
        db: sqlite3.Connection,
        records: Iterable[tuple[str, int, dict]],
        fields: Callable[[str], list[str]],
    ) -> None:
        """Add the rows of records just written (after the shards are), in the caller's step."""
        rows = []
        for collection, rid, record in records:
            for field in fields(collection):
                rows.extend((collection, field, key, rid) for key in keys_of(record, field))
        db.executemany("INSERT OR IGNORE INTO rows VALUES (?, ?, ?, ?)", rows)

    # --- text ---------------------------------------------------------------------------

    def declare_text(self, pattern: str, fields: list[str]) -> None:
        self._db().execute(
            "INSERT OR REPLACE INTO declared_text VALUES (?, ?)", (pattern, ",".join(fields))
        )

    def text_fields(self, collection: str) -> list[str]:
        db = self._db(create=False)
        if db is None:
            return []
        for pattern, fields in db.execute("SELECT pattern, fields FROM declared_text"):
            if fnmatch.fnmatchcase(collection, pattern):
                return fields.split(",")
        return []

    def text_table(self, collection: str) -> str | None:
        """Return the name of the collection's built text table, or None."""
        db = self._db(create=False)
        if db is None:
            return None
        found = db.execute("SELECT tab FROM built_text WHERE collection = ?", (collection,))
        row = found.fetchone()
        # A table made by an older normalize_text is not used: ensure_text_index rebuilds it.
        return row[0] if row and row[0].startswith(_text_prefix()) else None

    def build_text(self, collection: str, records: Iterable[dict], fields: list[str]) -> None:
        """Index the text of every record of a collection (trigrams: any part is found)."""
        tab = _text_prefix() + hashlib.sha1(collection.encode()).hexdigest()[:16]  # noqa: S324
        with self._file.step() as db:
            old = db.execute("SELECT tab FROM built_text WHERE collection = ?", (collection,))
            for (stale,) in old.fetchall():
                db.execute(f"DROP TABLE IF EXISTS {stale}")
            db.execute(f"DROP TABLE IF EXISTS {tab}")
            db.execute(f"CREATE VIRTUAL TABLE {tab} USING fts5(body, tokenize='trigram')")
            batch = []
            for record in records:
                batch.append((record["id"], text_of(record, fields)))
                if len(batch) >= 2000:
                    db.executemany(f"INSERT INTO {tab}(rowid, body) VALUES (?, ?)", batch)  # noqa: S608
                    batch.clear()
            db.executemany(f"INSERT INTO {tab}(rowid, body) VALUES (?, ?)", batch)  # noqa: S608
            db.execute("INSERT OR REPLACE INTO built_text VALUES (?, ?)", (collection, tab))

    @staticmethod
    def change_text(
        db: sqlite3.Connection, tab: str, gone: list[int], added: list[tuple[int, str]]
    ) -> None:
        """Replace the text of records in the caller's step."""
        db.executemany(f"DELETE FROM {tab} WHERE rowid = ?", [(rid,) for rid in gone])  # noqa: S608
        db.executemany(f"INSERT INTO {tab}(rowid, body) VALUES (?, ?)", added)  # noqa: S608

    def text_ids(
        self,
        tab: str,
        needles: list[str],
        *,
        offset: int = 0,
        limit: int | None = None,
        most: int | None = None,
    ) -> tuple[list[int], int]:
        """Return (ids newest first, how many, counted up to most) of the records whose
        text holds any needle."""
        query = " OR ".join('"' + n.replace('"', '""') + '"' for n in needles)
        db = self._db()
        hits = f"SELECT rowid FROM {tab} WHERE {tab} MATCH ?"  # noqa: S608
        if most is not None:
            hits += f" LIMIT {int(most)}"
        total = db.execute(f"SELECT count(*) FROM ({hits})", (query,))  # noqa: S608
        sql = f"SELECT rowid FROM {tab} WHERE {tab} MATCH ? ORDER BY rowid DESC"  # noqa: S608
        params: list = [query]
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        return [rid for (rid,) in db.execute(sql, params)], total.fetchone()[0]

    # --- reading -----------------------------------------------------------------------

    def ids(
        self,
        collection: str,
        where: dict[str, object],
        *,
        newest_first: bool = False,
        offset: int = 0,
        limit: int | None = None,
    ) -> list[int]:
        """Return the ids whose fields equal where (every field indexed), in id order."""
        sql, params = self._matching(collection, where)
        # "+id" keeps SQLite from walking the field's rows in id order (its choice for
        # ORDER BY id) instead of looking the values up and sorting what they give.
        by = "id" if self._walk(collection, where, offset + (limit or 0), limit) else "+id"
        sql += f" ORDER BY {by} {'DESC' if newest_first else 'ASC'}"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        return [rid for (rid,) in self._db().execute(sql, params)]

    def _walk(self, collection: str, where: dict, upto: int, limit: int | None) -> bool:
        """Tell whether a window of ids is found sooner by walking a field's rows in id
        order, stopping at the window's end, than by looking its values up and sorting.

        Walking reads about upto × rows ÷ matches rows, looking up reads the matches: at
        100,000 requests the 300 open ones are 0.4 ms looked up and 46 ms walked, and the
        first 50 of the 99,700 closed ones the other way round. Without a window: the
        look-up; a where on several fields with a window: the walk (no count is kept of
        what they match together).
        """
        counted = counted_by(where)
        if limit is None or counted is None:
            return limit is not None and counted is None
        field, values = counted
        matches = sum(n for _key, n in self._counted(collection, field, values))
        rows = sum(n for _key, n in self._counted(collection, field))
        return matches * matches >= upto * rows

    def count(self, collection: str, where: dict[str, object]) -> int:
        counted = counted_by(where)
        if counted:  # the kept counts, whatever the number of rows
            return sum(n for _key, n in self._counted(collection, *counted))
        sql, params = self._matching(collection, where)
        query = f"SELECT count(*) FROM ({sql})"  # noqa: S608 - fixed text; values are parameters
        return self._db().execute(query, params).fetchone()[0]

    def tally(self, collection: str, field: str, where: dict[str, object] | None = None):
        """Return {value: how many records hold it} for an indexed field."""
        if not where:
            return {_value(key): n for key, n in self._counted(collection, field)}
        sql = "SELECT value, count(*) FROM rows WHERE collection = ? AND field = ?"
        params: list = [collection, field]
        if where:
            inner, more = self._matching(collection, where)
            sql += f" AND id IN ({inner})"
            params += more
        found = self._db().execute(sql + " GROUP BY value", params)
        return {_value(key): n for key, n in found}

    def between(
        self, collection: str, field: str, low: object = None, high: object = None
    ) -> Iterator[tuple[object, int]]:
        """Yield (value, id) with low <= value < high (either end open), by value."""
        sql = "SELECT value, id FROM rows WHERE collection = ? AND field = ?"
        params: list = [collection, field]
        if low is not None:
            sql += " AND value >= ?"
            params.append(key_of(low))
        if high is not None:
            sql += " AND value < ?"
            params.append(key_of(high))
        for key, rid in self._db().execute(sql + " ORDER BY value, id", params):
            yield _value(key), rid

    def _counted(self, collection: str, field: str, values: list | None = None) -> list:
        """Return (value as kept, how many) from the kept counts, of values or of all."""
        sql = "SELECT value, n FROM counts WHERE collection = ? AND field = ?"
        params: list = [collection, field]
        if values is not None:
            sql += f" AND value IN ({', '.join('?' * len(values)) or 'NULL'})"
            params += [key_of(v) for v in values]
        return self._db().execute(sql, params).fetchall()

    @staticmethod
    def _one(collection: str, field: str, value: object) -> tuple[str, list]:
        values = list(value) if isinstance(value, AnyOf) else [value]
        marks = ", ".join("?" * len(values)) or "NULL"
        sql = f"SELECT id FROM rows WHERE collection = ? AND field = ? AND value IN ({marks})"  # noqa: S608
        return sql, [collection, field, *(key_of(v) for v in values)]

    def _matching(self, collection: str, where: dict[str, object]) -> tuple[str, list]:
        """Return the query of the ids matching every field of where.

        It starts from the field with the fewest ids (counted up to a cap, so the count
        stays cheap) and checks each other field of each of those ids in the primary key:
        intersecting two sets would read every id of a field most records share.
        """
        if len(where) == 1:  # a page can walk the ids in order and stop early
            ((field, value),) = where.items()
            return self._one(collection, field, value)
        anchor, *others = sorted(where, key=lambda f: self._few(collection, f, where[f]))
        sql, params = self._one(collection, anchor, where[anchor])
        for field in others:
            values = list(where[field]) if isinstance(where[field], AnyOf) else [where[field]]
            marks = ", ".join("?" * len(values)) or "NULL"
            check = "SELECT 1 FROM rows AS o WHERE o.collection = ? AND o.field = ?"
            sql += f" AND EXISTS ({check} AND o.value IN ({marks}) AND o.id = rows.id)"
            params += [collection, field, *(key_of(v) for v in values)]
        return sql, params

    def _few(self, collection: str, field: str, value: object, cap: int = 1000) -> int:
        sql, params = self._one(collection, field, value)
        query = f"SELECT count(*) FROM ({sql} LIMIT {cap})"  # noqa: S608 - cap is an int
        return self._db().execute(query, params).fetchone()[0]


def _value(key: object) -> object:
    if isinstance(key, str) and key.startswith("\0"):
        return orjson.loads(key[1:])
    return key
