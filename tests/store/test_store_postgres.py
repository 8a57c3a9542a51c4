"""What only the PostgreSQL backend has: the connection it looks for changes on, its commit's round trips."""
import json
import os
import time

import psycopg
import pytest
from psycopg.types.json import set_json_loads

from services.storage import ON_DISK
from store import Append, Conflict, Delete, Put, StoreError, open_store, pg_changes
from store.postgres_store import PostgresStore


@pytest.fixture
def store(pg_server):
    s = open_store(pg_server.new_database(), on_disk=ON_DISK)
    yield s
    s.close()


def _clock_backend(store):
    with psycopg.connect(store._url, autocommit=True) as admin:
        rows = admin.execute("SELECT pid FROM pg_stat_activity WHERE left(query, 200) = %s "
                             "AND datname = current_database()", (pg_changes.LOOK[:200],)).fetchall()
    return [pid for (pid,) in rows]


def test_reads_go_on_after_the_server_drops_the_clock_connection(store):
    store.commit([Put("documents", None, {"title": "one"})])
    assert len(store.scan("documents")) == 1
    (pid,) = _clock_backend(store)
    with psycopg.connect(store._url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    store.commit([Put("documents", None, {"title": "two"})])
    assert [d["title"] for d in store.scan("documents")] == ["one", "two"]  # seen: not a cached answer
    assert _clock_backend(store) != [pid]


def test_a_closed_store_refuses_reads_and_leaves_no_connection_open(store):
    assert store.scan("documents") == []
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.scan("documents")
    deadline = time.monotonic() + 10  # the server ends a closed connection's backend soon after, not at once
    while _clock_backend(store) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _clock_backend(store) == []


def test_a_look_at_the_clock_sent_ahead_and_not_taken_never_serves_a_later_request(store, pg_server):
    other = open_store(store._url, on_disk=ON_DISK)
    try:
        assert store.scan("documents") == []
        store.read_ahead()  # a request that then reads nothing
        store.read_done()
        other.commit([Put("documents", None, {"title": "written after that request"})])
        store.read_ahead()  # the next request
        assert [d["title"] for d in store.scan("documents")] == ["written after that request"]
        store.read_done()
    finally:
        other.close()


def test_a_look_sent_ahead_for_another_thread_is_not_taken_by_this_one(store):
    import threading
    other = open_store(store._url, on_disk=ON_DISK)
    sent, go_on = threading.Event(), threading.Event()

    def request_of_another_thread():
        store.read_ahead()
        sent.set()
        go_on.wait(10)
        store.read_done()

    thread = threading.Thread(target=request_of_another_thread)
    thread.start()
    try:
        sent.wait(10)
        other.commit([Put("documents", None, {"title": "written after the other thread's look"})])
        assert [d["title"] for d in store.scan("documents")] == ["written after the other thread's look"]
    finally:
        go_on.set()
        thread.join()
        other.close()
    assert len(store.scan("documents")) == 1


def test_a_look_sent_ahead_on_a_dropped_connection_still_reads(store):
    assert store.scan("documents") == []
    (pid,) = _clock_backend(store)
    with psycopg.connect(store._url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    store.commit([Put("documents", None, {"title": "one"})])
    store.read_ahead()
    assert [d["title"] for d in store.scan("documents")] == ["one"]
    store.read_done()



@pytest.fixture
def one_connection(pg_server):
    """A store with one pooled connection, the one every commit then uses."""
    s = PostgresStore(pg_server.new_database(), min_size=1, max_size=1)
    yield s
    s.close()


def _exchanges(store, tmp_path, commit):
    """How many times commit() waits for the server: the messages libpq sends on the store's
    one pooled connection that ask for an answer (Sync ends a pipeline or a statement with
    parameters; Query is a statement without)."""
    traced = tmp_path / "libpq-trace"
    with open(traced, "w") as out, store._pool.connection() as conn:
        conn.pgconn.trace(os.dup(out.fileno()))  # libpq writes through a stream of its own
        conn.pgconn.set_trace_flags(psycopg.pq.Trace.SUPPRESS_TIMESTAMPS)
    try:
        commit()
    finally:
        with store._pool.connection() as conn:
            conn.pgconn.untrace()  # which flushes the stream
    sent = [line.split("\t") for line in traced.read_text().splitlines()]
    return sum(1 for fields in sent if fields[0] == "F" and fields[2].startswith(("Sync", "Query")))


def test_a_commit_waits_for_the_server_twice_whatever_it_creates_or_checks(one_connection, tmp_path):
    store = one_connection
    doc = store.commit([Put("documents", None, {"title": "one"}), Append("history", None, {"n": 1})])[0]
    ops = [Put("documents", doc["id"], {"title": "two"}, expected_version=1), Append("history", doc["id"], {"n": 2}),
           Put("notices", None, {"to": "ann"}), Put("notices", None, {"to": "bob"}), Put("mail", "7", {"to": "ann"}),
           Delete("documents", "99")]
    # Its statements, then COMMIT: sent only once they are answered (tests/test_pg_hosts.py freezes the server).
    assert _exchanges(store, tmp_path, lambda: store.commit(ops)) == 2
    assert store.get("documents", doc["id"])["title"] == "two"
    assert [n["to"] for n in store.scan("notices")] == ["ann", "bob"]


def test_a_refused_commit_waits_for_the_server_once_more_to_name_what_it_found(one_connection, tmp_path):
    store = one_connection
    store.commit([Put("documents", "1", {"title": "one"}), Put("documents", "2", {"title": "one"})])
    store.commit([Put("documents", "2", {"title": "two"}, expected_version=1)])
    stale = [Put("documents", "1", {"title": "lost"}, expected_version=1), Put("notices", None, {"to": "ann"}),
             Put("documents", "2", {"title": "lost"}, expected_version=1)]
    refused = []

    def commit():
        try:
            store.commit(stale)
        except Conflict as exc:
            refused.append(exc)
    assert _exchanges(store, tmp_path, commit) == 3  # the commit, its rollback, and the version found
    assert [(c.key, c.expected, c.actual) for c in refused] == [("2", 1, 2)]
    assert store.get("documents", "1")["title"] == "one" and store.scan("notices") == []

def test_a_database_made_before_commits_checked_versions_on_the_server_is_brought_up_to_date(pg_server):
    url = pg_server.new_database()
    with open_store(url) as first:
        first.commit([Put("documents", "1", {"title": "one"})])
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute("DROP FUNCTION store_expect(bigint, integer, text)")
    with open_store(url) as store:
        store.commit([Put("documents", "1", {"title": "two"}, expected_version=1)])
        with pytest.raises(Conflict):
            store.commit([Put("documents", "1", {"title": "lost"}, expected_version=1)])
        assert store.get("documents", "1")["title"] == "two"


@pytest.fixture
def slow_to_decode():
    """Every JSON value psycopg decodes takes 20 ms: a process busy elsewhere (its garbage
    collector going through a large store, a loaded host) as the rows arrive."""
    def slow(text):
        time.sleep(0.02)
        return json.loads(text)

    set_json_loads(slow)
    yield
    set_json_loads(json.loads)


def _fill(url, n):
    with open_store(url, on_disk=ON_DISK) as writer:
        writer.commit([Put("documents", None, {"title": f"document {i}"}) for i in range(n)])


def test_a_first_read_of_more_than_can_be_decoded_within_the_timeout_still_answers(pg_server, slow_to_decode):
    url = pg_server.new_database()
    _fill(url, 60)  # 1.2 s to decode, the timeout 0.5 s: the timeout bounds the server's answer, not our work
    with PostgresStore(url, on_disk=ON_DISK, timeout=0.5) as reader:
        assert [d["title"] for d in reader.scan("documents")] == [f"document {i}" for i in range(60)]



def _indexes(url):
    with psycopg.connect(url) as conn:
        return sorted(conn.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'store_records'").fetchall())


def test_a_load_leaves_the_indexes_the_schema_makes_and_a_failed_one_too(pg_server):
    fresh = pg_server.new_database()
    with open_store(fresh) as store:
        assert store.get("documents", "1") is None  # the schema is made at the first use
    loaded, refused = pg_server.new_database(), pg_server.new_database()
    with open_store(loaded) as store:
        store.load({"documents": [{"id": "1", "version": 1, "team": "HR"}]}, {"history": {"1": [{"a": 1}]}})
        assert store.get("documents", "1")["team"] == "HR"
    with open_store(refused) as store, pytest.raises(StoreError, match="PostgreSQL store"):
        store.load({"documents": [{"id": "1", "version": 1, "team": "\u0000"}]}, {})  # not in jsonb: COPY fails
    assert _indexes(loaded) == _indexes(refused) == _indexes(fresh)
    # No index over the records' JSON: nothing queries it, and every write of a record would keep it.
    assert not any("gin" in row[0] for row in _indexes(fresh))


def _waiting_for_a_lock(url):
    with psycopg.connect(url, autocommit=True) as admin:
        return admin.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                             "AND datname = current_database()").fetchone()[0]


def test_a_commit_that_ends_after_a_later_one_is_still_seen_by_another_process(pg_server):
    """Two commits run side by side (no lock in common, though each creates a notice), and the
    one that began writing first (the lower transaction id, or the lower number from any counter
    stamped as rows are written) ends last: a process that read the store between their ends
    must still find it."""
    import threading
    url = pg_server.new_database()
    with open_store(url, on_disk=ON_DISK) as setup:
        setup.commit([Put("documents", "held", {"title": "one"}), Put("documents", "gone", {"title": "one"})])
    reader = open_store(url, on_disk=ON_DISK)
    first = PostgresStore(url, on_disk=ON_DISK, timeout=20)  # waits for the lock below without giving up
    second = open_store(url, on_disk=ON_DISK)
    blocker = psycopg.connect(url)
    done = []
    try:
        assert {d["id"] for d in reader.scan("documents")} == {"held", "gone"}
        blocker.execute("SELECT 1 FROM store_records WHERE key = 'held' FOR UPDATE")
        # The first commit writes "early" and deletes "gone", then waits for the row "held".
        writing = threading.Thread(target=lambda: done.append(first.commit([
            Put("notices", None, {"to": "ann"}), Put("documents", "early", {"title": "written first"}),
            Delete("documents", "gone", expected_version=1), Put("documents", "held", {"title": "two"},
                                                                 expected_version=1)])))
        writing.start()
        deadline = time.monotonic() + 10
        while not _waiting_for_a_lock(url) and time.monotonic() < deadline:
            time.sleep(0.01)
        # Not held up by the first, nor given its key.
        second.commit([Put("notices", None, {"to": "bob"}), Put("documents", "late", {"title": "written second"})])
        assert {d["id"] for d in reader.scan("documents")} == {"held", "gone", "late"}
        blocker.rollback()
        writing.join(20)
        assert done, "the first commit did not end"
        assert {d["id"]: d["title"] for d in reader.scan("documents")} == {
            "held": "two", "early": "written first", "late": "written second"}
        assert sorted((n["id"], n["to"]) for n in reader.scan("notices")) == [("1", "ann"), ("2", "bob")]
    finally:
        blocker.close()
        for store in (reader, first, second):
            store.close()


# The schema as it was while one clock row stamped every commit (before store_commits).
_CLOCK_SCHEMA = """
CREATE TABLE store_records (collection text NOT NULL, key text NOT NULL, num bigint, version integer NOT NULL,
                            data jsonb NOT NULL, seq bigint NOT NULL, PRIMARY KEY (collection, key));
CREATE INDEX store_records_seq ON store_records (seq);
CREATE INDEX store_records_data ON store_records USING gin (data jsonb_path_ops);
CREATE TABLE store_deleted (seq bigint NOT NULL, collection text NOT NULL, key text NOT NULL);
CREATE INDEX store_deleted_seq ON store_deleted (seq);
CREATE TABLE store_clock (one boolean PRIMARY KEY DEFAULT true CHECK (one), seq bigint NOT NULL);
CREATE TABLE store_logs (seq bigserial PRIMARY KEY, collection text NOT NULL, key text NOT NULL, entry jsonb NOT NULL);
CREATE INDEX store_logs_key ON store_logs (collection, key, seq);
CREATE TABLE store_keys (collection text PRIMARY KEY, next bigint NOT NULL);
INSERT INTO store_records VALUES ('documents', '1', 1, 2, '{"id": "1", "version": 2, "title": "one"}', 2),
                                 ('documents', '2', 2, 1, '{"id": "2", "version": 1, "title": "two"}', 1);
INSERT INTO store_deleted VALUES (3, 'documents', '3');
INSERT INTO store_clock VALUES (true, 3);
INSERT INTO store_logs (collection, key, entry) VALUES ('history', '1', '{"n": 1}');
INSERT INTO store_keys VALUES ('documents', 4);
"""


def test_a_database_stamped_by_one_clock_row_is_brought_up_to_date_with_its_records(pg_server):
    url = pg_server.new_database()
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(_CLOCK_SCHEMA)
    with open_store(url, on_disk=ON_DISK) as store, open_store(url, on_disk=ON_DISK) as other:
        store.commit([Append("history", "1", {"n": 2})])  # a process's first act a commit: the store still read
        assert [(d["id"], d["title"]) for d in store.scan("documents")] == [("1", "one"), ("2", "two")]
        assert store.log("history", "1") == [{"n": 1}, {"n": 2}]
        assert other.scan("documents")  # each process has read the store once
        store.commit([Put("documents", "1", {"title": "changed"}, expected_version=2), Delete("documents", "2")])
        created = store.commit([Put("documents", None, {"title": "new"})])[0]
        assert created["id"] == "4"  # the key counter carried on: no key handed out twice
        with pytest.raises(Conflict):
            store.commit([Put("documents", "1", {"title": "lost"}, expected_version=2)])
        # Another process finds every change, made after the upgrade, to the records it read before it.
        assert [(d["id"], d["title"]) for d in other.scan("documents")] == [("1", "changed"), ("4", "new")]
    with psycopg.connect(url, autocommit=True) as admin:
        assert admin.execute("SELECT to_regclass('store_clock')").fetchone() == (None,)
    assert not any("gin" in row[0] for row in _indexes(url))  # the index no query used is gone
