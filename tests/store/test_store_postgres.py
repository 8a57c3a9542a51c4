"""What only the PostgreSQL backend has: the connection it reads the commit clock on."""
import json
import os
import threading
import time

import psycopg
import pytest
from psycopg.types.json import set_json_loads

from services.storage import ON_DISK
from store import Append, Conflict, Delete, Put, StoreError, open_store, postgres_store
from store.postgres_store import PostgresStore


@pytest.fixture
def store(pg_server):
    s = open_store(pg_server.new_database(), on_disk=ON_DISK)
    yield s
    s.close()


def _clock_backend(store):
    with psycopg.connect(store._url, autocommit=True) as admin:
        rows = admin.execute("SELECT pid FROM pg_stat_activity WHERE query = 'SELECT seq FROM store_clock' "
                             "AND datname = current_database()").fetchall()
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


def test_the_look_that_brings_what_others_committed_is_planned_once(store):
    # The server plans it afresh while its estimate favours each look's own plan (at every look
    # in a store of thousands of records): three times the CPU of running it.
    other = open_store(store._url, on_disk=ON_DISK)
    try:
        for n in range(8):
            other.commit([Put("documents", None, {"title": f"written by another process {n}"})])
            store.read_ahead()  # after the first: asks for what changed too (the clock moved)
            assert len(store.scan("documents")) == n + 1
            store.read_done()
    finally:
        other.close()
    ((generic, custom),) = store._clock_conn.execute(
        "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = 'recent'").fetchall()
    assert (generic > 0, custom) == (True, 0)


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
    return sum(1 for message in _sent(store, tmp_path, commit) if message.startswith(("Sync", "Query")))


def _sent(store, tmp_path, commit):
    """The names of the messages libpq sends on the store's one pooled connection during commit()."""
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
    return [fields[2] for fields in sent if fields[0] == "F"]


def test_a_commit_waits_for_the_server_once_whatever_it_creates_or_checks(one_connection, tmp_path):
    store = one_connection
    doc = store.commit([Put("documents", None, {"title": "one"}), Append("history", None, {"n": 1})])[0]
    ops = [Put("documents", doc["id"], {"title": "two"}, expected_version=1), Append("history", doc["id"], {"n": 2}),
           Put("notices", None, {"to": "ann"}), Put("notices", None, {"to": "bob"}), Put("mail", "7", {"to": "ann"}),
           Delete("documents", "99")]
    # Its statements, in one pipeline whose end commits (the first commit measured the server's clock:
    # store/pg_in_time.py).
    assert _exchanges(store, tmp_path, lambda: store.commit(ops)) == 1
    assert store.get("documents", doc["id"])["title"] == "two"
    assert [n["to"] for n in store.scan("notices")] == ["ann", "bob"]


def test_a_commit_ticks_the_clock_and_reserves_its_first_collections_keys_in_one_statement(one_connection, tmp_path):
    store = one_connection
    doc = store.commit([Put("documents", None, {"title": "one"}), Append("history", None, {"n": 1})])[0]
    ops = [Put("documents", doc["id"], {"title": "two"}, expected_version=1), Append("history", doc["id"], {"n": 2}),
           Put("notices", None, {"to": "ann"}), Put("notices", None, {"to": "bob"}), Put("mail", None, {"to": "cy"})]
    # The tick with the notices' keys, the mail's keys, the five ops, the last with the in-time check:
    # a transition's commit (a document, its history, a notice) runs four statements.
    assert _sent(store, tmp_path, lambda: store.commit(ops)).count("Execute") == 7
    assert store.get("documents", doc["id"])["title"] == "two"
    assert [(n["id"], n["to"]) for n in store.scan("notices")] == [("1", "ann"), ("2", "bob")]
    assert [(m["id"], m["to"]) for m in store.scan("mail")] == [("1", "cy")]


def test_a_commits_in_time_check_goes_with_its_last_op_when_that_op_is_checked(one_connection, tmp_path):
    store = one_connection
    store.commit([Put("documents", "1", {"title": "one"})])
    transition = [Put("documents", "1", {"title": "two"}, expected_version=1), Append("history", "1", {"n": 1}),
                  Put("notices", None, {"to": "ann"})]
    # The tick with the notices' keys, the document, its history, the notice with the in-time check.
    assert _sent(store, tmp_path, lambda: store.commit(transition)).count("Execute") == 4
    # An append last: the check after it, on its own.
    appended = [Put("documents", "1", {"title": "three"}, expected_version=2), Append("history", "1", {"n": 2})]
    assert _sent(store, tmp_path, lambda: store.commit(appended)).count("Execute") == 4
    # Where it goes with the op, it still refuses a commit that comes to the server late.
    store._server_clock.measured(time.time() - 60)
    with pytest.raises(StoreError, match="after its client gave up"):
        store.commit([Append("history", "1", {"n": 3}), Put("documents", "1", {"title": "lost"}, expected_version=3)])
    assert store.get("documents", "1")["title"] == "three" and store.log("history", "1") == [{"n": 1}, {"n": 2}]
    assert [n["to"] for n in store.scan("notices")] == ["ann"]


def test_the_server_calls_the_functions_that_refuse_a_commit_only_when_they_do(pg_server):
    """store_expect and store_in_time are plpgsql, whose calls cost the server more than the
    comparisons that now come before them (track_functions counts the calls that returned)."""
    url = pg_server.new_database() + "?options=-c%20track_functions%3Dpl"
    store = PostgresStore(url, min_size=1, max_size=1)
    store.commit([Put("documents", "1", {"title": "one"})])
    for version in (1, 2, 3):  # the first measured the server's clock: these are sent with their in-time check
        store.commit([Put("documents", "1", {"title": "more"}, expected_version=version),
                      Put("notices", None, {"to": "ann"})])
    with pytest.raises(Conflict):
        store.commit([Put("documents", "1", {"title": "lost"}, expected_version=1)])
    store._read("SELECT store_in_time(%s)", (time.time() + 3600,))  # one call that returns: the count is in
    store.close()  # the backend's counts reach the server's statistics as it ends
    deadline = time.monotonic() + 10
    with psycopg.connect(url, autocommit=True) as admin:
        while True:
            calls = dict(admin.execute("SELECT funcname, calls FROM pg_stat_user_functions WHERE calls > 0").fetchall())
            if calls.get("store_in_time") or time.monotonic() > deadline:
                break
            time.sleep(0.05)
    assert calls == {"store_in_time": 1}


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
    # The commit and the version found: the pipeline's end rolled its transaction back, no ROLLBACK to send.
    assert _exchanges(store, tmp_path, commit) == 2
    assert [(c.key, c.expected, c.actual) for c in refused] == [("2", 1, 2)]
    assert store.get("documents", "1")["title"] == "one" and store.scan("notices") == []


@pytest.mark.parametrize("deallocated", ["by psycopg after a rollback", "by hand"])
def test_a_commit_after_its_prepared_statements_were_deallocated_prepares_them_again(one_connection, deallocated):
    """psycopg sends DEALLOCATE ALL after a ROLLBACK on a connection where it prepared statements of
    its own (here, after five reads of one statement; one_state ends by a ROLLBACK): the commit's own
    go too (store/pg_pipeline.py)."""
    store = one_connection
    store.commit([Put("documents", "1", {"title": "one"}), Append("history", "1", {"n": 1})])
    if deallocated == "by hand":
        with store._pool.connection() as conn:
            conn.execute("DEALLOCATE ALL")
    else:
        for _ in range(6):
            store.log("history", "1")
        with store.one_state():
            store.log("history", "1")
    store.commit([Put("documents", "1", {"title": "two"}, expected_version=1), Append("history", "1", {"n": 2})])
    assert store.get("documents", "1")["title"] == "two" and store.log("history", "1") == [{"n": 1}, {"n": 2}]


def test_a_commit_that_stopped_reading_its_answers_leaves_no_connection_in_the_middle_of_them(one_connection,
                                                                                               monkeypatch):
    store = one_connection
    store.commit([Put("documents", "1", {"title": "one"})])

    def interrupted(*_, **__):
        raise KeyboardInterrupt  # or anything else that stops the reading halfway
    with monkeypatch.context() as patched:
        patched.setattr("store.pg_pipeline.errors.error_from_result", interrupted)
        with pytest.raises(KeyboardInterrupt):
            store.commit([Put("documents", "1", {"title": "lost"}, expected_version=9), Append("history", "1", {})])
    store.commit([Put("documents", "1", {"title": "two"}, expected_version=1)])
    assert store.get("documents", "1")["title"] == "two" and store.log("history", "1") == []


def test_a_key_holding_nul_is_refused_and_writes_nothing(one_connection):
    """libpq reads a text parameter up to its first NUL (store/pg_pipeline.py): "a\\x00b" would be "a"."""
    store = one_connection
    store.commit([Put("notices", "x", {"n": 0})])
    with pytest.raises(StoreError, match="NUL"):
        store.commit([Append("history", "a\x00b", {"n": 1}), Delete("notices", "x\x00y")])
    assert [n["id"] for n in store.scan("notices")] == ["x"] and store.log("history", "a") == []


def _made_by_an_earlier_version(pg_server, record, statement):
    """A database holding document "1" (`record`), whose schema `statement` then puts back as an
    earlier version of the store left it."""
    url = pg_server.new_database()
    with open_store(url) as first:
        first.commit([Put("documents", "1", record)])
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(statement)
    return url


def test_a_database_made_before_commits_checked_versions_on_the_server_is_brought_up_to_date(pg_server):
    url = _made_by_an_earlier_version(pg_server, {"title": "one"}, "DROP FUNCTION store_expect(bigint, integer, text)")
    with open_store(url) as store:
        store.commit([Put("documents", "1", {"title": "two"}, expected_version=1)])
        with pytest.raises(Conflict):
            store.commit([Put("documents", "1", {"title": "lost"}, expected_version=1)])
        assert store.get("documents", "1")["title"] == "two"


def test_a_database_made_before_commits_were_sent_with_their_commit_is_brought_up_to_date(pg_server):
    url = _made_by_an_earlier_version(pg_server, {"title": "one"}, "DROP FUNCTION store_in_time(double precision)")
    with open_store(url) as store:
        for title in ("two", "three"):  # the first measures the server's clock, the second is sent whole
            version = store.get("documents", "1")["version"]
            store.commit([Put("documents", "1", {"title": title}, expected_version=version)])
        assert store.get("documents", "1")["title"] == "three" and store._server_clock.deadline(1) is not None


def _versions_stored(url, table):
    """How many versions of its rows, live or dead, the first page of `table` holds."""
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
        return admin.execute("SELECT count(*) FROM heap_page_items(get_raw_page(%s, 0)) WHERE lp_flags = 1",
                             (table,)).fetchone()[0]


@pytest.mark.parametrize("made", ["new", "before"])
def test_the_rows_every_commit_updates_leave_few_old_versions_behind_in_a_new_database_and_one_made_before(
        pg_server, made):
    """Every read of the clock's row, or of a key counter's, walks past the old versions its
    page holds: they are pruned before many pile up (some 150 would, by default)."""
    as_before = "ALTER TABLE store_clock RESET (fillfactor); ALTER TABLE store_keys RESET (fillfactor)"
    url = pg_server.new_database() if made == "new" else _made_by_an_earlier_version(pg_server, {"title": "one"},
                                                                                      as_before)
    with open_store(url) as store:
        for n in range(120):
            store.commit([Put("notices", None, {"n": n})])
        assert len(store.scan("notices")) == 120
    assert _versions_stored(url, "store_clock") <= 40 and _versions_stored(url, "store_keys") <= 40


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


def test_a_database_made_with_an_index_over_the_records_json_loses_it_on_open(pg_server):
    index = "CREATE INDEX store_records_data ON store_records USING gin (data jsonb_path_ops)"
    url = _made_by_an_earlier_version(pg_server, {"team": "HR"}, index)
    with open_store(url) as store:
        assert store.get("documents", "1")["team"] == "HR"
    assert not any("gin" in row[0] for row in _indexes(url))


def test_the_server_compiles_no_statement_of_the_store_unless_the_url_says_so(pg_server):
    # A slim record's projection (store/slim.py) is costed so high that a server with jit on
    # compiles it, 1-3 s, at every catch-up once documents are held slim.
    url = pg_server.new_database()
    with open_store(url, on_disk=ON_DISK) as store:
        assert store._read("SHOW jit", ()) == [("off",)]
    with open_store(f"{url}?options=-c%20jit%3Don", on_disk=ON_DISK) as store:
        assert store._read("SHOW jit", ()) == [("on",)]


def test_settings_named_in_pgoptions_reach_every_connection_unless_the_url_gives_options(pg_server, monkeypatch):
    # libpq sends PGOPTIONS only when no options are given, and the store gives its own.
    url = pg_server.new_database()
    monkeypatch.setenv("PGOPTIONS", "-c synchronous_commit=off")
    with open_store(url, on_disk=ON_DISK) as store:
        store.commit([Put("documents", None, {})])
        assert store.get("documents", "1") is not None  # through the clock's connection
        assert store._clock_conn.execute("SHOW synchronous_commit").fetchone() == ("off",)
        assert store._read("SHOW synchronous_commit", ()) == [("off",)]
        assert store._read("SHOW statement_timeout", ()) == [("2s",)]  # the store's own, with them
    with open_store(f"{url}?options=-c%20jit%3Don", on_disk=ON_DISK) as store:
        assert store._read("SHOW synchronous_commit", ()) == [("on",)]


def test_a_commit_that_comes_to_the_server_after_its_deadline_writes_nothing(store):
    store.commit([Put("documents", "1", {"title": "A"}), Append("history", "1", {"at": 1})])
    store._server_clock.measured(time.time() - 60)  # as if the server's clock stood a minute behind: late
    with pytest.raises(StoreError, match="after its client gave up"):
        store.commit([Put("documents", "1", {"title": "B"}, 1), Append("history", "1", {"at": 2}),
                      Put("notices", None, {"to": "ann"})])
    assert store.get("documents", "1")["title"] == "A" and store.log("history", "1") == [{"at": 1}]
    assert store.scan("notices") == []
    # The estimate that made it late is forgotten: the next commit measures the server's clock again.
    store.commit([Put("documents", "1", {"title": "B"}, 1)])
    assert store.get("documents", "1")["title"] == "B" and store._server_clock.deadline(1) is not None



def _compression(url):
    """The compression of the records' data column, and the method of each record's stored JSON by key."""
    with psycopg.connect(url) as conn:
        column = conn.execute("SELECT attcompression FROM pg_attribute WHERE attrelid = 'store_records'::regclass "
                              "AND attname = 'data'").fetchone()[0]
        return column, dict(conn.execute("SELECT key, pg_column_compression(data) FROM store_records").fetchall())


@pytest.fixture
def method(pg_server):
    """The compression the store chooses on this server: lz4 where it was built with it, else pglz."""
    with psycopg.connect(pg_server.admin_url) as conn:
        has_lz4 = conn.execute("SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
                               "WHERE name = 'default_toast_compression'").fetchone()[0]
    return ("l", "lz4") if has_lz4 else ("p", "pglz")


def test_records_are_compressed_with_lz4_where_the_server_has_it_in_a_new_database_and_one_made_before(pg_server, method):
    column, name = method
    fresh = pg_server.new_database()
    with open_store(fresh) as store:
        store.commit([Put("documents", "1", {"text": "x" * 3000})])
    assert _compression(fresh) == (column, {"1": name})
    earlier = _made_by_an_earlier_version(
        pg_server, {"text": "y" * 3000}, "ALTER TABLE store_records ALTER COLUMN data SET COMPRESSION pglz")
    with psycopg.connect(earlier, autocommit=True) as admin:  # as a version before this one wrote it
        admin.execute("UPDATE store_records SET data = jsonb_set(data, '{text}', to_jsonb(repeat('w', 3000)))")
    assert _compression(earlier) == ("p", {"1": "pglz"})
    with open_store(earlier) as store:
        assert store.get("documents", "1")["text"] == "w" * 3000  # written with pglz, read as before
        store.commit([Put("documents", "2", {"text": "z" * 3000})])
    assert _compression(earlier) == (column, {"1": "pglz", "2": name})


def test_records_stay_compressed_with_pglz_while_other_processes_hold_the_table_and_not_after(pg_server, method):
    earlier = _made_by_an_earlier_version(
        pg_server, {"text": "y" * 3000}, "ALTER TABLE store_records ALTER COLUMN data SET COMPRESSION pglz")
    with psycopg.connect(earlier) as busy:
        busy.execute("SELECT count(*) FROM store_records")  # its transaction holds the table till it ends
        with open_store(earlier) as store:
            store.commit([Put("documents", "2", {"text": "z" * 3000})])
            assert store.get("documents", "1")["text"] == "y" * 3000
        assert _compression(earlier)[0] == "p"
    with open_store(earlier) as store:
        assert store.get("documents", "2")["text"] == "z" * 3000
    assert _compression(earlier)[0] == method[0]


def test_a_commit_leaves_its_connections_autocommit_alone_unless_it_names_a_conflict(one_connection, monkeypatch):
    """The commit's pipeline speaks to libpq past psycopg: switching psycopg's autocommit on and
    off around every commit was work for nothing, but the version a conflict names is read in
    one round trip (test_a_refused_commit_waits_for_the_server_once_more_to_name_what_it_found)."""
    store = one_connection
    store.commit([Put("documents", "1", {"title": "one"})])
    switched, setter = [], psycopg.Connection.autocommit.fset
    monkeypatch.setattr(psycopg.Connection, "autocommit", property(
        psycopg.Connection.autocommit.fget, lambda conn, value: (switched.append(value), setter(conn, value))))
    store.commit([Put("documents", "1", {"title": "two"}, expected_version=1), Append("history", "1", {"n": 1}),
                  Put("notices", None, {"to": "ann"})])
    assert switched == []
    with pytest.raises(Conflict):
        store.commit([Put("documents", "1", {"title": "lost"}, expected_version=1)])
    assert switched == [True, False]
    assert store.get("documents", "1")["title"] == "two" and store.log("history", "1") == [{"n": 1}]


def test_a_commit_makes_the_copies_it_answers_while_the_server_runs_it(pg_server, monkeypatch):
    """What needs no answer is done once the statements are sent, not after the answer came
    (store/pg_pipeline.py's meanwhile): here while the server waits for a writer holding the clock."""
    store = PostgresStore(pg_server.new_database(), min_size=1, max_size=1, timeout=10)
    store.commit([Put("notices", None, {"to": "ann"})])
    copied, copy = threading.Event(), postgres_store.copy
    monkeypatch.setattr(postgres_store, "copy", lambda value: (copied.set(), copy(value))[1])
    answered = []
    with psycopg.connect(store._url) as holder:
        holder.execute("SELECT seq FROM store_clock FOR UPDATE")
        committing = threading.Thread(target=lambda: answered.extend(store.commit([Put("notices", None, {"to": "bob"})])))
        committing.start()
        try:
            assert copied.wait(5)  # the record created and its copy for the caller, its key still to come
            assert not answered
        finally:
            holder.rollback()
            committing.join()
    assert answered == [{"to": "bob", "id": "2", "version": 1}] == store.scan("notices")[1:]
    store.close()


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_a_number_jsonb_cannot_hold_is_refused_before_anything_is_sent_as_on_tinydb(store, value):
    store.commit([Put("documents", "1", {"n": 1})])
    with pytest.raises(ValueError):
        store.commit([Put("documents", "1", {"n": value}, expected_version=1), Append("history", "1", {"n": 2})])
    assert store.get("documents", "1")["n"] == 1 and store.log("history", "1") == []
