"""What only the PostgreSQL backend has: its URL, its schema, its indexes, its connections."""

from __future__ import annotations

import gc
import multiprocessing
import os

import psycopg
import pytest
from flask import Flask

from store import StoreError, get_store, init_app
from store import open_store as open_by_url
from store.postgres import PgStore, pool, schema

pytestmark = pytest.mark.backends("postgres")
FORK = multiprocessing.get_context("fork")


def test_open_store_picks_the_backend_by_url(store, tmp_path):
    assert type(open_by_url(tmp_path / "a")).__name__ == "Store"
    other = open_by_url(tmp_path / "b", store.url)
    try:
        assert isinstance(other, PgStore) and other.schema == store.schema
    finally:
        other.close()
    with pytest.raises(StoreError, match="postgresql://"):
        open_by_url(tmp_path / "c", "mysql://rifd@db/rifd")


def test_an_unreachable_database_is_reported_at_once(tmp_path):
    with pytest.raises(StoreError, match="PostgreSQL: connection .*(failed|refused)"):
        PgStore(tmp_path, "postgresql://rifd@/rifd?host=/nonexistent&connect_timeout=2")


def test_init_app_reads_the_url_from_the_config_or_the_environment(store, tmp_path, monkeypatch):
    app = Flask("throwaway")
    app.config.update(DATA_DIR=str(tmp_path / "data"), DATABASE_URL=store.url)
    init_app(app)
    with app.app_context():
        assert isinstance(get_store(), PgStore)
        get_store().close()
    monkeypatch.setenv("RIFD_DATABASE_URL", store.url)
    app = Flask("throwaway")
    app.config["DATA_DIR"] = str(tmp_path / "data")
    init_app(app)
    assert isinstance(app.extensions["rifd_store"], PgStore)
    app.extensions["rifd_store"].close()


def _admin(store) -> psycopg.Connection:
    return psycopg.connect(store.url, autocommit=True)


def test_the_schema_is_made_once_and_a_newer_one_is_refused(store, open_store):
    with _admin(store) as conn:
        assert conn.execute("SELECT version FROM rifd_schema").fetchall() == [
            (len(schema.MIGRATIONS),)
        ]
        open_store().close()  # a second start changes nothing
        assert conn.execute("SELECT count(*) FROM rifd_schema").fetchone()[0] == 1
        conn.execute("UPDATE rifd_schema SET version = version + 1")
    with pytest.raises(StoreError, match="newer Rifd"):
        open_store()


@pytest.mark.parametrize(
    "where",
    [{"state": "s7"}, {"answers.national_id": "1000000008"}, {"people[]": "1000000008"}],
)
def test_a_lookup_on_a_declared_field_uses_its_index(store, where):
    from store.postgres.rows import matching

    store.insert_many(
        "cases",
        [
            {"state": f"s{n % 50}", "answers": {"national_id": str(n)}, "people": [str(n)]}
            for n in range(3000)
        ],
    )
    for field in ("state", "answers.national_id", "people[]"):
        store.ensure_index("cases", field)
    condition, params = matching("cases", where)
    query = psycopg.sql.SQL("EXPLAIN SELECT body FROM rifd_records WHERE {} ORDER BY id DESC")
    with _admin(store) as conn:
        conn.execute("ANALYZE rifd_records")
        plan = "\n".join(row[0] for row in conn.execute(query.format(condition), params))
    assert schema.index_name(next(iter(where))) in plan, plan


def test_declared_indexes_survive_and_serve_every_matching_collection(store):
    store.ensure_index("submissions/*", "answers.national_id")
    store.ensure_index("submissions/*", "answers.national_id")  # once is enough
    with _admin(store) as conn:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'rifd_records' "
                "AND schemaname = current_schema()"
            )
        ]
    assert names.count(schema.index_name("answers.national_id")) == 1
    store.insert("submissions/later", {"answers": {"national_id": "1"}})
    assert store.ids_between("submissions/later", "answers.national_id") == [("1", 1)]


def test_a_lock_not_given_in_time_is_a_store_error(open_store, monkeypatch):
    monkeypatch.setattr(pool, "LOCK_TIMEOUT", "300ms")
    first, second = open_store(), open_store()
    with first.lock("letters"), pytest.raises(StoreError, match="lock"):  # noqa: SIM117
        with second.lock("letters"):
            pass
    with second.lock("letters"):  # given back, and the waiting connection still works
        pass


def _child_reads(store, inherited, fd):
    # The child opens its own connections; closing the ones it inherited, as a worker's
    # exit would, must tell the server nothing.
    store.get("cases", 1)
    for conn in inherited:
        conn.close()
    pool._ORPHANS.clear()
    gc.collect()
    os.write(fd, str(store.count("cases")).encode())


def test_a_forked_child_neither_shares_nor_closes_the_parents_connections(store):
    store.insert("cases", {"n": 1})
    inherited = list(store._db._made)
    sessions = sorted(conn.info.backend_pid for conn in inherited)
    read_end, write_end = os.pipe()
    child = FORK.Process(target=_child_reads, args=(store, inherited, write_end))
    child.start()
    child.join(30)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        assert pipe.read() == "1"
    assert child.exitcode == 0
    with _admin(store) as conn:  # the parent's sessions, every one still alive
        alive = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE pid = ANY(%s) ORDER BY pid", [sessions]
        ).fetchall()
    assert [pid for (pid,) in alive] == sessions
    assert store.insert("cases", {"n": 2}) == 2


def test_a_connection_back_a_moment_ago_is_lent_unchecked_an_idle_one_checked(store, monkeypatch):
    checks = []
    real_check = pool.ConnectionPool.check_connection
    monkeypatch.setattr(
        pool.ConnectionPool,
        "check_connection",
        lambda conn: checks.append(conn) or real_check(conn),
    )
    store.insert("cases", {"n": 1})
    for _ in range(len(store._db._made)):  # each connection lent once (a new one is checked)
        store.get("cases", 1)
    recent = set(store._db._returned)
    checks.clear()
    for _ in range(5):
        assert store.get("cases", 1) == {"id": 1, "n": 1}
    # A page's several reads: no round trip each to check. (The pool may open one more
    # connection meanwhile, in the background: that one is checked when first lent.)
    assert recent and not [conn for conn in checks if conn in recent]
    sessions = [conn.info.backend_pid for conn in store._db._made]
    with _admin(store) as conn:  # the server closes them while they sit in the pool
        conn.execute("SELECT pg_terminate_backend(pid) FROM unnest(%s::int[]) AS pid", [sessions])
    monkeypatch.setattr(pool, "CHECK_AFTER_IDLE", 0.0)  # as after a pause
    assert store.get("cases", 1) == {"id": 1, "n": 1}  # checked, found closed, replaced
    assert checks


def test_two_installations_in_one_database_keep_apart(store, store_at, tmp_path):
    other = store_at(tmp_path / "other")
    assert other.schema != store.schema
    store.insert("cases", {"mine": True})
    assert other.count("cases") == 0 and other.next_number("letters") == 1
    with store.lock("letters"), other.lock("letters"):  # a lock name each
        pass


def test_text_searches_can_use_a_trigram_index(store):
    store.ensure_text_index("submissions/*", ["answers"])
    store.insert_many("submissions/f", [{"answers": {"name": f"اسم {n}"}} for n in range(3000)])
    with _admin(store) as conn:
        conn.execute("ANALYZE rifd_texts")
        conn.execute("SET enable_seqscan = off")  # can it, not: would the planner
        plan = conn.execute(
            "EXPLAIN SELECT id FROM rifd_texts WHERE body ILIKE %s OR body ILIKE %s",
            ["%م 123%", "%abc%"],
        ).fetchall()
    assert schema.TRIGRAM_INDEX in "\n".join(row[0] for row in plan), plan
    assert store.text_search("submissions/f", ["م 123"])[1] == 11  # 123, 1230..1239


def test_a_database_of_an_older_rifd_is_brought_up_to_date(postgres, tmp_path):
    url = postgres.new_url()
    with psycopg.connect(url, autocommit=True) as conn:  # as the first release left it
        for statement in schema.MIGRATIONS[0]:
            conn.execute(statement)
        conn.execute("CREATE TABLE rifd_schema (version integer NOT NULL)")
        conn.execute("INSERT INTO rifd_schema VALUES (1)")
        conn.execute("INSERT INTO rifd_collections VALUES ('cases', 7)")
        conn.execute("INSERT INTO rifd_indexes VALUES ('cases', 'a')")
        for rid, a in ((6, 1), (7, 2)):
            body = f'{{"id": {rid}, "a": {a}}}'
            conn.execute("INSERT INTO rifd_records VALUES ('cases', %s, %s, %s)", [rid, body, body])
    store = PgStore(tmp_path, url)
    try:
        assert store.insert("cases", {"a": 1}) == 8
        store.ensure_text_index("cases", ["a"])
        with psycopg.connect(url) as conn:
            version = conn.execute("SELECT version FROM rifd_schema").fetchone()[0]
            assert version == len(schema.MIGRATIONS)
            counted = conn.execute("SELECT value, n FROM rifd_counts ORDER BY value").fetchall()
            assert counted == [(1, 2), (2, 1)]  # the records stored before, and the new one
        assert store.tally("cases", "a") == {1: 2, 2: 1}
        assert store.count("cases") == 3  # the size kept from the records stored before
    finally:
        store.close()


def test_a_collections_size_is_kept_through_every_kind_of_write(store):
    assert store.count("letters") == 0
    ids = store.insert_many("letters", [{"n": i} for i in range(5)])
    store.insert("letters", {"n": 5})
    store.delete("letters", ids[0])
    with store.transaction() as tx:
        tx.insert("letters", {"n": 6})
        tx.delete("letters", ids[1])
        tx.insert("audit", {"x": 1})
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.insert("letters", {"n": 7})
        raise RuntimeError("rolled back: the size with it")
    store.update("letters", ids[2], {"n": 20})
    assert store.count("letters") == 5 == len(store.find("letters"))
    assert store.count("audit") == 1 and store.count("nothing") == 0
    with psycopg.connect(store.url) as conn:
        kept = dict(conn.execute("SELECT collection, n FROM rifd_sizes").fetchall())
    assert kept == {"letters": 5, "audit": 1}


def test_a_full_disk_on_the_server_is_the_stores_disk_full(store, monkeypatch):
    from store.errors import DiskFull, disk_full
    from store.postgres import rows

    def full(*args, **kwargs):
        raise psycopg.errors.DiskFull("could not extend file: No space left on device")

    monkeypatch.setattr(rows, "insert", full)
    with pytest.raises(DiskFull) as caught, store.transaction() as tx:
        tx.insert("cases", {})
    assert caught.value.pending is False and disk_full(caught.value)
    assert store.count("cases") == 0


def test_rate_limits_are_shared_through_the_data_folder(open_store):
    first, second = open_store(), open_store()
    assert first.windows.hit("sara", limit=1, per_seconds=60)
    assert not second.windows.hit("sara", limit=1, per_seconds=60)
