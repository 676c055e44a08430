"""The tables Rifd keeps in PostgreSQL, created and migrated by Rifd itself.

    rifd_schema       (version)                     which migrations are done
    rifd_collections  (name, last_id)               the highest id a collection ever gave
    rifd_records      (collection, id, body, data)  one row per record
    rifd_counters     (name, value)                 next_number's counters
    rifd_indexes      (pattern, field)              what ensure_index declared
    rifd_text_fields  (pattern, fields)             what ensure_text_index declared
    rifd_text_built   (collection, fields)          whose text rows are complete
    rifd_texts        (collection, id, body)        each record's searchable text
    rifd_counts       (collection, field, value, n) how many records hold each indexed value
    rifd_sizes        (collection, n)               how many records each collection holds

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
    (  # counts of the values of declared fields, kept by a trigger (store/postgres/counts.py)
        """CREATE TABLE rifd_counts (
            collection text COLLATE "C" NOT NULL,
            field text COLLATE "C" NOT NULL,
            value jsonb NOT NULL,
            n bigint NOT NULL,
            PRIMARY KEY (collection, field, value))""",
        # The values a record holds at the fields declared for its collection, as the
        # TinyDB backend's index rows hold them (store/indexes.py: keys_of): the value at
        # a dotted path, or each different item of the list at a "[]" field. Patterns are
        # fnmatch's, read as LIKE ("_" literal, "*" any text, "?" one character).
        """CREATE FUNCTION rifd_like(pattern text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
            SELECT replace(replace(replace(pattern, '_', '\\_'), '*', '%'), '?', '_')
        $$""",
        """CREATE FUNCTION rifd_values(c text, d jsonb) RETURNS TABLE (field text, value jsonb)
        LANGUAGE sql STABLE AS $$
            SELECT DISTINCT i.field, v.value
            FROM (SELECT DISTINCT rifd_indexes.field FROM rifd_indexes
                  WHERE c LIKE rifd_like(pattern)
                 ) AS i
            CROSS JOIN LATERAL (
                SELECT d #> string_to_array(i.field, '.') AS value
                WHERE right(i.field, 2) <> '[]'
                UNION ALL
                SELECT item FROM jsonb_array_elements(
                    CASE WHEN right(i.field, 2) = '[]' AND jsonb_typeof(
                        d #> string_to_array(left(i.field, -2), '.')) = 'array'
                    THEN d #> string_to_array(left(i.field, -2), '.') END) AS item
            ) AS v
            WHERE v.value IS NOT NULL
        $$""",
        # Once per statement, not per row: a COPY of 10,000 records counts them in one
        # grouped upsert (a trigger per row made a bulk insert 9 times slower). Each
        # branch is a statement of its own, so PL/pgSQL keeps its plan for the session
        # (one shared SQL function, planned on every call, doubled a plain insert's time).
        """CREATE FUNCTION rifd_count() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                INSERT INTO rifd_counts AS k
                SELECT r.collection, v.field, v.value, count(*)
                FROM new_rows AS r CROSS JOIN LATERAL rifd_values(r.collection, r.data) AS v
                GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
                ON CONFLICT (collection, field, value) DO UPDATE SET n = k.n + EXCLUDED.n;
            ELSIF TG_OP = 'DELETE' THEN
                UPDATE rifd_counts AS k SET n = k.n - gone.n
                FROM (SELECT r.collection, v.field, v.value, count(*) AS n
                      FROM old_rows AS r CROSS JOIN LATERAL rifd_values(r.collection, r.data) AS v
                      GROUP BY 1, 2, 3) AS gone
                WHERE (k.collection, k.field, k.value) = (gone.collection, gone.field, gone.value);
            ELSE
                INSERT INTO rifd_counts AS k
                SELECT r.collection, v.field, v.value, sum(r.delta)
                FROM (SELECT collection, data, 1 AS delta FROM new_rows
                      UNION ALL SELECT collection, data, -1 FROM old_rows) AS r
                CROSS JOIN LATERAL rifd_values(r.collection, r.data) AS v
                GROUP BY 1, 2, 3 HAVING sum(r.delta) <> 0 ORDER BY 1, 2, 3
                ON CONFLICT (collection, field, value) DO UPDATE SET n = k.n + EXCLUDED.n;
            END IF;
            RETURN NULL;
        END $$""",
        """CREATE TRIGGER rifd_count_inserts AFTER INSERT ON rifd_records
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rifd_count()""",
        """CREATE TRIGGER rifd_count_updates AFTER UPDATE ON rifd_records
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION rifd_count()""",
        """CREATE TRIGGER rifd_count_deletes AFTER DELETE ON rifd_records
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rifd_count()""",
        """INSERT INTO rifd_counts
            SELECT r.collection, v.field, v.value, count(*)
            FROM rifd_records AS r CROSS JOIN LATERAL rifd_values(r.collection, r.data) AS v
            GROUP BY 1, 2, 3""",
    ),
    (  # how many records each collection holds, kept by a trigger: a count with no where
        # (a register's total at 100,000 letters took a 30 ms count(*)) reads one row
        """CREATE TABLE rifd_sizes (
            collection text COLLATE "C" PRIMARY KEY,
            n bigint NOT NULL)""",
        """CREATE FUNCTION rifd_size() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                INSERT INTO rifd_sizes AS k
                SELECT collection, count(*) FROM new_rows GROUP BY 1 ORDER BY 1
                ON CONFLICT (collection) DO UPDATE SET n = k.n + EXCLUDED.n;
            ELSE
                UPDATE rifd_sizes AS k SET n = k.n - gone.n
                FROM (SELECT collection, count(*) AS n FROM old_rows GROUP BY 1) AS gone
                WHERE k.collection = gone.collection;
            END IF;
            RETURN NULL;
        END $$""",
        """CREATE TRIGGER rifd_size_inserts AFTER INSERT ON rifd_records
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rifd_size()""",
        """CREATE TRIGGER rifd_size_deletes AFTER DELETE ON rifd_records
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rifd_size()""",
        """INSERT INTO rifd_sizes SELECT collection, count(*) FROM rifd_records GROUP BY 1""",
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


def count_declared(conn: psycopg.Connection, pattern: str, field: str) -> None:
    """Count the values at field of the records a new declaration covers, except those
    of collections another pattern declares it for already (their trigger counts them)."""
    conn.execute(
        """INSERT INTO rifd_counts AS k
           SELECT r.collection, v.field, v.value, count(*)
           FROM rifd_records AS r CROSS JOIN LATERAL rifd_values(r.collection, r.data) AS v
           WHERE v.field = %(field)s AND r.collection LIKE rifd_like(%(pattern)s) AND NOT EXISTS (
               SELECT 1 FROM rifd_indexes AS i WHERE i.field = %(field)s
               AND i.pattern <> %(pattern)s AND r.collection LIKE rifd_like(i.pattern))
           GROUP BY 1, 2, 3
           ON CONFLICT (collection, field, value) DO UPDATE SET n = k.n + EXCLUDED.n""",
        {"field": field, "pattern": pattern},
    )


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


def ensure_indexes(
    conn: psycopg.Connection, schema: str, wanted: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    """Declare each (pattern, field) and create the indexes missing, in one transaction;
    return the declarations whose index this call created.

    Every process start declares all of Rifd's indexes: one transaction per declaration
    took ~8 round trips each, 0.4 s a start on an empty schema.
    """
    wanted = list(dict.fromkeys(wanted))
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [lock_key(schema, SCHEMA_LOCK)])
        declared = set(conn.execute("SELECT pattern, field FROM rifd_indexes").fetchall())
        new = [pair for pair in wanted if pair not in declared]
        if new:
            # Writers wait (and those under way finish) while the records already stored
            # are counted: their triggers then see the new fields.
            conn.execute("LOCK TABLE rifd_records IN SHARE MODE")
            empty = conn.execute("SELECT NOT EXISTS (SELECT 1 FROM rifd_records)").fetchone()[0]
            insert = "INSERT INTO rifd_indexes VALUES (%s, %s)"
            if empty:  # nothing stored, nothing to count
                conn.cursor().executemany(insert, new)
            else:
                for pattern, field in new:
                    conn.execute(insert, [pattern, field])
                    count_declared(conn, pattern, field)
        # Looked up first: CREATE INDEX IF NOT EXISTS would lock the table out of writes
        # on every start even when the index is there.
        present = {
            name
            for (name,) in conn.execute(
                "SELECT indexname FROM pg_indexes WHERE schemaname = %s", [schema]
            )
        }
        made = []
        for pattern, field in wanted:
            if index_name(field) not in present:
                conn.execute(index_ddl(field))
                present.add(index_name(field))
                made.append((pattern, field))
        return made
