"""The tables Rifd keeps in PostgreSQL, created and migrated by Rifd itself.

    rifd_schema       (version)                     which migrations are done
    rifd_collections  (name, last_id)               the highest id a collection ever gave
    rifd_records      (collection, id, body, data)  one row per record
    rifd_counters     (name, value)                 next_number's counters
    rifd_indexes      (pattern, field)              what ensure_index declared
    rifd_text_fields  (pattern, fields)             what ensure_text_index declared
    rifd_text_built   (collection, fields)          whose text rows are complete
    rifd_texts        (collection, id, body)        each record's searchable text

One table holds every collection's records. Collections come and go at run time (one
per form, "submissions/<form id>"): a table each would need DDL on a plain insert, and
an index declared for "submissions/*" would need one index per table. With one table
keyed by (collection, id), DDL happens at start-up only, every index leads with the
collection so one index serves every collection of a pattern, and a backup is one scan.

A record is kept twice: `body` (json) is the text as written, so it comes back with
its keys in their order, as from the TinyDB backend; `data` (jsonb) is what lookups
compare and indexes hold. jsonb cannot hold U+0000: `data` leaves it out of strings.

The tables live in the connection's current schema (the first of search_path that
exists), so one database can hold several Rifd installations, each in its schema.
"""

from __future__ import annotations

import hashlib

import psycopg
from psycopg import sql

from store.errors import StoreError

# Each step runs once, in order, in one transaction; never edit a step once released:
# add the next one.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE rifd_collections (
            name text COLLATE "C" PRIMARY KEY,
            last_id bigint NOT NULL)""",
        """CREATE TABLE rifd_records (
            collection text COLLATE "C" NOT NULL,
            id bigint NOT NULL,
            body json NOT NULL,
            data jsonb NOT NULL,
            PRIMARY KEY (collection, id))""",
        """CREATE TABLE rifd_counters (
            name text COLLATE "C" PRIMARY KEY,
            value bigint NOT NULL)""",
        """CREATE TABLE rifd_indexes (
            pattern text COLLATE "C" NOT NULL,
            field text COLLATE "C" NOT NULL,
            PRIMARY KEY (pattern, field))""",
    ),
    (  # the text index (store/postgres/texts.py)
        """CREATE TABLE rifd_text_fields (
            pattern text COLLATE "C" PRIMARY KEY,
            fields text NOT NULL)""",
        """CREATE TABLE rifd_text_built (
            collection text COLLATE "C" PRIMARY KEY,
            fields text NOT NULL)""",
        """CREATE TABLE rifd_texts (
            collection text COLLATE "C" NOT NULL,
            id bigint NOT NULL,
            body text NOT NULL,
            PRIMARY KEY (collection, id))""",
    ),
)
TRIGRAM_INDEX = "rifd_texts_trigrams"

# Names of the store's own advisory locks; those of Store.lock start with a letter.
SCHEMA_LOCK = "_schema"
WRITE_LOCK = "_write"


def lock_key(schema: str, name: str) -> int:
    """Return the advisory-lock key of a lock name within one installation (schema)."""
    digest = hashlib.sha256(f"{schema}\0{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def migrate(conn: psycopg.Connection) -> str:
    """Create or bring up to date the tables; return the schema they live in."""
    schema = conn.execute("SELECT current_schema()").fetchone()[0]
    if schema is None:
        raise StoreError("PostgreSQL: no schema of search_path exists to hold Rifd's tables")
    with conn.transaction():
        # Two processes starting at once: one migrates, the other waits and sees it done.
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [lock_key(schema, SCHEMA_LOCK)])
        conn.execute("CREATE TABLE IF NOT EXISTS rifd_schema (version integer NOT NULL)")
        row = conn.execute("SELECT version FROM rifd_schema").fetchone()
        done = row[0] if row else 0
        if done > len(MIGRATIONS):
            raise StoreError(
                f"the database was written by a newer Rifd (schema {done}, "
                f"this one knows {len(MIGRATIONS)}): upgrade Rifd"
            )
        for step in MIGRATIONS[done:]:
            for statement in step:
                conn.execute(statement)
        if row is None:
            conn.execute("INSERT INTO rifd_schema VALUES (%s)", [len(MIGRATIONS)])
        elif done < len(MIGRATIONS):
            conn.execute("UPDATE rifd_schema SET version = %s", [len(MIGRATIONS)])
        _trigrams(conn, schema)
    return schema


def _trigrams(conn: psycopg.Connection, schema: str) -> None:
    """Give the text rows a trigram index if pg_trgm can be had (tried on each start)."""
    if _exists(conn, schema, TRIGRAM_INDEX):
        return
    try:
        with conn.transaction():  # a savepoint: a refusal leaves the migration whole
            conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            # One database has the extension once, maybe in another installation's schema.
            where = conn.execute(
                "SELECT nspname FROM pg_extension JOIN pg_namespace AS n "
                "ON n.oid = extnamespace WHERE extname = 'pg_trgm'"
            ).fetchone()[0]
            conn.execute(
                sql.SQL("CREATE INDEX {} ON rifd_texts USING gin (body {}.gin_trgm_ops)").format(
                    sql.Identifier(TRIGRAM_INDEX), sql.Identifier(where)
                )
            )
    except psycopg.Error:
        pass  # searches then read rifd_texts whole: slower, as right


def _exists(conn: psycopg.Connection, schema: str, name: str) -> bool:
    found = conn.execute(
        "SELECT to_regclass(format('%%I.%%I', %s::text, %s::text))", [schema, name]
    ).fetchone()
    return found[0] is not None


def path_sql(field: str) -> sql.Composable:
    """Return the SQL of the jsonb value at a dotted path of `data` ("answers.national_id").

    The path is a literal, not a parameter: an expression index is used only for the
    very expression it was made on, and a literal matches it under any plan.
    """
    quoted = (part.replace("\\", "\\\\").replace('"', '\\"') for part in field.split("."))
    array = "{" + ",".join(f'"{part}"' for part in quoted) + "}"
    return sql.SQL("(data #> {}::text[])").format(sql.Literal(array))


def index_name(field: str) -> str:
    return "rifd_ix_" + hashlib.sha256(field.encode()).hexdigest()[:16]


def index_ddl(field: str) -> sql.Composable:
    """Return the CREATE INDEX of a declared field.

    A value ("state"): a B-tree on (collection, value, id), which answers an equality
    with its rows already in id order, so a page newest first reads only its rows, and
    a count or a range reads the index alone. A list ("people[]"): a GIN index of the
    list's items, which answers "the list holds this value" (@>).
    """
    name = sql.Identifier(index_name(field))
    if field.endswith("[]"):
        return sql.SQL("CREATE INDEX {} ON rifd_records USING gin ({} jsonb_path_ops)").format(
            name, path_sql(field[:-2])
        )
    return sql.SQL("CREATE INDEX {} ON rifd_records (collection, {}, id)").format(
        name, path_sql(field)
    )


def ensure_index(conn: psycopg.Connection, schema: str, pattern: str, field: str) -> bool:
    """Declare field for pattern and create its index if missing; return whether it was."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [lock_key(schema, SCHEMA_LOCK)])
        conn.execute(
            "INSERT INTO rifd_indexes VALUES (%s, %s) ON CONFLICT DO NOTHING", [pattern, field]
        )
        # Looked up first: CREATE INDEX IF NOT EXISTS would lock the table out of writes
        # on every start even when the index is there.
        if _exists(conn, schema, index_name(field)):
            return False
        conn.execute(index_ddl(field))
        return True
