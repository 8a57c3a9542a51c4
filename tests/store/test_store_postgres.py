"""What only the PostgreSQL backend has: the connection it reads the commit clock on."""
import json
import time

import psycopg
import pytest
from psycopg.types.json import set_json_loads

from services.storage import ON_DISK
from store import Put, StoreError, open_store
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

